"""The exceptions list's filters answer: an impossible range or an unknown value is a form
error that says why (400), never an empty list that looks like 'nothing happened'."""

from __future__ import annotations

from datetime import datetime, timezone as dt_timezone

import pytest
from django.urls import reverse

from audit.chain import record
from audit.models import BoundaryException

pytestmark = pytest.mark.django_db


@pytest.fixture
def aclient(client, admin):
    client.force_login(admin)
    return client


@pytest.mark.parametrize("query, field, words", [
    ({"since": "2026-05-09", "until": "2026-05-01"}, "until", "The end (01 May 2026) is before the start (09 May 2026)"),
    ({"kind": "tampered"}, "kind", "There is no kind of exception tampered here"),
    ({"reviewed": "maybe"}, "reviewed", "There is no review state maybe here"),
    ({"client": "abc"}, "client", "There is no client abc here"),
    ({"until": "31/12/2026"}, "until", "Enter the end as a date"),
])
def test_a_filter_that_cannot_match_says_why(aclient, query, field, words):
    resp = aclient.get(reverse("audit:exceptions"), query)
    html = resp.content.decode()
    assert resp.status_code == 400
    assert any(words in e for e in resp.context["form"].errors[field])
    assert words in html and "Fix the filters above" in html and "Export CSV" not in html


def test_another_practices_therapist_is_an_unknown_value(aclient, other_therapist):
    resp = aclient.get(reverse("audit:exceptions"), {"therapist": other_therapist.pk})
    assert resp.status_code == 400 and f"There is no therapist {other_therapist.pk} here" in resp.content.decode()


def test_days_are_whole_days_in_the_admins_zone(aclient, admin, therapist):
    admin.timezone = "America/Los_Angeles"
    admin.save(update_fields=["timezone"])
    # 07:30 UTC on 2 March is 23:30 on 1 March in Los Angeles
    e = record(practice_id=admin.practice_id, action="contact.decided", therapist_id=therapist.pk,
               exception_kind="blocked", at=datetime(2026, 3, 2, 7, 30, tzinfo=dt_timezone.utc))
    exc = BoundaryException.objects.get(event=e)
    url = reverse("audit:exceptions")
    assert [r.pk for r in aclient.get(url, {"since": "2026-03-01", "until": "2026-03-01"}).context["rows"]] == [exc.pk]
    assert list(aclient.get(url, {"since": "2026-03-02", "until": "2026-03-02"}).context["rows"]) == []
    html = aclient.get(url).content.decode()
    assert "2026-03-01 23:30" in html and html.count("America/Los_Angeles") == 1


def test_the_people_selects_keep_the_choice_and_escape_names(aclient, therapist, colleague):
    from portal.models import User

    User.objects.filter(pk=colleague.pk).update(full_name='Dr <b>"Bold"</b> & Co')
    html = aclient.get(reverse("audit:exceptions"), {"therapist": therapist.pk}).content.decode()
    at = html.index('id="id_therapist" name="therapist"')
    select = html[html.rindex("<select", 0, at):html.index("</select>", at)]
    assert "form-select" in select
    assert f'<option value="{therapist.pk}" selected>Dr Taylor Reed</option>' in select
    assert "Dr &lt;b&gt;&quot;Bold&quot;&lt;/b&gt; &amp; Co" in select and "<b>" not in select
    assert '<option value="">Any therapist</option>' in select
