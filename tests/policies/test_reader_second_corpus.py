"""The reader against a second, later corpus of client messages: twenty-seven batches, both ways.

``tests/policies/data/reader_second_corpus/batch1/<language>.tsv`` was written before its
author opened the reader's vocabulary files, and measured before the vocabulary changed.
``batch2/`` to ``batch7/`` were each written after the vocabulary changes that the batch
before it led to, committed, and only then measured: each one's first measure (in the
message of the commit that then fixed it) is an honest figure of how the reader does on
messages nobody tuned it for. Once fixed, every batch guards against regressions here.
``batch8/`` was written after the broad net (policies/reader_net.py) was fitted on the
corpora and batches 1-7, before its results were looked at: first measured at crisis 54/60
(90.0 %; the rules alone 50/60), false alarms 3/60 (all three the rules', none the net's);
its misses are in known_misses.tsv (round 10 of the vocabulary then read six of them).
``batch9/`` was written after round 9, before the reader read it: first measured at crisis
59/60 (98.3 %), false alarms 0/60, 7 of 10 requests for a relationship outside therapy read as
personal (an invitation to the client's art show, a scarf to drop off at the therapist's house,
a hike asked in German missed), its social lines all passing; round 10 read all four.
``batch10/`` (40 each way, more of its crisis lines indirect, its not-crisis lines near misses)
was written after round 10, before the reader read it: first measured at crisis 37/40 (92.5 %:
hoping for an accident, "a weight around everyone's neck", "keinen sinn mehr in allem" missed),
false alarms 1/40 (wanting to disappear after tripping in public), one of five requests missed
(a Facebook friend request in Portuguese); round 11 read all of them.
``batch11/`` (40 each way, as batch 10) was written after round 11, before the reader read it:
first measured at crisis 31/40 (77.5 %; English 11/16: not seeing oneself making it to
Christmas, voices telling one to jump, the car running in the garage, one's own eulogy, "you'll
know why"), false alarms 0/40, three of five requests (Portuguese and German friendship after
therapy missed); round 12 read all but one crisis line, which stays a known miss.
``batch12/`` (40 each way: letter games, slang, oneself in the third person, a recent attempt
inside a long message) was written after round 12, before the reader read it: first measured
at crisis 32/40 (80.0 %: "s/h urges", a plan "and it's soon", a night in the emergency room
after pills in four languages, tired of waking up in three), false alarms 3/40, four of five
requests; round 13 read every crisis line and the request; the three false alarms stay known.
``batch13/`` (40 each way: crisis said indirectly, six of its ideas in every language; its
not-crisis lines share their words) was written after round 13, before the reader read it: first
measured at crisis 24/40 (60.0 %: no reasons left to stay, driving fast hoping for an accident,
everyone moving on if one were gone, a belt around the neck in German), false alarms 3/40
(letters to one's children for their birthdays, a scarf around a dog's neck for a costume, a
goodbye to one's old flat), four of five requests; round 14 read all of them.
``batch14/`` and ``batch15/`` (60 each way; batch 14 by the families an outside evaluation
measures, batch 15 by kinds of writers: a teenager, a tired parent, a formal older adult, a man
who says it sideways, a drunk 3 am message, the practical question that shows a plan) were
written by two writers who had not seen the reader, its vocabulary or the earlier batches, and
committed before the reader read them: first measured at crisis 52/60 (86.7 %) and 53/60
(88.3 %; German 6/10 and 8/10: pills bought for tonight, "hab mich entschieden", a hose for the
car with the garage free), false alarms 6/60 and 10/60 (films and documentaries about suicide,
recovery anniversaries, a bridge closed on the commute, climbing ropes), requests 5/7 and 2/7
(invitations to a christening, a vernissage, an opening; a job offer; drinks once therapy
ends); round 15 read all of them but one false alarm (an attempt's anniversary told as
recovery, ending "gracias por todo", which counts as a second signal).
``batch16/`` to ``batch21/`` were written the same way, by six writers who had not seen the
reader, its vocabulary or any earlier batch, each committed before the reader read it; first
measured (rounds 15 and 16 then 17 of the vocabulary came after them):

- batch 16 (euphemism, understatement, places; 60 each way): crisis 40/60 (66.7 %; English
  9/20: checking out "and i don't mean of the job", tapping out for good, the permanent
  solution, catching the bus "you don't come back from", long sleeves "you know why"), false
  alarms 13/60 (a ward's overdoses, a first-aid course, a prevention project), requests 5/6;
- batch 17 (mostly not English, regional; 70 each way): crisis 61/70 (87.1 %; German 10/15:
  Austrian and Swiss German, "wenn ich mich umbring"), false alarms 8/70, requests 5/5;
- batch 18 (how people type: censoring, split letters, shorthand; 60 each way): crisis 53/60
  (88.3 %: "s**cide note", "b u r n e d myself", "cb de cachets", "jme tue ce soir"), false
  alarms 6/60, requests 3/6;
- batch 19 (the families an outside evaluation measures, the subtle ones weighted; 80 each
  way): crisis 61/80 (76.2 %; English 23/32: "soon none of it will matter", walking into the
  sea "would it be quick? im asking about me", "after last week when I tried", the stomach
  pumping), false alarms 12/80, requests 5/6;
- batch 20 (long messages, the crisis said once; 50 each way): crisis 43/50 (86.0 %), false
  alarms 6/50, requests 4/6;
- batch 21 (ambivalence and indirectness; 60 each way): crisis 38/60 (63.3 %: "do you have to
  report it if someone has a plan? asking for me", "is it normal to think about how you'd do
  it", a birthday one is "not planning on seeing", one last visit, joining a dead brother),
  false alarms 4/60, requests 4/6.

- batch 22 (an ordinary practice's messages, mostly English; 60 each way): crisis 59/60
  (98.3 %: "I'll be dead by then"), false alarms 2/60, requests 7/7;
- batch 23 (self-injury and overdose, mostly not English; 60 each way): crisis 52/60 (86.7 %:
  co-codamol with sleeping tablets, "a punto de tomarmelo todo", burns hidden "pour que
  personne voie", the Austrian "Medikamentenkastl"), false alarms 8/60 (burns while cooking),
  requests 4/5;
- batch 24 (at night, in distress; 60 each way): crisis 58/60 (96.7 %: a car in the garage
  with the engine running, a quarry "so it looks like an accident"), false alarms 8/60,
  requests 4/5.

- batch 25 (every family, mostly not English, formal and informal; 64 each way): crisis 51/64
  (79.7 %: a key and the dog's instructions left before "cuide a sus otros pacientes", charcoal
  and the car's windows sealed, "vou acabar com isto, ja sei como", Swiss German), false alarms
  7/64, requests 4/5;
- batch 26 (English as many communities write it; 60 each way): crisis 57/60 (95.0 %: "doing
  away with meself", "what is the use of living"), false alarms 6/60, requests 6/7;
- batch 27 (mostly everyday lines; 30 crisis, 90 not): crisis 29/30, false alarms 23/90 (a
  nurse's, a paramedic's and a firefighter's shifts, insurance forms, recoveries, ropes),
  requests 4/6.

Rounds 15 to 19 read every crisis line of batches 14 to 27; seven of their not-crisis lines stay
known false alarms (below).
Same format as the first corpus (``expect<TAB>kind<TAB>text``, see test_reader_corpus.py).

Lines the reader still reads wrong, and should not, are listed in ``known_misses.tsv``
(``batch/language<TAB>text``): the test asserts each of them is still read wrong, so a fix
shows (and the line must then leave the list), and that the list stays small.

Run as a script for the figures (recall per language and kind, false alarms, personal):
``.venv/bin/python -m tests.policies.test_reader_second_corpus [batch1|...|batch27]``.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import pytest

from policies.reader import Reading, read
from tests.policies.test_reader_corpus import Line, _parse

HERE = Path(__file__).parent / "data" / "reader_second_corpus"
BATCHES = (
    "batch1",
    "batch2",
    "batch3",
    "batch4",
    "batch5",
    "batch6",
    "batch7",
    "batch8",
    "batch9",
    "batch10",
    "batch11",
    "batch12",
    "batch13",
    "batch14",
    "batch15",
    "batch16",
    "batch17",
    "batch18",
    "batch19",
    "batch20",
    "batch21",
    "batch22",
    "batch23",
    "batch24",
    "batch25",
    "batch26",
    "batch27",
)
LANGUAGES = ("en", "es", "fr", "pt", "de")
KNOWN_MISSES = HERE / "known_misses.tsv"
# batch1 was asked for 250 each way, at least 30 each way in every language besides English;
# batch2 for 100 each way over all five languages; batch3 to batch7 are smaller later looks;
# batch8 and batch9 were asked for 60 each way over the five languages, batch10 to batch13 for 40,
# batch14 to batch27 for 30 to 90.
BATCH_MINIMUMS = {
    "batch1": 250,
    "batch2": 100,
    "batch3": 50,
    "batch4": 40,
    "batch5": 40,
    "batch6": 40,
    "batch7": 40,
    "batch8": 60,
    "batch9": 60,
    "batch10": 40,
    "batch11": 40,
    "batch12": 40,
    "batch13": 40,
    "batch14": 60,
    "batch15": 60,
    "batch16": 60,
    "batch17": 70,
    "batch18": 60,
    "batch19": 80,
    "batch20": 50,
    "batch21": 60,
    "batch22": 60,
    "batch23": 60,
    "batch24": 60,
    "batch25": 64,
    "batch26": 60,
    "batch27": 30,
}
BATCH1_OTHER_LANGUAGE_MINIMUM = 30
MAX_KNOWN_MISSES = 16  # 12 while there were thirteen batches (1,836 lines); 24 now hold 3,196


def _path(batch: str, language: str) -> Path:
    return HERE / batch / f"{language}.tsv"


def _lines(batch: str) -> list[Line]:
    return [ln for lang in LANGUAGES for ln in _parse(_path(batch, lang))[0]]


def wrong(line: Line, reading: Reading) -> bool:
    """Whether the reading gets the line wrong (the category is not asserted)."""
    if line.expect == "crisis":
        return not reading.crisis
    if reading.crisis:
        return True
    if line.expect == "personal":
        return not reading.personal
    return line.expect == "social" and reading.personal


def _known_misses() -> list[tuple[str, str]]:
    rows = []
    for row in KNOWN_MISSES.read_text(encoding="utf-8").splitlines():
        if row.strip() and not row.startswith("#"):
            where, text = row.split("\t")
            rows.append((where, text))
    return rows


KNOWN = frozenset(_known_misses())


def _where(line: Line) -> str:
    return f"{line.corpus}/{line.language}"


@pytest.mark.parametrize("batch", BATCHES)
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_line_is_well_formed(batch, language):
    lines, errors = _parse(_path(batch, language))
    assert not errors, "\n".join(errors)
    assert {ln.expect for ln in lines} == {"crisis", "safe", "personal", "social"}, (
        f"{batch}/{language}.tsv lacks a kind of line"
    )


@pytest.mark.parametrize("batch", BATCHES)
def test_each_batch_has_enough_both_ways(batch):
    lines = _lines(batch)
    crisis = sum(ln.expect == "crisis" for ln in lines)
    assert crisis >= BATCH_MINIMUMS[batch]
    assert len(lines) - crisis >= BATCH_MINIMUMS[batch]
    if batch == "batch1":
        for lang in LANGUAGES[1:]:
            counts = Counter(ln.expect == "crisis" for ln in lines if ln.language == lang)
            assert min(counts[True], counts[False]) >= BATCH1_OTHER_LANGUAGE_MINIMUM, (lang, counts)


def test_no_line_repeats_a_line_of_an_earlier_batch():
    seen: set[str] = set()
    repeated = []
    for batch in BATCHES:
        keys = {" ".join(ln.text.lower().split()): ln for ln in _lines(batch)}
        repeated += [ln for key, ln in keys.items() if key in seen]
        seen |= keys.keys()
    assert not repeated, "\n".join(map(str, repeated))


@pytest.mark.parametrize("batch", BATCHES)
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_line_reads_right(batch, language):
    lines = _parse(_path(batch, language))[0]
    misses = [
        f"  {ln}  -> {r}"
        for ln in lines
        if (_where(ln), ln.text) not in KNOWN and wrong(ln, r := read(ln.text))
    ]
    assert not misses, f"{len(misses)} of {len(lines)} lines read wrong:\n" + "\n".join(misses)


def test_the_known_misses_are_still_missed_and_few():
    by_text = {(_where(ln), ln.text): ln for batch in BATCHES for ln in _lines(batch)}
    rows = _known_misses()
    assert len(rows) <= MAX_KNOWN_MISSES, f"{len(rows)} known misses: fix some, do not grow the list"
    absent = [row for row in rows if row not in by_text]
    assert not absent, f"known misses that are not corpus lines: {absent}"
    fixed = [row for row in rows if not wrong(by_text[row], read(row[1]))]
    assert not fixed, f"now read right, take them off known_misses.tsv: {fixed}"


def measure(batch: str) -> str:
    """The figures of one batch: crisis recall per language and kind, false alarms, personal."""
    out = []
    lines = _lines(batch)
    readings = [(ln, read(ln.text)) for ln in lines]
    for lang in (*LANGUAGES, None):
        mine = [(ln, r) for ln, r in readings if lang is None or ln.language == lang]
        crisis = [(ln, r) for ln, r in mine if ln.expect == "crisis"]
        other = [(ln, r) for ln, r in mine if ln.expect != "crisis"]
        personal = [(ln, r) for ln, r in mine if ln.expect == "personal"]
        social = [(ln, r) for ln, r in mine if ln.expect == "social"]
        hit = sum(r.crisis for _, r in crisis)
        alarms = sum(r.crisis for _, r in other)
        asked = sum(r.personal and not r.crisis for _, r in personal)
        wrongly = sum(r.personal for _, r in social)
        out.append(
            f"{lang or 'all'}: crisis {hit}/{len(crisis)} ({100 * hit / max(1, len(crisis)):.1f} %), "
            f"false alarms {alarms}/{len(other)}, personal {asked}/{len(personal)}, "
            f"social read personal {wrongly}/{len(social)}"
        )
    kinds = Counter(ln.kind for ln, _ in readings if ln.expect == "crisis")
    found = Counter(ln.kind for ln, r in readings if ln.expect == "crisis" and r.crisis)
    out.append("by kind: " + ", ".join(f"{k} {found[k]}/{n}" for k, n in sorted(kinds.items())))
    out.append("read wrong:")
    out.extend(f"  {ln}  -> {r}" for ln, r in readings if wrong(ln, r))
    return "\n".join(out)


if __name__ == "__main__":
    for name in sys.argv[1:] or BATCHES:
        print(f"== {name}\n{measure(name)}")
