"""Crisis detection both ways, from corpora kept as data beside this test (through the reader)."""

from pathlib import Path

import pytest

from policies.reader import DATA as READER_DATA
from policies.reader import LANGUAGES, read

DATA = Path(__file__).parent / "data"


def corpus(name: str) -> list[str]:
    return [ln.strip() for ln in (DATA / name).read_text(encoding="utf-8").splitlines() if ln.strip()]


@pytest.mark.parametrize("text", corpus("crisis_must_escalate.txt"))
def test_crisis_language_escalates(text):
    reading = read(text)
    assert reading.crisis, text
    assert reading.crisis_kind is not None


@pytest.mark.parametrize("text", corpus("crisis_must_not_escalate.txt"))
def test_everyday_idioms_do_not_escalate(text):
    assert not read(text).crisis, (text, read(text))


def test_a_crisis_statement_beside_an_idiom_still_escalates():
    assert read("This deadline is killing me and honestly I want to die").crisis


def test_the_vocabulary_is_data_files_one_per_language():
    for lang in LANGUAGES:
        assert (READER_DATA / f"{lang}.txt").exists(), lang
    assert (READER_DATA / "rules.txt").exists()
