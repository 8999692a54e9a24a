"""The simulator, through both doors: the therapist's page (decision, reasons in words, the
hold time in the policy's zone, the week view) and POST /api/v1/policies/{id}/evaluate
(the version decided as if current and consented on every channel; a client's history
counted with client_id; nothing stored).

Times: the policy is America/New_York (UTC-5 in November and December); 2026-11-28 is a
Saturday and 2026-11-30 a Monday."""

from __future__ import annotations

import copy
from datetime import UTC, datetime

import pytest
from django.urls import reverse

from audit.models import AuditEvent, BoundaryException
from messaging.models import Message
from messaging.services.send import message_send
from policies.models import PolicyVersion
from policies.reader import read
from policies.services import policy_draft_save
from portal.models import OutboxItem
from tests.conftest import GOOD_RULES, api_for, publish_policy

pytestmark = pytest.mark.django_db
UTC = UTC


def local(y, mo, d, h, mi=0) -> datetime:
    """A New York wall time in November or December 2026 (EST, UTC-5), as a UTC instant."""
    return (
        datetime(y, mo, d, h + 5, mi, tzinfo=UTC)
        if h + 5 < 24
        else datetime(y, mo, d + 1, h + 5 - 24, mi, tzinfo=UTC)
    )


def evaluate(user, version, **body):
    payload = {"sender": "client", "category": "administrative", "channel": "portal", "body": "Hello"}
    payload.update(body)
    r = api_for(user).post(f"/api/v1/policies/{version.pk}/evaluate", payload, format="json")
    assert r.status_code == 200, r.content
    return r.json()


@pytest.fixture
def tclient(client, therapist):
    client.force_login(therapist)
    return client


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


# --- POST /api/v1/policies/{id}/evaluate -------------------------------------------------------


def test_evaluate_holds_the_saturday_night_billing_message_until_monday(therapist, published_policy):
    body = evaluate(therapist, published_policy, at="2026-11-28T23:00:00-05:00")
    assert body == {
        "outcome": "held",
        "reasons": ["outside_hours"],
        "deliver_at": "2026-11-30T14:00:00Z",
        "auto_reply": GOOD_RULES["after_hours_reply"],
        "reading": read("Hello").as_dict(),
    }
    # The same instant given in UTC decides the same.
    assert evaluate(therapist, published_policy, at="2026-11-29T04:00:00Z") == body


def test_evaluate_an_emergency_carries_crisis_resources(therapist, published_policy):
    body = evaluate(therapist, published_policy, at="2026-11-28T23:00:00Z", category="emergency")
    assert body["outcome"] == "delivered" and body["deliver_at"] is None
    assert body["crisis_resources"] == GOOD_RULES["crisis_resources"]


def test_evaluate_treats_the_client_as_consented_on_every_channel(therapist, published_policy):
    # E-mail is allowed for administrative questions; no client has opted into it here.
    body = evaluate(therapist, published_policy, at="2026-11-30T15:00:00Z", channel="email")
    assert body["outcome"] == "delivered"
    body = evaluate(therapist, published_policy, at="2026-11-30T15:00:00Z", channel="sms")
    assert body == {
        "outcome": "blocked",
        "reasons": ["channel_not_allowed"],
        "deliver_at": None,
        "reading": read("Hello").as_dict(),
    }


def test_evaluate_decides_any_status_as_if_it_were_current(therapist, published_policy):
    rules = copy.deepcopy(GOOD_RULES)
    rules["categories"]["administrative"]["outside_hours"] = "block"
    draft = policy_draft_save(therapist=therapist, rules=rules)
    assert evaluate(therapist, draft, at="2026-11-29T04:00:00Z")["outcome"] == "blocked"
    api_for(therapist).post(f"/api/v1/policies/{draft.pk}/publish")
    published_policy.refresh_from_db()
    assert published_policy.status == "superseded"
    assert evaluate(therapist, published_policy, at="2026-11-29T04:00:00Z")["outcome"] == "held"


def test_evaluate_stores_nothing(therapist, published_policy, consented_client):
    before = (
        Message.objects.count(),
        AuditEvent.objects.count(),
        BoundaryException.objects.count(),
        OutboxItem.objects.count(),
        PolicyVersion.objects.count(),
    )
    evaluate(
        therapist,
        published_policy,
        at="2026-11-29T04:00:00Z",
        body="I want to die",
        client_id=consented_client.pk,
    )
    evaluate(
        therapist,
        published_policy,
        at="2026-11-29T04:00:00Z",
        sender="therapist",
        override_reason="Needed",
        client_id=consented_client.pk,
    )
    after = (
        Message.objects.count(),
        AuditEvent.objects.count(),
        BoundaryException.objects.count(),
        OutboxItem.objects.count(),
        PolicyVersion.objects.count(),
    )
    assert after == before
    consented_client.thread.refresh_from_db()
    assert consented_client.thread.last_crisis_at is None


def check_in(client, when):
    result = message_send(
        sender=client,
        thread=client.thread,
        category="check_in",
        channel="portal",
        body="A short check-in",
        now=when,
    )
    assert result.message.status == "delivered", result.message.reasons
    return result.message


