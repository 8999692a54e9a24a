"""Charts that count: server-rendered SVG with axes, counts and plain labels (no JavaScript,
no CDN, no inline style), each beside a table of the same numbers for screen readers and
for anyone who wants the figures.

Kinds are grouped (audit.wording.EXCEPTION_KIND_GROUPS) so boundary crossings stand
apart from crisis escalations and consent changes: a client withdrawing consent is not a
boundary crossed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo

from django.core.cache import cache
from django.db import connection
from django.db.models import Count
from django.db.models.expressions import RawSQL
from django.db.models.functions import TruncWeek
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe

from policies.vocabulary import exception_kind_label
from portal.models import Practice, User

from .models import BoundaryException
from .wording import EXCEPTION_KIND_GROUPS

# Kinds in the order they stack (bottom up), by group; each group has its own hue family so a
# reader who cannot tell the shades apart still tells the groups apart by the legend's order.
KIND_ORDER = tuple(k for _label, kinds in EXCEPTION_KIND_GROUPS.values() for k in kinds)
COLOURS = {
    "blocked": "#0a4a8f",
    "override": "#3d7cc9",
    "after_hours": "#7fb0e6",
    "emergency_mismatch": "#b9d5f3",
    "crisis": "#b3541e",
    "consent_revoked": "#5c636a",
}


@dataclass
class WeekRow:
    monday: date
    by_kind: dict[str, int] = field(default_factory=dict)
    reviewed: int = 0

    @property
    def total(self) -> int:
        return sum(self.by_kind.values())

    @property
    def cells(self) -> list[int]:
        return [self.by_kind.get(k, 0) for k in KIND_ORDER]

    def group_total(self, group: str) -> int:
        return sum(self.by_kind.get(k, 0) for k in EXCEPTION_KIND_GROUPS[group][1])


@dataclass
class Summary:
    weeks: int
    tz_name: str
    rows: list[WeekRow]
    therapists: list[tuple[str, dict[str, int]]]
    unreviewed: int = 0  # of every exception of the practice, not only the period's

    @property
    def total(self) -> int:
        return sum(r.total for r in self.rows)

    @property
    def reviewed(self) -> int:
        return sum(r.reviewed for r in self.rows)

    @property
    def reviewed_percent(self) -> int | None:
        return round(100 * self.reviewed / self.total) if self.total else None

    def therapist_rows(self) -> list[tuple[str, list[int], int]]:
        return [(name, [c.get(k, 0) for k in KIND_ORDER], sum(c.values())) for name, c in self.therapists]

    def group_totals(self) -> list[tuple[str, str, int]]:
        return [
            (g, label, sum(r.group_total(g) for r in self.rows))
            for g, (label, _k) in EXCEPTION_KIND_GROUPS.items()
        ]


def _mondays(weeks: int, tz: tzinfo, now: datetime) -> list[date]:
    today = now.astimezone(tz).date()
    monday = today - timedelta(days=today.weekday())
    return [monday - timedelta(weeks=k) for k in range(weeks - 1, -1, -1)]


CACHE_S = 600  # a bound on staleness only in a rare race (see _version); the key changes with the data


def _version(practice_id: int) -> tuple[str, int]:
    """The version of a practice's exceptions, and how many are not reviewed: one statement,
    three index reads (the practice's row, exc_practice_id, exc_unreviewed_id). Exceptions are
    never deleted and only ever go from not reviewed to reviewed, so a new exception changes
    the newest id and a review the count: counts cached under this version are the data's.
    The practice's creation time tells a database seeded again (ids start over) from the old.
    (The one miss: a review and an exception with a lower id than the newest, committed late,
    between two reads; the cache's timeout bounds that.)"""
    table, practices = BoundaryException._meta.db_table, Practice._meta.db_table
    with connection.cursor() as cur:
        # Table names are the models' own, never input.
        cur.execute(
            f"SELECT (SELECT created_at FROM {practices} WHERE id = %s), "  # noqa: S608
            f"(SELECT max(id) FROM {table} WHERE practice_id = %s), "
            f"(SELECT count(*) FROM {table} WHERE practice_id = %s AND NOT reviewed)",
            [practice_id, practice_id, practice_id],
        )
        created, newest, unreviewed = cur.fetchone()
    born = round(created.timestamp() * 1_000_000) if created else 0
    return f"{born}.{newest or 0}.{unreviewed or 0}", unreviewed or 0


def _counts(practice_id: int, mondays: list[date], tz: tzinfo) -> list[tuple[int, int, str, bool, int]]:
    """(week index, therapist id, kind, reviewed, count) over the period: one statement. On
    PostgreSQL the week of each row is found among the period's Mondays (midnight in the
    admin's zone, DST included, computed here) by width_bucket, a binary search, instead of
    converting and truncating every row's time (2x cheaper over 45,000 rows); the rows come
    from the covering index exc_practice_at_cover alone."""
    starts = [datetime.combine(m, time(0), tzinfo=tz) for m in mondays]
    base = BoundaryException.objects.filter(practice_id=practice_id, at__gte=starts[0])
    week: RawSQL | TruncWeek
    # The week's key: its bucket number (PostgreSQL) or its Monday (elsewhere).
    index: dict[int | date, int]
    if connection.vendor == "postgresql":
        week = RawSQL(  # noqa: S611 -- constant SQL: the model's table name; the Mondays are a parameter
            f'width_bucket("{BoundaryException._meta.db_table}"."at", %s::timestamptz[])',
            [starts],
        )
        index = {i + 1: i for i in range(len(mondays))}
    else:
        week = TruncWeek("at", tzinfo=tz)
        index = {m: i for i, m in enumerate(mondays)}
    out = []
    for r in (
        base.annotate(week=week)
        .values("week", "therapist_id", "kind", "reviewed")
        .annotate(n=Count("id"))
        .order_by()
    ):
        w = r["week"]
        w = w.date() if isinstance(w, datetime) else w
        if w in index:
            out.append((index[w], r["therapist_id"], r["kind"], r["reviewed"], r["n"]))
    return out


def summary(practice_id: int, *, weeks: int, tz: tzinfo, now: datetime | None = None) -> Summary:
    """Counts per week (Monday to Sunday in the admin's zone) by kind, the reviewed share, and
    counts per therapist by kind, over the last `weeks` weeks including this one, and how many
    exceptions wait for review. Three statements: the data's version, the counts (cached under
    that version, so a dashboard opened again reads them from the cache until an exception or
    a review changes them), and the names of the therapists counted."""
    now = now or timezone.now()
    mondays = _mondays(weeks, tz, now)
    version, unreviewed = _version(practice_id)
    # v2: the sums (by week, reviewed by week, by therapist); a new shape takes a new prefix.
    key = (
        f"audit:charts:v2:{practice_id}:{getattr(tz, 'key', str(tz))}:{mondays[0]}:{weeks}:{version}".replace(
            " ", "_"
        )
    )
    cached = cache.get(key)
    if cached is None:
        # Summed before caching: a hit reads a few hundred numbers, not the period's groups
        # (52 weeks x 50 therapists x kinds x reviewed: ~20,000 of them).
        by_week: list[dict[str, int]] = [{} for _m in mondays]
        reviewed_in = [0] * len(mondays)
        by_id: dict[int, dict[str, int]] = {}
        for w, therapist_id, kind, reviewed, n in _counts(practice_id, mondays, tz):
            by_week[w][kind] = by_week[w].get(kind, 0) + n
            if reviewed:
                reviewed_in[w] += n
            per = by_id.setdefault(therapist_id, {})
            per[kind] = per.get(kind, 0) + n
        cached = (by_week, reviewed_in, by_id)
        cache.set(key, cached, CACHE_S)
    by_week, reviewed_in, by_id = cached
    rows = [WeekRow(m, by_kind=k, reviewed=r) for m, k, r in zip(mondays, by_week, reviewed_in, strict=True)]
    # Grouped by the therapist's id (no join with users over every row of the period); the few
    # names are read after, in one query, never cached (a rename shows at once).
    names = (
        dict(User.objects.filter(practice_id=practice_id, pk__in=by_id).values_list("pk", "full_name"))
        if by_id
        else {}
    )
    therapists = sorted(
        ((names.get(t, ""), c) for t, c in by_id.items()), key=lambda p: (-sum(p[1].values()), p[0])
    )
    return Summary(
        weeks=weeks,
        tz_name=getattr(tz, "key", str(tz)),
        rows=rows,
        therapists=therapists,
        unreviewed=unreviewed,
    )


def table_rows(s: Summary) -> tuple[list[tuple[date, str]], list[tuple[str, str]]]:
    """The two tables' rows: (Monday, its cells) and (therapist's name, their cells), the cells
    as HTML (counts only, nothing to escape): ~900 numbers a 52-week page, each of which cost a
    template variable's localisation (~60 us) when the template wrote it."""

    def cells(ns) -> str:
        return mark_safe("".join(f"<td>{int(n)}</td>" for n in ns))  # noqa: S308 - integers only

    weeks = [(r.monday, cells([*r.cells, r.total, r.reviewed])) for r in s.rows]
    therapists = [(name, cells([*c, total])) for name, c, total in s.therapist_rows()]
    return weeks, therapists


def _nice_top(n: int) -> tuple[int, int]:
    """An axis top at or above n, and a tick step, in round numbers (1, 2, 5 x 10^k)."""
    if n <= 0:
        return 1, 1
    raw = n / 4
    mag = 10 ** math.floor(math.log10(raw)) if raw >= 1 else 1
    step = next(m * mag for m in (1, 2, 5, 10) if m * mag >= raw)
    step = max(1, int(step))
    return int(math.ceil(n / step) * step), step


def legend() -> list[tuple[str, list[tuple[str, str]]]]:
    """The key, as HTML beside the charts (it wraps on a phone, and a screen reader reads it):
    [(group label, [(kind code, kind label)])]; the swatch colour is the CSS class `swatch-<code>`."""
    return [
        (label, [(k, exception_kind_label(k)) for k in kinds])
        for label, kinds in EXCEPTION_KIND_GROUPS.values()
    ]


def weeks_svg(s: Summary) -> str:
    """Stacked bars, one per week, with a y axis of counts, each bar's total above it and the
    weeks named below (every few when the period is long)."""
    n = len(s.rows)
    left, right, top_pad, plot_h = 44, 10, 18, 200
    width = 720
    plot_w = width - left - right
    height = top_pad + plot_h + 40
    top, step = _nice_top(max((r.total for r in s.rows), default=0))
    slot = plot_w / n
    bar_w = max(2.0, slot * 0.7)
    label_every = 1 if n <= 12 else (2 if n <= 26 else 4)  # counted from this week back
    title = f"Exceptions per week, by kind, last {s.weeks} weeks: {s.total} in all"
    parts = [
        f'<svg role="img" aria-labelledby="chart-weeks-title" viewBox="0 0 {width} {height}" '
        f'width="100%" class="audit-chart" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="chart-weeks-title">{escape(title)}</title>'
    ]
    base = top_pad + plot_h
    for v in range(0, top + 1, step):
        y = base - v / top * plot_h
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="#dee2e6" stroke-width="1"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" font-size="11" text-anchor="end" fill="#212529">{v}</text>'
        )
    parts.append(
        f'<line x1="{left}" y1="{top_pad}" x2="{left}" y2="{base}" stroke="#212529"/>'
        f'<line x1="{left}" y1="{base}" x2="{width - right}" y2="{base}" stroke="#212529"/>'
        f'<text x="12" y="{top_pad + plot_h / 2:.0f}" font-size="11" fill="#212529" text-anchor="middle" '
        f'transform="rotate(-90 12 {top_pad + plot_h / 2:.0f})">Exceptions</text>'
    )
    for i, row in enumerate(s.rows):
        x = left + i * slot + (slot - bar_w) / 2
        y = base
        for k in KIND_ORDER:
            c = row.by_kind.get(k, 0)
            if not c:
                continue
            h = c / top * plot_h
            y -= h
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{h:.1f}" fill="{COLOURS[k]}">'
                f"<title>Week of {row.monday:%d %b}: {c} {escape(exception_kind_label(k).lower())}</title></rect>"
            )
        if row.total:
            parts.append(
                f'<text x="{x + bar_w / 2:.1f}" y="{y - 3:.1f}" font-size="{10 if n <= 26 else 8}" '
                f'text-anchor="middle" fill="#212529">{row.total}</text>'
            )
        if (n - 1 - i) % label_every == 0:
            parts.append(
                f'<text x="{x + bar_w / 2:.1f}" y="{base + 14}" font-size="10" text-anchor="middle" '
                f'fill="#212529">{row.monday.day} {row.monday:%b}</text>'
            )
    parts.append(
        f'<text x="{left + plot_w / 2:.0f}" y="{base + 30}" font-size="11" text-anchor="middle" fill="#212529">'
        f"Week starting (Monday, {escape(s.tz_name)})</text>"
    )
    parts.append("</svg>")
    return "".join(parts)


