"""Audit endpoints: roles, scoping, filters, keyset paging, review, verify."""

from __future__ import annotations

import pytest

from audit.chain import record
from audit.models import AuditEvent, BoundaryException
from tests.conftest import api_for

pytestmark = pytest.mark.django_db


def make_exceptions(practice, therapist, client=None, kinds=("blocked", "override", "after_hours", "crisis")):
    out = []
    for kind in kinds:
        e = record(
            practice_id=practice.pk,
            action="contact.decided",
            actor=therapist,
            therapist_id=therapist.pk,
            client_id=client.pk if client else None,
            exception_kind=kind,
            reasons=["outside_hours"],
        )
        out.append(e.exception)
    return out


def test_roles_and_codes(admin, therapist, client_user, practice):
    make_exceptions(practice, therapist)
    assert api_for().get("/api/v1/audit/exceptions").status_code == 401
    assert api_for(therapist).get("/api/v1/audit/exceptions").status_code == 403
    assert api_for(client_user).get("/api/v1/audit/verify").status_code == 403
    r = api_for(admin).get("/api/v1/audit/exceptions")
    assert r.status_code == 200 and len(r.json()) == 4
    assert set(r.json()[0]) == {"id", "kind", "therapist_id", "client_id", "at", "reasons", "reviewed"}
    assert r.json()[0]["at"].endswith("Z")
    ids = [row["id"] for row in r.json()]
    assert ids == sorted(ids, reverse=True)


def test_another_practice_sees_nothing_and_gets_404(admin, other_admin, therapist, practice):
    exc = make_exceptions(practice, therapist)[0]
    assert api_for(other_admin).get("/api/v1/audit/exceptions").json() == []
    assert (
        api_for(other_admin)
        .post(f"/api/v1/audit/exceptions/{exc.pk}/review", {"note": "x"}, format="json")
        .status_code
        == 404
    )


def test_filters_and_keyset_paging(admin, therapist, colleague, client_user, practice):
    make_exceptions(practice, therapist, client_user)
    make_exceptions(practice, colleague, kinds=("blocked",) * 5)
    api = api_for(admin)
    assert {r["kind"] for r in api.get("/api/v1/audit/exceptions", {"kind": "crisis"}).json()} == {"crisis"}
    assert len(api.get("/api/v1/audit/exceptions", {"therapist": colleague.pk}).json()) == 5
    assert len(api.get("/api/v1/audit/exceptions", {"client": client_user.pk}).json()) == 4
    page1 = api.get("/api/v1/audit/exceptions", {"limit": 3}).json()
    page2 = api.get("/api/v1/audit/exceptions", {"limit": 3, "before": page1[-1]["id"]}).json()
    assert len(page1) == 3 and page2[0]["id"] < page1[-1]["id"]
    everything = [r["id"] for r in api.get("/api/v1/audit/exceptions", {"limit": 1000}).json()]
    assert everything[:6] == [r["id"] for r in page1 + page2]


@pytest.mark.parametrize(
    "query,field",
    [
        ({"limit": 0}, "limit"),
        ({"limit": 1001}, "limit"),
        ({"kind": "x"}, "kind"),
        ({"since": "2026-01-01T00:00:00"}, "since"),
        ({"therapist": "abc"}, "therapist"),
    ],
)
def test_bad_queries_are_400_with_the_field(admin, query, field):
    r = api_for(admin).get("/api/v1/audit/exceptions", query)
    assert r.status_code == 400 and field in r.json()


def test_review_marks_reviewed_records_an_event_and_filters(admin, therapist, practice):
    exc = make_exceptions(practice, therapist)[0]
    api = api_for(admin)
    assert (
        api.post(f"/api/v1/audit/exceptions/{exc.pk}/review", {"note": "  "}, format="json").status_code
        == 400
    )
    assert (
        api.post(
            f"/api/v1/audit/exceptions/{exc.pk}/review", {"note": "Seen, fine."}, format="json"
        ).status_code
        == 200
    )
    assert BoundaryException.objects.get(pk=exc.pk).reviewed
    assert AuditEvent.objects.filter(action="exception.reviewed").count() == 1
    assert [r["id"] for r in api.get("/api/v1/audit/exceptions", {"reviewed": "true"}).json()] == [exc.pk]
    assert exc.pk not in [r["id"] for r in api.get("/api/v1/audit/exceptions", {"reviewed": "false"}).json()]


def test_verify_endpoint(admin, therapist, practice):
    make_exceptions(practice, therapist)
    r = api_for(admin).get("/api/v1/audit/verify")
    assert r.status_code == 200 and r.json()["ok"] is True and r.json()["events"] >= 4
    assert r.json()["first_broken"] is None


def test_exception_list_query_count_is_constant(admin, therapist, practice, django_assert_num_queries):
    make_exceptions(practice, therapist, kinds=("blocked",) * 30)
    api = api_for(admin)
    with django_assert_num_queries(2):  # the token (joined with its user), then the page
        assert len(api.get("/api/v1/audit/exceptions", {"limit": 30}).json()) == 30
