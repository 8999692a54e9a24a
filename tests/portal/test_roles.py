"""Role predicates live in one module (issue 13): portal.roles is the only code that reads a
user's role flags; the page decorators, the API's permissions, the views and the selectors ask it."""

from __future__ import annotations

import ast
from pathlib import Path
from types import SimpleNamespace

import pytest

from portal import roles

ROOT = Path(__file__).resolve().parents[2]
APPS = ("audit", "consent", "messaging", "policies", "portal")
FLAGS = {"is_therapist", "is_client", "is_practice_admin"}
# The flags' own home (the model that defines them, and its derived properties) and the module that reads them.
OWNERS = {ROOT / "portal" / "roles.py", ROOT / "portal" / "models.py"}


def _role_reads(tree: ast.AST) -> list[int]:
    """Lines that read a role flag off something other than `self` or `roles` (a form's own
    `self.is_therapist` is a flag it was given, not a role test; `roles.is_therapist` is the predicate)."""
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and node.attr in FLAGS
        and isinstance(node.ctx, ast.Load)
        and not (isinstance(node.value, ast.Name) and node.value.id in ("self", "roles"))
    ]


def test_only_portal_roles_reads_the_role_flags():
    reads = [
        f"{path.relative_to(ROOT)}:{line}"
        for app in APPS
        for path in sorted((ROOT / app).rglob("*.py"))
        if "migrations" not in path.parts and path not in OWNERS
        for line in _role_reads(ast.parse(path.read_text()))
    ]
    assert reads == [], "ask portal.roles instead: " + ", ".join(reads)


def test_the_scan_finds_a_role_test():
    assert _role_reads(ast.parse("if request.user.is_therapist and not user.is_client: pass")) == [1, 1]
    assert _role_reads(ast.parse("self.is_therapist = is_therapist\nif self.is_therapist: pass")) == []
    # A filter on the column is a query, not a role test.
    assert _role_reads(ast.parse("User.objects.filter(is_therapist=True)")) == []
    assert _role_reads(ast.parse("if roles.is_therapist(user): pass")) == []


def _user(**kw):
    base = {"is_therapist": False, "is_practice_admin": False, "is_client": False, "practice_id": 1}
    return SimpleNamespace(**{**base, **kw})


@pytest.mark.parametrize(
    "user, admin, therapist, client, thread_therapist, participant",
    [
        (None, False, False, False, False, False),
        (_user(is_practice_admin=True), True, False, False, False, False),
        (_user(is_practice_admin=True, practice_id=None), False, False, False, False, False),
        (_user(is_therapist=True), False, True, False, True, True),
        (_user(is_therapist=True, is_practice_admin=True), True, True, False, True, True),
        (_user(is_therapist=True, practice_id=None), False, False, False, False, False),
        (_user(is_client=True), False, False, True, False, True),
        # A therapist's flag on someone's client does not make them the therapist's side of a thread.
        (_user(is_client=True, is_therapist=True), False, True, True, False, True),
    ],
)
def test_the_predicates(user, admin, therapist, client, thread_therapist, participant):
    assert roles.is_practice_admin(user) is admin
    assert roles.is_therapist(user) is therapist
    assert roles.is_client(user) is client
    assert roles.is_thread_therapist(user) is thread_therapist
    assert roles.is_participant(user) is participant
