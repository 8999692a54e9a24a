"""Template filters that put codes into words (each from the module that owns them)."""

from __future__ import annotations

from django import template

from consent.wording import consent_status_label
from messaging import wording
from policies.vocabulary import channel_label

register = template.Library()


@register.filter
def channel_words(codes) -> str:
    if isinstance(codes, str):
        return channel_label(codes)
    return wording.channels_text(codes)


@register.filter
def consent_status_words(code: str) -> str:
    return consent_status_label(code or "")


@register.filter
def version_status_words(code: str) -> str:
    return wording.version_status_label(code or "")


@register.filter
def fingerprint(sha: str) -> str:
    return wording.fingerprint(sha or "")


@register.filter
def is_heading(line: str) -> bool:
    """A section heading of the policy text ("## Title"): shown as a heading, without the marks."""
    return str(line or "").startswith("## ")


@register.filter
def heading_text(line: str) -> str:
    return str(line or "")[3:]


@register.filter
def iso_seconds(at) -> str:
    """A `datetime` attribute without microseconds (the HTML checker rejects them)."""
    return at.replace(microsecond=0).isoformat() if at else ""
