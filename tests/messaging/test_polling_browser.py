"""The polling script in a real browser (Debian's Chromium through Playwright): new messages
appear without a reload, the text being typed stays, every poll carries X-Portal-Poll: 1, the
crisis banner and unread counts update on the dashboard, and axe finds nothing serious.

The browser runs in a thread of its own (see `in_browser`); DJANGO_ALLOW_ASYNC_UNSAFE is set
for the test only, because the steps call services between browser actions.
"""

from __future__ import annotations

import shutil
import threading

import pytest
from django.conf import settings
from django.db import connections
from django.test import Client

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture
def in_browser(monkeypatch):
    """Run a function with a Chromium browser, in a thread of its own.

    Playwright's sync API refuses to start in a thread where an event loop already runs,
    and tests/browser keeps a session-wide Playwright running in the main thread; a thread
    of our own works whichever tests ran before. The test data is committed
    (transactional db), so the thread's own database connection sees it.
    """
    if shutil.which(CHROMIUM) is None:
        pytest.skip("Chromium is not installed")
    sync_api = pytest.importorskip("playwright.sync_api")
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

    def run(fn):
        outcome: dict = {}

        def target():
            try:
                with sync_api.sync_playwright() as p:
                    b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--headless=new"])
                    try:
                        outcome["value"] = fn(b)
                    finally:
                        b.close()
            except BaseException as exc:  # handed to the test's thread below
                outcome["error"] = exc
            finally:
                connections.close_all()

        worker = threading.Thread(target=target)
        worker.start()
        worker.join(timeout=120)
        assert not worker.is_alive(), "the browser step did not finish"
        if "error" in outcome:
            raise outcome["error"]
        return outcome.get("value")

    return run


@pytest.fixture(autouse=True)
def fresh_compiled_policies():
    from policies import selectors as policy_selectors

    policy_selectors._compiled.clear()
    yield
    policy_selectors._compiled.clear()


def logged_in(browser, user, live_server):
    web = Client()
    web.force_login(user)
    context = browser.new_context()
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "url": live_server.url,
                "value": web.cookies[settings.SESSION_COOKIE_NAME].value,
            }
        ]
    )
    return context.new_page()


def poll_now(page) -> None:
    # The script polls at once when the page becomes visible again: no 15 s wait in tests.
    page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")


def serious_axe_violations(page) -> list:
    from axe_playwright_python.sync_playwright import Axe

    found = Axe().run(page).response["violations"]
    return [
        (v["id"], [n["html"][:100] for n in v["nodes"]])
        for v in found
        if v["impact"] in ("serious", "critical")
    ]


def test_a_new_message_appears_without_losing_what_is_being_typed(
    in_browser, live_server, therapist, consented_client
):
    from messaging.services import send as send_service

    thread = consented_client.thread

    def steps(browser):
        page = logged_in(browser, therapist, live_server)
        polls = []
        page.on("request", lambda r: polls.append(r.headers) if "/messages/poll/" in r.url else None)
        page.goto(f"{live_server.url}/messages/threads/{thread.pk}/")
        assert serious_axe_violations(page) == []
        page.fill("#id_body", "a reply I am still writing")
        page.focus("#id_body")

        send_service.message_send(
            sender=consented_client,
            thread=thread,
            category="emergency",
            channel="portal",
            body="<i>arrived</i> while you typed",
        )
        poll_now(page)
        item = page.wait_for_selector("#message-list li:has-text('arrived')", timeout=20000)
        assert "<i>arrived</i> while you typed" in item.inner_text()  # shown as text, not markup
        assert page.input_value("#id_body") == "a reply I am still writing"
        assert polls and all(h.get("x-portal-poll") == "1" for h in polls)

    in_browser(steps)


def test_the_dashboard_shows_a_new_crisis_alert_and_unread_count(
    in_browser, live_server, therapist, consented_client
):
    from messaging.services import send as send_service

    thread = consented_client.thread

    def steps(browser):
        page = logged_in(browser, therapist, live_server)
        page.goto(f"{live_server.url}/messages/therapist/")
        assert page.locator("#crisis-alerts .alert").count() == 0
        assert serious_axe_violations(page) == []

        send_service.message_send(
            sender=consented_client,
            thread=thread,
            category="administrative",
            channel="portal",
            body="I want to die",
        )
        poll_now(page)
        page.wait_for_selector("#crisis-alerts [role=alert] button:has-text('Acknowledge')", timeout=20000)
        page.wait_for_selector(f"[data-unread-thread='{thread.pk}']:has-text('1 unread')", timeout=20000)
        assert serious_axe_violations(page) == []
        page.click("#crisis-alerts button:has-text('Acknowledge')")
        page.wait_for_selector("text=acknowledged")

    in_browser(steps)


def test_the_client_pages_pass_axe(in_browser, live_server, consented_client):
    def steps(browser):
        page = logged_in(browser, consented_client, live_server)
        for path in (f"/messages/threads/{consented_client.thread.pk}/", "/messages/me/"):
            page.goto(live_server.url + path)
            assert serious_axe_violations(page) == [], path

    in_browser(steps)
