"""The reader's vocabulary: the data files of policies/data/reader/ compiled into two
Aho-Corasick automata (see the package docstring and the header of each data file).
"""

from __future__ import annotations

import hashlib
import itertools
import os
import pickle  # nosec B403
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import ahocorasick

from ..vocabulary import CONTACT_CATEGORIES as READ_CATEGORIES
from .text import _squeeze_word, normalise

CRISIS_KINDS = (
    "wish_to_be_dead",
    "suicidal_thoughts",
    "method",
    "intent",
    "plan",
    "preparatory_acts",
    "attempt",
    "self_injury",
    "overdose",
)
# Mildest first; the reading names the most severe kind found (see the module docstring).
SEVERITY = (
    "wish_to_be_dead",
    "suicidal_thoughts",
    "self_injury",
    "method",
    "intent",
    "plan",
    "preparatory_acts",
    "attempt",
    "overdose",
)
LANGUAGES = ("en", "es", "fr", "pt", "de")

DATA = Path(__file__).resolve().parent.parent / "data" / "reader"

# Entry kinds in the automaton's values.
CRISIS, TAG, EXCEPT, PERSONAL, CATEGORY, STRETCH, GLUED_WORD = range(7)
_GLUED_MIN = 7
# Every combination of a phrase's respellings while they are this few; beyond, one word at a
# time (the automaton's size grows with the product).
_MAX_RESPELLINGS = 8
# Typo and doubled-letter variants only for phrases this short: they are the core of what is
# typed in a hurry, and longer phrases would multiply the automaton for little.
_TYPO_WORDS = 3
_SQUEEZE_WORDS = 4
_SPELL_WORDS = 6


@dataclass(frozen=True, slots=True)
class Rule:
    tags: tuple[str, ...]
    within: int
    result: str
    unless: tuple[tuple[str, int], ...] = ()
    lang: str = ""


def _parse_rules(text: str) -> tuple[list[tuple[tuple[str, ...], int, str, tuple]], frozenset[str]]:
    rules: list[tuple[tuple[str, ...], int, str, tuple]] = []
    second: frozenset[str] = frozenset()
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith("second:"):
            second = frozenset(line[len("second:") :].split())
            continue
        m = re.fullmatch(r"(.+?)\s*/\s*(\d+)\s*->\s*(\w+)((?:\s+unless\s+\w+\s*/\s*\d+)*)", line)
        if not m:
            raise ValueError(f"rules.txt: cannot read {raw!r}")
        tags = tuple(t.strip() for t in m.group(1).split("+"))
        unless = tuple((u, int(n)) for u, n in re.findall(r"unless\s+(\w+)\s*/\s*(\d+)", m.group(4)))
        rules.append((tags, int(m.group(2)), m.group(3), unless))
    return rules, second


def _typos(word: str) -> set[str]:
    """One deleted or one swapped letter (sucide, suicdie): the typos people make at speed."""
    out = {word[:i] + word[i + 1 :] for i in range(1, len(word))}
    out |= {word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in range(len(word) - 1)}
    out.discard(word)
    return {w for w in out if len(w) >= 5}


