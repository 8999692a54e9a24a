"""bench.querycount: the X-Queries header the pages benchmark reads says how many statements
the request ran, the session and authentication lookups included."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db


@pytest.fixture
def counted(settings):
    settings.MIDDLEWARE = ["bench.querycount.QueryCountMiddleware", *settings.MIDDLEWARE]


def test_the_header_counts_every_statement_of_the_request(counted, client, therapist):
    client.force_login(therapist)
    client.get("/messages/therapist/")
    with CaptureQueriesContext(connection) as ctx:
        resp = client.get("/messages/therapist/")
    assert int(resp["X-Queries"]) == len(ctx.captured_queries) > 3


def test_an_anonymous_page_has_the_header_too(counted, client):
    assert client.get("/accounts/login/")["X-Queries"].isdigit()


def test_only_the_bench_settings_add_it(client):
    assert "bench.querycount.QueryCountMiddleware" not in settings.MIDDLEWARE
    assert "X-Queries" not in client.get("/accounts/login/")
