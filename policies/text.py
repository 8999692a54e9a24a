"""The canonical client-facing text of a policy, generated from its (normalised) rules.

The text is what a client reads and signs; its SHA-256 is frozen on publish, so this
module must be deterministic: the same rules always give the same text.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date

from .vocabulary import (
    CATEGORY_IN_TEXT,
    CHANNEL_IN_TEXT,
    CHANNEL_RISK_ORDER,
    CONTACT_CATEGORIES,
    DAY_NAMES,
    DAYS,
    MONTH_NAMES,
    REPLY_HOURS_CATEGORIES,
)

# Informed consent to each channel: what it is for and what it risks. The policy text says it
# for every channel the rules allow, and the consent page asks the client to acknowledge each
# channel they opt into (consent.forms). Social media is never a channel.
CHANNEL_RISKS = {
    "portal": (
        "Portal messages: for everything we write to each other between sessions. They are encrypted "
        "and stay in this portal. E-mail or text notifications only say that something is waiting "
        "for you; they never contain what was written."
    ),
    "email": (
        "E-mail: for scheduling, billing and forms only. E-mail is not encrypted end to end: whoever can "
        "see your inbox (or mine), and the services that carry it, can read it. Nothing clinical is "
        "written by e-mail; please write about how you are in the portal instead."
    ),
    "sms": (
        "Text messages (SMS): for short practical notes such as a reminder. Texts are not encrypted end to "
        "end and can be seen by whoever can see your phone, including on its lock screen. Nothing "
        "clinical is written by text message."
    ),
    "phone": (
        "Phone: for calls we have arranged and for emergencies. If you do not answer I may leave a "
        "short voicemail that says only who I am and asks you to call back; anyone with access to "
        "your voicemail could hear it. Tell me if someone else may answer your phone."
    ),
    "video": (
        "Video calls: for calls we have arranged, on {platform}. Its link is sent to you in this portal. "
        "Take the call somewhere private, where nobody can overhear you or see your screen."
    ),
}


def video_platform() -> str:
    """The video platform named in the text (settings.PORTAL_VIDEO_PLATFORM)."""
    from django.conf import settings

    return getattr(settings, "PORTAL_VIDEO_PLATFORM", "") or "the practice's video service"


def channel_risk(channel: str) -> str:
    return CHANNEL_RISKS[channel].format(platform=video_platform())


def _channels_used(cats: dict) -> list[str]:
    used = {c for r in cats.values() if r.get("allowed") for c in r.get("channels", [])}
    return [c for c in CHANNEL_RISK_ORDER if c in used]


OUTSIDE_TEXT = {
    "hold": "Messages sent outside these hours are kept and delivered to me when my hours next begin.",
    "deliver": "Messages sent outside these hours reach me at once, but I may not read them until my hours begin.",
    "block": "Messages sent outside these hours are not accepted; please send them during these hours.",
}


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    body: str


def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _free(text: str | None) -> str:
    """A therapist's own words, made safe for the `## ` section structure: a line of theirs
    that began with '## ' would otherwise read as a section heading of its own."""
    lines = (text or "").replace("\r\n", "\n").replace("\r", "\n").strip().split("\n")
    return "\n".join(re.sub(r"^#+\s+", "", line).rstrip() for line in lines).strip()


def _date(iso: str) -> str:
    d = date.fromisoformat(iso)
    return f"{DAY_NAMES[DAYS[d.weekday()]]} {d.day} {MONTH_NAMES[d.month - 1]} {d.year}"


def _days(days: list[str]) -> str:
    if len(set(days)) == len(DAYS):
        return "Every day"
    idx = sorted(DAYS.index(d) for d in days)
    runs: list[list[int]] = []
    for i in idx:
        if runs and i == runs[-1][-1] + 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    parts = []
    for run in runs:
        if len(run) >= 3:
            parts.append(f"{DAY_NAMES[DAYS[run[0]]]} to {DAY_NAMES[DAYS[run[-1]]]}")
        else:
            parts.extend(DAY_NAMES[DAYS[i]] for i in run)
    return _join(parts)


def describe_window(window: dict) -> str:
    overnight = window["end"] < window["start"]
    text = f"{_days(window['days'])}, {window['start']} to {window['end']}"
    return text + (" (into the next morning)" if overnight else "")


def _category_paragraph(name: str, rule: dict, tz: str) -> str:
    lines = [f"{CATEGORY_IN_TEXT.get(name, name)}:"]
    channels = [CHANNEL_IN_TEXT.get(c, c) for c in rule.get("channels", [])]
    lines.append(
        f"- How: {_join(channels)}." if channels else "- How: no way of contact is open for this yet."
    )
    windows = rule.get("windows") or []
    if windows:
        lines.append(f"- When: {'; '.join(describe_window(w) for w in windows)} ({tz} time).")
        if name == "scheduled_call":
            lines.append("- A call must start and end within one of these times.")
        else:
            lines.append(f"- {OUTSIDE_TEXT[rule.get('outside_hours', 'hold')]}")
    else:
        lines.append("- When: any time.")
    if name == "emergency":
        lines.append(
            "- I may not see your message straight away. If you are in danger, use the crisis "
            "resources above."
        )
    if rule.get("response_hours"):
        lines.append(f"- You can expect a reply within {rule['response_hours']} hours.")
    if rule.get("max_per_week"):
        lines.append(f"- You can send at most {rule['max_per_week']} of these in any 7 days.")
    if rule.get("max_minutes"):
        lines.append(f"- Calls last at most {rule['max_minutes']} minutes.")
    return "\n".join(lines)


def policy_sections(rules: dict, *, therapist_name: str) -> list[Section]:
    tz = rules["timezone"]
    cats = rules.get("categories", {})
    allowed = [(n, cats[n]) for n in CONTACT_CATEGORIES if n in cats and cats[n].get("allowed")]
    not_offered = [
        CATEGORY_IN_TEXT[n].lower() for n in CONTACT_CATEGORIES if not cats.get(n, {}).get("allowed")
    ]
    contact = "Between sessions, you can contact me only as set out below.\n\n" + "\n\n".join(
        _category_paragraph(n, r, tz) for n, r in allowed
    )
    if not_offered:
        contact += f"\n\nI do not offer {_join(not_offered)}."
    sections = [
        Section(
            "crisis",
            "If you are in danger",
            f"{_free(rules['crisis_resources'])}\n"
            "This portal is not an emergency service and is not watched around the clock. "
            "If you write about wanting to harm yourself, your message reaches me at once and "
            "you will be shown these crisis resources straight away.",
        ),
        Section("contact", "What you can contact me about, how and when", contact),
    ]
    used = _channels_used(cats)
    if used:
        sections.append(
            Section(
                "channels",
                "Each way of contact: what it is for and what it risks",
                "Choose only the ways of contact you are comfortable with; you will be asked to "
                "confirm each one you agree to.\n" + "\n".join(f"- {channel_risk(c)}" for c in used),
            )
        )
    sections += [
        Section(
            "never",
            "What never happens",
            "We will not have personal or social contact outside therapy: no friendship, business or "
            "other dual relationship. This protects your therapy.\n"
            "I will not connect with you or reply on social media, to protect your confidentiality.",
        ),
    ]
    after_hours = _free(rules.get("after_hours_reply"))
    if after_hours:
        sections.append(
            Section(
                "after_hours",
                "Outside my hours",
                f"If you write outside my hours you will get this reply: \u201c{after_hours}\u201d",
            )
        )
    away = rules.get("away") or []
    if away:
        lines = [
            f"- {_date(a['start'])} to {_date(a['end'])}: {_free(a.get('reply')) or 'I am away.'}"
            for a in away
        ]
        sections.append(
            Section(
                "away",
                "When I am away",
                "I am away on these days (the first and the last day included). Only "
                "emergencies are handled as usual; any other message is treated as sent "
                "outside my hours, as described above.\n" + "\n".join(lines),
            )
        )
    pause = rules.get("pause_after_crisis")
    if pause:
        names = _join([CATEGORY_IN_TEXT.get(c, c).lower() for c in pause["categories"]])
        sections.append(
            Section(
                "pause",
                "After a crisis",
                f"For {pause['hours']} hours after a message in which you tell me you are in "
                f"crisis, {names} are paused, so that we talk about it together in our next "
                "session. Emergency contact and the crisis resources above stay open to you.",
            )
        )
    grace = rules.get("reconsent_grace_days", 14)
    if grace:
        still = (
            f". Your agreement to this version still applies for {grace} days after the change; after "
            "that, until you agree to the new version, only messages about a crisis reach me."
        )
    else:
        still = "; until you do, only messages about a crisis reach me."
    sections.append(
        Section(
            "consent",
            "Your consent",
            "You can withdraw your consent at any time in the portal; messaging then stops, "
            "except that crisis messages still reach me. If I change this policy you will be "
            f"asked to read and agree to the new version{still}",
        )
    )
    return sections


def policy_text(rules: dict, *, therapist_name: str) -> str:
    parts = [f"Contact policy of {therapist_name}"]
    for s in policy_sections(rules, therapist_name=therapist_name):
        parts.append(f"## {s.title}\n{s.body}")
    return "\n\n".join(parts) + "\n"


def parse_sections(text: str) -> list[tuple[str, str]]:
    """Split a frozen text back into (title, body) pairs, for the section-by-section consent page."""
    out = []
    for chunk in text.split("\n## ")[1:]:
        title, _, body = chunk.partition("\n")
        out.append((title.strip(), body.strip()))
    return out


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# --- the after-hours reply: suggested from the rules, checked against them -----------------------

_RANGE = re.compile(
    r"(?<![\d:])(\d{1,2})(?::([0-5]\d))?\s*(am|pm|a\.m\.|p\.m\.)?\s*(?:-|\u2013|\u2014|to|until|till)\s*"
    r"(\d{1,2})(?::([0-5]\d))?\s*(am|pm|a\.m\.|p\.m\.)?(?![\d:])"
    r"(?!\s*(?:days?|weeks?|hours?|minutes?|business|working|months?)\b)",
    re.IGNORECASE,
)


def _reply_windows(rules: dict) -> list[dict]:
    cats = rules.get("categories") or {}
    out: list[dict] = []
    for name in REPLY_HOURS_CATEGORIES:
        rule = cats.get(name) or {}
        if rule.get("allowed"):
            out.extend(w for w in rule.get("windows") or [] if w not in out)
    return out


def suggested_after_hours_reply(rules: dict) -> str:
    """An after-hours reply that says what the rules say: the hours messages are read and the
    reply time. The therapist may edit it; reply_warnings then checks the edited one."""
    windows = _reply_windows(rules)
    cats = rules.get("categories") or {}
    hours = [
        cats.get(n, {}).get("response_hours")
        for n in REPLY_HOURS_CATEGORIES
        if cats.get(n, {}).get("allowed")
    ]
    hours = [h for h in hours if h]
    when = "; ".join(describe_window(w) for w in windows)
    first = (
        f"Thank you for your message. I read messages in these hours: {when} ({rules.get('timezone')} time)."
        if windows
        else "Thank you for your message."
    )
    reply = (
        f" I will reply within {min(hours)} hours of my hours starting."
        if hours
        else " I will reply when I can."
    )
    return first + reply + " If you are in danger, use the crisis resources shown with this message."


def _minutes_of(hour: str, minute: str | None, meridiem: str | None) -> int | None:
    h, m = int(hour), int(minute or 0)
    mer = (meridiem or "").lower().replace(".", "")
    if mer == "pm" and h < 12:
        h += 12
    elif mer == "am" and h == 12:
        h = 0
    return h * 60 + m if 0 <= h <= 24 and (h < 24 or m == 0) else None


def named_hours(reply: str) -> list[tuple[str, int, int]]:
    """The time ranges a reply names ("9-17", "9am to 5pm", "09:00-17:00"), as minutes."""
    found = []
    for m in _RANGE.finditer(reply or ""):
        start = _minutes_of(
            m.group(1),
            m.group(2),
            m.group(3) or (m.group(6) if m.group(6) and int(m.group(1)) < 12 else None),
        )
        end = _minutes_of(m.group(4), m.group(5), m.group(6))
        if start is None or end is None:
            continue
        if not (m.group(3) or m.group(6)) and end <= start and end + 12 * 60 > start:
            end += 12 * 60  # "9-5" means nine to five
        if (
            not (m.group(2) or m.group(5) or m.group(3) or m.group(6))
            and max(int(m.group(1)), int(m.group(4))) > 24
        ):
            continue
        found.append((m.group(0).strip(), start, end))
    return found


def reply_warnings(rules: dict) -> list[str]:
    """Hours an after-hours reply (or an away reply) names that no window of the rules has:
    said on preview and at publish, so clients are not told hours that are not the rules'."""
    windows = _reply_windows(rules)
    if not windows:
        return []
    spans = {
        (int(w["start"][:2]) * 60 + int(w["start"][3:]), int(w["end"][:2]) * 60 + int(w["end"][3:]))
        for w in windows
    }
    said = "; ".join(describe_window(w) for w in windows)
    warnings = []
    for text, start, end in named_hours(rules.get("after_hours_reply") or ""):
        if (start, end % (24 * 60)) not in {(s, e % (24 * 60)) for s, e in spans}:
            warnings.append(
                f"Your after-hours reply says \u201c{text}\u201d, but your hours are {said} "
                f"({rules.get('timezone')} time). Clients would be told hours the policy does not "
                "keep: change the reply, or use the suggested one."
            )
    return warnings
