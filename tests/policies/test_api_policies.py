"""The policy endpoints of REST API v1: every status code and error body, in the contract's
order (401, 403, 404, 400), with the personas of tests/conftest.py."""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING

import pytest
from knox.models import AuthToken
from rest_framework.test import APIClient

from audit.models import AuditEvent
from policies.models import PolicyVersion
from policies.rules import PERSONAL_WHY, SOCIAL_WHY
from policies.text import policy_text, sha256
from tests.conftest import GOOD_RULES, api_for

if TYPE_CHECKING:
    from rest_framework.response import _MonkeyPatchedResponse  # the stubs' type of a test client's response

pytestmark = pytest.mark.django_db

VERSION_KEYS = {"id", "version", "status", "rules", "content_sha256", "text"}
SAT_23_LOCAL = "2026-11-28T23:00:00-05:00"


def rules(**changes) -> dict:
    out = copy.deepcopy(GOOD_RULES)
    out.update(changes)
    return out


def create(user, body) -> _MonkeyPatchedResponse:
    return api_for(user).post("/api/v1/policies", body, format="json")


def bad_token() -> APIClient:
    c = APIClient()
    c.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    return c


# --- POST /api/v1/policies ------------------------------------------------------------------


def test_create_without_or_with_a_bad_token_is_401(therapist):
    for c in (api_for(), bad_token()):
        r = c.post("/api/v1/policies", {"rules": GOOD_RULES}, format="json")
        assert r.status_code == 401 and "detail" in r.json()
        assert r["WWW-Authenticate"].startswith("Token")
    assert not PolicyVersion.objects.exists()


def test_create_by_a_client_or_an_admin_is_403(client_user, admin):
    for user in (client_user, admin):
        r = create(user, {"rules": GOOD_RULES})
        assert r.status_code == 403 and "detail" in r.json()
    assert not PolicyVersion.objects.exists()


def test_create_answers_201_with_the_draft_and_its_normalised_rules(therapist):
    r = create(therapist, {"rules": GOOD_RULES})
    assert r.status_code == 201
    body = r.json()
    assert set(body) == {"id", "version", "status", "rules"}
    assert body["version"] == 1 and body["status"] == "draft"
    v = PolicyVersion.objects.get(therapist=therapist)
    assert body["id"] == v.pk and body["rules"] == v.rules
    # Normalised: defaults are filled in (the validator's shape, not the request's).
    assert body["rules"]["categories"]["emergency"]["windows"] == []
    assert body["rules"]["away"] == []


def test_creating_again_while_a_draft_is_open_replaces_it(therapist):
    first = create(therapist, {"rules": GOOD_RULES}).json()
    second = create(therapist, {"rules": rules(after_hours_reply="Back on Monday.")}).json()
    assert (second["id"], second["version"]) == (first["id"], first["version"])
    assert PolicyVersion.objects.filter(therapist=therapist).count() == 1
    assert PolicyVersion.objects.get().rules["after_hours_reply"] == "Back on Monday."


def test_creating_after_a_publication_starts_the_next_version(therapist, published_policy):
    r = create(therapist, {"rules": GOOD_RULES})
    assert r.status_code == 201 and r.json()["version"] == 2 and r.json()["id"] != published_policy.pk
    published_policy.refresh_from_db()
    assert published_policy.status == "published"


@pytest.mark.parametrize(
    "body, field",
    [
        ({}, "rules"),
        ({"rules": None}, "rules"),
    ],
)
def test_create_without_rules_is_400_naming_the_field(therapist, body, field):
    r = create(therapist, body)
    assert r.status_code == 400 and list(r.json()) == [field]


def test_create_with_a_body_that_is_not_an_object_is_400(therapist):
    r = create(therapist, [GOOD_RULES])
    assert r.status_code == 400 and "body" in r.json()


def test_create_with_unparseable_json_is_400(therapist):
    r = api_for(therapist).post("/api/v1/policies", "{not json", content_type="application/json")
    assert r.status_code == 400 and "body" in r.json()


