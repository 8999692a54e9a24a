import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from portal.models import Practice, User


@pytest.mark.django_db
def test_create_practice_makes_practice_and_admin(monkeypatch):
    monkeypatch.setenv("PORTAL_ADMIN_PASSWORD", "Long-enough-pass-91!")
    call_command("create_practice", "--name", "Harbor Therapy", "--admin-email", "Boss@Harbor.test", verbosity=0)
    admin = User.objects.get(email="boss@harbor.test")
    assert admin.is_practice_admin and admin.practice.name == "Harbor Therapy"
    assert admin.check_password("Long-enough-pass-91!")


@pytest.mark.django_db
def test_create_practice_refuses_a_taken_email(monkeypatch, admin):
    monkeypatch.setenv("PORTAL_ADMIN_PASSWORD", "Long-enough-pass-91!")
    before = Practice.objects.count()
    with pytest.raises(CommandError, match="already exists"):
        call_command("create_practice", "--name", "Copy", "--admin-email", admin.email.upper(), verbosity=0)
    assert Practice.objects.count() == before


@pytest.mark.django_db
def test_create_practice_needs_the_password_variable(monkeypatch):
    monkeypatch.delenv("PORTAL_ADMIN_PASSWORD", raising=False)
    with pytest.raises(CommandError, match="PORTAL_ADMIN_PASSWORD"):
        call_command("create_practice", "--name", "X", "--admin-email", "x@x.test", verbosity=0)


def test_create_practice_exits_1_from_the_shell(tmp_path):
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "REDIS_URL")}
    env.update(DATABASE_URL=f"sqlite:///{tmp_path}/db.sqlite3", PORTAL_ADMIN_PASSWORD="Long-enough-pass-91!")
    run = lambda: subprocess.run([sys.executable, "manage.py", "create_practice", "--name", "P", "--admin-email", "a@p.test"],  # noqa: E731
                                 env=env, capture_output=True, text=True)
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], env=env, check=True)
    assert run().returncode == 0
    second = run()
    assert second.returncode == 1 and "already exists" in second.stderr


@pytest.mark.django_db
def test_loaddemo_is_idempotent(capsys, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("loaddemo")
    counts = (Practice.objects.count(), User.objects.count())
    out = capsys.readouterr().out
    assert "therapist@demo.test" in out and "Demo-portal-2026!" in out
    call_command("loaddemo")
    assert "already there" in capsys.readouterr().out
    assert (Practice.objects.count(), User.objects.count()) == counts


@pytest.mark.django_db
def test_loaddemo_prints_the_address_the_portal_serves(capsys, settings):
    settings.PORTAL_BASE_URL = "http://127.0.0.1:8123"
    call_command("loaddemo")
    assert "at http://127.0.0.1:8123/" in capsys.readouterr().out
