"""The consent model moved from policies to this app in state only (issue 14): its table
keeps its name and its rows, a fresh database and an existing one reach the same schema,
and the models agree with the migrations."""

from __future__ import annotations

import io

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from consent.models import Consent
from messaging.models import Thread
from tests.conftest import onboard_client, publish_policy, sign_consent

# The three migrations of the move; none of them may change the database's schema.
MOVE = [
    ("consent", "0001_initial"),
    ("messaging", "0005_thread_consent_in_consent_app"),
    ("policies", "0003_consent_moves_to_consent_app"),
]


def test_the_model_keeps_its_table_and_the_thread_points_at_it():
    assert Consent._meta.app_label == "consent" and Consent._meta.db_table == "policies_consent"
    assert Thread._meta.get_field("consent").related_model is Consent
    assert {ix.name for ix in Consent._meta.indexes} == {
        "policies_co_client__19a369_idx",
        "policies_co_therapi_6f1641_idx",
    }


@pytest.mark.django_db
def test_the_models_and_the_migrations_agree():
    out = io.StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)  # SystemExit(1) on a change
    assert "No changes detected" in out.getvalue()


@pytest.mark.django_db(transaction=True)  # SQLite's schema editor refuses to run inside the test's atomic()
def test_the_move_runs_no_schema_statement():
    for app, name in MOVE:
        out = io.StringIO()
        call_command("sqlmigrate", app, name, stdout=out)
        statements = [
            line.strip() for line in out.getvalue().splitlines() if line.strip() and not line.startswith("--")
        ]
        assert set(statements) <= {"BEGIN;", "COMMIT;"}, (app, name, statements)


@pytest.mark.django_db(transaction=True)
def test_an_existing_database_moves_its_consents_without_copying_them(therapist):
    """Back to before the move (consent unmigrated: the model is policies'), a consent row in
    the table, then forward again: the same row, the thread's foreign key and the content type
    are the consent app's."""
    publish_policy(therapist)
    client, thread = onboard_client(therapist)
    consent = sign_consent(client)
    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes()
    try:
        executor.migrate([("consent", None)])
        executor.loader.build_graph()
        with connection.cursor() as cur:
            cur.execute("SELECT id, status, signed_name FROM policies_consent")
            before = cur.fetchall()
        assert before == [(consent.pk, "active", client.full_name)]
        old_state = executor.loader.project_state(("policies", "0002_initial"))
        assert ("policies", "consent") in old_state.models and ("consent", "consent") not in old_state.models
        # The content type as an existing database has it: policies'.
        ContentType.objects.filter(app_label="consent", model="consent").update(app_label="policies")
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(leaves)
    ContentType.objects.clear_cache()
    assert ContentType.objects.get_for_model(Consent).app_label == "consent"
    assert not ContentType.objects.filter(app_label="policies", model="consent").exists()
    moved = Consent.objects.get()
    assert (moved.pk, moved.status, moved.signed_name) == (consent.pk, "active", client.full_name)
    assert Thread.objects.select_related("consent").get(pk=thread.pk).consent == moved
