from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from audit import checkpoints
from audit.models import VerificationRun
from portal.models import Practice


class Command(BaseCommand):
    help = (
        "Check every practice's audit chain, every hash and link from the first event (a full "
        "re-verification, stored and shown on the verify page); exit 1 and name the first broken event if "
        "one was altered. --from-checkpoint checks only the events after each practice's latest signed "
        "checkpoint, as the verify page does. With --checkpoint FILE, also check the chain against signed "
        "checkpoints."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--from-checkpoint",
            action="store_true",
            help="recompute only the events after each practice's latest signed checkpoint that still holds "
            "(quick); the default recomputes the whole chain",
        )
        parser.add_argument(
            "--checkpoint",
            metavar="FILE",
            help="a checkpoint as GET /api/v1/audit/checkpoint answers it (or the verify page downloads it), "
            "or the sealer's JSON-lines file (PORTAL_AUDIT_CHECKPOINT_DIR/checkpoints.jsonl), of which "
            "the last line of each practice counts. Each practice in the file must still reach its "
            "checkpoint's position with its hash under a valid signature.",
        )

    def handle(self, *args, **opts):
        claims = {}
        if opts["checkpoint"]:
            try:
                text = Path(opts["checkpoint"]).read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                raise CommandError(f"cannot read {opts['checkpoint']}: {exc.__class__.__name__}") from None
            try:
                claims = {c.practice_id: c for c in checkpoints.claims_from_text(text)}
            except checkpoints.CheckpointMalformed as exc:
                raise CommandError(f"{opts['checkpoint']} is not a checkpoint file: {exc}") from None
        broken = 0
        practices = {p.pk: p for p in Practice.objects.order_by("id")}
        for pid in sorted(set(claims) - set(practices)):
            broken += 1
            self.stderr.write(
                f"practice {pid}: in the checkpoint file but not in the database: "
                "its practice (and its chain) is gone"
            )
        for pid, practice in practices.items():
            label = f"practice {pid} ({practice.name})"
            full = not opts["from_checkpoint"]
            if pid in claims:
                result, check = checkpoints.check(pid, claims[pid], full=full)
            elif full:
                result, check = checkpoints.verify_full(pid, trigger=VerificationRun.Trigger.COMMAND)[0], None
            else:
                result, check = checkpoints.verify_from_checkpoint(pid), None
            if result.ok:
                start = (
                    f" (from the checkpoint at seq {result.verified_from})" if result.verified_from else ""
                )
                self.stdout.write(f"{label}: OK, {result.events} events{start}")
            else:
                broken += 1
                self.stderr.write(f"{label}: BROKEN at event seq {result.first_broken}: {result.detail}")
            if check is not None:
                if check.ok:
                    self.stdout.write(f"{label}: checkpoint at seq {claims[pid].seq} OK: {check.detail}")
                else:
                    broken += 1
                    self.stderr.write(f"{label}: CHECKPOINT at seq {claims[pid].seq} FAILS: {check.detail}")
        if broken:
            raise SystemExit(1)
        self.stdout.write(
            self.style.SUCCESS("Every audit chain verifies." + (" Every checkpoint holds." if claims else ""))
        )