def test_evaluate_with_client_id_counts_their_messages_in_the_168_hours_before_at(
    therapist, published_policy, consented_client
):
    # Two check-ins (the weekly limit): Tuesday 1 and Thursday 3 December at 12:10.
    check_in(consented_client, local(2026, 12, 1, 12, 10))
    check_in(consented_client, local(2026, 12, 3, 12, 10))
    thursday = "2026-12-03T12:40:00-05:00"
    base = {"category": "check_in", "channel": "portal"}
    # Without client_id no history counts.
    assert evaluate(therapist, published_policy, at=thursday, **base)["outcome"] == "delivered"
    with_history = evaluate(therapist, published_policy, at=thursday, client_id=consented_client.pk, **base)
    assert with_history == {
        "outcome": "blocked",
        "reasons": ["rate_limited"],
        "deliver_at": None,
        "reading": read("Hello").as_dict(),
    }
    # A week later: at 12:05 the Tuesday message is still inside the 168 hours, at 12:15 it is not.
    assert evaluate(
        therapist, published_policy, at="2026-12-08T12:05:00-05:00", client_id=consented_client.pk, **base
    )["reasons"] == ["rate_limited"]
    assert (
        evaluate(
            therapist, published_policy, at="2026-12-08T12:15:00-05:00", client_id=consented_client.pk, **base
        )["outcome"]
        == "delivered"
    )
    # Messages after `at` do not count.
    assert (
        evaluate(
            therapist, published_policy, at="2026-12-01T12:05:00-05:00", client_id=consented_client.pk, **base
        )["outcome"]
        == "delivered"
    )
    # The therapist's own messages are never rate limited.
    assert (
        evaluate(
            therapist,
            published_policy,
            at=thursday,
            client_id=consented_client.pk,
            sender="therapist",
            **base,
        )["outcome"]
        == "delivered"
    )


def test_evaluate_with_client_id_does_not_count_cancelled_or_blocked_messages(
    therapist, published_policy, consented_client
):
    # Blocked attempts (outside the check-in window) are not counted.
    for hour in (9, 10, 11):
        blocked = message_send(
            sender=consented_client,
            thread=consented_client.thread,
            category="check_in",
            channel="portal",
            body="Hi",
            now=local(2026, 12, 1, hour),
        )
        assert blocked.message.status == "blocked"
    check_in(consented_client, local(2026, 12, 1, 12, 10))
    body = evaluate(
        therapist,
        published_policy,
        at="2026-12-03T12:40:00-05:00",
        category="check_in",
        client_id=consented_client.pk,
    )
    assert body["outcome"] == "delivered"


def test_evaluate_with_client_id_applies_the_pause_after_their_crisis(
    therapist, published_policy, consented_client
):
    crisis = message_send(
        sender=consented_client,
        thread=consented_client.thread,
        category="administrative",
        channel="portal",
        body="I don't want to live anymore",
        now=local(2026, 12, 1, 11, 30),
    )
    assert crisis.message.status == "escalated"
    tuesday_noon = "2026-12-01T12:30:00-05:00"
    paused = evaluate(
        therapist, published_policy, at=tuesday_noon, category="check_in", client_id=consented_client.pk
    )
    assert paused["outcome"] == "blocked" and paused["reasons"] == ["paused_after_crisis"]
    assert paused["crisis_resources"] == GOOD_RULES["crisis_resources"]
    # Without the client's history there is no pause; nor for a category the pause does not list.
    assert (
        evaluate(therapist, published_policy, at=tuesday_noon, category="check_in")["outcome"] == "delivered"
    )
    assert (
        evaluate(therapist, published_policy, at=tuesday_noon, client_id=consented_client.pk)["outcome"]
        == "delivered"
    )
    # After 24 hours (Thursday's window) the pause is over.
    assert (
        evaluate(
            therapist,
            published_policy,
            at="2026-12-03T12:30:00-05:00",
            category="check_in",
            client_id=consented_client.pk,
        )["outcome"]
        == "delivered"
    )


# --- the reading the simulator decided on ------------------------------------------------------


@pytest.fixture
def reads_as(monkeypatch):
    """Make the reader read one exact text as given: these tests are about what the simulator
    does with a reading, not about the vocabulary."""
    import policies.engine
    from policies import reader

    real = reader.read
    table: dict = {}
    monkeypatch.setattr(policies.engine, "read", lambda text: table[text] if text in table else real(text))

    def add(text, **fields):
        table[text] = reader.Reading(**fields)
        return text

    return add


def test_evaluate_answers_the_reading_with_its_crisis_kind(therapist, published_policy):
    text = "I want to kill myself tonight"
    body = evaluate(therapist, published_policy, at="2026-11-30T15:00:00Z", category="check_in", body=text)
    assert (body["outcome"], body["reasons"]) == ("escalated", ["crisis_detected"])
    # The simulator is the therapist's: it shows the kind the decision read.
    assert body["reading"] == read(text).as_dict() and body["reading"]["crisis_kind"] is not None


def test_evaluate_blocks_personal_content_and_notes_an_emergency_mismatch(
    therapist, published_policy, reads_as
):
    ask = reads_as("Want to grab a drink after our session?", personal=True, language="en")
    for sender in ("client", "therapist"):
        body = evaluate(
            therapist,
            published_policy,
            at="2026-11-30T15:00:00Z",
            sender=sender,
            body=ask,
            override_reason="reason",
        )
        assert (body["outcome"], body["reasons"]) == ("blocked", ["never_allowed", "personal_content"])
        assert body["reading"]["personal"] is True
    invoice = reads_as("Please resend the invoice", category="administrative", language="en")
    body = evaluate(
        therapist, published_policy, at="2026-11-29T04:00:00Z", category="emergency", body=invoice
    )
    assert (body["outcome"], body["reasons"]) == ("delivered", ["emergency_mismatch"])
    assert body["reading"]["category"] == "administrative"
