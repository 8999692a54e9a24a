"""Browser journeys: Playwright driving Debian's Chromium against pytest-django's live server.

Without /usr/bin/chromium every browser test is skipped with a plain message, unless
PORTAL_REQUIRE_BROWSER=1 (set by .ci/run), which makes a missing browser an error.
Every page a journey visits is checked with axe-core (no serious or critical violation) and,
with PORTAL_VNU_JAR set to the vnu-jar npm package's vnu.jar (.ci/run installs it), with the
Nu HTML checker: no error. One checker serves the whole session over HTTP (a JVM per page
would cost seconds each).
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import time
import urllib.request
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from django.conf import settings
from django.test import Client

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
HTML = SHOTS.parent / "html"


def pytest_collection_modifyitems(config, items):
    if os.path.exists(CHROMIUM):
        return
    if os.environ.get("PORTAL_REQUIRE_BROWSER") == "1":
        raise pytest.UsageError(f"PORTAL_REQUIRE_BROWSER=1 but {CHROMIUM} is missing")
    skip = pytest.mark.skip(reason=f"Chromium not found at {CHROMIUM}: browser tests skipped")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def chromium():
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests
    # make between browser steps are safe (nothing else touches the connection).
    before = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            yield browser
            browser.close()
    finally:
        if before is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = before


class NuChecker:
    """The Nu HTML checker's own web service (nu.validator.servlet.Main), started once."""

    def __init__(self, jar: str):
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.proc = subprocess.Popen(
            [
                "java",
                "-Dnu.validator.servlet.bind-address=127.0.0.1",
                "-cp",
                jar,
                "nu.validator.servlet.Main",
                str(self.port),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while True:
            try:
                self.errors("<!DOCTYPE html><html lang=en><title>up</title></html>")
                return
            except OSError:
                if time.monotonic() > deadline or self.proc.poll() is not None:
                    raise RuntimeError("the Nu HTML checker did not start") from None
                time.sleep(0.5)

    def errors(self, html: str) -> list[str]:
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}/?out=json",
            data=html.encode(),
            headers={"Content-Type": "text/html; charset=utf-8"},
        )
        with urllib.request.urlopen(request, timeout=60) as answer:  # noqa: S310 - our own local checker
            messages = json.load(answer)["messages"]
        return [
            f"line {m.get('lastLine')}: {m['message']}"
            for m in messages
            if m["type"] == "error" or m.get("subType") == "fatal"
        ]

    def close(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=10)


@pytest.fixture(scope="session")
def nu_checker():
    jar = os.environ.get("PORTAL_VNU_JAR")
    if not jar:
        yield None
        return
    checker = NuChecker(jar)
    yield checker
    checker.close()


class Journey:
    def __init__(self, browser, live_server, name: str, nu=None):
        self.browser, self.base, self.name, self.nu = browser, live_server.url, name, nu
        self.step = 0
        self.folder = SHOTS / name
        self.folder.mkdir(parents=True, exist_ok=True)
        self.contexts: list[BrowserContext] = []

    def page_for(self, user=None):
        # axe is injected as a script, hence bypass_csp. Reduced motion turns off Bootstrap's
        # colour transitions, so axe never samples a button halfway between two states.
        context = self.browser.new_context(bypass_csp=True, accept_downloads=True, reduced_motion="reduce")
        context.set_default_timeout(10_000)
        if user is not None:
            web = Client()
            web.force_login(user)
            context.add_cookies(
                [
                    {
                        "name": settings.SESSION_COOKIE_NAME,
                        "url": self.base,
                        "value": web.cookies[settings.SESSION_COOKIE_NAME].value,
                    }
                ]
            )
        self.contexts.append(context)
        return context.new_page()

    def check(self, page, label: str) -> None:
        """Screenshot this step, and fail on any serious or critical axe-core violation."""
        from axe_playwright_python.sync_playwright import Axe

        self.step += 1
        # Check the page at rest: the pointer off whatever it last clicked, nothing focused.
        page.mouse.move(0, 0)
        page.evaluate("document.activeElement && document.activeElement.blur()")
        page.screenshot(
            path=str(self.folder / f"{self.step:02d}-{re.sub(r'[^a-z0-9]+', '-', label.lower())}.png"),
            full_page=True,
        )
        violations = [
            v for v in Axe().run(page).response["violations"] if v.get("impact") in ("serious", "critical")
        ]
        assert not violations, f"{label}: " + "; ".join(
            f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
            for v in violations
        )
        html = page.content()
        folder = HTML / self.name
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{self.step:02d}-{re.sub(r'[^a-z0-9]+', '-', label.lower())}.html").write_text(html)
        if self.nu is not None:
            errors = self.nu.errors(html)
            assert not errors, f"{label}: Nu HTML checker errors:\n" + "\n".join(errors)

    def close(self):
        for c in self.contexts:
            c.close()


@pytest.fixture
def journey(request, chromium, live_server, nu_checker):
    j = Journey(chromium, live_server, request.node.name.removeprefix("test_"), nu_checker)
    yield j
    j.close()
