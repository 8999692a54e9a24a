"""Times as a person reads them: an instant on the viewer's wall clock, with its zone named.

Every page's one time zone rule (`viewer_zone`), shared by policies, consent, messaging and
audit (each imports them from here)."""

from __future__ import annotations

from datetime import datetime, tzinfo
from zoneinfo import ZoneInfo


def _zone(tz: tzinfo | str | None) -> tzinfo:
    if tz is None:
        return ZoneInfo("UTC")
    if isinstance(tz, str):
        return ZoneInfo(tz)
    return tz


def local_time(at: datetime | None, tz: tzinfo | str | None, *, named: bool = True) -> str:
    """An instant as the viewer's wall clock, with the zone named so nobody guesses:
    'Monday 5 January 2026, 09:00 (America/New_York time)'. `named=False` leaves the zone
    out, for pages that name it once at the top (zone_note)."""
    if at is None:
        return ""
    zone = _zone(tz)
    local = at.astimezone(zone)
    text = f"{local:%A} {local.day} {local:%B %Y, %H:%M}"
    return f"{text} ({zone_name(zone)} time)" if named else text


def zone_name(tz: tzinfo | str | None) -> str:
    zone = _zone(tz)
    return getattr(zone, "key", None) or str(zone)


def viewer_zone(user) -> tzinfo:
    """The one time zone rule: a page shows times in its viewer's zone (their profile)."""
    try:
        return ZoneInfo(getattr(user, "timezone", "") or "UTC")
    except (KeyError, ValueError):
        return ZoneInfo("UTC")


def zone_note(tz: tzinfo | str | None) -> str:
    """The page's one sentence naming the zone its times are in."""
    return f"Times are shown in {zone_name(tz)} time."
