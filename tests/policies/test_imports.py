"""policies is the lower room: consent and messaging build on it, never the other way round
(issue 14). The source of every module of the policies package is read for imports of
`messaging` or `consent`, at module level or inside a function, by `import`, `from ...
import` or importlib; what policies needs from them comes through policies.signals (a
publication) and policies.simulate.register_history_reader (a client's history)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FORBIDDEN = ("messaging", "consent")


def imported_modules(source: str) -> list[tuple[str, int]]:
    """(module, line) of every absolute import in this source, including
    importlib.import_module("...") and __import__("...") with a literal name."""
    found: list[tuple[str, int]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.module, node.lineno))
        elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in ("import_module", "__import__") and isinstance(node.args[0].value, str):
                found.append((node.args[0].value, node.lineno))
    return found


def forbidden_in(source: str) -> list[tuple[str, int]]:
    return [(mod, line) for mod, line in imported_modules(source) if mod.split(".")[0] in FORBIDDEN]


def test_the_scan_finds_every_form_of_import():
    source = """
import messaging
import consent.models as cm
from messaging.models import Thread
from consent import services
import importlib
from policies.rules import CHANNELS


def late():
    from messaging.selectors import history_for
    importlib.import_module("consent.selectors")
    __import__("messaging.wording")
    from .engine import decide
    import messaging_extra
"""
    assert forbidden_in(source) == [
        ("messaging", 2),
        ("consent.models", 3),
        ("messaging.models", 4),
        ("consent", 5),
        ("messaging.selectors", 11),
        ("consent.selectors", 12),
        ("messaging.wording", 13),
    ]


def test_no_module_of_policies_imports_messaging_or_consent():
    modules = sorted((ROOT / "policies").rglob("*.py"))
    assert len(modules) > 10  # the package was found, not an empty glob
    offenders = [
        f"{path.relative_to(ROOT)}:{line} imports {mod}"
        for path in modules
        for mod, line in forbidden_in(path.read_text())
    ]
    assert offenders == []
