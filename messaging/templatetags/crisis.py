"""`crisis_links`: crisis resources as the therapist wrote them, every phone number a link.

Someone in crisis should be one tap from help: "call or text 988" becomes a `tel:988`
link and, because the text says text, an `sms:988` link beside it. The text is escaped
piece by piece (the numbers are found in the raw text, so an entity such as `&#x27;`
is never read as digits) and only the links are markup.
"""

from __future__ import annotations

import re

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

# A number: an optional +, then digit groups joined by one space, hyphen or dot, or a
# bracketed area code: 911, 988, 741741, 116 123, 13 11 14, 1-800-273-8255, (800) 273-8255,
# +44 20 7946 0958. Not inside a word or a longer number, and not a time or a decimal.
_NUMBER = re.compile(
    r"(?<![\w+:.,/])(\+?(?:\(\d{1,4}\)[ ]?)?\d+(?:[ .\-]\d+|[ ]?\(\d+\)[ ]?\d+)*)(?![\w:/]|[.,]\d)"
)
# Words that say the number takes text messages (the contract's languages).
_TEXT_WORDS = re.compile(r"\b(?:text|texting|txt|sms|texto|mensaje|mensagem|whatsapp)\b", re.IGNORECASE)
# Where one offer of a number ends and the next begins.
_CLAUSE_END = re.compile(r"[.;!?\n]")


def phone_value(number: str) -> str | None:
    """The dialable form of a number as written, or None when it is not one to dial."""
    digits = re.sub(r"\D", "", number)
    if not 3 <= len(digits) <= 15:
        return None
    groups = re.findall(r"\d+", number)
    if len(digits) < 7:
        # Short numbers are crisis lines (911, 988, 116 123, 13 11 14), written in one
        # group or in groups of two or more split by spaces: "9-17" or "10-12" are hours.
        if len(groups) > 1 and (re.search(r"[.\-()]", number) or min(len(g) for g in groups) < 2):
            return None
        if len(groups) == 1 and len(digits) == 4 and 1900 <= int(digits) <= 2099:
            return None  # a year
    return ("+" if number.startswith("+") else "") + digits


def _says_text(before: str) -> bool:
    clause = _CLAUSE_END.split(before)[-1]
    return bool(_TEXT_WORDS.search(clause))


def crisis_links_html(text: str | None) -> SafeString:
    text = text or ""
    out: list[str] = []
    last = 0
    for match in _NUMBER.finditer(text):
        number = match.group(1)
        value = phone_value(number)
        if value is None:
            continue
        out.append(escape(text[last : match.start(1)]))
        shown = escape(number)
        out.append(f'<a class="crisis-tel" href="tel:{value}" aria-label="Call {shown}">{shown}</a>')
        # Only the words since the previous number count: "call 911, or call or text 988".
        if _says_text(text[last : match.start(1)]):
            out.append(
                f' (<a class="crisis-sms" href="sms:{value}" aria-label="Text {shown}">send a text</a>)'
            )
        last = match.end(1)
    out.append(escape(text[last:]))
    return mark_safe("".join(out))  # noqa: S308 - every piece of text escaped above; the links' numbers are digits


@register.filter(name="crisis_links", is_safe=True)
def crisis_links(value) -> SafeString:
    """Escape crisis resources, then make each phone number a tel: link (and sms: where
    the text says the number takes texts)."""
    return crisis_links_html(str(value) if value is not None else "")
