"""Crisis detection both ways, from corpora kept as data beside this test."""

from pathlib import Path

import pytest

from policies.crisis import detect_crisis, matches

DATA = Path(__file__).parent / "data"


def corpus(name: str) -> list[str]:
    return [ln.strip() for ln in (DATA / name).read_text(encoding="utf-8").splitlines() if ln.strip()]


@pytest.mark.parametrize("text", corpus("crisis_must_escalate.txt"))
def test_crisis_language_escalates(text):
    assert detect_crisis(text), text


@pytest.mark.parametrize("text", corpus("crisis_must_not_escalate.txt"))
def test_everyday_idioms_do_not_escalate(text):
    assert not detect_crisis(text), (text, matches(text))


def test_a_crisis_statement_beside_an_idiom_still_escalates():
    assert detect_crisis("This deadline is killing me and honestly I want to die")


def test_the_phrase_lists_are_data_files():
    from policies import crisis

    assert (crisis.DATA / "crisis_phrases.txt").exists() and (crisis.DATA / "crisis_idioms.txt").exists()
