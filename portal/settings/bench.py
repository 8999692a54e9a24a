"""Benchmark settings: production, changed only where a local run needs it."""

from .production import *  # noqa: F401,F403

SECURE_SSL_REDIRECT = False
PORTAL_BENCH_ENDPOINTS = True
