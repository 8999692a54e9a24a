"""The authorization matrix, generated from the URL configuration.

Every URL pattern of the project (Django's own admin aside) must have a row in MATRIX with
the answer each persona gets: anonymous, the client, a client of another practice, the
therapist, a therapist of another practice, the practice admin, and the admin of another
practice. A new URL with no row fails `test_every_url_has_a_row`: there is no default row.

Objects all belong to the first practice: the client's thread, consent, a held message, a
booked call, a crisis alert, an invitation, the therapist's policy version, a boundary
exception. So "other" personas see 404 for objects (ids leak nothing) and 403 for roles.

STATE_MATRIX has two more columns for every URL: states of the first practice's therapist,
made a practice admin too (so that without two-factor login every therapist and admin URL would
let them in), signed in to a browser session with the password only: `pending`, enrolled in two-factor login and the code not
yet given; `unenrolled`, the practice requires two-factor login and they have not enrolled. The
API is called with that session (no token can be had in these states). Their answers name where
a redirect goes: `2fa` is 302 to the code page, `enrol` 302 to the enrolment page."""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from tests.authorization.rows_accounts import ACCOUNT_ROWS
from tests.authorization.rows_api import API_ROWS
from tests.authorization.rows_pages import PAGE_ROWS
from tests.authorization.rows_two_factor import STATE_MATRIX
from tests.authorization.world import PERSONAS, STATES, World, answer


def row(spec: str, columns=PERSONAS) -> dict[str, str]:
    """'anon=302 client=200 ...' -> {persona: answer}."""
    out = dict(part.split("=") for part in spec.split())
    assert set(out) == set(columns), spec
    return out


def _merged(*parts: dict[tuple[str, str], str]) -> dict[tuple[str, str], str]:
    """One matrix from its parts; a row in two parts would hide one of them."""
    out: dict[tuple[str, str], str] = {}
    for part in parts:
        twice = out.keys() & part.keys()
        assert not twice, f"rows in two parts of the matrix: {sorted(twice)}"
        out.update(part)
    return out


# The rows, reviewed by hand, are in tests/authorization/: the API's, the apps' pages', the
# pages outside the apps' namespaces, and the two-factor states.
MATRIX = _merged(API_ROWS, PAGE_ROWS, ACCOUNT_ROWS)


def _walk(resolver, ns=None):
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            if "django-admin" in str(p.pattern):
                continue
            yield from _walk(p, p.namespace or ns)
        elif isinstance(p, URLPattern) and p.name:
            yield f"{ns}:{p.name}" if ns else p.name


ALL_NAMES = sorted(set(_walk(get_resolver())))


def test_every_url_has_a_row():
    missing = [(n, m) for n in ALL_NAMES for m in ("GET", "POST") if (n, m) not in MATRIX]
    assert not missing, f"URLs with no row in the authorization matrix: {missing}"
    stale = [key for key in MATRIX if key[0] not in ALL_NAMES]
    assert not stale, f"rows for URLs that no longer exist: {stale}"


def test_every_url_has_a_row_for_the_two_factor_states():
    missing = [(n, m) for n in ALL_NAMES for m in ("GET", "POST") if (n, m) not in STATE_MATRIX]
    assert not missing, f"URLs with no row in STATE_MATRIX: {missing}"
    stale = [key for key in STATE_MATRIX if key[0] not in ALL_NAMES]
    assert not stale, f"STATE_MATRIX rows for URLs that no longer exist: {stale}"


@pytest.mark.parametrize("name,method", sorted(STATE_MATRIX))
@pytest.mark.django_db
def test_answers_in_the_two_factor_states(name, method):
    from django.db import transaction

    world = World()
    expected = row(STATE_MATRIX[(name, method)], STATES)
    got = {}
    for persona in STATES:
        with transaction.atomic():
            got[persona] = answer(world, name, method, persona)
            transaction.set_rollback(True)
    assert got == expected


@pytest.mark.parametrize("name,method", sorted(MATRIX))
@pytest.mark.django_db
def test_answers_match_the_matrix(name, method):
    from django.db import transaction

    world = World()
    expected = row(MATRIX[(name, method)])
    got = {}
    for persona in PERSONAS:
        with transaction.atomic():
            got[persona] = answer(world, name, method, persona)
            transaction.set_rollback(True)  # each persona meets the same world
    assert got == expected
