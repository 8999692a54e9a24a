"""Settings read from the environment (django-environ).

With nothing set, the embedded default runs: SQLite in WAL mode with immediate
transactions, Celery tasks run eagerly in-process, e-mail printed to the console.
`DATABASE_URL` and `REDIS_URL` switch to PostgreSQL and a real Celery broker.
A value that does not parse raises ImproperlyConfigured instead of silently
becoming something else.
"""

from __future__ import annotations

import base64
import hashlib
from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent
env = environ.Env()

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool) -> bool:
    """A strict boolean: 'maybe' is an error, not False."""
    raw = env.str(name, default=None)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean (use true or false)")


def env_int(name: str, default: int) -> int:
    raw = env.str(name, default=None)
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number") from exc


DEBUG = env_bool("DJANGO_DEBUG", False)
# The embedded default has a fixed development key; production.py demands a real one.
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="dev-only-insecure-key-change-me-" + "x" * 20)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "knox",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "portal",
    "policies",
    "consent",
    "messaging",
    "audit",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "portal.security.SessionGuardMiddleware",
    "portal.two_factor_views.TwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "portal.middleware.DatabaseUnavailableMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"
AUTH_USER_MODEL = "portal.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.portal",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'portal.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run beside the writer; IMMEDIATE takes the write lock at
    # BEGIN so two writers queue instead of failing with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env_int("DJANGO_CONN_MAX_AGE", 60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Celery -------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
# "memory://localhost/": a bare "memory://" makes kombu warn that no hostname was supplied.
CELERY_BROKER_URL = REDIS_URL or "memory://localhost/"
CELERY_RESULT_BACKEND = None
# No broker configured: run tasks in-process (the embedded default has no worker).
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A publish must fail fast when Redis is down: the outbox keeps the work.
CELERY_BROKER_TRANSPORT_OPTIONS = {"max_retries": 0, "socket_connect_timeout": 1, "socket_timeout": 2}
CELERY_BEAT_SCHEDULE = {
    # Four times a second: the worker then takes the sends in small chunks. Once a second made
    # bursts of a whole second's work, which slowed the requests running beside them (on the
    # benchmark's 2 cores: send p99 at 16 clients 127-156 ms against 106-117 ms).
    "relay-outbox": {"task": "portal.tasks.relay_outbox", "schedule": 0.25},
    "release-held-messages": {"task": "messaging.tasks.release_held_messages", "schedule": 30.0},
    "sweep-crisis-alerts": {"task": "messaging.tasks.sweep_crisis_alerts", "schedule": 30.0},
    "send-call-reminders": {"task": "messaging.tasks.send_call_reminders", "schedule": 60.0},
    "seal-audit-chains": {"task": "audit.tasks.seal_audit_chains", "schedule": 10.0},
    # Nightly (03:30 UTC): every chain recomputed from its first event (the requests' own
    # verifications start from the latest signed checkpoint), stored for the verify page.
    "verify-audit-chains-full": {
        "task": "audit.tasks.verify_audit_chains_full",
        "schedule": crontab(hour=3, minute=30),
    },
}

# --- Caches -------------------------------------------------------------------
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Auth ---------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
# The address axes locks is the client's, read as portal.security.client_ip reads it (for the
# consent record too): X-Forwarded-For counts only behind PORTAL_TRUSTED_PROXIES proxies.
AXES_CLIENT_IP_CALLABLE = "portal.security.client_ip"
AXES_LOCKOUT_CALLABLE = "portal.security.lockout_response"
PORTAL_TRUSTED_PROXIES = env_int("PORTAL_TRUSTED_PROXIES", 0)
if PORTAL_TRUSTED_PROXIES < 0:
    raise ImproperlyConfigured(f"PORTAL_TRUSTED_PROXIES={PORTAL_TRUSTED_PROXIES} must be 0 or more")

# API tokens (django-rest-knox): only a hash is stored, each login makes a new one.
PORTAL_TOKEN_HOURS = env_int("PORTAL_TOKEN_HOURS", 10)
if PORTAL_TOKEN_HOURS < 1:
    raise ImproperlyConfigured(f"PORTAL_TOKEN_HOURS={PORTAL_TOKEN_HOURS} must be at least 1")
REST_KNOX = {
    "TOKEN_TTL": timedelta(hours=PORTAL_TOKEN_HOURS),
    "AUTH_HEADER_PREFIX": "Token",
    "AUTO_REFRESH": False,
}

# Password reset: the link works once (Django's token covers the password hash) and for an hour.
PASSWORD_RESET_TIMEOUT = 3600
PORTAL_PASSWORD_RESET_PER_ADDRESS = env_int("PORTAL_PASSWORD_RESET_PER_ADDRESS", 3)  # per hour
PORTAL_PASSWORD_RESET_PER_IP = env_int("PORTAL_PASSWORD_RESET_PER_IP", 10)  # per hour

