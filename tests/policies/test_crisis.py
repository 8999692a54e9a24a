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


def test_the_combined_pattern_matches_as_the_phrases_one_by_one():
    """The phrases are joined into one expression (with the word start tested once); it
    must find a phrase exactly where one of them, on its own, would."""
    import re

    from policies import crisis

    for name, combined in (("crisis_phrases.txt", crisis.CRISIS), ("crisis_idioms.txt", crisis.IDIOMS)):
        lines = (crisis.DATA / name).read_text(encoding="utf-8").splitlines()
        each = [re.compile(ln.strip()) for ln in lines if ln.strip() and not ln.lstrip().startswith("#")]
        texts = corpus("crisis_must_escalate.txt") + corpus("crisis_must_not_escalate.txt")
        for text in (crisis.normalise(t) for t in texts):
            found = {m.start() for m in combined.finditer(text)}
            assert (combined.search(text) is not None) == any(p.search(text) for p in each), text
            assert found <= {m.start() for p in each for m in p.finditer(text)}, text
