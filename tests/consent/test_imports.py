"""consent sits below messaging (issue 14): messaging enforces consent on every contact and
imports it; consent never imports messaging. The source of every module of the consent
package is read for imports of `messaging`, at module level or inside a function, by
`import`, `from ... import` or importlib (the scan is tests/policies/test_imports.py's). What messaging does on a revocation it hears from
consent.signals; the revoke page's count and the client's record are messaging's."""

from __future__ import annotations

from pathlib import Path

from tests.policies.test_imports import imported_modules

ROOT = Path(__file__).resolve().parents[2]


def messaging_imports_in(source: str) -> list[tuple[str, int]]:
    return [(mod, line) for mod, line in imported_modules(source) if mod.split(".")[0] == "messaging"]


def test_the_scan_finds_every_form_of_import_of_messaging():
    source = """
import messaging.models
from messaging.wording import local_time
from consent.models import Consent
from portal.localtime import local_time


def late():
    from messaging.export import client_record
    import importlib
    importlib.import_module("messaging.selectors")
    import messaging_extra
"""
    assert messaging_imports_in(source) == [
        ("messaging.models", 2),
        ("messaging.wording", 3),
        ("messaging.export", 9),
        ("messaging.selectors", 11),
    ]


def test_no_module_of_consent_imports_messaging():
    modules = sorted((ROOT / "consent").rglob("*.py"))
    assert len(modules) > 10  # the package was found, not an empty glob
    offenders = [
        f"{path.relative_to(ROOT)}:{line} imports {mod}"
        for path in modules
        for mod, line in messaging_imports_in(path.read_text())
    ]
    assert offenders == []
