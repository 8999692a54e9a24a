"""`make bench`: run every benchmark, print a table, write bench/results.json."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import cast

import django

from .machine import machine

HERE = Path(__file__).resolve().parent
RESULTS = Path(os.environ.get("BENCH_RESULTS", HERE / "results.json"))  # another file for a side run
TARGETS = {
    "engine_median_us": ("<", 25),
    "engine_p99_us": ("<", 60),
    "reader_median_us": ("<", 15),
    "reader_p99_us": ("<", 40),
    "reader_5000_chars_us": ("<", 300),
    "send_p99_ms_16": ("<", 100),
    "queries_per_send": ("<=", 6),
    "audit_page_ms": ("<", 100),
    "audit_deep_page_ms": ("<", 100),
    "export_peak_mb": ("<", 200),
    "audit_events_page_ms": ("<", 100),
    "audit_events_deep_page_ms": ("<", 100),
    "verify_1m_s": ("<", 30),
    "release_100k_s": ("<", 60),
    "outbox_lag_p99_s": ("<", 5),
    "send_vs_baseline_16": (">=", 0.5),
    "pages_over_100ms": ("<=", 0),
    "export_csv_195k_s": ("<", 2.5),
}
CHECK = {"<": lambda v, t: v < t, "<=": lambda v, t: v <= t, ">=": lambda v, t: v >= t}


def main() -> int:
    parser = argparse.ArgumentParser(prog="bench")
    parser.add_argument("--only", nargs="*", help="run only these benchmarks")
    args = parser.parse_args()
    from .services import bench_env, recreate_database

    bench_env()
    recreate_database()
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    # Production storage serves hashed names from the manifest (the audit and pages suites
    # render pages): collect what the templates use now, as a deploy does.
    call_command("collectstatic", interactive=False, verbosity=0)
    results: dict = {}
    if args.only and RESULTS.exists():
        # A partial run keeps the other benchmarks' figures from the last run.
        results = json.loads(RESULTS.read_text())
    results["machine"] = machine()
    ran = results.setdefault("ran_at", {})
    from . import engine

    suites: dict[str, Callable[..., dict]] = {"engine": engine.run}
    try:
        from . import server  # noqa: F401  (the HTTP, audit and release benchmarks)

        suites.update(cast(dict[str, Callable[..., dict]], server.SUITES))
    except ImportError:
        pass
    from . import pages

    suites["pages"] = pages.run  # its own database, seeded once (bench.large_practice)
    for name, fn in suites.items():
        if args.only and name not in args.only:
            continue
        print(f"running {name} ...", file=sys.stderr, flush=True)
        results.update(fn())
        ran[name] = time.strftime("%Y-%m-%d %H:%M %Z")
    RESULTS.write_text(json.dumps(results, indent=2, default=str) + "\n")
    print(f"\nMachine: {results['machine']}")
    print(f"{'figure':<22} {'value':>12}  target")
    for key, value in results.items():
        if key in ("machine", "ran_at"):
            continue
        op, target = TARGETS.get(key, ("", ""))
        if key.startswith("page_") and key.endswith("_p95_ms"):
            op, target = ("<", 30) if "_poll" in key else ("<", 100)
        ok = ""
        if op:
            ok = "ok" if value is not None and CHECK[op](value, target) else "MISSED"
        print(f"{key:<22} {value:>12}  {op}{target} {ok}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
