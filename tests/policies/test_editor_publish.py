"""The therapist's policy pages: preview and publish, history and differences."""

from __future__ import annotations

import copy

import pytest
from django.urls import reverse

from policies.models import PolicyVersion
from policies.services import policy_draft_save
from policies.text import policy_text, sha256
from tests.conftest import GOOD_RULES, publish_policy
from tests.policies.editor_helpers import ADMIN_ON, editor_post

pytestmark = pytest.mark.django_db

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
