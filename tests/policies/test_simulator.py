"""The simulator, the therapist's page: the decision, reasons in words, the hold time in the
policy's zone, the week view (its API twin, POST /api/v1/policies/{id}/evaluate, is
test_simulator_evaluate.py). `tclient` is tests/policies/conftest.py's.

Times: the policy is America/New_York (UTC-5 in November and December); 2026-11-28 is a
Saturday and 2026-11-30 a Monday."""

from __future__ import annotations

import copy
from datetime import UTC, datetime

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from messaging.models import Message
from policies.models import PolicyVersion
from policies.services import policy_draft_save
from tests.conftest import GOOD_RULES, publish_policy

pytestmark = pytest.mark.django_db
UTC = UTC


def simulate_page(tclient, version, **params):
    data = {
        "date": "2026-11-28",
        "time": "23:00",
        "sender": "client",
        "category": "administrative",
        "channel": "portal",
        "body": "A question about my bill",
        "version": version.pk,
    }
    data.update(params)
    # Post/redirect/get: the answer is shown by the GET the POST redirects to.
    return tclient.post(reverse("policies:simulator"), data, follow=True)


# --- the page ----------------------------------------------------------------------------------


def test_saturday_night_billing_message_is_held_until_monday_nine_local(tclient, published_policy):
    r = simulate_page(tclient, published_policy)
    assert r.status_code == 200
    result = r.context["result"]
    assert result["decision"].outcome == "held"
    assert result["decision"].deliver_at == datetime(2026, 11, 30, 14, 0, tzinfo=UTC)
    assert result["deliver_at"].strftime("%A %H:%M %Z") == "Monday 09:00 EST"
    html = r.content.decode()
    assert "Held until the next opening" in html
    assert "Monday 30 November 2026, 09:00" in html and "America/New_York time" in html
    # The reason in plain words, not its code.
    assert "outside the hours" in html and "outside_hours" not in html
    # The typed message went in the POST body, not the URL.
    assert [code for _url, code in r.redirect_chain] == [302] and r.request["REQUEST_METHOD"] == "GET"
    assert all("bill" not in url for url, _code in r.redirect_chain)
    assert "bill" not in r.request.get("QUERY_STRING", "")
    # The client's after-hours reply is shown.
    assert GOOD_RULES["after_hours_reply"] in html


def test_the_same_message_on_monday_morning_is_delivered(tclient, published_policy):
    r = simulate_page(tclient, published_policy, date="2026-11-30", time="09:00")
    assert r.context["result"]["decision"].outcome == "delivered"
    assert r.context["result"]["deliver_at"] is None
    # 16:59 is inside 09:00-17:00; 17:00 is not.
    assert (
        simulate_page(tclient, published_policy, date="2026-11-30", time="16:59")
        .context["result"]["decision"]
        .outcome
        == "delivered"
    )
    assert (
        simulate_page(tclient, published_policy, date="2026-11-30", time="17:00")
        .context["result"]["decision"]
        .outcome
        == "held"
    )


def test_crisis_language_escalates_with_the_crisis_resources(tclient, published_policy):
    r = simulate_page(tclient, published_policy, category="check_in", body="I want to kill myself tonight")
    result = r.context["result"]
    assert result["decision"].outcome == "escalated" and result["decision"].reasons == ("crisis_detected",)
    html = r.content.decode()
    # The resources as the client sees them: every number a link.
    from messaging.templatetags.crisis import crisis_links_html

    assert "Escalated as a crisis" in html and crisis_links_html(GOOD_RULES["crisis_resources"]) in html


def test_personal_contact_is_blocked_as_never_allowed_with_why(tclient, published_policy):
    r = simulate_page(
        tclient,
        published_policy,
        category="personal",
        sender="therapist",
        override_reason="A friend of the family",
    )
    assert r.context["result"]["decision"].outcome == "blocked"
    assert r.context["result"]["decision"].reasons == ("never_allowed",)
    assert "confidentiality" in r.content.decode()


def test_a_therapist_override_outside_hours_is_an_exception_and_a_clients_is_ignored(
    tclient, published_policy
):
    r = simulate_page(
        tclient, published_policy, sender="therapist", override_reason="Insurance deadline Monday"
    )
    assert r.context["result"]["decision"].outcome == "delivered_with_exception"
    assert r.context["result"]["decision"].reasons == ("outside_hours", "override")
    r = simulate_page(tclient, published_policy, sender="client", override_reason="Please")
    assert r.context["result"]["decision"].outcome == "held"


