"""The reader's shortcuts decide as the long way does: the net's bound in the reader's own tag
names (policies/reader_net.py `judge`) and the words `_deleet` passes without reading them."""

from __future__ import annotations

from pathlib import Path

import pytest

from policies import reader_net
from policies.reader import normalise, read, text
from policies.reader import reading as reader_reading

DATA = Path(__file__).parent / "data"


def _corpus_texts() -> list[str]:
    out = []
    for path in sorted(DATA.rglob("*.tsv")):
        for row in path.read_text(encoding="utf-8").splitlines():
            if row and not row.startswith("#") and row.count("\t") == 2:
                out.append(row.split("\t")[2])
    return out


def test_the_judgement_with_its_bound_is_the_exact_score_on_the_corpora():
    net = reader_net.load()
    seen = []
    original = reader_net.judge

    def spy(where, spaced, language):
        got = original(where, spaced, language)
        tags = reader_net.tags_of(where, language)
        exact = None
        if tags and reader_net.score(tags, spaced, net)[0] >= net.threshold:
            exact = reader_net.kind_of(tags)
        seen.append((got, exact))
        return got

    reader_reading.reader_net.judge = spy
    try:
        for line in _corpus_texts():
            read(line)
            read(line.upper() + " and then some more words to pair with")
    finally:
        reader_reading.reader_net.judge = original
    assert len(seen) > 1000
    assert all(got == exact for got, exact in seen)
    assert any(got is not None for got, _ in seen)  # the net does escalate some


def test_the_bound_is_kept_per_language_and_forgets_a_caller_s_made_up_languages():
    net = reader_net.Net(
        bias=0.0, threshold=1.0, window=2, weights={"pills": 0.5}, pairs={("pills", "time"): 1.5}
    )
    table = net.by_name("en")
    assert table["en:pills"][0] == 0.5
    assert table["en:pills"][1] == frozenset({"en:time"})
    for n in range(40):
        net.by_name(f"x{n}")
    assert len(net.named) <= 16


@pytest.mark.parametrize(
    "words",
    [
        "thanks!",
        "thanks! see you",
        "hi!there",
        "220 oak st",
        "!! 10:30 4b, $20",
        "k1ll myself!",
        "ok?!",
        "don't!",
        "10pm!",
        "!",
        "a !",
        "m3ssage!!",
        "su1c1de!",
    ],
)
def test_the_words_deleet_passes_read_as_the_full_reading_of_each(words):
    """Each word of the text read one at a time by _leet (the long way), against _deleet."""
    t = words.casefold()
    by_word = " ".join(
        text._LEET_WORD.sub(text._leet, w) if text._LEET_CAND.search(w) else w for w in t.split(" ")
    )
    mask = t.encode("ascii").translate(text._LEET_MASK)
    fast = text._deleet(t, mask)
    # the same text once the punctuation is a space (what _canon does next)
    assert normalise(fast) == normalise(by_word)
