import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from portal.settings.base import env_bool, env_int


def test_strict_booleans(monkeypatch):
    monkeypatch.setenv("X_FLAG", "yes")
    assert env_bool("X_FLAG", False) is True
    monkeypatch.setenv("X_FLAG", "off")
    assert env_bool("X_FLAG", True) is False
    monkeypatch.setenv("X_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured):
        env_bool("X_FLAG", False)
    monkeypatch.delenv("X_FLAG")
    assert env_bool("X_FLAG", True) is True


def test_strict_integers(monkeypatch):
    monkeypatch.setenv("X_NUM", "12")
    assert env_int("X_NUM", 1) == 12
    monkeypatch.setenv("X_NUM", "twelve")
    with pytest.raises(ImproperlyConfigured):
        env_int("X_NUM", 1)


def _settings_in_subprocess(env: dict, expr: str) -> str:
    code = f"import django, os; os.environ['DJANGO_SETTINGS_MODULE']='portal.settings.base'; django.setup(); from django.conf import settings; print({expr})"
    clean = {
        k: v
        for k, v in __import__("os").environ.items()
        if k not in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE")
    }
    out = subprocess.run(
        [sys.executable, "-c", code], env={**clean, **env}, capture_output=True, text=True, check=True
    )
    return out.stdout.strip()


def test_embedded_default_is_sqlite_wal_immediate_and_eager_celery():
    out = _settings_in_subprocess(
        {},
        "settings.DATABASES['default']['ENGINE'], settings.DATABASES['default']['OPTIONS']['transaction_mode'], 'WAL' in settings.DATABASES['default']['OPTIONS']['init_command'], settings.CELERY_TASK_ALWAYS_EAGER",
    )
    assert out == "django.db.backends.sqlite3 IMMEDIATE True True"


def test_database_and_redis_urls_switch_to_the_real_services():
    out = _settings_in_subprocess(
        {"DATABASE_URL": "postgres://u@db.example:5432/portal", "REDIS_URL": "redis://cache.example:6379/0"},
        "settings.DATABASES['default']['ENGINE'], settings.DATABASES['default']['HOST'], settings.CELERY_BROKER_URL, settings.CELERY_TASK_ALWAYS_EAGER",
    )
    assert out == "django.db.backends.postgresql db.example redis://cache.example:6379/0 False"