class Vocabulary:
    def __init__(self, directory: Path = DATA) -> None:
        # Two automata: the phrases as written (keyed with their spaces) and the stretched-letter
        # keys, scanned over every message; the crisis phrases keyed without spaces, scanned
        # (over the text and its spaceless copy) only when nothing else found crisis language,
        # the only case in which they can change a reading. Each is smaller, so faster to walk.
        self.automaton = ahocorasick.Automaton(ahocorasick.STORE_INTS)
        self.glued_automaton = ahocorasick.Automaton(ahocorasick.STORE_INTS)
        self.meanings: list[tuple] = []
        self.stopwords: dict[str, frozenset[str]] = {}
        self.rules: list[Rule] = []
        self.glued_terms = 0
        entries: dict[str, list[tuple]] = {}
        words: set[str] = set()
        sections: list[tuple[str, str, str, list[str], dict[str, set[str]]]] = []
        rules, self.second = _parse_rules((directory / "rules.txt").read_text(encoding="utf-8"))
        typos_of: dict[str, dict[str, set[str]]] = {}
        suffixes_of: dict[str, list[tuple[str, str]]] = {}
        for lang in LANGUAGES:
            spelling: dict[str, set[str]] = {}
            typos: dict[str, set[str]] = {}
            typos_of[lang] = typos
            suffixes: list[tuple[str, str]] = []
            suffixes_of[lang] = suffixes
            current: list[str] | None = None
            stop: set[str] = set()
            for raw in (directory / f"{lang}.txt").read_text(encoding="utf-8").splitlines():
                line = raw.strip()
                if not line or line.startswith("#"):
                    continue
                if line.startswith("["):
                    head = line.strip("[]").split()
                    current = []
                    sections.append((lang, head[0], head[1] if len(head) > 1 else "", current, spelling))
                    continue
                if current is None:
                    raise ValueError(f"{lang}.txt: phrase before any section: {raw!r}")
                current.append(line)
            for _, kind, _name, lines, _ in [s for s in sections if s[0] == lang]:
                if kind == "stopwords":
                    stop.update(normalise(w) for ln in lines for w in ln.split())
                elif kind == "spelling":
                    for ln in lines:
                        canon, _, written = ln.partition("=")
                        if canon.strip().startswith("*"):
                            # "*ing = *in": every word ending so may be written so (thinkin, endin)
                            suffixes.append((canon.strip()[1:], written.strip()[1:]))
                            continue
                        spelling.setdefault(normalise(canon), set()).update(
                            normalise(v) for v in written.split(",") if v.strip()
                        )
                elif kind == "typos":
                    for ln in lines:
                        for w in ln.split():
                            typos.setdefault(normalise(w), set()).update(_typos(normalise(w)))
            self.stopwords[lang] = frozenset(stop)
            for tags, within, result, unless in rules:
                self.rules.append(
                    Rule(
                        tuple(f"{lang}:{t}" for t in tags),
                        within,
                        result,
                        tuple((f"{lang}:{u}", n) for u, n in unless),
                        lang,
                    )
                )
        kinds = {"crisis": CRISIS, "tag": TAG, "except": EXCEPT, "personal": PERSONAL, "category": CATEGORY}
        for lang, section, name, lines, spelling in sections:
            if section in ("stopwords", "spelling", "typos"):
                continue
            if section == "spelled":
                # words that are crisis language when spelt out letter by letter, and only then
                # ("s.t.e.r.b.e.n", "m.e t.u.e.r"): keyed in the spaceless copy alone
                for line in lines:
                    for phrase in self._phrases(line):
                        entries.setdefault(phrase.replace(" ", ""), []).append(
                            (CRISIS, name or "suicidal_thoughts")
                        )
                continue
            if section not in kinds:
                raise ValueError(f"{lang}.txt: unknown section [{section}]")
            if section == "crisis" and name not in CRISIS_KINDS:
                raise ValueError(f"{lang}.txt: unknown crisis kind {name!r}")
            if section == "category" and name not in READ_CATEGORIES:
                raise ValueError(f"{lang}.txt: unknown category {name!r}")
            etype = kinds[section]
            value_name = f"{lang}:{name}" if etype == TAG else name
            # Misspellings matter where a miss costs: crisis language and its partial signals.
            respell = spelling if etype in (CRISIS, TAG, PERSONAL) else {}
            retype = typos_of[lang] if etype in (CRISIS, TAG) else {}
            if etype in (CRISIS, TAG) and suffixes_of[lang]:
                respell = dict(respell)
            for line in lines:
                if line.startswith("@numbers"):
                    # "@numbers 10 400" is the numbers 10 to 400; "@numbers 1 99 kms" each with "kms"
                    lo, hi, *suffix = line.split()[1:]
                    tail = f" {normalise(' '.join(suffix))}" if suffix else ""
                    lines_out = [f"{n}{tail}" for n in range(int(lo), int(hi) + 1)]
                else:
                    lines_out = self._phrases(line)
                for phrase in lines_out:
                    words.update(phrase.split())
                    if etype in (CRISIS, TAG):
                        for w in phrase.split():
                            for old, new in suffixes_of[lang]:
                                if len(w) >= len(old) + 3 and w.endswith(old) and w not in respell:
                                    respell[w] = spelling.get(w, set()) | {w[: -len(old)] + new}
                    joined = phrase.replace(" ", "")
                    if etype == CRISIS and len(joined) >= _GLUED_MIN:
                        # spacing errors ("kill my self", "sui cide"), on the phrase as spelt
                        entries.setdefault(joined, []).append((etype, value_name))
                    variants = self._variants(phrase, respell, retype)
                    single = " ".join(_squeeze_word(w) for w in phrase.split())
                    if single != phrase and phrase.count(" ") < _SQUEEZE_WORDS:
                        # "kil myself", "pils": a doubled letter typed once, or a stretched
                        # letter ("killlll") that the reader wrote once
                        variants.append(single)
                        words.update(single.split())
                    for variant in variants:
                        entries.setdefault(f" {variant} ", []).append((etype, value_name))
        for letter in "abcdefghijklmnopqrstuvwxyz":
            entries[letter * 3] = [(STRETCH, "")]
        # A crisis key without spaces that has a digit is looked for as a word of the text too
        # (the spaceless copy reads digits as letters, so its scan cannot find it).
        for key, values in list(entries.items()):
            if not key.startswith(" ") and not key.isalpha():
                entries.setdefault(f" {key} ", []).extend((GLUED_WORD, n) for t, n in values if t == CRISIS)
        # What a key means, sorted by what the reader does with it (so a hit costs little), is
        # shared by the many keys that mean the same; the automaton's value for a key is the
        # index in `values` of the pair (its meaning's number, its length): a few thousand
        # pairs, so the reader reads a hit by one list index.
        meaning_ids: dict[tuple, int] = {}
        value_ids: dict[tuple[int, int], int] = {}
        for key, values in entries.items():
            uniq = tuple(dict.fromkeys(values))
            glued = not key.startswith(" ")
            self.glued_terms += glued
            meaning = (
                glued,
                tuple(n for t, n in uniq if t == CRISIS),
                tuple(n for t, n in uniq if t == TAG),
                tuple(n for t, n in uniq if t == EXCEPT),
                any(t == PERSONAL for t, _ in uniq),
                tuple(n for t, n in uniq if t == CATEGORY),
                any(t == STRETCH for t, _ in uniq),
                tuple(n for t, n in uniq if t == GLUED_WORD),
            )
            number = meaning_ids.setdefault(meaning, len(meaning_ids))
            value = value_ids.setdefault((number, len(key)), len(value_ids))
            spaced = key.startswith(" ") or meaning[6]
            (self.automaton if spaced else self.glued_automaton).add_word(key, value)
        self.meanings = list(meaning_ids)
        # an automaton's value -> (the number of the key's meaning, the key's length)
        self.values: list[tuple[int, int]] = list(value_ids)
        self.automaton.make_automaton()
        self.glued_automaton.make_automaton()
        self.words = frozenset(words)
        # Each rule is looked at only when its first tag was found.
        self.rules_by_tag: dict[str, list[tuple[Rule, frozenset[str]]]] = {}
        for rule in self.rules:
            self.rules_by_tag.setdefault(rule.tags[0], []).append((rule, frozenset(rule.tags)))

    @staticmethod
    def _phrases(line: str) -> list[str]:
        """The normalised phrases of one line: each alternative is normalised once, then the
        alternatives are combined (a line of braces stands for hundreds of phrases)."""
        choices = []
        for part in re.split(r"(\{[^{}]*\})", line):
            alts = part[1:-1].split("|") if part.startswith("{") else [part]
            forms: list[str] = []
            for alt in alts:
                lead = " " if alt[:1].isspace() else ""
                tail = " " if alt[-1:].isspace() else ""
                # "j'ai" is written "jai" and "j ai"; "don't" "dont" and "don t"
                for spelt in {alt, alt.replace("'", " ")}:
                    norm = normalise(spelt)
                    forms.append(f"{lead}{norm}{tail}" if norm else lead or tail)
            choices.append(list(dict.fromkeys(forms)))
        out = (" ".join("".join(c).split()) for c in itertools.product(*choices))
        return [p for p in dict.fromkeys(out) if p]

    @classmethod
    def _variants(cls, phrase: str, spelling: dict[str, set[str]], typos: dict[str, set[str]]) -> list[str]:
        out = []
        padded = f" {phrase} "
        for key, alts in spelling.items():
            if " " in key and f" {key} " in padded:
                # several words written as one ("je veux" -> "jveux", "nicht mehr" -> "nimmer")
                for alt in alts:
                    out.extend(
                        cls._word_variants(padded.replace(f" {key} ", f" {alt} ").strip(), spelling, typos)
                    )
        return cls._word_variants(phrase, spelling, typos) + out

    @staticmethod
    def _word_variants(phrase: str, spelling: dict[str, set[str]], typos: dict[str, set[str]]) -> list[str]:
        words = phrase.split()
        out = [phrase]
        if len(words) <= _SPELL_WORDS and not spelling.keys().isdisjoint(words):
            # the way people write ("thinkin bout endin it", "no reason 2 live"): every
            # combination of the respellings, as long as that stays small
            options = [[w, *sorted(spelling.get(w, ()))] for w in words]
            count = 1
            for o in options:
                count *= len(o)
            if count <= _MAX_RESPELLINGS:
                out = [" ".join(c) for c in itertools.product(*options)]
            else:
                for i, opts in enumerate(options):
                    out.extend(" ".join(words[:i] + [alt] + words[i + 1 :]) for alt in opts[1:])
        if len(words) <= _TYPO_WORDS and not typos.keys().isdisjoint(words):
            # a typo at speed, in the short core phrases ("kill myslef", "sucide"): one word at a time
            for i, w in enumerate(words):
                out.extend(" ".join(words[:i] + [alt] + words[i + 1 :]) for alt in sorted(typos.get(w, ())))
        return out


