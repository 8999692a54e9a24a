"""Every round's probes (tests/policies/reader_probes/), each read as its list says."""

from __future__ import annotations

import importlib
import pkgutil

import pytest

from policies.reader import read
from tests.policies import reader_probes

ROUNDS = {
    info.name: importlib.import_module(f"{reader_probes.__name__}.{info.name}")
    for info in pkgutil.iter_modules(reader_probes.__path__)
}


def _probes(kind: str) -> list:
    out = []
    for name, module in sorted(ROUNDS.items()):
        for entry in getattr(module, kind, ()):
            text = entry[1] if isinstance(entry, tuple) else entry
            out.append(pytest.param(text, id=f"{name}: {text[:60]}"))
    return out


@pytest.mark.parametrize("text", _probes("CRISIS"))
def test_a_crisis_probe_escalates(text):
    assert read(text).crisis, read(text)


@pytest.mark.parametrize("text", _probes("CALM") + _probes("NEITHER") + _probes("PERSONAL"))
def test_an_everyday_probe_or_a_request_does_not(text):
    assert not read(text).crisis, read(text)


@pytest.mark.parametrize("text", _probes("PERSONAL"))
def test_a_request_probe_is_personal(text):
    assert read(text).personal, read(text)


@pytest.mark.parametrize("text", _probes("NEITHER"))
def test_a_neither_probe_is_not_personal(text):
    assert not read(text).personal, read(text)


def test_every_round_has_probes_both_ways():
    assert len(ROUNDS) >= 8
    for name, module in ROUNDS.items():
        calm = [
            *getattr(module, "CALM", ()),
            *getattr(module, "NEITHER", ()),
            *getattr(module, "PERSONAL", ()),
        ]
        assert getattr(module, "CRISIS", ()) and calm, name
