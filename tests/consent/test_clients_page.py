"""The therapist's clients page reads its rows in one query (consent.selectors.
clients_with_consent) that loads only the columns it shows: never a policy version's text or
rules, nor the client's account columns."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from consent.selectors import clients_with_consent

pytestmark = pytest.mark.django_db


def test_the_rows_query_reads_only_what_the_page_shows(client, therapist, consented_client, thread):
    client.force_login(therapist)
    with CaptureQueriesContext(connection) as ctx:
        page = client.get(reverse("consent:clients"))
    assert page.status_code == 200
    html = page.content.decode()
    assert consented_client.full_name in html and reverse("messaging:thread", args=[thread.pk]) in html
    (rows_sql,) = [
        q["sql"]
        for q in ctx.captured_queries
        if 'FROM "portal_user" INNER JOIN "messaging_thread"' in q["sql"]
    ]
    for column in (
        '"policies_policyversion"."text"',
        '"policies_policyversion"."rules"',
        '"portal_user"."password"',
        '"portal_user"."email"',
    ):
        assert column not in rows_sql
    assert '"policies_policyversion"."version"' in rows_sql and '"policies_consent"."status"' in rows_sql


def test_the_selector_answers_each_client_with_thread_consent_and_version_in_one_query(
    therapist, consented_client, other_client, django_assert_num_queries
):
    with django_assert_num_queries(1):
        rows = []
        for c in clients_with_consent(therapist):
            consent = c.thread.consent
            assert consent is not None
            rows.append((c.pk, c.full_name, c.thread.pk, consent.status, consent.policy_version.version))
    (row,) = rows  # another therapist's client is not listed
    assert row[0] == consented_client.pk and row[3] == "active" and row[4] == 1
