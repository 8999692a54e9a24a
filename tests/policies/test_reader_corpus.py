"""The reader against an evaluation corpus of client messages, both ways, in every language.

The corpus lives in ``tests/policies/data/corpus/<language>.tsv``: one message a line,
``expect<TAB>kind<TAB>text``, ``#`` lines are comments. It was written from what clients
write to their therapist between sessions, not from the reader's vocabulary, so a miss here
is a miss in the product. ``expect`` is

- ``crisis``: must escalate (``kind`` is the C-SSRS kind the line reads as);
- ``safe``: must not escalate (``kind`` is the category it reads as, or ``-``);
- ``personal``: asks the therapist for a relationship outside therapy; not crisis;
- ``social``: the client's own social life; neither crisis nor personal.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from policies.reader import Reading, read

DATA = Path(__file__).parent / "data"
# Two corpora by different authors, neither written from the reader's vocabulary: every line of
# both must read right. The first is the large one; the second was written later, against the
# families that an outside evaluation found hardest.
CORPORA = (DATA / "corpus", DATA / "corpus2")
CORPUS = CORPORA[0]

CRISIS_KINDS = frozenset(
    {
        "wish_to_be_dead",
        "suicidal_thoughts",
        "method",
        "intent",
        "plan",
        "preparatory_acts",
        "attempt",
        "self_injury",
        "overdose",
    }
)
CATEGORIES = frozenset({"emergency", "administrative", "scheduled_call", "check_in", "-"})
EXPECTATIONS = ("crisis", "safe", "personal", "social")

# Minimum lines per file: English is the large set; every other language at least 60 each way.
MINIMUMS = {"en": {"crisis": 420, "safe": 420, "personal": 80, "social": 80}}
OTHER_LANGUAGE_MINIMUMS = {"crisis": 60, "safe": 60}
SECOND_CORPUS_MINIMUMS = {"crisis": 90, "safe": 60}
WHOLE_CORPUS_MINIMUM = 600  # crisis lines, and not-crisis lines (safe + personal + social)
EN_LINES_PER_CRISIS_KIND = 10


@dataclass(frozen=True)
class Line:
    corpus: str
    language: str
    number: int
    expect: str
    kind: str
    text: str

    def __str__(self) -> str:
        return f"{self.corpus}/{self.language}.tsv:{self.number} [{self.kind}] {self.text}"


def _parse(path: Path) -> tuple[list[Line], list[str]]:
    lines: list[Line] = []
    errors: list[str] = []
    seen: dict[str, int] = {}
    raw = path.read_text(encoding="utf-8")
    for number, row in enumerate(raw.split("\n"), start=1):
        row = row.rstrip("\r")
        if not row.strip() or row.startswith("#"):
            continue
        fields = row.split("\t")
        if len(fields) != 3:
            errors.append(f"{path.name}:{number}: {len(fields)} tab-separated fields, want 3: {row!r}")
            continue
        expect, kind, text = fields
        if expect not in EXPECTATIONS:
            errors.append(f"{path.name}:{number}: unknown expect {expect!r}")
        elif expect == "crisis" and kind not in CRISIS_KINDS:
            errors.append(f"{path.name}:{number}: crisis line with kind {kind!r}, want a C-SSRS kind")
        elif expect != "crisis" and kind not in CATEGORIES:
            errors.append(f"{path.name}:{number}: {expect} line with kind {kind!r}, want a category or -")
        if not text.strip():
            errors.append(f"{path.name}:{number}: empty text")
        key = " ".join(text.lower().split())
        if key in seen:
            errors.append(f"{path.name}:{number}: same text as line {seen[key]}")
        seen[key] = number
        lines.append(Line(path.parent.name, path.stem, number, expect, kind, text))
    return lines, errors


def _files() -> list[Path]:
    return [path for corpus in CORPORA for path in sorted(corpus.glob("*.tsv"))]


def _key(path: Path) -> str:
    """'en' for the first corpus's files, 'corpus2/en' for the second's."""
    return path.stem if path.parent == CORPUS else f"{path.parent.name}/{path.stem}"


def _corpus() -> dict[str, list[Line]]:
    return {_key(path): _parse(path)[0] for path in _files()}


LINES = _corpus()
LANGUAGES = sorted(LINES)  # every file of both corpora


def _lines(language: str, expect: str) -> list[Line]:
    return [ln for ln in LINES[language] if ln.expect == expect]


def _report(what: str, misses: list[tuple[Line, Reading]], total: int) -> str:
    shown = "\n".join(f"  {line}  -> {reading}" for line, reading in misses)
    return f"{len(misses)} of {total} {what}:\n{shown}"


def test_the_english_corpus_is_there():
    assert "en" in LANGUAGES, f"no en.tsv in {CORPUS}"


@pytest.mark.parametrize("path", _files(), ids=_key)
def test_every_line_is_well_formed(path):
    lines, errors = _parse(path)
    assert not errors, "\n".join(errors)
    assert lines, f"{path.name} has no messages"


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_file_meets_its_minimum_sizes(language):
    minimums = SECOND_CORPUS_MINIMUMS if "/" in language else MINIMUMS.get(language, OTHER_LANGUAGE_MINIMUMS)
    counts = {expect: len(_lines(language, expect)) for expect in EXPECTATIONS}
    short = {e: (counts[e], want) for e, want in minimums.items() if counts[e] < want}
    assert not short, f"{language}.tsv too small (have, want): {short}"


def test_the_whole_corpus_has_enough_both_ways():
    crisis = sum(len(_lines(lang, "crisis")) for lang in LANGUAGES)
    not_crisis = sum(len([ln for ln in LINES[lang] if ln.expect != "crisis"]) for lang in LANGUAGES)
    assert crisis >= WHOLE_CORPUS_MINIMUM, (
        f"{crisis} crisis lines in all languages, want {WHOLE_CORPUS_MINIMUM}"
    )
    assert not_crisis >= WHOLE_CORPUS_MINIMUM, (
        f"{not_crisis} not-crisis lines in all languages, want {WHOLE_CORPUS_MINIMUM}"
    )


def test_the_english_corpus_covers_every_crisis_kind():
    counts = dict.fromkeys(CRISIS_KINDS, 0)
    for line in _lines("en", "crisis"):
        counts[line.kind] += 1
    thin = {k: n for k, n in counts.items() if n < EN_LINES_PER_CRISIS_KIND}
    assert not thin, f"crisis kinds with fewer than {EN_LINES_PER_CRISIS_KIND} English lines: {thin}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_crisis_line_escalates(language):
    lines = _lines(language, "crisis")
    misses = [(ln, r) for ln in lines if not (r := read(ln.text)).crisis]
    assert not misses, _report("crisis lines not read as crisis", misses, len(lines))


@pytest.mark.parametrize("expect", ["safe", "personal", "social"])
@pytest.mark.parametrize("language", LANGUAGES)
def test_no_other_line_escalates(language, expect):
    lines = _lines(language, expect)
    misses = [(ln, r) for ln in lines if (r := read(ln.text)).crisis]
    assert not misses, _report(f"{expect} lines read as crisis", misses, len(lines))


@pytest.mark.parametrize("language", LANGUAGES)
def test_personal_lines_read_as_personal(language):
    lines = _lines(language, "personal")
    misses = [(ln, r) for ln in lines if not (r := read(ln.text)).personal]
    assert not misses, _report("personal lines not read as personal", misses, len(lines))


@pytest.mark.parametrize("language", LANGUAGES)
def test_talk_about_ones_own_social_life_is_not_personal(language):
    lines = _lines(language, "social")
    misses = [(ln, r) for ln in lines if (r := read(ln.text)).personal]
    assert not misses, _report("social lines read as personal", misses, len(lines))