@pytest.mark.parametrize(
    "bad, path, words",
    [
        (rules(timezone="Mars/Olympus"), "timezone", "not a known IANA time zone"),
        (rules(crisis_resources="   "), "crisis_resources", "blank"),
        (rules(reconsent_grace_days=91), "reconsent_grace_days", "0 to 90"),
        (
            rules(categories={**GOOD_RULES["categories"], "personal": {"allowed": True}}),
            "categories.personal.allowed",
            "dual relationships",
        ),
        (
            rules(
                categories={
                    **GOOD_RULES["categories"],
                    "check_in": {"allowed": True, "channels": ["portal", "social_media"]},
                }
            ),
            "categories.check_in.channels",
            "confidentiality",
        ),
        (
            rules(categories={**GOOD_RULES["categories"], "emergency": {"allowed": False}}),
            "categories.emergency.allowed",
            "must always be allowed",
        ),
        (
            rules(
                categories={
                    **GOOD_RULES["categories"],
                    "check_in": {
                        "allowed": True,
                        "channels": ["portal"],
                        "windows": [{"days": ["tue"], "start": "12:00", "end": "12:00"}],
                    },
                }
            ),
            "categories.check_in.windows.0.end",
            "different time",
        ),
        (
            rules(categories={**GOOD_RULES["categories"], "gossip": {"allowed": True}}),
            "categories.gossip",
            "Unknown category",
        ),
        (
            rules(away=[{"start": "2026-12-24", "end": "2026-12-20", "reply": "Away"}]),
            "away.0.end",
            "before the first",
        ),
        (
            rules(pause_after_crisis={"hours": 24, "categories": ["emergency"]}),
            "pause_after_crisis.categories",
            "never be paused",
        ),
    ],
)
def test_invalid_rules_are_400_keyed_by_dotted_path_and_nothing_is_saved(therapist, bad, path, words):
    events = AuditEvent.objects.count()
    r = create(therapist, {"rules": bad})
    assert r.status_code == 400
    body = r.json()
    assert list(body) == ["rules"] and path in body["rules"], body
    assert words in " ".join(body["rules"][path])
    assert not PolicyVersion.objects.exists()
    assert AuditEvent.objects.count() == events


def test_never_allowed_messages_say_why(therapist):
    bad = rules(
        categories={
            **GOOD_RULES["categories"],
            "personal": {"allowed": True},
            "administrative": {"allowed": True, "channels": ["social_media"]},
        }
    )
    body = create(therapist, {"rules": bad}).json()["rules"]
    assert body["categories.personal.allowed"] == [PERSONAL_WHY]
    assert body["categories.administrative.channels"][0] == SOCIAL_WHY


def test_invalid_rules_leave_the_open_draft_as_it_was(therapist):
    draft = create(therapist, {"rules": GOOD_RULES}).json()
    before = PolicyVersion.objects.get(pk=draft["id"])
    r = create(therapist, {"rules": rules(timezone="Nowhere/Town")})
    assert r.status_code == 400
    after = PolicyVersion.objects.get(pk=draft["id"])
    assert after.rules == before.rules and after.updated_at == before.updated_at


# --- GET /api/v1/policies/{id} -----------------------------------------------------------


def test_get_needs_a_token_and_the_therapist_role(therapist, client_user, admin, published_policy):
    url = f"/api/v1/policies/{published_policy.pk}"
    assert api_for().get(url).status_code == 401
    assert bad_token().get(url).status_code == 401
    # A client may not call it even for their own therapist's version: the role decides first.
    assert api_for(client_user).get(url).status_code == 403
    assert api_for(admin).get(url).status_code == 403


def test_get_another_therapists_version_is_404(published_policy, colleague, other_therapist):
    for user in (colleague, other_therapist):
        r = api_for(user).get(f"/api/v1/policies/{published_policy.pk}")
        assert r.status_code == 404 and r.json() == {"detail": "No such policy version."}
    r = api_for(colleague).get("/api/v1/policies/999999")
    assert r.status_code == 404


