"""Benchmark settings: production, changed only where a local run needs it."""

from .production import *  # noqa: F401,F403

SECURE_SSL_REDIRECT = False
PORTAL_BENCH_ENDPOINTS = True

# The pages benchmark (bench.pages) reads each request's SQL statement count from a header.
if env.bool("PORTAL_BENCH_QUERY_COUNT", default=False):  # noqa: F405
    MIDDLEWARE = ["bench.querycount.QueryCountMiddleware", *MIDDLEWARE]  # noqa: F405
