"""The words of a consent's state, for the consent pages and every page that shows one (the
labels are policies.vocabulary's)."""

from __future__ import annotations

from policies.vocabulary import CONSENT_STATUS_LABELS


def consent_status_label(code: str) -> str:
    return CONSENT_STATUS_LABELS.get(code, code.replace("_", " ").capitalize())
