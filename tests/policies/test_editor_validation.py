"""The therapist's policy editor: every validation message on its own field, nothing saved on bad
input.
"""

from __future__ import annotations

import copy

import pytest

from policies.models import PolicyVersion
from policies.services import policy_draft_save
from portal.errors import PolicyInvalid
from tests.conftest import GOOD_RULES
from tests.policies.editor_helpers import ADMIN_ON, editor_post

pytestmark = pytest.mark.django_db

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
