"""The reader's broad net (policies/reader_net.py): its fitted weights, what it adds, what stays calm."""

from __future__ import annotations

from pathlib import Path

import pytest

from policies import reader_net
from policies.reader import read

NET = reader_net.load()


def test_the_fitted_weights_load():
    assert len(NET.weights) > 50
    assert len(NET.pairs) > 10
    assert NET.window > 0
    # crisis signals weigh for, benign contexts against
    assert NET.weights["selfkill"] > 0
    assert NET.weights["benign"] < 0
    assert reader_net.NET_FILE.read_text(encoding="utf-8").startswith("#")


def test_a_line_it_cannot_read_is_an_error():
    with pytest.raises(ValueError, match="net.txt:2"):
        reader_net.parse("bias 0.1\ntag pills\n")


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        # rules find nothing here (see test_the_rules_alone_find_nothing): the net does
        ("parents are away this weekend, thats when im doing it", "suicidal_thoughts"),
        ("no creo que llegue al lunes la verdad, gracias por todo", "suicidal_thoughts"),
        (
            "the voice in my head keeps saying everyone would be better off and im starting to agree",
            "suicidal_thoughts",
        ),
    ],
)
def test_weaker_signals_together_escalate(text, kind):
    reading = read(text)
    assert reading.crisis
    assert reading.crisis_kind == kind


@pytest.mark.parametrize(
    "text",
    [
        "parents are away this weekend, thats when im doing it",
        "no creo que llegue al lunes la verdad, gracias por todo",
    ],
)
def test_the_rules_alone_find_nothing(text, monkeypatch):
    called = []
    monkeypatch.setattr(reader_net, "judge", lambda *a: called.append(a))
    assert not read(text).crisis
    assert called, "the net is asked when the rules found no crisis"


def test_the_net_never_runs_when_the_rules_found_crisis(monkeypatch):
    def fail(*_):
        raise AssertionError("the net ran")

    monkeypatch.setattr(reader_net, "judge", fail)
    assert read("i want to kill myself tonight").crisis
    assert read("ya tengo las pastillas juntadas, el viernes lo hago").crisis


@pytest.mark.parametrize(
    "text",
    [
        "my mum died last year",
        "the anniversary of my dad's death is on sunday",
        "we watched a film about suicide in class, it was heavy",
        "i read a book about a woman who took her own life, beautifully written",
        "can i take ibuprofen with my sertraline?",
        "how many mg of melatonin is safe to take?",
        "I'm dead tired",
        "killing it at work this week",
        "my phone is about to die lol",
        "mi abuela murio hace un año, la extraño",
        "mein vater ist letztes jahr gestorben",
    ],
)
def test_grief_films_medicine_and_idioms_stay_calm(text):
    assert not read(text).crisis


def test_the_kind_follows_the_strongest_signals():
    assert reader_net.kind_of({"pills", "ingest_past", "qty"}) == "overdose"
    assert reader_net.kind_of({"pills", "time"}) == "plan"
    assert reader_net.kind_of({"lethal"}) == "method"
    assert reader_net.kind_of({"harm", "body"}) == "self_injury"
    assert reader_net.kind_of({"wish", "death"}) == "wish_to_be_dead"
    assert reader_net.kind_of({"burden"}) == "wish_to_be_dead"
    assert reader_net.kind_of({"finality", "gratitude"}) == "suicidal_thoughts"


def test_the_score_counts_a_pair_only_within_its_window():
    net = reader_net.Net(bias=0.0, threshold=1.0, window=2, weights={}, pairs={("pills", "time"): 1.5})
    close = " the pills tonight "
    far = " the pills and then a lot of other words tonight "
    tags_close = {"pills": [(4, 11)], "time": [(10, 19)]}
    assert reader_net.score(tags_close, close, net)[0] == 1.5
    tags_far = {"pills": [(4, 11)], "time": [(far.index(" tonight "), len(far))]}
    assert reader_net.score(tags_far, far, net)[0] == 0.0


def test_tags_of_another_language_do_not_count():
    where = {"de:death": [(0, 5)], "en:pills": [(4, 11)]}
    assert set(reader_net.tags_of(where, "en")) == {"pills"}
    assert set(reader_net.tags_of(where, None)) == {"death", "pills"}


def test_reaches_agrees_with_the_score_on_the_corpora():
    """The fast path (pairs measured only when they could matter) decides as the full score."""
    from policies.reader import reading

    seen = []

    def spy(where, spaced, language):
        tags = reader_net.tags_of(where, language)
        if tags:
            seen.append(
                reader_net.reaches(tags, spaced, NET)
                == (reader_net.score(tags, spaced, NET)[0] >= NET.threshold)
            )
        return None

    original = reading.reader_net.judge
    reading.reader_net.judge = spy
    try:
        for path in sorted((Path(__file__).parent / "data" / "reader_second_corpus").glob("batch*/*.tsv")):
            for row in path.read_text(encoding="utf-8").splitlines():
                if row and not row.startswith("#"):
                    read(row.split("\t")[2])
    finally:
        reading.reader_net.judge = original
    assert len(seen) > 100
    assert all(seen)
