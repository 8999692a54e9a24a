"""Production settings: `check --deploy` is clean with nothing silenced, HTTPS-only cookies,
HSTS, and a Content-Security-Policy with no inline script."""

from __future__ import annotations

import base64
import os
import secrets
import subprocess
import sys
from pathlib import Path

from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parents[2]


def production_env(**extra) -> dict:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    env.update(
        DJANGO_SETTINGS_MODULE="portal.settings.production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(64),
        PORTAL_ENCRYPTION_KEYS=Fernet.generate_key().decode(),
        DJANGO_ALLOWED_HOSTS="portal.example.org",
        PORTAL_AUDIT_SIGNING_KEY=base64.b64encode(secrets.token_bytes(32)).decode(),
        **extra,
    )
    env.pop("DATABASE_URL", None)
    env["DATABASE_URL"] = "sqlite:////tmp/portal-deploy-check.sqlite3"
    return env


def test_check_deploy_is_clean_with_nothing_silenced():
    run = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_env(),
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "no issues (0 silenced)" in run.stdout


def test_production_refuses_a_missing_secret_key():
    env = production_env()
    env["DJANGO_SECRET_KEY"] = "short"
    run = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert run.returncode != 0 and "DJANGO_SECRET_KEY" in run.stderr


def test_production_answers_with_hsts_secure_cookies_and_a_strict_csp():
    code = (
        "import django; django.setup()\n"
        "from django.test import Client\n"
        "from django.test.utils import setup_test_environment\n"
        "setup_test_environment()\n"
        "r = Client().get('/accounts/login/', secure=True, HTTP_HOST='portal.example.org')\n"
        "print(r.status_code); print(r.headers.get('Strict-Transport-Security'))\n"
        "print(r.headers.get('Content-Security-Policy'))\n"
        "print(r.cookies['csrftoken']['secure'])\n"
        "print(Client().get('/accounts/login/', HTTP_HOST='portal.example.org').status_code)\n"
    )
    env = production_env()
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    status, hsts, csp, secure_cookie, plain = out.stdout.strip().splitlines()[-5:]
    assert status == "200", out.stderr
    assert "max-age=31536000" in hsts and "includeSubDomains" in hsts
    script_src = next(d for d in csp.split(";") if d.strip().startswith("script-src"))
    assert "'self'" in script_src and "unsafe-inline" not in script_src
    assert secure_cookie == "True"
    assert plain == "301"  # plain HTTP is redirected to HTTPS
