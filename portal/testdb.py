"""Which database `make test` uses when DATABASE_URL is not set: production's (PostgreSQL)
when one answers on this machine, else the embedded default (SQLite).

    python -m portal.testdb   # prints the DATABASE_URL to use
"""

from __future__ import annotations

import os

LOCAL_POSTGRES = "postgres://postgres@127.0.0.1:5432/portal_test"
EMBEDDED = "sqlite:///var/portal.sqlite3"


def choose() -> str:
    if os.environ.get("DATABASE_URL"):
        return os.environ["DATABASE_URL"]
    try:
        import psycopg2

        psycopg2.connect("dbname=postgres user=postgres host=127.0.0.1 port=5432", connect_timeout=2).close()
    except Exception:  # noqa: BLE001 - no server, no role, no trust: the embedded default
        return EMBEDDED
    return LOCAL_POSTGRES


if __name__ == "__main__":
    print(choose())
