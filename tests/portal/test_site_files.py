"""Files every browser asks for, and the API's own documentation page."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db


def test_favicon_is_served_at_the_root(client):
    r = client.get("/favicon.ico")
    assert r.status_code == 200
    assert r["Content-Type"] in ("image/x-icon", "image/vnd.microsoft.icon")
    body = b"".join(r.streaming_content) if r.streaming else r.content
    assert body[:4] == b"\x00\x00\x01\x00"  # an ICO header


def test_pages_name_the_svg_icon(client, therapist):
    client.force_login(therapist)
    html = client.get("/", follow=True).content.decode()
    assert 'rel="icon"' in html and "favicon.svg" in html


def test_api_docs_are_browsable_with_local_assets_only(client):
    r = client.get("/api/v1/docs")
    assert r.status_code == 200 and "text/html" in r["Content-Type"]
    html = r.content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources and not [s for s in sources if s.startswith(("http:", "https:", "//"))], sources
    assert "<script>" not in html.replace(" ", "") and "<style" not in html  # the CSP forbids inline code
    script = client.get("/api/v1/docs", {"script": ""})
    assert script.status_code == 200 and b"SwaggerUIBundle" in script.content
    assert b"/api/v1/schema" in script.content
