"""The exceptions list's filters answer: an impossible range or an unknown value is a form
error that says why (400), never an empty list that looks like 'nothing happened'."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import cast

import pytest
from django.urls import reverse

from audit.chain import record
from audit.models import BoundaryException
from portal.models import User

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "query, field, words",
    [
        (
            {"since": "2026-05-09", "until": "2026-05-01"},
            "until",
            "The end (01 May 2026) is before the start (09 May 2026)",
        ),
        ({"kind": "tampered"}, "kind", "There is no kind of exception tampered here"),
        ({"reviewed": "maybe"}, "reviewed", "There is no review state maybe here"),
        ({"client": "abc"}, "client", "No client here matches \u201cabc\u201d"),
        ({"client": "12345678"}, "client", "There is no client 12345678 here"),
        ({"until": "31/12/2026"}, "until", "Enter the end as a date"),
    ],
)
def test_a_filter_that_cannot_match_says_why(aclient, query, field, words):
    resp = aclient.get(reverse("audit:exceptions"), query)
    html = resp.content.decode()
    assert resp.status_code == 400
    assert any(words in e for e in resp.context["form"].errors[field])
    assert words in html and "Fix the filters above" in html and "Export CSV" not in html


def test_another_practices_therapist_is_an_unknown_value(aclient, other_therapist):
    resp = aclient.get(reverse("audit:exceptions"), {"therapist": other_therapist.pk})
    assert (
        resp.status_code == 400
        and f"There is no therapist {other_therapist.pk} here" in resp.content.decode()
    )


def test_days_are_whole_days_in_the_admins_zone(aclient, admin, therapist):
    admin.timezone = "America/Los_Angeles"
    admin.save(update_fields=["timezone"])
    # 07:30 UTC on 2 March is 23:30 on 1 March in Los Angeles
    e = record(
        practice_id=admin.practice_id,
        action="contact.decided",
        therapist_id=therapist.pk,
        exception_kind="blocked",
        at=datetime(2026, 3, 2, 7, 30, tzinfo=UTC),
    )
    exc = BoundaryException.objects.get(event=e)
    url = reverse("audit:exceptions")
    assert [
        r.pk for r in aclient.get(url, {"since": "2026-03-01", "until": "2026-03-01"}).context["rows"]
    ] == [exc.pk]
    assert list(aclient.get(url, {"since": "2026-03-02", "until": "2026-03-02"}).context["rows"]) == []
    html = aclient.get(url).content.decode()
    assert "2026-03-01 23:30" in html and html.count("America/Los_Angeles") == 1


def _rows(resp):
    assert resp.status_code == 200, resp.context["form"].errors
    return {r.pk for r in resp.context["rows"]}


@pytest.fixture
def two_therapists_exceptions(admin, therapist, colleague, client_user, other_client):
    pid = admin.practice_id
    mine = record(
        practice_id=pid,
        action="contact.decided",
        therapist_id=therapist.pk,
        client_id=client_user.pk,
        exception_kind="blocked",
    )
    theirs = record(
        practice_id=pid,
        action="contact.decided",
        therapist_id=colleague.pk,
        client_id=other_client.pk,
        exception_kind="blocked",
    )
    return BoundaryException.objects.get(event=mine).pk, BoundaryException.objects.get(event=theirs).pk


@pytest.mark.parametrize(
    "typed", ["Dr Taylor Reed", "dr taylor reed", "  Taylor ", "THERAPIST@alpha.test", "therapist@alpha"]
)
def test_a_therapist_is_found_by_name_part_or_email(aclient, therapist, two_therapists_exceptions, typed):
    mine, _theirs = two_therapists_exceptions
    assert _rows(aclient.get(reverse("audit:exceptions"), {"therapist": typed})) == {mine}


def test_a_client_is_found_by_name_and_the_id_of_a_link_still_works(
    aclient, client_user, other_client, two_therapists_exceptions
):
    _mine, theirs = two_therapists_exceptions
    url = reverse("audit:exceptions")
    assert _rows(aclient.get(url, {"client": "olive"})) == {theirs}
    assert _rows(aclient.get(url, {"client": str(other_client.pk)})) == {theirs}


def test_several_matches_is_a_clear_error_that_names_them(
    aclient, therapist, colleague, two_therapists_exceptions
):
    resp = aclient.get(reverse("audit:exceptions"), {"therapist": "Dr "})
    html = resp.content.decode()
    assert resp.status_code == 400 and resp.context["rows"] == []
    [error] = resp.context["form"].errors["therapist"]
    assert error.startswith("Several therapists match \u201cDr\u201d")
    assert "Dr Taylor Reed (therapist@alpha.test)" in error and "Dr Colleague (colleague@alpha.test)" in error
    assert "Type more of the name, or their e-mail." in html


def test_an_exact_name_wins_over_longer_names_that_contain_it(
    aclient, practice, therapist, two_therapists_exceptions
):
    from tests.factories import TherapistFactory

    TherapistFactory(practice=practice, email="reed2@alpha.test", full_name="Dr Taylor Reed-Smith")
    mine, _theirs = two_therapists_exceptions
    assert _rows(aclient.get(reverse("audit:exceptions"), {"therapist": "Dr Taylor Reed"})) == {mine}


def test_another_practices_people_never_match(aclient, other_therapist, two_therapists_exceptions):
    from tests.factories import ClientFactory

    stranger = cast(  # the factory makes a User (factory_boy ships no types)
        User, ClientFactory(therapist=other_therapist, email="stranger@beta.test", full_name="Sam Stranger")
    )
    url = reverse("audit:exceptions")
    for field, typed in (
        ("therapist", "Dr Other"),
        ("therapist", "therapist@beta.test"),
        ("client", "Sam Stranger"),
        ("client", "stranger@beta.test"),
        ("client", str(stranger.pk)),
    ):
        resp = aclient.get(url, {field: typed})
        assert resp.status_code == 400, (field, typed)
        assert resp.context["rows"] == []


def test_each_field_matches_only_its_role(aclient, therapist, client_user, two_therapists_exceptions):
    url = reverse("audit:exceptions")
    # a client's name in the therapist field, a therapist's in the client field
    assert aclient.get(url, {"therapist": "Casey Client"}).status_code == 400
    assert aclient.get(url, {"client": "Dr Taylor Reed"}).status_code == 400
    assert aclient.get(url, {"therapist": str(client_user.pk)}).status_code == 400


def test_the_filter_form_does_not_list_the_practice_and_keeps_what_was_typed(
    aclient, therapist, colleague, two_therapists_exceptions
):
    from portal.models import User

    User.objects.filter(pk=colleague.pk).update(full_name='Dr <b>"Bold"</b> & Co')
    html = aclient.get(reverse("audit:exceptions"), {"therapist": "Taylor"}).content.decode()
    start = html.index('aria-label="Filter exceptions"')
    form = html[start : html.index("</form>", start)]
    assert 'name="therapist" value="Taylor"' in form and 'type="text"' in form
    assert "<option" not in form.split('name="kind"')[0]  # no select of people before the kind
    assert "Bold" not in form and "Dr Colleague" not in form
    # the row shows the name, escaped
    html = aclient.get(reverse("audit:exceptions"), {"therapist": "colleague@alpha.test"}).content.decode()
    assert "Dr &lt;b&gt;&quot;Bold&quot;&lt;/b&gt; &amp; Co" in html and "<b>" not in html


def test_the_page_stays_small_however_many_people_the_practice_has(
    aclient, therapist, two_therapists_exceptions
):
    from tests.factories import ClientFactory

    url = reverse("audit:exceptions")
    before = len(aclient.get(url).content)
    ClientFactory.create_batch(60, therapist=therapist)
    assert len(aclient.get(url).content) == before
