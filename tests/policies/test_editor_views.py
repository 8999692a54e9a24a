"""The therapist's policy pages: the editor (prefill, save, every validation message on its
own field, nothing saved on bad input), preview and publish, history and differences."""

from __future__ import annotations

import copy

import pytest
from django.urls import reverse
from django.utils.html import escape

from policies.models import PolicyVersion
from policies.rules import PERSONAL_WHY, SOCIAL_WHY
from policies.services import policy_draft_save
from policies.text import policy_text, sha256
from portal.errors import PolicyInvalid
from tests.conftest import GOOD_RULES, publish_policy

pytestmark = pytest.mark.django_db
PAGES = ("editor", "preview", "history", "diff", "simulator")


def editor_data(client) -> dict:
    """The editor's own initial data, as a browser would post it back unchanged."""
    page = client.get(reverse("policies:editor"))
    forms = page.context["forms"]
    data = {}
    for form in forms.all_forms():
        if hasattr(form, "management_form"):
            mf = form.management_form
            for name, field in mf.fields.items():
                data[f"{mf.prefix}-{name}"] = (
                    mf.initial.get(name, field.initial) if mf.initial else field.initial
                )
            for sub in form.forms:
                for name in sub.fields:
                    value = sub.initial.get(name)
                    if value is not None:
                        data[sub.add_prefix(name)] = value
        else:
            for name, field in form.fields.items():
                value = form.initial.get(name, field.initial)
                if value is None or value is False:
                    continue
                data[form.add_prefix(name)] = value
    return data


def editor_post(client, **overrides):
    data = editor_data(client)
    data.update(overrides)
    data = {k: v for k, v in data.items() if v is not None}
    return client.post(reverse("policies:editor"), data)


ADMIN_ON = {
    "c-administrative-allowed": "on",
    "c-administrative-channels": ["portal"],
    "w-administrative-0-days": ["mon"],
    "w-administrative-0-start": "09:00",
    "w-administrative-0-end": "17:00",
}


@pytest.fixture
def tclient(client, therapist):
    client.force_login(therapist)
    return client


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


# --- every validation message on its own field; nothing saved ---------------------------------


def errors_of(resp, where: str, field: str | None = None) -> str:
    forms = resp.context["forms"]
    target = eval(where, {}, {"forms": forms})  # noqa: S307 - a test's own expressions
    if field is None:
        return " ".join(target.non_field_errors())
    return " ".join(target.errors.get(field, []))


@pytest.mark.parametrize(
    "overrides, where, field, words",
    [
        ({"g-crisis_resources": "   "}, "forms.general", "crisis_resources", "may not be blank"),
        ({"g-timezone": "Mars/Olympus"}, "forms.general", "timezone", "is not a known time zone"),
        ({"g-reconsent_grace_days": "91"}, "forms.general", "reconsent_grace_days", "90"),
        ({"g-after_hours_reply": "x" * 2001}, "forms.general", "after_hours_reply", "under 2000 characters"),
        (
            {**ADMIN_ON, "c-administrative-channels": None},
            "forms.categories['administrative']",
            "channels",
            "at least one channel",
        ),
        (
            {**ADMIN_ON, "c-administrative-channels": ["portal", "social_media"]},
            "forms.categories['administrative']",
            "channels",
            "cannot keep your clients",
        ),
        (
            {**ADMIN_ON, "c-administrative-channels": ["portal", "fax"]},
            "forms.categories['administrative']",
            "channels",
            "not one of the available choices",
        ),
        (
            {**ADMIN_ON, "c-administrative-max_per_week": "1001"},
            "forms.categories['administrative']",
            "max_per_week",
            "from 1 to 1000",
        ),
        (
            {**ADMIN_ON, "c-administrative-response_hours": "721"},
            "forms.categories['administrative']",
            "response_hours",
            "from 1 to 720",
        ),
        (
            {
                "c-scheduled_call-allowed": "on",
                "c-scheduled_call-channels": ["phone"],
                "c-scheduled_call-max_minutes": "1441",
            },
            "forms.categories['scheduled_call']",
            "max_minutes",
            "from 1 to 1440",
        ),
        (
            {**ADMIN_ON, "w-administrative-0-end": "09:00"},
            "forms.windows['administrative'].forms[0]",
            "end",
            "different time",
        ),
        (
            {**ADMIN_ON, "w-administrative-0-start": "25:00"},
            "forms.windows['administrative'].forms[0]",
            "start",
            "24-hour time",
        ),
        (
            {**ADMIN_ON, "w-administrative-0-days": None},
            "forms.windows['administrative'].forms[0]",
            "days",
            "at least one day",
        ),
        (
            {"away-0-start": "2026-12-24", "away-0-end": "2026-12-20"},
            "forms.away.forms[0]",
            "end",
            "cannot be before the first",
        ),
        ({"away-0-start": "2026-12-24"}, "forms.away.forms[0]", "end", "both the first and the last day"),
        (
            {"away-0-start": "24/12/2026", "away-0-end": "2026-12-26"},
            "forms.away.forms[0]",
            "start",
            "valid date",
        ),
        (
            {"pause-enabled": "on", "pause-hours": "24", "pause-categories": None},
            "forms.pause",
            "categories",
            "at least one category",
        ),
        (
            {"pause-enabled": "on", "pause-hours": "", "pause-categories": ["check_in"]},
            "forms.pause",
            "hours",
            "required",
        ),
        (
            {"pause-enabled": "on", "pause-hours": "400", "pause-categories": ["check_in"]},
            "forms.pause",
            "hours",
            "from 1 to 336",
        ),
    ],
)
def test_each_validation_message_lands_on_its_field_and_nothing_is_saved(
    tclient, therapist, overrides, where, field, words
):
    resp = editor_post(tclient, **overrides)
    assert resp.status_code == 400
    assert words in errors_of(resp, where, field), resp.context["forms"].page_errors
    assert resp.context["forms"].page_errors == []
    assert not PolicyVersion.objects.filter(therapist=therapist).exists()
    assert "Nothing was saved" in resp.content.decode()


