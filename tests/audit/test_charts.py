"""Charts that count: per week by kind and per therapist, with axes, counts, plain labels,
grouped kinds, a period picker (4, 12, 26, 52 weeks) and the reviewed share."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from audit import charts
from audit.chain import record
from audit.models import BoundaryException

pytestmark = pytest.mark.django_db


def _exc(practice_id, therapist, kind, at, client=None, reviewed=False):
    e = record(
        practice_id=practice_id,
        action="contact.decided",
        therapist_id=therapist.pk,
        client_id=client.pk if client else None,
        exception_kind=kind,
        reasons=[],
        at=at,
    )
    if reviewed:
        BoundaryException.objects.filter(event=e).update(reviewed=True)
    return e


def _monday(now):
    d = now.date()
    return datetime.combine(d - timedelta(days=d.weekday()), datetime.min.time(), tzinfo=UTC)


@pytest.fixture
def history(admin, therapist, colleague):
    """This week: 2 blocked (1 reviewed), 1 consent withdrawn; three weeks ago: 1 after hours by the
    colleague; twenty weeks ago: 1 override."""
    pid = admin.practice_id
    monday = _monday(timezone.now())
    _exc(pid, therapist, "blocked", monday + timedelta(hours=10), reviewed=True)
    _exc(pid, therapist, "blocked", monday + timedelta(hours=11))
    _exc(pid, therapist, "consent_revoked", monday + timedelta(hours=12))
    _exc(pid, colleague, "after_hours", monday - timedelta(weeks=3) + timedelta(hours=10))
    _exc(pid, therapist, "override", monday - timedelta(weeks=20) + timedelta(hours=10))
    return monday


def test_summary_counts_per_week_by_kind_and_the_reviewed_share(admin, history):
    s = charts.summary(admin.practice_id, weeks=4, tz=ZoneInfo("UTC"))
    assert [r.monday for r in s.rows][-1] == history.date() and len(s.rows) == 4
    assert s.rows[-1].by_kind == {"blocked": 2, "consent_revoked": 1} and s.rows[-1].reviewed == 1
    assert s.rows[0].by_kind == {"after_hours": 1}
    assert (s.total, s.reviewed, s.reviewed_percent) == (4, 1, 25)
    assert s.group_totals() == [
        ("boundary", "Boundary crossings", 3),
        ("crisis", "Crisis escalations", 0),
        ("consent", "Consent changes", 1),
    ]
    assert charts.summary(admin.practice_id, weeks=26, tz=ZoneInfo("UTC")).total == 5


def test_weeks_start_on_monday_in_the_admins_zone(admin, therapist):
    # Sunday 23:30 in New York is Monday 04:30 UTC: it belongs to the New York week before.
    now = timezone.now()
    monday_utc = _monday(now)
    _exc(admin.practice_id, therapist, "blocked", monday_utc + timedelta(hours=4, minutes=30))
    ny = charts.summary(
        admin.practice_id, weeks=4, tz=ZoneInfo("America/New_York"), now=monday_utc + timedelta(days=2)
    )
    utc = charts.summary(admin.practice_id, weeks=4, tz=ZoneInfo("UTC"), now=monday_utc + timedelta(days=2))
    assert utc.rows[-1].total == 1
    assert ny.rows[-2].total == 1 and ny.rows[-1].total == 0


def test_the_dashboard_draws_axes_counts_and_plain_labels(aclient, history):
    html = aclient.get(reverse("practice:dashboard"), {"weeks": "4"}).content.decode()
    weeks_svg = html[html.index('aria-labelledby="chart-weeks-title"') :]
    weeks_svg = weeks_svg[: weeks_svg.index("</svg>")]
    assert "last 4 weeks: 4 in all" in weeks_svg
    assert ">Exceptions</text>" in weeks_svg and "Week starting (Monday, UTC)" in weeks_svg  # axis titles
    assert 'text-anchor="end" fill="#212529">0</text>' in weeks_svg  # the y axis starts at 0
    assert ">3</text>" in weeks_svg  # this week's bar says its count
    assert "1 delivered after hours</title>" in weeks_svg and "1 consent withdrawn</title>" in weeks_svg
    assert "after_hours" not in weeks_svg and "consent_revoked" not in weeks_svg
    key = html[html.index('data-testid="chart-key"') :]
    key = key[: key.index("</section>")]
    for words in (
        "Boundary crossings",
        "Crisis escalations",
        "Consent changes",
        "Delivered after hours",
        "Consent withdrawn",
        "swatch-after_hours",
    ):
        assert words in key
    assert key.index("Delivered after hours") < key.index("Consent changes") < key.index("Consent withdrawn")
    assert '<span data-testid="reviewed-share">25%</span>' in html
    table = html[
        html.index('data-testid="weeks-table"') : html.index(
            "</table>", html.index('data-testid="weeks-table"')
        )
    ]
    assert table.count("<tr>") == 5  # a header and one row per week
    therapists = html[html.index('aria-labelledby="chart-therapists-title"') :]
    assert "Dr Taylor Reed" in therapists and "Dr Colleague" in therapists
    assert "style=" not in html and "<script>" not in html


@pytest.mark.parametrize("weeks", [4, 12, 26, 52])
def test_the_period_picker_shows_that_many_weeks(aclient, history, weeks):
    resp = aclient.get(reverse("practice:dashboard"), {"weeks": str(weeks)})
    assert resp.status_code == 200 and len(resp.context["summary"].rows) == weeks
    assert resp.context["summary"].total == (4 if weeks < 26 else 5)


def test_an_unknown_period_says_why(aclient, history):
    resp = aclient.get(reverse("practice:dashboard"), {"weeks": "7"})
    assert resp.status_code == 400
    assert "Choose a period of 4, 12, 26 or 52 weeks." in resp.content.decode()
    assert len(resp.context["summary"].rows) == 12


def test_another_practices_exceptions_are_not_counted(aclient, history, other_therapist):
    _exc(other_therapist.practice_id, other_therapist, "blocked", history + timedelta(hours=9))
    resp = aclient.get(reverse("practice:dashboard"), {"weeks": "4"})
    assert resp.context["summary"].total == 4 and "Dr Other" not in resp.content.decode()


def test_per_therapist_counts_carry_names_and_take_three_queries_at_any_size(
    admin, history, therapist, colleague, django_assert_num_queries
):
    from tests.factories import TherapistFactory

    with django_assert_num_queries(3):  # per week, per therapist (by id), the names counted
        s = charts.summary(admin.practice_id, weeks=4, tz=ZoneInfo("UTC"))
    assert s.therapists == [
        ("Dr Taylor Reed", {"blocked": 2, "consent_revoked": 1}),
        ("Dr Colleague", {"after_hours": 1}),
    ]
    monday = history
    for n in range(12):
        extra = TherapistFactory(
            practice=therapist.practice, email=f"t{n}@alpha.test", full_name=f"Dr Extra {n:02}"
        )
        _exc(admin.practice_id, extra, "blocked", monday + timedelta(hours=1))
    with django_assert_num_queries(3):
        s = charts.summary(admin.practice_id, weeks=4, tz=ZoneInfo("UTC"))
    # most first, then by name
    assert [name for name, _c in s.therapists][:4] == [
        "Dr Taylor Reed",
        "Dr Colleague",
        "Dr Extra 00",
        "Dr Extra 01",
    ]
    assert len(s.therapists) == 14


def test_an_empty_period_asks_no_names(admin, django_assert_num_queries):
    with django_assert_num_queries(2):
        s = charts.summary(admin.practice_id, weeks=4, tz=ZoneInfo("UTC"))
    assert s.therapists == [] and s.total == 0


def test_counts_read_again_come_from_the_cache_until_an_exception_or_a_review_changes_them(
    admin, history, therapist, django_assert_num_queries
):
    from audit.services import exception_review

    utc = ZoneInfo("UTC")
    first = charts.summary(admin.practice_id, weeks=4, tz=utc)
    with django_assert_num_queries(2):  # the data's version and the names: the counts are cached
        again = charts.summary(admin.practice_id, weeks=4, tz=utc)
    assert (
        (again.total, again.reviewed, again.therapists)
        == (first.total, first.reviewed, first.therapists)
        == (
            4,
            1,
            [("Dr Taylor Reed", {"blocked": 2, "consent_revoked": 1}), ("Dr Colleague", {"after_hours": 1})],
        )
    )
    assert again.unreviewed == first.unreviewed == 4  # the override of twenty weeks ago too
    # A new exception: counted at once.
    _exc(admin.practice_id, therapist, "crisis", history + timedelta(hours=13))
    s = charts.summary(admin.practice_id, weeks=4, tz=utc)
    assert s.total == 5 and s.rows[-1].by_kind["crisis"] == 1 and s.unreviewed == 5
    # A review: counted at once.
    unreviewed = BoundaryException.objects.filter(
        practice_id=admin.practice_id, kind="blocked", reviewed=False
    ).get()
    exception_review(admin=admin, exception_id=unreviewed.pk, note="Seen.")
    s = charts.summary(admin.practice_id, weeks=4, tz=utc)
    assert (s.rows[-1].reviewed, s.reviewed, s.unreviewed) == (2, 2, 4)
    # Another zone or period is counted on its own.
    assert charts.summary(admin.practice_id, weeks=26, tz=utc).total == 6
    assert (
        charts.summary(admin.practice_id, weeks=4, tz=ZoneInfo("Pacific/Kiritimati")).tz_name
        == "Pacific/Kiritimati"
    )


def test_weeks_across_a_change_of_clocks_are_the_zones_own(admin, therapist):
    """width_bucket over the Mondays at midnight in the zone: the week after New York's clocks
    go back (1 November 2026) starts at 05:00 UTC, the one before at 04:00 UTC."""
    ny = ZoneInfo("America/New_York")
    now = datetime(2026, 11, 4, 12, 0, tzinfo=UTC)  # a Wednesday
    for at in (
        datetime(2026, 11, 2, 4, 30, tzinfo=UTC),  # Sunday 23:30 EST: the week before
        datetime(2026, 11, 2, 5, 0, tzinfo=UTC),  # Monday 00:00 EST: this week
        datetime(2026, 10, 26, 3, 59, tzinfo=UTC),  # Sunday 23:59 EDT: two weeks back
        datetime(2026, 10, 26, 4, 0, tzinfo=UTC),
    ):  # Monday 00:00 EDT: last week
        _exc(admin.practice_id, therapist, "blocked", at)
    s = charts.summary(admin.practice_id, weeks=4, tz=ny, now=now)
    assert [r.total for r in s.rows] == [0, 1, 2, 1]


def test_the_tables_hold_the_counts_week_by_week_and_therapist_by_therapist(aclient, history):
    html = aclient.get(reverse("practice:dashboard"), {"weeks": "4"}).content.decode()
    start = html.index('data-testid="weeks-table"')
    weeks = html[start : html.index("</table>", start)]
    # This week: 2 blocked, 1 consent withdrawn, 3 in all, 1 reviewed (kinds in KIND_ORDER).
    this_week = [0] * len(charts.KIND_ORDER)
    this_week[charts.KIND_ORDER.index("blocked")] = 2
    this_week[charts.KIND_ORDER.index("consent_revoked")] = 1
    assert f"{history:%-d %b %Y}</th>" + "".join(f"<td>{n}</td>" for n in [*this_week, 3, 1]) in weeks
    start = html.index('data-testid="therapists-table"')
    therapists = html[start : html.index("</table>", start)]
    colleague = [0] * len(charts.KIND_ORDER)
    colleague[charts.KIND_ORDER.index("after_hours")] = 1
    assert (
        '<th scope="row">Dr Colleague</th>' + "".join(f"<td>{n}</td>" for n in [*colleague, 1]) in therapists
    )
