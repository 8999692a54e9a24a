"""Issue 12's pages: one message box (category optional, no channel menu for a client, the
server decides without JavaScript), crisis resources with every number a tel: link (and
sms: where the text says text), the therapist's reading markers, and the words the
compose box's script is given.
"""

from __future__ import annotations

import base64
import json
import re

import pytest
from django.template import Context, Template
from django.urls import reverse

from audit.models import BoundaryException
from messaging.models import Message
from messaging.templatetags.crisis import crisis_links_html, phone_value
from messaging.wording import (CRISIS_KIND_TEXT, PREVIEW_TEXT, READS_AS, REASON_TEXT, crisis_pause_text,
                               crisis_watch_text, reading_notes)
from policies.reader import Reading
from tests.conftest import GOOD_RULES

from .test_views import last_message, open_everything, page, thread_url

CRISIS_RESOURCES = GOOD_RULES["crisis_resources"]  # "If you are in danger call 911, or call or text 988."


def links(html: str) -> list[str]:
    return re.findall(r'href="((?:tel|sms):[^"]*)"', html)


# --- the crisis_links filter ----------------------------------------------------------------

def test_every_number_in_the_crisis_resources_is_a_tel_link_and_text_adds_sms():
    html = crisis_links_html(CRISIS_RESOURCES)
    assert links(html) == ["tel:911", "tel:988", "sms:988"]
    assert html.startswith("If you are in danger call ")
    assert '<a class="crisis-tel" href="tel:911" aria-label="Call 911">911</a>' in html


@pytest.mark.parametrize("text, expected", [
    ("Samaritans: 116 123", ["tel:116123"]),
    ("Lifeline 13 11 14", ["tel:131114"]),
    ("Call 1-800-273-8255 or (800) 273-8255", ["tel:18002738255", "tel:8002738255"]),
    ("Abroad: +44 20 7946 0958", ["tel:+442079460958"]),
    ("Text HOME to 741741", ["tel:741741", "sms:741741"]),
    ("Llama o envía un SMS al 024", ["tel:024", "sms:024"]),
    # Only the words since the previous number count: 911 takes calls only.
    ("Call 911. You can also text 988", ["tel:911", "tel:988", "sms:988"]),
])
def test_phone_numbers_as_therapists_write_them(text, expected):
    assert links(crisis_links_html(text)) == expected


@pytest.mark.parametrize("text", [
    "I read messages on weekdays 9-17 and reply within one business day.",
    "Open 10-12 and at 14:30, 24/7 in term, since 2020, version 1.5.",
    "Room B12, H2O, 3 times",
])
def test_hours_years_and_words_are_not_phone_numbers(text):
    html = crisis_links_html(text)
    assert links(html) == [] and html == text


def test_phone_value_strips_separators_and_keeps_a_leading_plus():
    assert phone_value("+1 (800) 273-8255") == "+18002738255"
    assert phone_value("12") is None and phone_value("9-17") is None


def test_the_text_is_escaped_before_it_is_linked():
    html = crisis_links_html('<script>alert(1)</script> O\'Neil line "911"')
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "&#x27;" in html and links(html) == ["tel:911"]


def test_the_filter_in_a_template_marks_its_output_safe_and_escapes_the_input():
    out = Template("{% load crisis %}{{ text|crisis_links }}").render(Context({"text": "<b>call 988</b>"}))
    assert out == '&lt;b&gt;call <a class="crisis-tel" href="tel:988" aria-label="Call 988">988</a>&lt;/b&gt;'
