"""The pages benchmark's client side (bench.pages): one person's keep-alive connection with
their cookies, a page timed REPEAT times (p50, p95 = the slowest of 20, bytes, statements from
the X-Queries header), waiting for gunicorn's workers after a page that cost them, and an API
token. A page slower than BUDGET_S in all gets MIN_REPEAT samples."""

from __future__ import annotations

import http.client
import json
import re
import time
from urllib.parse import urlencode

REPEAT = 20
MIN_REPEAT = 3
BUDGET_S = 30.0  # per page, once MIN_REPEAT samples are in
TIMEOUT_S = 29.0  # gunicorn's sync worker timeout is 30 s


class Browser:
    """One person's keep-alive connection with their cookies (a session after log-in)."""

    token: str  # an API token, set for the people who call the API

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def request(
        self,
        method: str,
        path: str,
        *,
        body: bytes | None = None,
        headers: dict | None = None,
        retry: bool = True,
    ):
        h = dict(headers or {})
        if self.cookies:
            h["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in (1, 2) if retry else (2,):
            try:
                self.conn.request(method, path, body=body, headers=h)
                resp = self.conn.getresponse()
                data = resp.read()
                break
            except (http.client.HTTPException, OSError):
                # gunicorn's sync workers close every connection after its answer.
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
                if attempt == 2:
                    raise
        for name, value in resp.getheaders():
            if name.lower() == "set-cookie":
                k, _, rest = value.partition("=")
                self.cookies[k.strip()] = rest.split(";", 1)[0]
        if resp.getheader("Connection", "").lower() == "close":
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        return resp, data

    def log_in(self, email: str, password: str) -> None:
        resp, page = self.request("GET", "/accounts/login/")
        found = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if found is None:
            raise RuntimeError("no CSRF token on the log-in page")
        token = found.group(1).decode()
        form = urlencode({"csrfmiddlewaretoken": token, "username": email, "password": password}).encode()
        resp, _ = self.request(
            "POST",
            "/accounts/login/",
            body=form,
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        location = resp.getheader("Location", "")
        if resp.status != 302 or "login" in location or "2fa" in location:
            raise RuntimeError(f"log-in of {email} failed: {resp.status} {location}")


def timed(browser: Browser, path: str, *, headers: dict | None = None, repeat: int = REPEAT) -> dict:
    samples: list[float] = []
    sizes: list[int] = []
    queries: list[int] = []
    statuses: set[int | str] = set()
    warm = 0
    spent = 0.0
    while len(samples) < repeat:
        t = time.perf_counter()
        try:
            resp, data = browser.request("GET", path, headers=headers, retry=False)
        except (http.client.HTTPException, OSError):
            # A worker lost mid-answer: counted at the time it took.
            statuses.add("error")
            samples.append(time.perf_counter() - t)
            sizes.append(0)
            queries.append(-1)
            if len(samples) >= MIN_REPEAT:
                break
            continue
        took = time.perf_counter() - t
        statuses.add(resp.status)
        if took > TIMEOUT_S:
            # Past gunicorn's worker timeout: one such sample says enough, and each costs a
            # worker (killed and booted again, which the next pages would wait for).
            samples.append(took)
            sizes.append(len(data))
            queries.append(int(resp.getheader("X-Queries", "-1")))
            break
        if warm < 2 and took < 1.0:
            warm += 1  # the first hits of a page load its templates in a worker: not counted
            continue
        samples.append(took)
        sizes.append(len(data))
        queries.append(int(resp.getheader("X-Queries", "-1")))
        spent += took
        if len(samples) >= MIN_REPEAT and spent > BUDGET_S:
            break
    samples.sort()

    def pct(p: float) -> float:
        return round(samples[min(len(samples) - 1, int(len(samples) * p))] * 1000, 1)

    return {
        "p50_ms": pct(0.50),
        "p95_ms": pct(0.95),
        "bytes": max(sizes),
        "queries": max(queries),
        "queries_min": min(queries),
        "n": len(samples),
        "status": sorted(statuses, key=str),
    }


def settle(port: int) -> None:
    """After a page that cost workers (killed at the timeout): wait until every worker is
    back, so the next page is not timed behind a worker booting."""
    deadline = time.time() + 90
    quick = 0
    while quick < 10 and time.time() < deadline:
        t = time.perf_counter()
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            conn.request("GET", "/accounts/login/")
            ok = conn.getresponse().status == 200
            conn.close()
        except (http.client.HTTPException, OSError):
            ok = False
        quick = quick + 1 if ok and time.perf_counter() - t < 0.5 else 0
        if not ok:
            time.sleep(0.5)


def api_token(port: int, email: str, password: str) -> str:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request(
        "POST",
        "/api/v1/auth/token",
        body=json.dumps({"email": email, "password": password}),
        headers={"Content-Type": "application/json"},
    )
    resp = conn.getresponse()
    data = json.loads(resp.read())
    if resp.status != 200:
        raise RuntimeError(f"token for {email}: {resp.status} {data}")
    return data["token"]
