"""The last cases of bad input: deep JSON, non-ASCII digits as ids, unknown API paths."""

from __future__ import annotations

import json

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from portal.api.parsers import MAX_DEPTH, json_depth_exceeds
from portal.ids import parse_id
from tests.conftest import api_for

pytestmark = pytest.mark.django_db


def nested(depth: int, leaf="x") -> str:
    return "[" * depth + json.dumps(leaf) + "]" * depth


# --- the depth scan -----------------------------------------------------------------------


def test_depth_is_counted_outside_strings_only():
    assert not json_depth_exceeds(nested(MAX_DEPTH).encode())
    assert json_depth_exceeds(nested(MAX_DEPTH + 1).encode())
    # Brackets inside strings, and escaped quotes inside them, are text.
    text = json.dumps({"body": "[" * 500 + '\\" [[[ "' + "{" * 500})
    assert not json_depth_exceeds(text.encode())
    assert json_depth_exceeds(('{"a":' * 65 + "1" + "}" * 65).encode())
    assert not json_depth_exceeds(('{"a":' * 64 + "1" + "}" * 64).encode())


# --- every API endpoint refuses deep JSON with 400 -----------------------------------------


def _api_posts():
    def walk(resolver, prefix=""):
        for p in resolver.url_patterns:
            if isinstance(p, URLResolver):
                yield from walk(p, prefix)
            elif isinstance(p, URLPattern) and p.name and p.name.startswith("api-"):
                yield p.name

    return sorted(set(walk(get_resolver())))


def _args(name, thread, consent, version, token, exception_id):
    if name == "api-invitation-accept":
        return [token]
    if name in ("api-consent-revoke", "api-consent-fhir"):
        return [consent.pk]
    if name.startswith("api-policy") and name not in ("api-policy-current", "api-policies"):
        return [version.pk]
    if name == "api-audit-review":
        return [exception_id]
    if name in ("api-message-cancel",):
        return [thread.pk, 1]
    kwargs_names = ("api-messages", "api-calls", "api-contacts", "api-end-care", "api-reopen", "api-preview")
    if name in kwargs_names:
        return [thread.pk]
    return []


def test_json_nested_deeper_than_64_levels_is_400_on_every_endpoint(
    therapist, admin, consented_client, published_policy
):
    from portal.onboarding import invitation_create

    thread, consent = consented_client.thread, consented_client.consents.first()
    from audit.models import BoundaryException
    from messaging.services.send import message_send

    _, token = invitation_create(therapist=therapist, email="new@alpha.test", full_name="New Person")
    message_send(
        sender=consented_client, thread=thread, category="personal", channel="portal", body="Coffee?"
    )
    exception_id = BoundaryException.objects.get().pk
    deep = nested(5000)
    callers = {
        "client": api_for(consented_client),
        "therapist": api_for(therapist),
        "admin": api_for(admin),
        "anon": api_for(None),
    }
    seen_400 = set()
    for name in _api_posts():
        if "logout" in name:  # takes no body, and would end the callers' tokens
            continue
        try:
            url = reverse(name, args=_args(name, thread, consent, published_policy, token, exception_id))
        except Exception:  # noqa: BLE001 - a route whose arguments this test does not know
            pytest.fail(f"give {name} its URL arguments in _args")
        for who, api in callers.items():
            r = api.post(url, deep, content_type="application/json")
            assert r.status_code < 500, (name, who, r.status_code)
            if r.status_code == 400:
                assert "nested deeper than 64" in json.dumps(r.json()), (name, who, r.content)
                seen_400.add(name)
    # Every endpoint that takes a body from someone answered the deep one with 400.
    for name in (
        "api-token",
        "api-messages",
        "api-policies",
        "api-consents",
        "api-therapists",
        "api-invitations",
        "api-invitation-accept",
        "api-policy-evaluate",
        "api-audit-review",
    ):
        assert name in seen_400, name


def test_64_levels_parse_and_65_do_not(therapist, published_policy):
    api = api_for(therapist)
    at_64 = json.dumps({"rules": json.loads(nested(MAX_DEPTH - 1))})
    r = api.post("/api/v1/policies", at_64, content_type="application/json")
    assert r.status_code == 400 and "rules" in r.json() and "nested" not in r.content.decode()
    at_65 = json.dumps({"rules": json.loads(nested(MAX_DEPTH))})
    r = api.post("/api/v1/policies", at_65, content_type="application/json")
    assert r.status_code == 400 and r.json() == {"body": [f"JSON nested deeper than {MAX_DEPTH} levels."]}


# --- ids are ASCII digits ------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("12", 12),
        ("0", 0),
        ("²", None),
        ("٣", None),
        ("１", None),
        ("-1", None),
        ("+1", None),
        (" 1", None),
        ("", None),
        (None, None),
        ("1" * 19, None),
        ("1e3", None),
    ],
)
def test_parse_id_takes_ascii_digits_only(raw, expected):
    assert parse_id(raw) == expected


@pytest.mark.parametrize("raw", ["²", "٣", "１", "1.5"])
def test_non_ascii_digits_in_query_ids_are_400_not_500(raw, admin, client, consented_client):
    r = api_for(admin).get("/api/v1/audit/exceptions", {"therapist": raw})
    assert r.status_code == 400 and "therapist" in r.json()
    r = api_for(admin).get("/api/v1/audit/exceptions", {"before": raw})
    assert r.status_code == 400 and "before" in r.json()
    thread = consented_client.thread
    r = api_for(consented_client).get(f"/api/v1/threads/{thread.pk}/messages", {"before": raw})
    assert r.status_code == 400 and "before" in r.json()
    client.force_login(consented_client)
    r = client.get(reverse("messaging:poll"), {"thread": raw}, HTTP_X_PORTAL_POLL="1")
    assert r.status_code == 400 and r.json() == {"thread": ["Must be a thread id."]}
    r = client.get(reverse("messaging:thread", args=[thread.pk]), {"sent": raw})
    assert r.status_code == 200


# --- unknown API paths ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/api/",
        "/api/v1/",
        "/api/v1/nothing",
        "/api/v2/threads",
        "/api/v1/threads/abc/messages",
        "/api/v1/threads/²/messages",
    ],
)
def test_unknown_api_paths_answer_json_404(path, therapist):
    for api in (api_for(None), api_for(therapist)):
        r = api.get(path)
        assert r.status_code == 404 and r["Content-Type"] == "application/json", (path, r.content[:80])
        assert r.json() == {"detail": "Not found."}
        assert api.post(path, {}, format="json").status_code == 404


def test_unknown_page_paths_stay_html(client):
    r = client.get("/no-such-page")
    assert r.status_code == 404 and "text/html" in r["Content-Type"]