def test_get_a_published_version_answers_its_frozen_text_and_hash(therapist, published_policy):
    r = api_for(therapist).get(f"/api/v1/policies/{published_policy.pk}")
    assert r.status_code == 200
    body = r.json()
    assert set(body) == VERSION_KEYS
    assert body["status"] == "published" and body["version"] == 1
    assert body["text"] == published_policy.text and body["content_sha256"] == published_policy.content_sha256
    assert sha256(body["text"]) == body["content_sha256"]


def test_get_a_published_version_keeps_its_text_after_the_therapist_is_renamed(therapist, published_policy):
    therapist.full_name = "Dr Taylor Reed-Morgan"
    therapist.save(update_fields=["full_name"])
    body = api_for(therapist).get(f"/api/v1/policies/{published_policy.pk}").json()
    assert body["text"] == published_policy.text and "Reed-Morgan" not in body["text"]


def test_get_a_draft_answers_the_text_publishing_would_freeze(therapist):
    draft_id = create(therapist, {"rules": GOOD_RULES}).json()["id"]
    body = api_for(therapist).get(f"/api/v1/policies/{draft_id}").json()
    assert body["status"] == "draft" and set(body) == VERSION_KEYS
    draft = PolicyVersion.objects.get(pk=draft_id)
    assert body["text"] == policy_text(draft.rules, therapist_name=therapist.full_name)
    assert body["content_sha256"] == sha256(body["text"])
    published = api_for(therapist).post(f"/api/v1/policies/{draft_id}/publish").json()
    assert (published["text"], published["content_sha256"]) == (body["text"], body["content_sha256"])


# --- POST /api/v1/policies/{id}/publish --------------------------------------------------


def test_publish_needs_a_token_and_the_therapist_role(therapist, client_user, admin):
    draft = create(therapist, {"rules": GOOD_RULES}).json()
    url = f"/api/v1/policies/{draft['id']}/publish"
    assert api_for().post(url).status_code == 401
    assert api_for(client_user).post(url).status_code == 403
    assert api_for(admin).post(url).status_code == 403
    assert PolicyVersion.objects.get(pk=draft["id"]).status == "draft"


def test_publishing_another_therapists_draft_is_404(therapist, colleague, other_therapist):
    draft = create(therapist, {"rules": GOOD_RULES}).json()
    for user in (colleague, other_therapist):
        r = api_for(user).post(f"/api/v1/policies/{draft['id']}/publish")
        assert r.status_code == 404 and r.json() == {"detail": "No such policy version."}
    assert PolicyVersion.objects.get(pk=draft["id"]).status == "draft"


def test_publish_answers_200_with_the_frozen_version(therapist):
    draft = create(therapist, {"rules": GOOD_RULES}).json()
    r = api_for(therapist).post(f"/api/v1/policies/{draft['id']}/publish")
    assert r.status_code == 200
    body = r.json()
    assert set(body) == VERSION_KEYS
    assert body["id"] == draft["id"] and body["version"] == 1 and body["status"] == "published"
    assert body["rules"] == draft["rules"]
    v = PolicyVersion.objects.get(pk=draft["id"])
    assert v.status == "published" and v.published_at is not None
    assert body["text"] == v.text and body["content_sha256"] == v.content_sha256 == sha256(v.text)
    assert len(body["content_sha256"]) == 64


def test_publishing_a_version_that_is_not_a_draft_is_409(therapist, published_policy):
    url = f"/api/v1/policies/{published_policy.pk}/publish"
    r = api_for(therapist).post(url)
    assert r.status_code == 409 and "published" in r.json()["detail"]
    create(therapist, {"rules": GOOD_RULES})
    v2 = PolicyVersion.objects.get(therapist=therapist, status="draft")
    assert api_for(therapist).post(f"/api/v1/policies/{v2.pk}/publish").status_code == 200
    r = api_for(therapist).post(url)  # v1 is now superseded
    assert r.status_code == 409 and "superseded" in r.json()["detail"]
    published_policy.refresh_from_db()
    assert published_policy.status == "superseded"


