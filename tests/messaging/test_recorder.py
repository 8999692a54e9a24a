"""messaging.recorder is the one writer of messages (issue 13).

The source of the apps is read for every way of creating a Message (an instance built with
`Message(...)`, `Message.objects.create/bulk_create/get_or_create/update_or_create`,
`<x>.messages.create(...)`): only messaging/recorder.py may do it. Likewise audit events and
boundary exceptions are built only in audit/chain.py, outbox rows only in portal/outbox.py.
Then each kind of contact is checked to come out of the recorder whole: its message, its
audit event (and exception), its outbox row naming the message.
"""

from __future__ import annotations

import ast
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from audit.models import AuditEvent, BoundaryException
from messaging import recorder
from messaging.models import CrisisAlert, Message
from messaging.services import care, release, send
from portal.models import OutboxItem

ROOT = Path(__file__).resolve().parents[2]
APPS = ("portal", "policies", "consent", "messaging", "audit")
CREATORS = {"create", "bulk_create", "get_or_create", "update_or_create"}

# model -> the one module allowed to create its rows
OWNERS = {
    "Message": "messaging/recorder.py",
    "AuditEvent": "audit/chain.py",
    "BoundaryException": "audit/chain.py",
    "OutboxItem": "portal/outbox.py",
}
# Known writers outside the owners, each with why it may stay.
ALLOWED = {
    # The pages benchmark's baseline view writes one finished row to time a plain INSERT; it is
    # never dispatched (no task runs it).
    ("portal/bench_views.py", "OutboxItem"),
}


def writers_in(source: str) -> list[tuple[str, int]]:
    """(model, line) of every creation of a row of an OWNERS model in this source."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Name) and func.id in OWNERS:  # Message(...)
            found.append((func.id, node.lineno))
        elif isinstance(func, ast.Attribute) and func.attr in CREATORS:
            target = func.value
            # Message.objects.create(...)
            if (
                isinstance(target, ast.Attribute)
                and target.attr == "objects"
                and isinstance(target.value, ast.Name)
                and target.value.id in OWNERS
            ):
                found.append((target.value.id, node.lineno))
            # thread.messages.create(...): a related manager of messages
            elif isinstance(target, ast.Attribute) and target.attr == "messages":
                found.append(("Message", node.lineno))
    return found


def test_the_scanner_finds_every_way_of_creating_a_message():
    source = "\n".join(
        [
            "m = Message(thread=t, body='x')",
            "Message.objects.create(thread=t)",
            "Message.objects.bulk_create([])",
            "thread.messages.create(body='x')",
            "Message.objects.filter(pk=1).update(status='x')",  # an update creates nothing
            "CrisisMessage(x)",
            "e = AuditEvent(practice_id=1)",
            "OutboxItem.objects.create(task='x')",
        ]
    )
    assert writers_in(source) == [
        ("Message", 1),
        ("Message", 2),
        ("Message", 3),
        ("Message", 4),
        ("AuditEvent", 7),
        ("OutboxItem", 8),
    ]


def test_only_the_recorder_creates_messages_only_the_chain_events_only_the_outbox_rows():
    offenders = []
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            rel = path.relative_to(ROOT).as_posix()
            if "/migrations/" in rel:
                continue
            for model, line in writers_in(path.read_text()):
                if OWNERS[model] != rel and (rel, model) not in ALLOWED:
                    offenders.append(f"{rel}:{line} creates {model} (only {OWNERS[model]} may)")
    assert not offenders, "\n".join(offenders)


def test_the_owners_really_are_the_writers():
    """The scan would pass vacuously if the owners' own creations were missed."""
    recorder_src = (ROOT / "messaging/recorder.py").read_text()
    assert {m for m, _ in writers_in(recorder_src)} == {"Message"}
    assert {m for m, _ in writers_in((ROOT / "portal/outbox.py").read_text())} == {"OutboxItem"}
    assert {"AuditEvent", "BoundaryException"} <= {
        m for m, _ in writers_in((ROOT / "audit/chain.py").read_text())
    }


def test_the_one_hand_written_insert_lives_in_send_sql_and_only_the_recorder_calls_it():
    """messaging.send_sql writes a message, its outbox row and its audit event by hand (the
    send, on PostgreSQL): no other module of the apps builds an INSERT, and only the recorder
    calls the write. The send service imports it for its locked read alone, the selectors for
    the week's count alone."""
    importers, inserts = [], []
    used: dict[str, set[str]] = {}
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            rel = path.relative_to(ROOT).as_posix()
            if "/migrations/" in rel:
                continue
            source = path.read_text()
            if "INSERT INTO" in source.upper() and rel != "messaging/send_sql.py":
                inserts.append(rel)
            for node in ast.walk(ast.parse(source)):
                names = []
                if isinstance(node, ast.ImportFrom):
                    names = [f"{node.module or ''}.{a.name}" for a in node.names]
                    if node.level and rel.startswith("messaging/"):
                        names += [
                            f"messaging.{node.module or ''}.{a.name}".replace("..", ".") for a in node.names
                        ]
                elif isinstance(node, ast.Import):
                    names = [a.name for a in node.names]
                if any(n.endswith("send_sql") or ".send_sql." in n for n in names):
                    importers.append(rel)
                if (
                    isinstance(node, ast.Attribute)
                    and isinstance(node.value, ast.Name)
                    and node.value.id == "send_sql"
                ):
                    used.setdefault(rel, set()).add(node.attr)
    assert importers == ["messaging/recorder.py", "messaging/selectors.py", "messaging/services/send.py"], (
        importers
    )
    assert used == {
        "messaging/recorder.py": {"applies", "insert_contact"},
        "messaging/selectors.py": {"counts_here", "count_sent"},
        "messaging/services/send.py": {"lock_thread_and_consent"},
    }, used
    assert not inserts, inserts
    assert "INSERT INTO" in (ROOT / "messaging/send_sql.py").read_text()  # the scan is not vacuous