def test_the_page_decides_a_draft_too_and_stores_nothing(tclient, therapist, published_policy):
    draft = policy_draft_save(
        therapist=therapist,
        rules={
            **copy.deepcopy(GOOD_RULES),
            "categories": {
                **copy.deepcopy(GOOD_RULES["categories"]),
                "administrative": {
                    "allowed": True,
                    "channels": ["portal"],
                    "outside_hours": "block",
                    "windows": GOOD_RULES["categories"]["administrative"]["windows"],
                },
            },
        },
    )
    counts = (Message.objects.count(), AuditEvent.objects.count(), PolicyVersion.objects.count())
    r = simulate_page(tclient, draft)
    assert r.context["result"]["decision"].outcome == "blocked"
    assert r.context["version"].pk == draft.pk
    assert (Message.objects.count(), AuditEvent.objects.count(), PolicyVersion.objects.count()) == counts


def test_another_therapists_version_cannot_be_chosen(tclient, therapist, other_therapist):
    publish_policy(therapist)
    theirs = publish_policy(other_therapist)
    r = simulate_page(tclient, theirs)
    assert r.status_code == 400 and "version" in r.context["form"].errors
    assert r.context["result"] is None


def test_without_a_policy_the_simulator_sends_you_to_the_editor(tclient):
    r = tclient.get(reverse("policies:simulator"))
    assert r.status_code == 302 and r["Location"] == reverse("policies:editor")


def test_the_simulator_is_for_therapists_only(client, client_user, admin, published_policy):
    url = reverse("policies:simulator")
    assert client.get(url).status_code == 302
    for user in (client_user, admin):
        client.force_login(user)
        assert client.get(url).status_code == 403


# --- the week view -----------------------------------------------------------------------------


def cell(week, day_index: int, hour: int) -> str:
    return week["rows"][hour]["cells"][day_index]["marks"]


def test_the_week_view_shows_the_hours_of_each_category(tclient, published_policy):
    r = simulate_page(tclient, published_policy, date="2026-12-02", time="10:00")  # a Wednesday
    week = r.context["week"]
    assert week["start"].isoformat() == "2026-11-30" and len(week["days"]) == 7
    mon, tue, sat = 0, 1, 5
    assert cell(week, mon, 8) == "E"  # administrative opens at 09:00
    assert cell(week, mon, 9) == "E A"
    assert cell(week, mon, 10) == "E A S"  # calls Monday and Wednesday 10-12
    assert cell(week, mon, 16) == "E A" and cell(week, mon, 17) == "E"
    assert cell(week, tue, 12) == "E A C"  # check-ins Tuesday and Thursday 12-13
    assert cell(week, tue, 13) == "E A"
    assert cell(week, sat, 10) == "E"
    html = r.content.decode()
    # A calendar of coloured bands: each named where it begins, and a legend in words.
    assert '<span class="band band-administrative band-start">Admin</span>' in html
    assert (
        'band-start legend-swatch" aria-hidden="true">&nbsp;</span> Administrative (scheduling, billing, forms)'
        in html
    )
    assert "E A" not in html.split('data-testid="week-grid"')[1]  # no letter grid


def test_the_week_view_follows_an_overnight_window_and_an_away_period(tclient, therapist):
    rules = copy.deepcopy(GOOD_RULES)
    rules["categories"]["check_in"]["windows"] = [{"days": ["fri"], "start": "22:00", "end": "02:00"}]
    rules["away"] = [{"start": "2026-12-01", "end": "2026-12-01", "reply": "Away today."}]
    version = publish_policy(therapist, rules)
    week = simulate_page(tclient, version, date="2026-11-30").context["week"]
    mon, tue, fri, sat = 0, 1, 4, 5
    assert "C" in cell(week, fri, 23) and "C" not in cell(week, fri, 21)
    assert "C" in cell(week, sat, 1) and "C" not in cell(week, sat, 2)
    assert cell(week, mon, 10) == "E A S"
    assert cell(week, tue, 10) == "E"  # away: only emergencies are open