def therapists_svg(s: Summary) -> str:
    """One horizontal stacked bar per therapist, with an x axis of counts and each total."""
    rows = s.therapists[:20]
    if not rows:
        return ""
    name_w, right, line, top_pad = 170, 40, 26, 8
    width = 720
    plot_w = width - name_w - right
    plot_h = line * len(rows)
    height = top_pad + plot_h + 40
    top, step = _nice_top(max(sum(c.values()) for _n, c in rows))
    title = f"Exceptions per therapist, by kind, last {s.weeks} weeks"
    parts = [
        f'<svg role="img" aria-labelledby="chart-therapists-title" viewBox="0 0 {width} {height}" '
        f'width="100%" class="audit-chart" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="chart-therapists-title">{escape(title)}</title>'
    ]
    base = top_pad + plot_h
    for v in range(0, top + 1, step):
        x = name_w + v / top * plot_w
        parts.append(
            f'<line x1="{x:.1f}" y1="{top_pad}" x2="{x:.1f}" y2="{base}" stroke="#dee2e6"/>'
            f'<text x="{x:.1f}" y="{base + 14}" font-size="11" text-anchor="middle" fill="#212529">{v}</text>'
        )
    parts.append(
        f'<line x1="{name_w}" y1="{top_pad}" x2="{name_w}" y2="{base}" stroke="#212529"/>'
        f'<line x1="{name_w}" y1="{base}" x2="{width - right}" y2="{base}" stroke="#212529"/>'
        f'<text x="{name_w + plot_w / 2:.0f}" y="{base + 30}" font-size="11" text-anchor="middle" '
        f'fill="#212529">Exceptions</text>'
    )
    for i, (name, counts) in enumerate(rows):
        y = top_pad + i * line + 4
        short = name if len(name) <= 24 else name[:23] + "…"
        parts.append(
            f'<text x="{name_w - 6}" y="{y + 13}" font-size="12" text-anchor="end" fill="#212529">{escape(short)}</text>'
        )
        x = name_w
        for k in KIND_ORDER:
            c = counts.get(k, 0)
            if not c:
                continue
            w = c / top * plot_w
            parts.append(
                f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="18" fill="{COLOURS[k]}">'
                f"<title>{escape(name)}: {c} {escape(exception_kind_label(k).lower())}</title></rect>"
            )
            x += w
        parts.append(
            f'<text x="{x + 4:.1f}" y="{y + 13}" font-size="12" fill="#212529">{sum(counts.values())}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