def test_publishing_supersedes_the_previous_version_and_leaves_its_text_alone(therapist, published_policy):
    create(therapist, {"rules": rules(after_hours_reply="Back on Monday.")})
    v2 = PolicyVersion.objects.get(therapist=therapist, status="draft")
    body = api_for(therapist).post(f"/api/v1/policies/{v2.pk}/publish").json()
    assert body["version"] == 2 and "Back on Monday." in body["text"]
    old = PolicyVersion.objects.get(pk=published_policy.pk)
    assert old.status == "superseded"
    assert (old.text, old.content_sha256) == (published_policy.text, published_policy.content_sha256)
    assert body["content_sha256"] != old.content_sha256


# --- GET /api/v1/policies/current ------------------------------------------------------------


def test_current_needs_a_token_and_a_therapist_or_client(admin):
    assert api_for().get("/api/v1/policies/current").status_code == 401
    assert bad_token().get("/api/v1/policies/current").status_code == 401
    assert api_for(admin).get("/api/v1/policies/current").status_code == 403


def test_current_is_404_until_something_is_published(therapist, client_user):
    create(therapist, {"rules": GOOD_RULES})  # a draft is not current
    for user in (therapist, client_user):
        r = api_for(user).get("/api/v1/policies/current")
        assert r.status_code == 404 and r.json() == {"detail": "No published policy yet."}


def test_current_answers_the_therapist_their_own_and_the_client_their_therapists(
    therapist, client_user, published_policy, other_therapist
):
    mine = api_for(therapist).get("/api/v1/policies/current")
    theirs = api_for(client_user).get("/api/v1/policies/current")
    assert mine.status_code == theirs.status_code == 200
    assert mine.json() == theirs.json()
    assert set(mine.json()) == VERSION_KEYS and mine.json()["id"] == published_policy.pk
    assert mine.json()["content_sha256"] == published_policy.content_sha256
    # Another practice's therapist has none of their own: they never see this one.
    assert api_for(other_therapist).get("/api/v1/policies/current").status_code == 404


def test_current_moves_to_the_new_version_on_publish_not_on_draft(therapist, client_user, published_policy):
    create(therapist, {"rules": rules(after_hours_reply="New reply.")})
    assert api_for(client_user).get("/api/v1/policies/current").json()["version"] == 1
    v2 = PolicyVersion.objects.get(therapist=therapist, status="draft")
    api_for(therapist).post(f"/api/v1/policies/{v2.pk}/publish")
    assert api_for(client_user).get("/api/v1/policies/current").json()["version"] == 2


# --- POST /api/v1/policies/{id}/evaluate: status codes (decisions in test_simulator.py) -----


def evaluate(user, version_id, **body):
    payload = {
        "at": SAT_23_LOCAL,
        "sender": "client",
        "category": "administrative",
        "channel": "portal",
        "body": "A question about my bill",
    }
    payload.update(body)
    payload = {k: v for k, v in payload.items() if v is not ...}
    return api_for(user).post(f"/api/v1/policies/{version_id}/evaluate", payload, format="json")


def test_evaluate_needs_a_token_and_the_therapist_role(published_policy, client_user, admin):
    url = f"/api/v1/policies/{published_policy.pk}/evaluate"
    assert api_for().post(url, {}, format="json").status_code == 401
    assert bad_token().post(url, {}, format="json").status_code == 401
    assert evaluate(client_user, published_policy.pk).status_code == 403
    assert evaluate(admin, published_policy.pk).status_code == 403


def test_evaluate_another_therapists_version_is_404_before_the_body_is_read(published_policy, colleague):
    r = evaluate(colleague, published_policy.pk)
    assert r.status_code == 404 and r.json() == {"detail": "No such policy version."}
    # Malformed input does not reveal that the id exists.
    r = evaluate(colleague, published_policy.pk, at="2026-11-28T23:00:00", category="gossip")
    assert r.status_code == 404


