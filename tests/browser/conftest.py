"""Browser journeys: Playwright driving Debian's Chromium against pytest-django's live server.

Without /usr/bin/chromium every browser test is skipped with a plain message, unless
PORTAL_REQUIRE_BROWSER=1 (set by .ci/run), which makes a missing browser an error.
Every page a journey visits is checked with axe-core: no serious or critical violation.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]
SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


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


class Journey:
    def __init__(self, browser, live_server, name: str):
        self.browser, self.base, self.name = browser, live_server.url, name
        self.step = 0
        self.folder = SHOTS / name
        self.folder.mkdir(parents=True, exist_ok=True)
        self.contexts = []

    def page_for(self, user=None):
        # axe is injected as a script, hence bypass_csp. Reduced motion turns off Bootstrap's
        # colour transitions, so axe never samples a button halfway between two states.
        context = self.browser.new_context(bypass_csp=True, accept_downloads=True, reduced_motion="reduce")
        context.set_default_timeout(10_000)
        if user is not None:
            web = Client()
            web.force_login(user)
            context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "url": self.base,
                                  "value": web.cookies[settings.SESSION_COOKIE_NAME].value}])
        self.contexts.append(context)
        return context.new_page()

    def check(self, page, label: str) -> None:
        """Screenshot this step, and fail on any serious or critical axe-core violation."""
        from axe_playwright_python.sync_playwright import Axe

        self.step += 1
        # Check the page at rest: the pointer off whatever it last clicked, nothing focused.
        page.mouse.move(0, 0)
        page.evaluate("document.activeElement && document.activeElement.blur()")
        page.screenshot(path=str(self.folder / f"{self.step:02d}-{re.sub(r'[^a-z0-9]+', '-', label.lower())}.png"),
                        full_page=True)
        violations = [v for v in Axe().run(page).response["violations"] if v.get("impact") in ("serious", "critical")]
        assert not violations, f"{label}: " + "; ".join(
            f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}" for v in violations)

    def close(self):
        for c in self.contexts:
            c.close()


@pytest.fixture
def journey(request, chromium, live_server):
    j = Journey(chromium, live_server, request.node.name.removeprefix("test_"))
    yield j
    j.close()