def test_an_error_in_a_later_window_row_lands_on_that_row(tclient, therapist):
    """The validator counts only filled rows; the message goes back to the row the therapist typed in."""
    resp = editor_post(
        tclient,
        **{
            **ADMIN_ON,
            "w-administrative-TOTAL_FORMS": "3",
            "w-administrative-0-days": None,
            "w-administrative-0-start": "",
            "w-administrative-0-end": "",
            "w-administrative-1-days": ["tue"],
            "w-administrative-1-start": "09:00",
            "w-administrative-1-end": "12:00",
            "w-administrative-2-days": ["wed"],
            "w-administrative-2-start": "13:00",
            "w-administrative-2-end": "13:00",
        },
    )
    assert resp.status_code == 400
    rows = resp.context["forms"].windows["administrative"].forms
    assert not rows[0].errors and not rows[1].errors
    assert "different time" in " ".join(rows[2].errors["end"])
    assert not PolicyVersion.objects.exists()


def test_bad_input_leaves_the_draft_as_it_was(tclient, therapist):
    draft = policy_draft_save(therapist=therapist, rules=copy.deepcopy(GOOD_RULES))
    resp = editor_post(tclient, **{"g-crisis_resources": "", "g-after_hours_reply": "Changed"})
    assert resp.status_code == 400
    again = PolicyVersion.objects.get(pk=draft.pk)
    assert again.rules == draft.rules and again.updated_at == draft.updated_at
    assert PolicyVersion.objects.count() == 1
    # The form keeps what was typed, so nothing is lost while it is corrected.
    assert resp.context["forms"].general["after_hours_reply"].value() == "Changed"


def test_a_path_the_editor_has_no_field_for_is_a_page_error_naming_it(tclient, therapist, monkeypatch):
    from policies import services

    def refuse(**kwargs):
        raise PolicyInvalid(
            {
                "rules": ["Unknown field(s): colour."],
                "categories.personal.allowed": ["Never."],
                "categories.administrative": ["Unknown field(s): mood."],
                "away": ["Must be a list of at most 50 periods."],
            }
        )

    monkeypatch.setattr(services, "policy_draft_save", refuse)
    resp = editor_post(tclient, **ADMIN_ON)
    assert resp.status_code == 400
    forms = resp.context["forms"]
    assert forms.page_errors == [
        "rules: Unknown field(s): colour.",
        "categories.personal.allowed: Never.",
        "away: Must be a list of at most 50 periods.",
    ]
    assert forms.categories["administrative"].non_field_errors() == ["Unknown field(s): mood."]
    html = resp.content.decode()
    assert "rules: Unknown field(s): colour." in html and "Unknown field(s): mood." in html
    assert not PolicyVersion.objects.exists()


# --- preview and publish ---------------------------------------------------------------------


def test_without_a_policy_the_preview_sends_you_to_the_editor(tclient):
    r = tclient.get(reverse("policies:preview"))
    assert r.status_code == 302 and r["Location"] == reverse("policies:editor")


def test_the_preview_is_the_exact_text_a_client_will_sign_and_its_hash(tclient, therapist):
    editor_post(tclient, **ADMIN_ON)
    draft = PolicyVersion.objects.get(therapist=therapist)
    expected = policy_text(draft.rules, therapist_name=therapist.full_name)
    r = tclient.get(reverse("policies:preview"))
    assert r.status_code == 200
    assert r.context["text"] == expected and r.context["sha"] == sha256(expected)
    html = r.content.decode()
    # Words, not codes: the hash is kept for the receipt only (shortened, as a fingerprint).
    assert sha256(expected) not in html and "SHA-256" not in html and "Monday, 09:00 to 17:00" in html
    assert "Version 1: draft (not published)." in html and "Publish version 1" in html
    tclient.post(reverse("policies:publish"))
    v = PolicyVersion.objects.get(pk=draft.pk)
    assert (v.text, v.content_sha256) == (expected, sha256(expected))
    after = tclient.get(reverse("policies:preview"))
    assert after.context["sha"] == v.content_sha256 and "Publish version" not in after.content.decode()