def test_evaluate_with_a_client_who_is_not_yours_is_404(therapist, published_policy, other_client, colleague):
    for client_id in (other_client.pk, colleague.pk, therapist.pk, 999999):
        r = evaluate(therapist, published_policy.pk, client_id=client_id)
        assert r.status_code == 404 and r.json() == {"detail": "No such client."}, client_id


@pytest.mark.parametrize(
    "change, field",
    [
        ({"at": "2026-11-28T23:00:00"}, "at"),
        ({"at": "Saturday night"}, "at"),
        ({"at": ...}, "at"),
        ({"category": "gossip"}, "category"),
        ({"category": ...}, "category"),
        ({"channel": "carrier_pigeon"}, "channel"),
        ({"channel": ...}, "channel"),
        ({"sender": "admin"}, "sender"),
        ({"sender": ...}, "sender"),
        ({"body": ...}, "body"),
        ({"body": "   "}, "body"),
        ({"body": "x" * 5001}, "body"),
        ({"client_id": "me"}, "client_id"),
        ({"client_id": 2**70}, "client_id"),
        ({"client_id": 0}, "client_id"),
    ],
)
def test_evaluate_malformed_input_is_400_naming_the_field(therapist, published_policy, change, field):
    r = evaluate(therapist, published_policy.pk, **change)
    assert r.status_code == 400 and list(r.json()) == [field], r.json()


def test_ids_beyond_any_row_are_404_not_an_error(therapist, published_policy):
    huge = 2**70
    assert api_for(therapist).get(f"/api/v1/policies/{huge}").status_code == 404
    assert api_for(therapist).post(f"/api/v1/policies/{huge}/publish").status_code == 404
    assert api_for(therapist).post(f"/api/v1/policies/{huge}/evaluate", {}, format="json").status_code == 404


def test_evaluate_time_without_offset_says_how_to_give_one(therapist, published_policy):
    r = evaluate(therapist, published_policy.pk, at="2026-11-28T23:00:00")
    assert "offset" in r.json()["at"][0]


def test_evaluate_body_that_is_not_an_object_is_400(therapist, published_policy):
    r = api_for(therapist).post(f"/api/v1/policies/{published_policy.pk}/evaluate", ["x"], format="json")
    assert r.status_code == 400 and "body" in r.json()


def test_evaluate_answers_the_decision_unwrapped(therapist, published_policy):
    r = evaluate(therapist, published_policy.pk)
    assert r.status_code == 200
    body = r.json()
    assert set(body) == {"outcome", "reasons", "deliver_at", "auto_reply", "reading"}
    assert set(body["reading"]) == {"crisis", "crisis_kind", "personal", "category", "language"}
    assert body["outcome"] == "held" and body["reasons"] == ["outside_hours"]
    assert body["deliver_at"] == "2026-11-30T14:00:00Z"


def test_a_revoked_token_is_401(therapist, published_policy):
    c = api_for(therapist)
    AuthToken.objects.filter(user=therapist).delete()
    assert c.get(f"/api/v1/policies/{published_policy.pk}").status_code == 401


def test_schema_documents_every_policy_endpoint():
    r = APIClient().get("/api/v1/schema?format=json")
    assert r.status_code == 200
    schema = r.json()
    paths = schema["paths"]
    assert "201" in paths["/api/v1/policies"]["post"]["responses"]
    assert set(paths["/api/v1/policies/{id}"]["get"]["responses"]) >= {"200", "401", "403", "404"}
    assert "409" in paths["/api/v1/policies/{id}/publish"]["post"]["responses"]
    assert "404" in paths["/api/v1/policies/current"]["get"]["responses"]
    evaluate_in = schema["components"]["schemas"]["EvaluateInRequest"]
    assert set(evaluate_in["required"]) == {"at", "sender", "category", "channel", "body"}
