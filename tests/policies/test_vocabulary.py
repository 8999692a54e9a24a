"""One vocabulary (issue 13): policies.vocabulary is the only module that defines the policy's
codes, and every code has a plain label there.

The source scan reads the apps' Python files (not the tests, the benchmarks, the demo's data or
the migrations) and fails on a second copy: a tuple, list or set of three or more category or
channel codes, a list of the whole week's days, a dict keyed by every day, or a set that
holds a never-allowed code.
"""

from __future__ import annotations

import ast
import itertools
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from policies import vocabulary as v
from policies.compiled import compile_rules
from policies.engine import decide
from policies.engine_types import ConsentSnapshot, Contact, History
from policies.rules import validate_rules
from tests.conftest import GOOD_RULES

ROOT = Path(__file__).resolve().parents[2]
APPS = ("audit", "consent", "messaging", "policies", "portal")
NEVER = v.NEVER_ALLOWED_CATEGORIES | v.NEVER_ALLOWED_CHANNELS


def _sources():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            # Migrations are history; a management command's demo policy is data.
            if (
                "migrations" in path.parts
                or "commands" in path.parts
                or path == ROOT / "policies" / "vocabulary.py"
            ):
                continue
            yield path


def _copies(tree: ast.AST) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Tuple | ast.List | ast.Set):
            words = [e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
            if not words or len(words) != len(node.elts):
                continue
            kinds = set(words)
            if kinds <= set(v.CATEGORIES) and len(kinds) >= 3:
                found.append((node.lineno, f"categories {words}"))
            elif kinds <= set(v.CHANNELS) and len(kinds) >= 3:
                found.append((node.lineno, f"channels {words}"))
            elif kinds == set(v.DAYS):
                found.append((node.lineno, f"days {words}"))
            if isinstance(node, ast.Set) and kinds & NEVER:
                found.append((node.lineno, f"never-allowed set {words}"))
        elif isinstance(node, ast.Call) and getattr(node.func, "id", None) == "frozenset" and node.args:
            arg = node.args[0]
            if isinstance(arg, ast.Set | ast.List | ast.Tuple) and any(
                isinstance(e, ast.Constant) and e.value in NEVER for e in arg.elts
            ):
                found.append((node.lineno, "never-allowed frozenset"))
        elif isinstance(node, ast.Dict):
            keys = {k.value for k in node.keys if isinstance(k, ast.Constant)}
            if set(v.DAYS) <= keys:
                found.append((node.lineno, "day names"))
    return found


def test_no_module_but_the_vocabulary_defines_categories_channels_days_or_the_never_allowed():
    copies = [
        f"{path.relative_to(ROOT)}:{line}: {what}"
        for path in _sources()
        for line, what in _copies(ast.parse(path.read_text()))
    ]
    assert copies == [], "\n".join(copies)


@pytest.mark.parametrize(
    "source, expected",
    [
        ('ORDER = ("emergency", "administrative", "check_in")', "categories"),
        ('WEEK = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]', "days"),
        (
            'NAMES = {"mon": "M", "tue": "T", "wed": "W", "thu": "T", "fri": "F", "sat": "S", "sun": "S"}',
            "day names",
        ),
        ('NEVER = frozenset({"personal"})', "never-allowed"),
        ('NEVER = {"social_media"}', "never-allowed"),
        ('OFFERED = ("portal", "phone", "email")', "channels"),
    ],
)
def test_the_scan_finds_each_kind_of_copy(source, expected):
    assert any(expected in what for _line, what in _copies(ast.parse(source)))


def test_rules_data_is_not_a_copy():
    # A policy's own rules name a few days and channels: data, not the vocabulary.
    assert (
        _copies(
            ast.parse('R = {"days": ["mon", "tue", "wed", "thu", "fri"], "channels": ["portal", "phone"]}')
        )
        == []
    )


# --- every code has its label --------------------------------------------------------------


def _decision_literals() -> set[str]:
    """Every code-like string literal of the engine's decision functions."""
    tree = ast.parse((ROOT / "policies" / "engine.py").read_text())
    names = {"decide", "_rules", "_blocked"}
    out: set[str] = set()
    for fn in (n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name in names):
        for node in ast.walk(fn):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and re.fullmatch(r"[a-z]+(_[a-z]+)*", node.value)
            ):
                out.add(node.value)
    return out


def test_every_code_the_engine_decides_with_is_the_vocabularys():
    known = (
        set(v.REASON_CODES)
        | set(v.DECISION_OUTCOMES)
        | set(v.CATEGORIES)
        | set(v.CHANNELS)
        | set(v.CONSENT_STATES)
        | set(v.SENDERS)
        | set(v.CONTACT_KINDS)
        | set(v.OUTSIDE_HOURS_MODES)
    )
    literals = _decision_literals()
    assert literals, "the scan found the engine's decision functions"
    assert literals - known == set()
    # The reason codes among them, with the consent blocks the engine looks up in the
    # vocabulary, are every reason code of the vocabulary: none is left without a use.
    reasons = literals - (known - set(v.REASON_CODES))
    assert reasons | set(v.CONSENT_BLOCK_REASONS.values()) == set(v.REASON_CODES)


