"""The therapist's policy pages: who may see them, the editor's prefill and saving. Every
validation message is in test_editor_validation.py; preview, publish, history and differences
in test_editor_publish.py.
"""

from __future__ import annotations

import copy

import pytest
from django.urls import reverse
from django.utils.html import escape

from policies.models import PolicyVersion
from policies.rules import PERSONAL_WHY, SOCIAL_WHY
from policies.services import policy_draft_save
from tests.conftest import GOOD_RULES, publish_policy
from tests.policies.editor_helpers import ADMIN_ON, editor_post

pytestmark = pytest.mark.django_db

PAGES = ("editor", "preview", "history", "diff", "simulator")


# --- who may see the pages -------------------------------------------------------------------


@pytest.mark.parametrize("name", PAGES)
def test_policy_pages_need_a_logged_in_therapist(client, client_user, admin, name):
    url = reverse(f"policies:{name}")
    r = client.get(url)
    assert r.status_code == 302 and r["Location"].startswith(reverse("login"))
    for user in (client_user, admin):
        client.force_login(user)
        assert client.get(url).status_code == 403


def test_publish_needs_a_therapist_and_a_post(client, client_user, therapist):
    policy_draft_save(therapist=therapist, rules=copy.deepcopy(GOOD_RULES))
    client.force_login(client_user)
    assert client.post(reverse("policies:publish")).status_code == 403
    client.force_login(therapist)
    assert client.get(reverse("policies:publish")).status_code == 405
    assert PolicyVersion.objects.get().status == "draft"


def test_the_dashboard_links_to_the_editor(tclient):
    html = tclient.get(reverse("home"), follow=True).content.decode()
    assert f'href="{reverse("policies:editor")}"' in html


# --- prefill ---------------------------------------------------------------------------------


def test_a_new_policy_starts_from_defaults_in_the_therapists_zone(tclient, therapist):
    therapist.timezone = "Europe/London"
    therapist.save(update_fields=["timezone"])
    forms = tclient.get(reverse("policies:editor")).context["forms"]
    assert forms.general.initial["timezone"] == "Europe/London"
    assert forms.general.initial["crisis_resources"].strip()
    emergency = forms.categories["emergency"]
    assert emergency.initial["allowed"] is True and emergency.initial["channels"] == ["portal", "phone"]
    assert emergency.fields["allowed"].disabled
    assert forms.categories["administrative"].initial["allowed"] is False


def test_the_editor_prefills_from_the_published_version_then_from_the_draft(tclient, therapist):
    publish_policy(therapist, {**GOOD_RULES, "after_hours_reply": "Published reply."})
    forms = tclient.get(reverse("policies:editor")).context["forms"]
    assert forms.general.initial["after_hours_reply"] == "Published reply."
    assert forms.categories["check_in"].initial["max_per_week"] == 2
    assert forms.windows["administrative"].initial == GOOD_RULES["categories"]["administrative"]["windows"]
    assert forms.pause.initial["enabled"] is True and forms.pause.initial["categories"] == [
        "scheduled_call",
        "check_in",
    ]
    policy_draft_save(therapist=therapist, rules={**GOOD_RULES, "after_hours_reply": "Draft reply."})
    forms = tclient.get(reverse("policies:editor")).context["forms"]
    assert forms.general.initial["after_hours_reply"] == "Draft reply."


def test_personal_and_social_media_are_shown_as_never_allowed_with_why_and_not_offered(tclient):
    html = tclient.get(reverse("policies:editor")).content.decode()
    assert escape(PERSONAL_WHY) in html and escape(SOCIAL_WHY) in html
    assert "dual relationships" in html and "confidentiality" in html
    assert 'value="social_media"' not in html and 'name="c-personal-' not in html


# --- saving ----------------------------------------------------------------------------------


def test_saving_the_defaults_creates_a_draft_and_goes_to_the_preview(tclient, therapist):
    resp = editor_post(tclient)
    assert resp.status_code == 302 and resp["Location"] == reverse("policies:preview")
    draft = PolicyVersion.objects.get(therapist=therapist)
    assert draft.status == "draft" and draft.version == 1
    assert draft.rules["categories"]["emergency"] == {
        "allowed": True,
        "channels": ["portal", "phone"],
        "windows": [],
        "outside_hours": "deliver",
    }
    assert draft.rules["categories"]["personal"] == {"allowed": False}


def test_the_editor_saves_every_kind_of_rule(tclient, therapist):
    resp = editor_post(
        tclient,
        **{
            **ADMIN_ON,
            "w-administrative-0-days": ["mon", "tue", "wed", "thu", "fri"],
            "c-administrative-outside_hours": "hold",
            "c-administrative-response_hours": "24",
            "c-administrative-max_per_week": "5",
            "c-check_in-allowed": "on",
            "c-check_in-channels": ["portal"],
            "c-check_in-outside_hours": "block",
            "w-check_in-0-days": ["fri"],
            "w-check_in-0-start": "22:00",
            "w-check_in-0-end": "02:00",
            "c-scheduled_call-allowed": "on",
            "c-scheduled_call-channels": ["phone", "video"],
            "c-scheduled_call-max_minutes": "15",
            "w-scheduled_call-0-days": ["mon", "wed"],
            "w-scheduled_call-0-start": "10:00",
            "w-scheduled_call-0-end": "12:00",
            "away-0-start": "2026-12-24",
            "away-0-end": "2027-01-01",
            "away-0-reply": "Back January 2.",
            "pause-enabled": "on",
            "pause-hours": "24",
            "pause-categories": ["check_in", "scheduled_call"],
            "g-after_hours_reply": "I reply on weekdays.",
            "g-reconsent_grace_days": "7",
        },
    )
    assert resp.status_code == 302, resp.context["forms"].page_errors if resp.context else ""
    rules = PolicyVersion.objects.get(therapist=therapist).rules
    cats = rules["categories"]
    assert cats["administrative"] == {
        "allowed": True,
        "channels": ["portal"],
        "outside_hours": "hold",
        "windows": [{"days": ["mon", "tue", "wed", "thu", "fri"], "start": "09:00", "end": "17:00"}],
        "max_per_week": 5,
        "response_hours": 24,
    }
    assert cats["check_in"]["windows"] == [{"days": ["fri"], "start": "22:00", "end": "02:00"}]  # overnight
    assert cats["scheduled_call"]["max_minutes"] == 15 and cats["scheduled_call"]["channels"] == [
        "phone",
        "video",
    ]
    assert rules["away"] == [{"start": "2026-12-24", "end": "2027-01-01", "reply": "Back January 2."}]
    assert rules["pause_after_crisis"] == {"hours": 24, "categories": ["scheduled_call", "check_in"]}
    assert rules["after_hours_reply"] == "I reply on weekdays." and rules["reconsent_grace_days"] == 7


def test_times_typed_without_a_leading_zero_are_understood(tclient, therapist):
    assert editor_post(tclient, **{**ADMIN_ON, "w-administrative-0-start": "9:00"}).status_code == 302
    window = PolicyVersion.objects.get().rules["categories"]["administrative"]["windows"][0]
    assert window["start"] == "09:00"


def test_a_deleted_window_row_is_dropped(tclient, therapist):
    publish_policy(therapist)
    resp = editor_post(tclient, **{"w-administrative-0-DELETE": "on"})
    assert resp.status_code == 302
    assert PolicyVersion.objects.get(status="draft").rules["categories"]["administrative"]["windows"] == []


def test_save_and_keep_editing_comes_back_to_the_editor(tclient):
    resp = editor_post(tclient, stay="1")
    assert resp.status_code == 302 and resp["Location"] == reverse("policies:editor")
