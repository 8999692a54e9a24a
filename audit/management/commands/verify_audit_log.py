from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from audit import checkpoints
from audit.chain import verify
from portal.models import Practice


class Command(BaseCommand):
    help = ("Check every practice's audit chain; exit 1 and name the first broken event if one was altered. "
            "With --checkpoint FILE, also check the chain against signed checkpoints.")

    def add_arguments(self, parser):
        parser.add_argument(
            "--checkpoint", metavar="FILE",
            help="a checkpoint as GET /api/v1/audit/checkpoint answers it (or the verify page downloads it), "
                 "or the sealer's JSON-lines file (PORTAL_AUDIT_CHECKPOINT_DIR/checkpoints.jsonl), of which "
                 "the last line of each practice counts. Each practice in the file must still reach its "
                 "checkpoint's position with its hash under a valid signature.")

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
            self.stderr.write(f"practice {pid}: in the checkpoint file but not in the database: "
                              "its practice (and its chain) is gone")
        for pid, practice in practices.items():
            label = f"practice {pid} ({practice.name})"
            if pid in claims:
                result, check = checkpoints.check(pid, claims[pid])
            else:
                checkpoints.sign_if_due(pid)  # every verification seals and signs first
                result, check = verify(pid, seal_first=False), None
            if result.ok:
                self.stdout.write(f"{label}: OK, {result.events} events")
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
        self.stdout.write(self.style.SUCCESS("Every audit chain verifies."
                                             + (" Every checkpoint holds." if claims else "")))
