"""`make test` runs on PostgreSQL when one answers, else on SQLite; DATABASE_URL decides first."""

from __future__ import annotations

import psycopg2

from portal import testdb


class _Conn:
    def close(self):
        pass


def test_an_explicit_database_url_wins(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "sqlite:///elsewhere.sqlite3")
    assert testdb.choose() == "sqlite:///elsewhere.sqlite3"


def test_postgres_when_it_answers(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setattr(psycopg2, "connect", lambda *a, **k: _Conn())
    assert testdb.choose() == testdb.LOCAL_POSTGRES


def test_the_embedded_default_without_postgres(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)

    def refuse(*a, **k):
        raise psycopg2.OperationalError("connection refused")

    monkeypatch.setattr(psycopg2, "connect", refuse)
    assert testdb.choose() == testdb.EMBEDDED