def test_every_reason_code_has_a_label_and_a_sentence():
    from policies.wording import REASON_TEXT, reason_text

    assert set(v.REASON_LABELS) == set(REASON_TEXT)
    assert all(v.REASON_LABELS[c].strip() for c in v.REASON_CODES)
    # An unknown code (a newer engine) in words, never raw, as the pages put it.
    assert reason_text("a_newer_code") == "Policy rule: a newer code."


def test_decisions_carry_only_labelled_codes():
    """Whatever a decision says is in the vocabulary, with its label (a sweep of senders,
    categories, channels, consents, hours, overrides, limits and texts)."""
    policy = compile_rules(validate_rules(GOOD_RULES))
    monday = datetime(2026, 1, 5, 14, tzinfo=UTC)
    seen_reasons: set[str] = set()
    seen_outcomes: set[str] = set()
    bodies = ("", "Can we move Tuesday's session?", "I want to kill myself", "Add me on Instagram")
    for sender, category, channel, state, hours, override, body in itertools.product(
        v.SENDERS,
        v.CATEGORIES,
        v.CHANNELS,
        ("active", "none", "revoked", "superseded"),
        (0, 13, 40),
        (None, "Client at risk"),
        bodies,
    ):
        contact = Contact(
            at=monday + timedelta(hours=hours),
            sender=sender,
            category=category,
            channel=channel,
            body=body,
            override_reason=override,
            kind="call" if category == "scheduled_call" else "message",
            minutes=30 if category == "scheduled_call" else None,
        )
        history = History(sent_in_category_last_week=5, care_ended=(hours == 40 and state == "active"))
        d = decide(policy, contact, ConsentSnapshot(state, frozenset(v.OFFERED_CHANNELS)), history)
        seen_outcomes.add(d.outcome)
        seen_reasons.update(d.reasons)
    assert seen_reasons <= set(v.REASON_LABELS)
    assert seen_outcomes <= set(v.OUTCOME_LABELS)
    assert len(seen_reasons) >= 10 and seen_outcomes == set(v.DECISION_OUTCOMES)


def test_every_code_has_its_labels():
    assert set(v.CATEGORY_LABELS) == set(v.CATEGORIES)
    assert set(v.CATEGORY_SHORT_LABELS) == set(v.CATEGORIES)
    assert set(v.CATEGORY_IN_TEXT) == set(v.CONTACT_CATEGORIES)
    assert set(v.CATEGORY_MARKS) == set(v.EDITOR_ORDER) == set(v.CONTACT_CATEGORIES)
    assert set(v.CHANNEL_LABELS) == set(v.CHANNELS) == set(v.CHANNEL_IN_TEXT)
    assert set(v.CHANNEL_RISK_ORDER) == set(v.OFFERED_CHANNELS)
    assert list(v.DAY_NAMES) == list(v.DAYS) and set(v.DAY_SHORT_NAMES) == set(v.DAYS)
    assert set(v.OUTSIDE_HOURS_LABELS) == set(v.OUTSIDE_HOURS_MODES)
    assert set(v.OUTCOME_LABELS) == set(v.OUTCOMES)
    assert set(v.SENDER_LABELS) == set(v.SENDERS)
    assert set(v.CONSENT_BLOCK_REASONS.values()) <= set(v.REASON_CODES)
    assert set(v.CONSENT_BLOCK_REASONS) == set(v.CONSENT_STATES) - {"active", "grace"}
    assert set(v.OUTCOME_EXCEPTION_KINDS) <= set(v.DECISION_OUTCOMES)
    assert set(v.OUTCOME_EXCEPTION_KINDS.values()) <= set(v.EXCEPTION_KINDS)


def test_the_stored_codes_are_the_vocabularys():
    """The models' choices and the vocabulary name the same codes, so every stored status has a label."""
    from audit.models import BoundaryException
    from messaging.models import Message
    from policies.models import PolicyVersion

    assert set(BoundaryException.Kind.values) == set(v.EXCEPTION_KINDS)
    assert set(Message.Status.values) == set(v.OUTCOMES)
    assert set(PolicyVersion.Status.values) == set(v.VERSION_STATUS_LABELS)
    from consent.models import Consent

    assert set(Consent.Status.values) == set(v.CONSENT_STATUS_LABELS)


def test_the_orders():
    assert v.CONTACT_CATEGORIES == ("emergency", "administrative", "scheduled_call", "check_in")
    assert v.EDITOR_ORDER == ("emergency", "administrative", "check_in", "scheduled_call")
    assert "emergency" not in v.PAUSABLE_CATEGORIES and set(v.PAUSABLE_CATEGORIES) < set(v.EDITOR_ORDER)
    assert not NEVER & (set(v.CONTACT_CATEGORIES) | set(v.OFFERED_CHANNELS))
    assert v.DAYS[datetime(2026, 1, 5).weekday()] == "mon"