SESSION_COOKIE_AGE = env_int("PORTAL_SESSION_IDLE_MINUTES", 30) * 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# The idle timeout is enforced by portal.security.SessionGuardMiddleware, which ignores polls.

# --- Health data encryption -----------------------------------------------------
# Fernet keys, newest first (MultiFernet): add a new key in front to rotate, then
# run `manage.py rotate_encryption_keys` and drop the old key.
_dev_key = base64.urlsafe_b64encode(hashlib.sha256(("fernet:" + SECRET_KEY).encode()).digest()).decode()
PORTAL_ENCRYPTION_KEYS = env.list("PORTAL_ENCRYPTION_KEYS", default=[_dev_key])

# --- Audit checkpoints (audit/checkpoints.py) -------------------------------------------
# The Ed25519 key that signs the audit chains' heads: standard base64 (with padding) of the
# 32-byte raw private key (`manage.py audit_signing_key --new` makes one). Never stored in
# the database. Development derives one from the secret key; production.py demands it.
_dev_audit_key = base64.b64encode(hashlib.sha256(("audit-signing:" + SECRET_KEY).encode()).digest()).decode()
PORTAL_AUDIT_SIGNING_KEY = env.str("PORTAL_AUDIT_SIGNING_KEY", default=_dev_audit_key).strip()
try:
    _audit_key_ok = len(base64.b64decode(PORTAL_AUDIT_SIGNING_KEY, validate=True)) == 32
except ValueError:
    _audit_key_ok = False
if not _audit_key_ok:
    raise ImproperlyConfigured(
        "PORTAL_AUDIT_SIGNING_KEY must be the standard base64 of a 32-byte Ed25519 "
        "private key (make one with: python manage.py audit_signing_key --new)"
    )
# Every signed checkpoint is also appended here, outside the database, as one JSON line.
PORTAL_AUDIT_CHECKPOINT_DIR = Path(
    env.str("PORTAL_AUDIT_CHECKPOINT_DIR", default=str(BASE_DIR / "var" / "checkpoints"))
)

# --- Portal behaviour -------------------------------------------------------------
PORTAL_MESSAGE_MAX_CHARS = env_int("PORTAL_MESSAGE_MAX_CHARS", 5000)
PORTAL_INVITATION_DAYS = 7
PORTAL_CRISIS_ALERT_MINUTES = env_int("PORTAL_CRISIS_ALERT_MINUTES", 15)
PORTAL_AUTO_REPLY_MINUTES = 15
PORTAL_BASE_URL = env.str("PORTAL_BASE_URL", default="http://127.0.0.1:8000")
PORTAL_OUTBOX_REDISPATCH_SECONDS = env_int("PORTAL_OUTBOX_REDISPATCH_SECONDS", 120)
# Publish outbox rows right after commit (embedded default), or leave them to the relay.
PORTAL_OUTBOX_DISPATCH_ON_COMMIT = env_bool("PORTAL_OUTBOX_DISPATCH_ON_COMMIT", not REDIS_URL)
PORTAL_BENCH_ENDPOINTS = False

# --- E-mail: a neutral sender and subject, never clinical content ------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Secure Portal <no-reply@portal.invalid>")

# --- REST API -----------------------------------------------------------------
REST_FRAMEWORK = {
    # TokenAuthentication first: its WWW-Authenticate header makes DRF answer 401, not 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "portal.api.authentication.TokenAuthentication",
        "portal.api.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PARSER_CLASSES": ["portal.api.parsers.DepthLimitedJSONParser"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "portal.api.errors.exception_handler",
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Contact-policy portal API",
    "DESCRIPTION": "REST API v1 of the contact-policy portal: see docs/API.md in the repository.",
    # /api/v1/docs: Swagger UI from drf-spectacular-sidecar's bundled files, no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "ChannelEnum": "policies.vocabulary.CHANNELS",
        "CategoryEnum": "policies.vocabulary.CATEGORIES",
    },
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 256 * 1024

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Content Security Policy: no inline script, everything from our own origin ---
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "var" / "staticfiles"
# Files served at the site root by WhiteNoise: /favicon.ico (browsers ask for it on every page).
WHITENOISE_ROOT = BASE_DIR / "portal" / "public"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Message bodies, notes and reasons never reach a log: nothing here logs request
# bodies, and the error reporter's sensitive-variable filters hide POST data.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # Eager tasks (the embedded default) would log a line per task run in the web process.
        "celery.app.trace": {"level": "INFO" if REDIS_URL else "WARNING"},
    },
}