def test_publish_freezes_the_draft_and_shows_the_hash_in_the_history(tclient, therapist):
    editor_post(tclient)
    resp = tclient.post(reverse("policies:publish"))
    assert resp.status_code == 302 and resp["Location"] == reverse("policies:history")
    v = PolicyVersion.objects.get(therapist=therapist)
    assert v.status == "published" and v.content_sha256 == sha256(v.text)
    history = tclient.get(reverse("policies:history")).content.decode()
    assert v.content_sha256 not in history and "Published (in force)" in history


def test_publish_without_a_draft_says_so_and_changes_nothing(tclient, therapist):
    v1 = publish_policy(therapist)
    resp = tclient.post(reverse("policies:publish"), follow=True)
    assert "There is no draft to publish." in resp.content.decode()
    assert PolicyVersion.objects.get(pk=v1.pk).status == "published" and PolicyVersion.objects.count() == 1


def test_editing_a_published_policy_starts_a_new_draft_and_publishing_it_supersedes(tclient, therapist):
    v1 = publish_policy(therapist)
    assert editor_post(tclient, **{"g-after_hours_reply": "I answer on weekdays only."}).status_code == 302
    v2 = PolicyVersion.objects.get(therapist=therapist, status="draft")
    assert v2.version == 2 and PolicyVersion.objects.get(pk=v1.pk).status == "published"
    preview = tclient.get(reverse("policies:preview"))
    assert [c.rule for c in preview.context["changes"]] == ["After-hours reply"]
    assert "What changes from published version 1" in preview.content.decode()
    tclient.post(reverse("policies:publish"))
    assert PolicyVersion.objects.get(pk=v1.pk).status == "superseded"
    assert PolicyVersion.objects.get(pk=v2.pk).status == "published"


# --- history and differences -----------------------------------------------------------------


def test_history_lists_every_version_with_its_status(tclient, therapist):
    v1 = publish_policy(therapist)
    v2 = publish_policy(therapist, {**GOOD_RULES, "reconsent_grace_days": 7})
    policy_draft_save(therapist=therapist, rules={**GOOD_RULES, "reconsent_grace_days": 3})
    r = tclient.get(reverse("policies:history"))
    rows = r.context["rows"]
    assert [(row["v"].version, row["v"].status) for row in rows] == [
        (3, "draft"),
        (2, "published"),
        (1, "superseded"),
    ]
    html = r.content.decode()
    assert v1.content_sha256 not in html and "Replaced by a later version" in html
    assert f"?a={v1.pk}&amp;b={v2.pk}" in html  # compare each version with the one before
    # The therapist's zone, named once on the page.
    assert rows[1]["published"] in html and "Times are shown in America/New_York time." in html


def test_the_difference_between_two_versions_shows_text_lines_and_rule_changes(tclient, therapist):
    v1 = publish_policy(therapist)
    rules = copy.deepcopy(GOOD_RULES)
    rules["categories"]["check_in"]["max_per_week"] = 3
    v2 = publish_policy(therapist, rules)
    r = tclient.get(reverse("policies:diff"), {"a": v1.pk, "b": v2.pk})
    assert r.status_code == 200
    assert ("-", "- You can send at most 2 of these in any 7 days.") in r.context["lines"]
    assert ("+", "- You can send at most 3 of these in any 7 days.") in r.context["lines"]
    assert [(c.rule, c.before, c.after) for c in r.context["changes"]] == [
        ("Brief check-in: weekly limit", "2 per week", "3 per week")
    ]
    html = r.content.decode()
    assert 'class="policy-text diff-add"' in html and 'class="policy-text diff-del"' in html
    assert "Added: </span>- You can send at most 3" in html
    # Section headings read as headings: no "##" markers in the text diff.
    assert (
        "## " not in html.split('data-testid="text-diff"')[1]
        and "<strong>If you are in danger</strong>" in html
    )


def test_a_draft_can_be_compared_with_its_published_version(tclient, therapist):
    v1 = publish_policy(therapist)
    draft = policy_draft_save(
        therapist=therapist, rules={**GOOD_RULES, "after_hours_reply": "Weekdays only."}
    )
    r = tclient.get(reverse("policies:diff"), {"a": v1.pk, "b": draft.pk})
    assert r.status_code == 200
    assert (
        "+",
        "If you write outside my hours you will get this reply: \u201cWeekdays only.\u201d",
    ) in r.context["lines"]


def test_another_therapists_versions_cannot_be_compared(tclient, therapist, other_therapist):
    mine = publish_policy(therapist)
    other = publish_policy(other_therapist)
    resp = tclient.get(reverse("policies:diff"), {"a": other.pk, "b": mine.pk})
    assert resp.status_code == 400 and "a" in resp.context["form"].errors
    assert resp.context["lines"] is None
