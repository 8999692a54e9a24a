"""Server-rendered SVG bar charts (no JavaScript, no CDN)."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Count
from django.db.models.functions import TruncWeek
from django.utils import timezone
from django.utils.html import escape

from .models import BoundaryException

COLOURS = {"blocked": "#b02a37", "override": "#6f42c1", "after_hours": "#0d6efd", "crisis": "#fd7e14",
           "consent_revoked": "#495057", "emergency_mismatch": "#20c997"}


def per_week_by_kind(practice_id: int, weeks: int = 12) -> dict:
    since = timezone.now() - timedelta(weeks=weeks)
    rows = (BoundaryException.objects.filter(practice_id=practice_id, at__gte=since)
            .annotate(week=TruncWeek("at")).values("week", "kind").annotate(n=Count("id")).order_by("week"))
    data: dict = {}
    for r in rows:
        data.setdefault(r["week"].date(), {})[r["kind"]] = r["n"]
    return data


def per_therapist(practice_id: int) -> list[tuple[str, int]]:
    rows = (BoundaryException.objects.filter(practice_id=practice_id).values("therapist__full_name")
            .annotate(n=Count("id")).order_by("-n")[:20])
    return [(r["therapist__full_name"], r["n"]) for r in rows]


def stacked_weeks_svg(data: dict, weeks_shown: int = 12) -> str:
    # Every one of the last weeks gets a bar slot, so one busy week is not one giant bar.
    today = timezone.now().date()
    monday = today - timedelta(days=today.weekday())
    weeks = [monday - timedelta(weeks=k) for k in range(weeks_shown - 1, -1, -1)]
    if not data:
        return ('<svg role="img" aria-label="No exceptions in the last 12 weeks" width="640" height="40">'
                '<text x="0" y="20">No exceptions in the last 12 weeks.</text></svg>')
    data = {w: data.get(w, {}) for w in weeks}
    width, height, pad = 640, 220, 30
    top = max((sum(v.values()) for v in data.values()), default=0) or 1
    bar = (width - pad) / len(weeks)
    parts = [f'<svg role="img" aria-label="Exceptions per week by kind" viewBox="0 0 {width} {height + 40}" '
             f'width="100%" xmlns="http://www.w3.org/2000/svg">']
    for i, week in enumerate(weeks):
        y = height
        for kind, colour in COLOURS.items():
            n = data[week].get(kind, 0)
            if not n:
                continue
            h = n / top * (height - 10)
            y -= h
            parts.append(f'<rect x="{pad + i * bar + 2:.1f}" y="{y:.1f}" width="{bar - 4:.1f}" height="{h:.1f}" '
                         f'fill="{colour}"><title>{week:%d %b}: {n} {kind}</title></rect>')
        parts.append(f'<text x="{pad + i * bar + 2:.1f}" y="{height + 14}" font-size="10">{week:%d %b}</text>')
    for j, (kind, colour) in enumerate(COLOURS.items()):
        parts.append(f'<rect x="{pad + j * 120}" y="{height + 24}" width="10" height="10" fill="{colour}"/>'
                     f'<text x="{pad + j * 120 + 14}" y="{height + 33}" font-size="11">{kind}</text>')
    parts.append("</svg>")
    return "".join(parts)


def therapists_svg(rows: list[tuple[str, int]]) -> str:
    if not rows:
        return '<svg role="img" aria-label="No exceptions yet" width="640" height="40"><text x="0" y="20">No exceptions yet.</text></svg>'
    top = max(n for _, n in rows) or 1
    line = 24
    parts = [f'<svg role="img" aria-label="Exceptions per therapist" viewBox="0 0 640 {line * len(rows) + 10}" '
             f'width="100%" xmlns="http://www.w3.org/2000/svg">']
    for i, (name, n) in enumerate(rows):
        w = n / top * 400
        parts.append(f'<text x="0" y="{i * line + 16}" font-size="12">{escape(name)}</text>'
                     f'<rect x="200" y="{i * line + 4}" width="{w:.1f}" height="16" fill="#0d6efd"><title>{n}</title></rect>'
                     f'<text x="{205 + w:.1f}" y="{i * line + 16}" font-size="12">{n}</text>')
    parts.append("</svg>")
    return "".join(parts)
