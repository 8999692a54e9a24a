"""A small closed-loop HTTP load generator: N threads, each with its own keep-alive connection."""

from __future__ import annotations

import http.client
import json
import threading
import time
from collections.abc import Callable


def run(
    host: str,
    port: int,
    concurrency: int,
    seconds: float,
    request_for: Callable[[int, int], tuple[str, str, dict]],
) -> dict:
    """Each worker i sends request_for(i, n) -> (method, path, headers+body) in a loop."""
    latencies: list[list[float]] = [[] for _ in range(concurrency)]
    errors = [0] * concurrency
    stop_at = time.perf_counter() + seconds
    start = threading.Barrier(concurrency + 1)

    def worker(i: int) -> None:
        conn = http.client.HTTPConnection(host, port, timeout=30)
        start.wait()
        n = 0
        while time.perf_counter() < stop_at:
            method, path, spec = request_for(i, n)
            body = json.dumps(spec.get("json", {})).encode()
            headers = {"Content-Type": "application/json", **spec.get("headers", {})}
            t0 = time.perf_counter()
            try:
                conn.request(method, path, body=body, headers=headers)
                resp = conn.getresponse()
                resp.read()
                ok = resp.status < 300
            except (OSError, http.client.HTTPException):
                ok = False
                conn.close()
                conn = http.client.HTTPConnection(host, port, timeout=30)
            latencies[i].append(time.perf_counter() - t0)
            if not ok:
                errors[i] += 1
            n += 1
        conn.close()

    threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(concurrency)]
    for t in threads:
        t.start()
    start.wait()
    t_begin = time.perf_counter()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - t_begin
    return summary([x for lst in latencies for x in lst], sum(errors), elapsed)


def summary(latencies: list[float], errors: int, elapsed: float) -> dict:
    flat = sorted(latencies)
    count = len(flat)

    def pct(p: float) -> float:
        return round(flat[min(count - 1, int(count * p))] * 1000, 1) if count else float("nan")

    return {
        "requests": count,
        "errors": errors,
        "rps": round(count / elapsed, 1),
        "p50_ms": pct(0.50),
        "p95_ms": pct(0.95),
        "p99_ms": pct(0.99),
        "latencies": flat,
        "elapsed": elapsed,
    }


def pooled(parts: list[dict]) -> dict:
    """Several runs of one load as one: all their requests over all their time."""
    return summary(
        [x for p in parts for x in p["latencies"]],
        sum(p["errors"] for p in parts),
        sum(p["elapsed"] for p in parts),
    )
