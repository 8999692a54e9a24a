"""The editor's markup (crispy, with the editor's own templates in templates/policies/crispy/):
every field labelled, an invalid field marked and described by its error, each group of boxes
a fieldset named by its legend, a new row without a remove box, and a time zone typed wrong
answered with the zones it may mean (the page's list of zones needs JavaScript)."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from policies.forms import zones_like
from policies.rules import SOCIAL_WHY
from tests.conftest import publish_policy
from tests.policies.editor_helpers import editor_post

pytestmark = pytest.mark.django_db


class Page(HTMLParser):
    """The editor form's controls, with their attributes, the legend of the fieldset they
    are in, and the text of every element that has an id."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.controls: list[dict] = []
        self.labels: set[str] = set()
        self.text_of: dict[str, str] = {}
        self.fieldsets: list[dict] = []  # open ones: {"attrs", "legend"}
        self._open_ids: list[tuple[str, str]] = []  # (tag, id) of open elements with an id
        self._in_legend = False
        self._label_depth = 0  # a control inside a <label> is labelled by it
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "fieldset":
            self.fieldsets.append({"attrs": a, "legend": ""})
        elif tag == "legend":
            self._in_legend = True
        elif tag == "label":
            self._label_depth += 1
            if a.get("for"):
                self.labels.add(a["for"])
        elif tag in ("input", "select", "textarea"):
            legend = self.fieldsets[-1]["legend"].strip() if self.fieldsets else ""
            fieldset = self.fieldsets[-1]["attrs"] if self.fieldsets else {}
            self.controls.append(
                {
                    "tag": tag,
                    **a,
                    "_legend": legend,
                    "_fieldset": fieldset,
                    "_in_label": self._label_depth > 0,
                }
            )
        if "id" in a and tag not in ("input",):
            self._open_ids.append((tag, a["id"]))
            self.text_of[a["id"]] = ""

    def handle_endtag(self, tag):
        if tag == "fieldset" and self.fieldsets:
            self.fieldsets.pop()
        elif tag == "legend":
            self._in_legend = False
        elif tag == "label":
            self._label_depth -= 1
        if self._open_ids and self._open_ids[-1][0] == tag:
            self._open_ids.pop()

    def handle_data(self, data):
        if self._in_legend and self.fieldsets:
            self.fieldsets[-1]["legend"] += data
        for _tag, ident in self._open_ids:
            self.text_of[ident] += data

    def control(self, name: str, value: str | None = None) -> dict:
        found = [
            c for c in self.controls if c.get("name") == name and (value is None or c.get("value") == value)
        ]
        assert len(found) == 1, (name, value, found)
        return found[0]

    def names(self) -> set[str]:
        return {c.get("name", "") for c in self.controls}


def editor_page(client) -> Page:
    return Page(client.get(reverse("policies:editor")).content.decode())


def test_every_control_of_the_editor_has_a_label(tclient, therapist):
    publish_policy(therapist)
    page = editor_page(tclient)
    shown = [
        c
        for c in page.controls
        if c.get("type") != "hidden" and c.get("name", "").startswith(("g-", "c-", "w-", "away-", "pause-"))
    ]
    assert len(shown) > 60  # every field of the four sections, the new rows' too
    assert [c["name"] for c in shown if not c["_in_label"] and c.get("id") not in page.labels] == []


def test_each_group_of_boxes_is_a_fieldset_named_by_its_legend(tclient, therapist):
    publish_policy(therapist)
    page = editor_page(tclient)
    channels = [c for c in page.controls if c.get("name") == "c-administrative-channels"]
    assert [c["value"] for c in channels] == ["portal", "phone", "video", "sms", "email"]
    assert {c["_legend"] for c in channels} == {"Channels"}
    assert [c["value"] for c in channels if "checked" in c] == ["portal", "email"]  # the policy's
    days = [c for c in page.controls if c.get("name") == "w-administrative-0-days"]
    assert {c["_legend"] for c in days} == {"Days"} and len(days) == 7
    # The channels' help text describes the group, not each box.
    fieldset = channels[0]["_fieldset"]
    assert fieldset["aria-describedby"] == "id_c-administrative-channels_helptext"
    assert "never offered" in page.text_of["id_c-administrative-channels_helptext"]


