import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from portal.models import Practice, User


@pytest.mark.django_db
def test_create_practice_makes_practice_and_admin(monkeypatch):
    monkeypatch.setenv("PORTAL_ADMIN_PASSWORD", "Long-enough-pass-91!")
    call_command(
        "create_practice", "--name", "Harbor Therapy", "--admin-email", "Boss@Harbor.test", verbosity=0
    )
    admin = User.objects.get(email="boss@harbor.test")
    assert admin.is_practice_admin and admin.practice is not None and admin.practice.name == "Harbor Therapy"
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

    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "REDIS_URL")
    }
    env.update(DATABASE_URL=f"sqlite:///{tmp_path}/db.sqlite3", PORTAL_ADMIN_PASSWORD="Long-enough-pass-91!")

    def run() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "manage.py", "create_practice", "--name", "P", "--admin-email", "a@p.test"],
            env=env,
            capture_output=True,
            text=True,
        )

    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], env=env, check=True)
    assert run().returncode == 0
    second = run()
    assert second.returncode == 1 and "already exists" in second.stderr


@pytest.mark.django_db(transaction=True)  # real commits: the demo's e-mails are sent after them
def test_loaddemo_makes_a_practice_worth_exploring_prints_only_logins_and_is_idempotent(capsys, settings):
    from datetime import timedelta

    from django.utils import timezone

    from audit.models import BoundaryException
    from consent.models import Consent
    from messaging.models import CallBooking, CrisisAlert, Message
    from policies.hours import is_open
    from policies.selectors import compiled_policy, current_version

    settings.PORTAL_BASE_URL = "http://127.0.0.1:8123"
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"  # as `make run` has it
    call_command("loaddemo")
    out = capsys.readouterr().out
    assert "therapist@demo.test" in out and "Demo-portal-2026!" in out and "at http://127.0.0.1:8123/" in out
    assert "Subject:" not in out and "invite/" not in out  # no e-mail printed before the logins
    assert len(out.splitlines()) < 15

    assert User.objects.filter(is_therapist=True).count() == 2
    assert User.objects.filter(therapist__isnull=False).count() == 20  # clients
    assert Consent.objects.filter(status="active").count() == 19
    now = timezone.now()
    first = Message.objects.order_by("created_at").first()
    assert first is not None
    oldest = first.created_at
    assert now - oldest > timedelta(days=150)
    statuses = set(Message.objects.values_list("status", flat=True))
    assert {"delivered", "blocked", "delivered_with_exception", "escalated"} <= statuses
    assert not Message.objects.filter(status="held", deliver_at__lte=now).exists()  # released as beat would
    kinds = set(BoundaryException.objects.values_list("kind", flat=True))
    assert {"blocked", "override", "crisis"} <= kinds
    assert BoundaryException.objects.filter(reviewed=True).exists()
    assert BoundaryException.objects.filter(reviewed=False).exists()
    assert {"booked", "confirmed"} <= set(CallBooking.objects.values_list("status", flat=True))
    assert CrisisAlert.objects.filter(acknowledged_at__isnull=False).exists()
    # One therapist is open whatever the hour the demo is tried at.
    version = current_version(User.objects.get(email="therapist2@demo.test").pk)
    assert version is not None
    open_all_hours = compiled_policy(version)
    assert all(is_open(open_all_hours, "administrative", now + timedelta(hours=h)) for h in range(0, 168, 5))

    counts = (Practice.objects.count(), User.objects.count(), Message.objects.count())
    call_command("loaddemo")
    assert "already there" in capsys.readouterr().out
    assert (Practice.objects.count(), User.objects.count(), Message.objects.count()) == counts
