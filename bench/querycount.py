"""Benchmark settings only (PORTAL_BENCH_QUERY_COUNT=1): every response says how many SQL
statements its request ran, in an X-Queries header. The pages benchmark reads it from outside.

First in MIDDLEWARE, so the session, authentication and two-factor lookups count too. A
streaming response counts what ran before its first byte (its rows are read as it streams)."""

from __future__ import annotations

from django.db import connection


class QueryCountMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        count = 0

        def counted(execute, sql, params, many, context):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counted):
            response = self.get_response(request)
        response["X-Queries"] = str(count)
        return response