def _load() -> Vocabulary:
    """The compiled vocabulary, from a cache beside the data (like Python's own __pycache__)
    when one was built from exactly these files by exactly this code; else built (5-15 s:
    some 320,000 keys, about 230 MB resident; read-only, so workers forked after the import
    share it).
    """
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).resolve().parent.glob("*.py")):  # the code that compiles it
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    for path in sorted(DATA.glob("*.txt")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    digest.update(f"{ahocorasick.__file__}{sys.version}".encode())
    cache = DATA / "__pycache__" / f"vocabulary-{digest.hexdigest()[:24]}.pickle"
    try:
        with cache.open("rb") as f:
            # our own file, written next to the data it was compiled from (not user input)
            vocabulary = pickle.load(f)  # nosec B301  # noqa: S301 - our own cache file, not user input
        if isinstance(vocabulary, Vocabulary):
            return vocabulary
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, TypeError, ValueError):
        pass
    vocabulary = Vocabulary()
    try:
        cache.parent.mkdir(exist_ok=True)
        for old in cache.parent.glob("vocabulary-*.pickle"):
            old.unlink(missing_ok=True)
        tmp = cache.with_suffix(f".{os.getpid()}.tmp")
        with tmp.open("wb") as f:
            pickle.dump(vocabulary, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, cache)
    except OSError:
        pass  # a read-only install builds it at every start
    return vocabulary
