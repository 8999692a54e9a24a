"""Test settings: differ from base only where tests need it."""

from .base import *  # noqa: F401,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Unit tests run tasks in-process; the services tests start a real worker.
CELERY_TASK_ALWAYS_EAGER = True
CELERY_BROKER_URL = "memory://localhost/"
PORTAL_OUTBOX_DISPATCH_ON_COMMIT = True
# Signed audit checkpoints are appended here, not beside the development database's.
PORTAL_AUDIT_CHECKPOINT_DIR = BASE_DIR / "var" / "test-checkpoints"  # noqa: F405
