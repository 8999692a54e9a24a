"""Reads that several doors share: current and governing versions (`governing_policy`),
compiled policies."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import datetime
from threading import Lock

from .compiled import CompiledPolicy, compile_rules
from .engine_types import ConsentSnapshot
from .models import PolicyVersion

_CACHE_SIZE = 2048
_compiled: OrderedDict[tuple, CompiledPolicy] = OrderedDict()
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


def current_version(therapist_id: int | None) -> PolicyVersion | None:
    """The therapist's published version: the one a client signs (none for no therapist)."""
    return PolicyVersion.objects.filter(
        therapist_id=therapist_id, status=PolicyVersion.Status.PUBLISHED
    ).first()


def draft_version(therapist_id: int) -> PolicyVersion | None:
    return PolicyVersion.objects.filter(therapist_id=therapist_id, status=PolicyVersion.Status.DRAFT).first()


def governing_version_id(consent, at: datetime) -> int | None:
    """Rule 3: the version whose rules decide this client's contact at `at`, if any (the
    consent's half of `governing_policy`, for lists that need no compiled rules). `consent`
    is a consent.Consent or None (policies does not import the consent app)."""
    if consent is None or not consent.governs_at(at):
        return None
    return consent.policy_version_id


@dataclass(frozen=True)
class Governing:
    """What `governing_policy` answers: the version whose rules decide a thread's contact."""

    version_id: int | None
    policy: CompiledPolicy | None
    governs: bool  # a consent governs (rule 3); False: the current version, for crisis resources
    snapshot: ConsentSnapshot  # the consent as the engine sees it
    version: PolicyVersion | None = field(default=None, compare=False)  # loaded when asked (with_version)


def governing_policy(thread, at: datetime, *, with_version: bool = False) -> Governing:
    """THE answer to "which policy version governs this client now": the send, the preview,
    the release, the compose summary of every page ask it (tests/policies/test_simulator_matches_send.py).

    `thread` is a messaging Thread with its `consent` loaded (locked, on the send path). A
    consent governs when it is active, or superseded and inside its grace period
    (Consent.governs_at); then its version decides. Otherwise the therapist's current
    published version does (crisis resources, a therapist's emergency override), or nothing
    when none is published. `with_version` also loads the PolicyVersion row (pages show it);
    without it a published version's rules come from the process cache, with no query."""
    consent = thread.consent
    snapshot = (
        ConsentSnapshot("none")
        if consent is None
        else ConsentSnapshot(consent.snapshot_state(at), frozenset(consent.channels))
    )
    governing_id = governing_version_id(consent, at)
    if governing_id is not None:
        if with_version:
            version = PolicyVersion.objects.get(pk=governing_id)
            return Governing(governing_id, compiled_policy(version), True, snapshot, version)
        return Governing(governing_id, compiled_policy_by_id(governing_id), True, snapshot)
    current = current_version(thread.therapist_id)
    if current is None:
        return Governing(None, None, False, snapshot)
    return Governing(current.pk, compiled_policy(current), False, snapshot, current)


def allowed_channels(rules: dict) -> list[str]:
    """Channels any allowed category of these rules uses (what a client may opt into)."""
    seen: list[str] = []
    for rule in rules.get("categories", {}).values():
        if rule.get("allowed"):
            for ch in rule.get("channels", []):
                if ch not in seen:
                    seen.append(ch)
    return seen
