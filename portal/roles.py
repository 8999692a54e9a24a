"""Who may do what, by role: the one place that says what each role is.

The page decorators (`portal.views.role_required`), the REST API's permissions
(`portal.api.permissions`) and the selectors that scope by role ask these predicates;
nothing else reads `is_practice_admin`, `is_therapist` or `is_client` to decide a role.
Each takes a user or None (the API's anonymous user is None: UNAUTHENTICATED_USER).

A staff role (admin, therapist) counts only inside a practice; a client belongs to a
therapist. One person may be both admin and therapist (a solo practice).
"""

from __future__ import annotations


def is_practice_admin(user) -> bool:
    """A practice admin of some practice."""
    return bool(user and user.is_practice_admin and user.practice_id)


def is_therapist(user) -> bool:
    """A therapist of some practice."""
    return bool(user and user.is_therapist and user.practice_id)


def is_client(user) -> bool:
    """A client (of one therapist)."""
    return bool(user and user.is_client)


def is_thread_therapist(user) -> bool:
    """A therapist on the therapist's side of threads: a therapist who is not also someone's client."""
    return is_therapist(user) and not is_client(user)


def is_participant(user) -> bool:
    """Someone who takes part in threads: a client, or a therapist of a practice."""
    return is_client(user) or is_therapist(user)
