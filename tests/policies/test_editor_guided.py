"""The policy editor as a guided page: sections, a searchable time zone, add-a-window,
save and publish from the editor, and an after-hours reply checked against the hours."""

from __future__ import annotations

import copy

import pytest
from django.urls import reverse

from policies.models import PolicyVersion
from policies.services import policy_draft_save
from policies.text import reply_warnings, suggested_after_hours_reply
from tests.conftest import GOOD_RULES, publish_policy
from tests.policies.editor_helpers import ADMIN_ON, editor_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def tclient(client, therapist):
    client.force_login(therapist)
    return client


def test_the_editor_has_sections_a_searchable_zone_and_no_empty_window_blocks(tclient, therapist):
    publish_policy(therapist)
    html = tclient.get(reverse("policies:editor")).content.decode()
    for anchor in ("#sec-basics", "#sec-hours", "#sec-away", "#sec-crisis"):
        assert f'href="{anchor}"' in html
    # An input with a datalist filled by static JS, not a select of every zone.
    assert 'list="tz-list"' in html and '<select name="g-timezone"' not in html
    assert html.count("<option") < 100
    # Windows that exist are shown; the empty one is behind "Add a window".
    assert "Window 1" in html and "Window 2" not in html and "Add a window" in html
    assert 'name="publish"' in html and "sticky-bottom" in html
    assert 'src="/static/policies/editor.js"' in html


def test_an_unknown_zone_is_a_field_error_and_nothing_is_saved(tclient, therapist):
    r = editor_post(tclient, **{"g-timezone": "Mars/Olympus"})
    assert r.status_code == 400 and "is not a known time zone" in r.content.decode()
    assert not PolicyVersion.objects.filter(therapist=therapist).exists()


def test_the_suggested_reply_says_the_rules_hours():
    rules = copy.deepcopy(GOOD_RULES)
    reply = suggested_after_hours_reply(rules)
    assert "Monday to Friday, 09:00 to 17:00" in reply and "within 24 hours" in reply
    rules["after_hours_reply"] = reply
    assert reply_warnings(rules) == []


@pytest.mark.parametrize(
    "reply, warned",
    [
        ("I read messages on weekdays 9-17 and reply within one business day.", False),
        ("I read messages on weekdays 10-16.", True),
        ("Office hours are 8am to 4pm.", True),
        ("I reply within 1-2 days.", False),
    ],
)
def test_a_reply_naming_hours_the_windows_contradict_is_warned(reply, warned):
    rules = copy.deepcopy(GOOD_RULES)
    rules["after_hours_reply"] = reply
    assert bool(reply_warnings(rules)) is warned


def test_preview_warns_and_publish_waits_for_a_contradicting_reply(tclient, therapist):
    publish_policy(therapist)
    rules = copy.deepcopy(GOOD_RULES)
    rules["categories"]["administrative"]["windows"][0]["start"] = "10:00"  # the reply still says 9-17
    draft = policy_draft_save(therapist=therapist, rules=rules)
    preview = tclient.get(reverse("policies:preview")).content.decode()
    assert 'data-testid="reply-warning"' in preview and "“9-17”" in preview
    r = tclient.post(reverse("policies:publish"))
    assert r.status_code == 302 and r["Location"] == reverse("policies:preview")
    assert PolicyVersion.objects.get(pk=draft.pk).status == "draft"
    r = tclient.post(reverse("policies:publish"), {"reply_checked": "1"})
    assert r["Location"] == reverse("policies:history")
    assert PolicyVersion.objects.get(pk=draft.pk).status == "published"


def test_publish_from_the_editor(tclient, therapist):
    r = editor_post(tclient, publish="1", **ADMIN_ON)
    assert r.status_code == 302 and r["Location"] == reverse("policies:history")
    v = PolicyVersion.objects.get(therapist=therapist)
    assert v.status == "published"
