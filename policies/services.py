"""Policy versions: the verbs that change them (consents' are consent.services)."""

from __future__ import annotations

from typing import cast

from django.db import transaction
from django.utils import timezone

from audit.chain import record
from portal.locks import lock_rows, lock_threads, lock_users, rerun_on_conflict
from portal.models import User

from .models import PolicyVersion
from .rules import validate_rules
from .selectors import current_version
from .signals import version_published, version_publishing
from .text import policy_text, sha256


@rerun_on_conflict
@transaction.atomic
def policy_draft_save(*, therapist: User, rules: object) -> PolicyVersion:
    """Create the therapist's draft, or replace the open one (same id and number)."""
    normalised = validate_rules(rules)
    practice_id = cast(int, therapist.practice_id)  # a therapist belongs to a practice
    # The therapist's row serialises their drafts and publications (two tabs, two app servers).
    lock_users([therapist.pk])
    draft = PolicyVersion.objects.filter(therapist=therapist, status=PolicyVersion.Status.DRAFT).first()
    now = timezone.now()
    if draft is None:
        last = (
            PolicyVersion.objects.filter(therapist=therapist)
            .order_by("-version")
            .values_list("version", flat=True)
            .first()
        )
        draft = PolicyVersion.objects.create(
            practice_id=practice_id,
            therapist=therapist,
            version=(last or 0) + 1,
            rules=normalised,
            created_at=now,
            updated_at=now,
        )
        action = "policy.draft_created"
    else:
        draft.rules, draft.updated_at = normalised, now
        draft.save(update_fields=["rules", "updated_at"])
        action = "policy.draft_replaced"
    record(
        practice_id=practice_id,
        action=action,
        actor=therapist,
        therapist_id=therapist.pk,
        obj=draft,
        data={"version": draft.version},
    )
    return draft


@rerun_on_conflict
@transaction.atomic
def policy_publish(*, version: PolicyVersion, actor: User) -> PolicyVersion:
    """Freeze the draft, supersede the previous version and ask every consenting client to review
    (the consents' half is consent.services.consents_supersede, on policies.signals)."""
    # In the order of portal.locks: the therapist, their threads (each the lock of its
    # client's consent: every change of a consent, sign, revoke, supersede here, locks the
    # thread first, and every send reads the consent with the thread locked), the consents
    # this supersedes (version_publishing's receivers), then the version.
    now = timezone.now()
    lock_users([version.therapist_id])
    lock_threads(therapist_id=version.therapist_id)
    version_publishing.send(sender=PolicyVersion, therapist_id=version.therapist_id, at=now)
    version = lock_rows(PolicyVersion.objects.select_related("therapist").filter(pk=version.pk)).get()
    version.check_transition(PolicyVersion.Status.PUBLISHED)
    previous = current_version(version.therapist_id)
    if previous is not None:
        previous.check_transition(PolicyVersion.Status.SUPERSEDED)
        PolicyVersion.objects.filter(pk=previous.pk).update(status=PolicyVersion.Status.SUPERSEDED)
    version.text = policy_text(version.rules, therapist_name=version.therapist.full_name)
    version.content_sha256 = sha256(version.text)
    version.status = PolicyVersion.Status.PUBLISHED
    version.published_at = now
    version.save(update_fields=["text", "content_sha256", "status", "published_at"])

    data = {
        "version": version.version,
        "content_sha256": version.content_sha256,
        "superseded_version": previous.version if previous else None,
    }
    for _receiver, facts in version_published.send(
        sender=PolicyVersion, version=version, actor=actor, at=now
    ):
        # a receiver returns a dict of facts or nothing (policies.signals); the stubs say str
        data.update(cast("dict[str, object] | None", facts) or {})
    record(
        practice_id=version.practice_id,
        action="policy.published",
        actor=actor,
        therapist_id=version.therapist_id,
        obj=version,
        data=data,
    )
    return version
