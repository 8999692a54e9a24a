"""policies.services: the only writers of policy versions. Drafts (one at a time, replaced in
place), publication (frozen text and hash, supersession, re-consent requests) and the audit
events written in the same transaction."""

from __future__ import annotations

import copy
import json
from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from audit.models import AuditEvent
from consent.models import Consent
from policies.models import IllegalTransition, PolicyVersion
from policies.services import policy_draft_save, policy_publish
from policies.text import policy_text, sha256
from portal.errors import PolicyInvalid
from portal.models import OutboxItem
from tests.conftest import GOOD_RULES, onboard_client, sign_consent

pytestmark = pytest.mark.django_db


def good(**changes) -> dict:
    out = copy.deepcopy(GOOD_RULES)
    out.update(changes)
    return out


def actions(therapist) -> list[str]:
    return list(
        AuditEvent.objects.filter(therapist_id=therapist.pk, action__startswith="policy.")
        .order_by("id")
        .values_list("action", flat=True)
    )


def test_the_first_draft_is_version_1_with_normalised_rules(therapist):
    draft = policy_draft_save(therapist=therapist, rules=good())
    assert (draft.version, draft.status, draft.practice_id) == (1, "draft", therapist.practice_id)
    assert draft.text == "" and draft.content_sha256 == "" and draft.published_at is None
    assert draft.rules["categories"]["emergency"]["windows"] == []
    assert actions(therapist) == ["policy.draft_created"]


def test_saving_again_replaces_the_open_draft_in_place(therapist):
    first = policy_draft_save(therapist=therapist, rules=good())
    second = policy_draft_save(therapist=therapist, rules=good(reconsent_grace_days=30))
    assert (second.pk, second.version) == (first.pk, first.version)
    assert PolicyVersion.objects.filter(therapist=therapist).count() == 1
    assert PolicyVersion.objects.get().rules["reconsent_grace_days"] == 30
    assert actions(therapist) == ["policy.draft_created", "policy.draft_replaced"]


def test_invalid_rules_raise_with_dotted_paths_and_save_nothing(therapist):
    bad = good(timezone="Mars/Olympus")
    bad["categories"] = copy.deepcopy(GOOD_RULES["categories"])
    bad["categories"]["check_in"]["windows"] = [{"days": [], "start": "9am", "end": "13:00"}]
    with pytest.raises(PolicyInvalid) as exc:
        policy_draft_save(therapist=therapist, rules=bad)
    assert set(exc.value.errors) == {
        "timezone",
        "categories.check_in.windows.0.days",
        "categories.check_in.windows.0.start",
    }
    assert not PolicyVersion.objects.exists() and actions(therapist) == []


def test_invalid_rules_leave_the_open_draft_as_it_was(therapist):
    draft = policy_draft_save(therapist=therapist, rules=good())
    with pytest.raises(PolicyInvalid):
        policy_draft_save(therapist=therapist, rules=good(crisis_resources=""))
    again = PolicyVersion.objects.get(pk=draft.pk)
    assert again.rules == draft.rules and again.updated_at == draft.updated_at
    assert actions(therapist) == ["policy.draft_created"]


def test_the_database_allows_one_draft_per_therapist(therapist):
    draft = policy_draft_save(therapist=therapist, rules=good())
    with pytest.raises(IntegrityError), transaction.atomic():
        PolicyVersion.objects.create(
            practice_id=therapist.practice_id, therapist=therapist, version=2, rules=draft.rules
        )


def test_publishing_freezes_the_text_and_its_hash(therapist):
    draft = policy_draft_save(therapist=therapist, rules=good())
    published = policy_publish(version=draft, actor=therapist)
    v = PolicyVersion.objects.get(pk=draft.pk)
    assert v.status == published.status == "published" and v.published_at is not None
    assert v.text == policy_text(v.rules, therapist_name=therapist.full_name)
    assert v.content_sha256 == sha256(v.text)
    event = AuditEvent.objects.get(action="policy.published")
    data = json.loads(event.data)
    assert data["content_sha256"] == v.content_sha256 and data["version"] == 1
    assert data["superseded_version"] is None


def test_a_published_version_cannot_be_published_again_nor_edited_through_a_draft(therapist):
    v1 = policy_publish(version=policy_draft_save(therapist=therapist, rules=good()), actor=therapist)
    with pytest.raises(IllegalTransition) as exc:
        policy_publish(version=v1, actor=therapist)
    assert exc.value.http_status == 409
    draft = policy_draft_save(therapist=therapist, rules=good(after_hours_reply="Changed."))
    assert draft.pk != v1.pk and draft.version == 2
    frozen = PolicyVersion.objects.get(pk=v1.pk)
    assert (frozen.status, frozen.rules, frozen.text, frozen.content_sha256) == (
        "published",
        v1.rules,
        v1.text,
        v1.content_sha256,
    )


def test_publishing_supersedes_the_previous_version(therapist):
    v1 = policy_publish(version=policy_draft_save(therapist=therapist, rules=good()), actor=therapist)
    v2 = policy_publish(
        version=policy_draft_save(therapist=therapist, rules=good(after_hours_reply="New.")), actor=therapist
    )
    old = PolicyVersion.objects.get(pk=v1.pk)
    assert old.status == "superseded" and (old.text, old.content_sha256) == (v1.text, v1.content_sha256)
    assert PolicyVersion.objects.get(pk=v2.pk).status == "published"
    assert PolicyVersion.objects.filter(therapist=therapist, status="published").count() == 1
    with pytest.raises(IllegalTransition):
        policy_publish(version=old, actor=therapist)
    published = AuditEvent.objects.filter(action="policy.published").last()
    assert published is not None
    assert json.loads(published.data)["superseded_version"] == 1


def test_publishing_asks_each_consenting_client_to_re_consent_with_the_new_grace(therapist, published_policy):
    client, _ = onboard_client(therapist)
    consent = sign_consent(client)
    before = timezone.now()
    v2 = policy_publish(
        version=policy_draft_save(therapist=therapist, rules=good(reconsent_grace_days=7)), actor=therapist
    )
    consent.refresh_from_db()
    assert consent.status == Consent.Status.SUPERSEDED
    assert before + timedelta(days=7) <= consent.grace_until <= timezone.now() + timedelta(days=7)
    assert OutboxItem.objects.filter(
        task="consent.review_requested", payload={"consent_id": consent.pk, "version_id": v2.pk}
    ).exists()
    assert AuditEvent.objects.filter(action="consent.superseded", client_id=client.pk).exists()


def test_one_therapists_publication_leaves_anothers_versions_alone(therapist, colleague):
    mine = policy_publish(version=policy_draft_save(therapist=therapist, rules=good()), actor=therapist)
    theirs = policy_publish(version=policy_draft_save(therapist=colleague, rules=good()), actor=colleague)
    assert PolicyVersion.objects.get(pk=mine.pk).status == "published"
    assert theirs.version == 1 and theirs.status == "published"
