"""Reads that several doors share: current and governing versions, compiled policies."""

from __future__ import annotations

from collections import OrderedDict
from datetime import datetime
from threading import Lock

from .engine import CompiledPolicy, compile_rules
from .models import Consent, PolicyVersion

_CACHE_SIZE = 2048
_compiled: "OrderedDict[tuple, CompiledPolicy]" = OrderedDict()
_lock = Lock()


def compiled_policy(version: PolicyVersion) -> CompiledPolicy:
    """The engine's form of a version's rules, compiled once per version.

    Published rules never change, so the version id is key enough; a draft is keyed
    by its last save too. A process cache is safe here because nothing it holds can
    go stale (consent, unlike rules, is always read from the database).
    """
    key = (version.pk, None if version.is_frozen else version.updated_at)
    with _lock:
        hit = _compiled.get(key)
        if hit is not None:
            _compiled.move_to_end(key)
            return hit
    policy = compile_rules(version.rules)
    with _lock:
        _compiled[key] = policy
        while len(_compiled) > _CACHE_SIZE:
            _compiled.popitem(last=False)
    return policy


def compiled_policy_by_id(version_id: int) -> CompiledPolicy:
    """A published or superseded version's compiled rules, without a query once cached."""
    with _lock:
        hit = _compiled.get((version_id, None))
        if hit is not None:
            return hit
    return compiled_policy(PolicyVersion.objects.get(pk=version_id))


def current_version(therapist_id: int) -> PolicyVersion | None:
    """The therapist's published version: the one a client signs."""
    return PolicyVersion.objects.filter(therapist_id=therapist_id, status=PolicyVersion.Status.PUBLISHED).first()


def draft_version(therapist_id: int) -> PolicyVersion | None:
    return PolicyVersion.objects.filter(therapist_id=therapist_id, status=PolicyVersion.Status.DRAFT).first()


def latest_consent(client_id: int) -> Consent | None:
    return Consent.objects.filter(client_id=client_id).select_related("policy_version").first()


def governing_version_id(consent: Consent | None, at: datetime) -> int | None:
    """Rule 3: the version whose rules decide this client's contact at `at`, if any."""
    if consent is None or not consent.governs_at(at):
        return None
    return consent.policy_version_id


def allowed_channels(rules: dict) -> list[str]:
    """Channels any allowed category of these rules uses (what a client may opt into)."""
    seen: list[str] = []
    for rule in rules.get("categories", {}).values():
        if rule.get("allowed"):
            for ch in rule.get("channels", []):
                if ch not in seen:
                    seen.append(ch)
    return seen