def test_a_saved_row_can_be_removed_and_a_new_row_has_nothing_to_remove(tclient, therapist):
    publish_policy(therapist)  # one administrative window, no time away
    names = editor_page(tclient).names()
    assert "w-administrative-0-DELETE" in names and "w-administrative-0-days" in names
    assert "w-administrative-1-days" in names and "w-administrative-1-DELETE" not in names
    assert "away-0-start" in names and "away-0-DELETE" not in names


def test_an_invalid_zone_is_marked_described_by_its_error_and_names_the_zone_meant(tclient, therapist):
    r = editor_post(tclient, **{"g-timezone": "new york"})
    assert r.status_code == 400
    page = Page(r.content.decode())
    zone = page.control("g-timezone")
    assert "is-invalid" in zone["class"].split() and zone["aria-invalid"] == "true"
    assert zone["aria-describedby"].split() == ["id_g-timezone_helptext", "id_g-timezone_error"]
    error = page.text_of["id_g-timezone_error"]
    assert "‘new york’ is not a known time zone" in error and "Did you mean America/New_York?" in error
    # Fields without an error are not marked.
    assert "is-invalid" not in page.control("g-reconsent_grace_days")["class"]


def test_a_group_of_boxes_in_error_is_described_by_its_error(tclient, therapist):
    r = editor_post(
        tclient, **{"c-administrative-allowed": "on", "c-administrative-channels": ["portal", "social_media"]}
    )
    assert r.status_code == 400
    page = Page(r.content.decode())
    portal = page.control("c-administrative-channels", "portal")
    assert "is-invalid" in portal["class"].split()
    assert portal["_fieldset"]["aria-describedby"].split() == [
        "id_c-administrative-channels_helptext",
        "id_c-administrative-channels_error",
    ]
    assert SOCIAL_WHY in page.text_of["id_c-administrative-channels_error"]


def test_a_zone_typed_wrong_with_no_zone_like_it_asks_for_a_city(tclient):
    r = editor_post(tclient, **{"g-timezone": "Mars/Olympus"})
    error = Page(r.content.decode()).text_of["id_g-timezone_error"]
    assert "Did you mean" not in error and "Type part of a city's name" in error


@pytest.mark.parametrize(
    "typed, meant",
    [
        ("New York", ["America/New_York"]),
        ("america/new_york", ["America/New_York"]),
        ("Sao Paulo", ["America/Sao_Paulo"]),
        ("Lisbn", ["Europe/Lisbon"]),
        ("Kolkatta", ["Asia/Kolkata"]),
        ("Mars/Olympus", []),
        ("", []),
    ],
)
def test_zones_like_names_the_zone_a_mistyped_one_means(typed, meant):
    assert zones_like(typed) == meant


def test_the_editor_is_laid_out_by_crispy_with_its_own_templates(tclient, therapist):
    publish_policy(therapist)
    r = tclient.get(reverse("policies:editor"))
    forms = r.context["forms"]
    general = forms.general
    assert general.helper.form_tag is False and general.helper.field_template == "policies/crispy/field.html"
    used = {t.name for t in r.templates}
    assert {"policies/crispy/form.html", "policies/crispy/field.html", "policies/crispy/row.html"} <= used
    # bootstrap5's field templates (four to a field, three to a box) are not the editor's.
    assert not any(name.startswith("bootstrap5/") for name in used), sorted(used)
    # A window's start and end side by side, in crispy's row and columns.
    html = r.content.decode()
    assert (
        '<div class="row"><div class="col-sm-6"><div class="mb-3"><label for="id_w-administrative-0-start"'
        in html
    )


def test_the_editor_page_stays_small(tclient, therapist):
    """The benchmark's therapist's page (three windows, as this policy has) was 56 KB with
    crispy's bootstrap5 field templates, 40 KB with the editor's. The bound is on the markup,
    not on the policy's words."""
    publish_policy(therapist)
    html = tclient.get(reverse("policies:editor")).content.decode()
    assert len(html.encode()) < 44_000, len(html.encode())
