"""What the benchmarks ran on."""

from __future__ import annotations

import os
import platform
import time


def cpu_speed_ms() -> float:
    """A fixed loop of Python, timed (best of three): how fast the machine's CPU runs now.
    Shared machines vary; this says how the figures of one run compare with another's."""
    best = float("inf")
    for _ in range(3):
        t = time.perf_counter()
        sum(i * i for i in range(2_000_000))
        best = min(best, time.perf_counter() - t)
    return round(best * 1000, 1)


def machine() -> dict:
    cpu = platform.processor() or ""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    mem_gb = None
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemTotal"):
                    mem_gb = round(int(line.split()[1]) / 1024 / 1024, 1)
                    break
    except OSError:
        pass
    return {
        "cores": os.cpu_count(),
        "memory_gb": mem_gb,
        "cpu": cpu,
        "python": platform.python_version(),
        "cpu_loop_ms": cpu_speed_ms(),
    }