# --- what each kind of contact leaves behind ----------------------------------------------------

pytestmark = pytest.mark.django_db
UTC = UTC
SAT_23 = datetime(2026, 11, 29, 4, 0, tzinfo=UTC)  # Saturday 23:00 in New York
MON_10 = datetime(2026, 11, 30, 15, 0, tzinfo=UTC)  # Monday 10:00 in New York
THU_1230 = datetime(2026, 12, 3, 17, 30, tzinfo=UTC)


def _trail(message: Message) -> tuple:
    events = list(
        AuditEvent.objects.filter(object_type="message", object_id=message.pk)
        .order_by("id")
        .values_list("action", flat=True)
    )
    tasks = list(
        OutboxItem.objects.filter(payload__message_id=message.pk)
        .order_by("id")
        .values_list("task", flat=True)
    )
    return events, tasks


def test_a_send_records_its_message_event_and_outbox_row(consented_client, thread):
    result = send.message_send(
        sender=consented_client,
        thread=thread,
        category="administrative",
        channel="portal",
        body="About my invoice",
        now=MON_10,
    )
    m = Message.objects.get(pk=result.message.pk)
    assert (m.status, m.category, m.sender_role, m.body) == (
        "delivered",
        "administrative",
        "client",
        "About my invoice",
    )
    assert _trail(m) == (["contact.decided"], ["contact.decided"])


def test_a_held_send_posts_one_auto_reply_and_marks_the_thread(consented_client, thread):
    first = send.message_send(
        sender=consented_client,
        thread=thread,
        category="administrative",
        channel="portal",
        body="A bill question",
        now=SAT_23,
    ).message
    send.message_send(
        sender=consented_client,
        thread=thread,
        category="administrative",
        channel="portal",
        body="And another",
        now=SAT_23 + timedelta(minutes=1),
    )
    replies = Message.objects.filter(thread=thread, kind=Message.Kind.AUTO_REPLY)
    assert replies.count() == 1 and replies.get().sender_id is None and replies.get().status == "delivered"
    thread.refresh_from_db()
    assert thread.last_auto_reply_at == SAT_23
    assert Message.objects.get(pk=first.pk).status == "held"


def test_an_escalation_marks_the_thread_and_raises_one_alert_with_its_exception(consented_client, thread):
    result = send.message_send(
        sender=consented_client,
        thread=thread,
        category="check_in",
        channel="portal",
        body="I want to kill myself",
        now=THU_1230,
    )
    m = result.message
    assert m.status == "escalated"
    thread.refresh_from_db()
    assert thread.last_crisis_at == THU_1230
    assert CrisisAlert.objects.filter(message=m).count() == 1
    assert list(BoundaryException.objects.filter(message_id=m.pk).values_list("kind", flat=True)) == [
        "crisis"
    ]
    assert _trail(m) == (["contact.decided"], ["contact.decided"])


def test_the_release_records_through_the_recorder(consented_client, thread):
    a = send.message_send(
        sender=consented_client,
        thread=thread,
        category="administrative",
        channel="portal",
        body="First question",
        now=SAT_23,
    ).message
    b = send.message_send(
        sender=consented_client,
        thread=thread,
        category="administrative",
        channel="portal",
        body="Second question",
        now=SAT_23 + timedelta(minutes=2),
    ).message
    assert release.release_held_messages(now=MON_10) == 2
    for m in (a, b):
        m.refresh_from_db()
        assert (m.status, m.delivered_at) == ("delivered", MON_10)
        assert _trail(m) == (["contact.decided", "contact.released"], ["contact.decided", "contact.released"])
    released = AuditEvent.objects.filter(action="contact.released", object_id=a.pk).get()
    assert released.at == MON_10 and released.actor_id is None


def test_the_care_note_is_recorded_as_a_message_with_the_care_ending_event(
    therapist, consented_client, thread
):
    care.care_end(therapist=therapist, thread=thread, note="Referred to Dr. Lee.")
    note = Message.objects.get(thread=thread, kind=Message.Kind.CARE_NOTE)
    assert (note.sender_id, note.status, note.body) == (therapist.pk, "delivered", "Referred to Dr. Lee.")
    ended = AuditEvent.objects.get(action="care.ended")
    assert (ended.object_type, ended.object_id, ended.actor_id) == ("thread", thread.pk, therapist.pk)
    assert list(OutboxItem.objects.filter(payload__message_id=note.pk).values_list("task", flat=True)) == [
        "contact.decided"
    ]


def test_several_new_contacts_at_once_are_refused(therapist, thread):
    now = MON_10
    contacts = [
        recorder.care_note(thread=thread, therapist=therapist, note=f"note {i}", now=now) for i in range(2)
    ]
    before = Message.objects.count()
    with pytest.raises(ValueError):
        recorder.record_contacts(contacts)
    assert Message.objects.count() == before
