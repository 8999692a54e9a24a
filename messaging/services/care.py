"""The end of care on a thread (with its closing note, a message through the recorder) and
its reopening."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from audit.chain import record
from portal.errors import Conflict
from portal.locks import lock_thread, rerun_on_conflict
from portal.models import User

from .. import recorder
from ..models import Thread
from .send import ContactInvalid, check_contact_input


@rerun_on_conflict
def care_end(*, therapist: User, thread: Thread, note: str) -> Thread:
    if not (note or "").strip():
        raise ContactInvalid("Write a closing note (referrals, crisis resources).", field="note")
    check_contact_input(category="administrative", channel="portal", body=note, body_field="note")
    now = timezone.now()
    with transaction.atomic():
        thread = _locked_thread_of(therapist, thread)
        if thread.care_ended:
            raise Conflict("Care on this thread has already ended.")
        thread.care_ended_at, thread.care_end_note = now, note.strip()
        thread.save(update_fields=["care_ended_at", "care_end_note"])
        # The closing note, its care.ended event and its outbox row: the recorder's.
        recorder.record_contacts(
            [recorder.care_note(thread=thread, therapist=therapist, note=note.strip(), now=now)]
        )
    return thread


@rerun_on_conflict
def care_reopen(*, therapist: User, thread: Thread) -> Thread:
    with transaction.atomic():
        thread = _locked_thread_of(therapist, thread)
        if not thread.care_ended:
            raise Conflict("Care on this thread has not ended.")
        thread.care_ended_at = None
        thread.save(update_fields=["care_ended_at"])
        record(
            practice_id=thread.practice_id,
            action="care.reopened",
            actor=therapist,
            therapist_id=therapist.pk,
            client_id=thread.client_id,
            obj=thread,
        )
    return thread


def _locked_thread_of(therapist: User, thread: Thread) -> Thread:
    locked = lock_thread(pk=thread.pk, therapist=therapist)
    if locked is None:
        raise Thread.DoesNotExist("No such thread.")
    return locked
