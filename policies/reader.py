"""The reader: what a message body says, as the decision needs to know it.

A pure function (no database, no clock, no Django): `read(text) -> Reading`. The
contract's "Reading a message" defines the fields. The vocabulary is data, one file a
language in policies/data/reader/{en,es,fr,pt,de}.txt, and the combination rules are
policies/data/reader/rules.txt; both formats are described at the top of each file.
Everything is compiled once, at import, into one Aho-Corasick automaton.

How a message is read
1. Normalise once (`normalise`): casefold; curly quotes and dashes made plain; accents
   stripped (ß -> ss, œ -> oe); a few emoji read as the word they stand for; digits and
   symbols used as letters inside a word read as letters (k1ll, $uicide, d13, 0verd0se);
   a `*` standing for one letter inside a word resolved against the vocabulary (k*ll);
   punctuation dropped (apostrophes vanish: "don't" -> "dont"; dots and dashes between
   letters become spaces: "s.u.i.c.i.d.e" -> "s u i c i d e", read through the spaceless
   copy below); a letter repeated three times or more written once ("diiiie" -> "die").
   The vocabulary carries the rest as variants, added by the loader: each phrase with its
   doubled letters written once ("kil myself", "pils"), and each file's [spelling]
   (sucide, myslef, "thinkin bout", "jveux", "nimmer") and [typos] (a letter dropped or
   two swapped), so the text is never rewritten word by word.
2. Match in one pass over " <normalised text> \0 <the same without spaces>": phrases
   are keyed with a space at each end (so they match whole words only); crisis phrases
   of seven letters or more are also keyed without spaces, and a hit in the spaceless
   copy counts when it starts and ends on a word boundary of the message but is split
   differently ("kill my self", "sui cide", "k i l l myself", "s.u.i.c.i.d.e",
   "endmylife"); in that copy digits standing alone read as letters ("s u 1 c 1 d e").
   A letter three times in a row is spotted by the same pass (keys "aaa".."zzz"): the
   text is then read once more with every doubled letter written once ("killl myselff").
3. Phrases inside a known idiom ([except crisis]: "this deadline is killing me", "to die
   for", "me muero de risa") are set aside, unless the message carries a second crisis
   signal outside every idiom (a direct crisis phrase, or a partial signal listed on the
   `second:` line of rules.txt): then nothing is set aside. A negation never switches
   anything off: "I'm not going to kill myself" still reads as crisis (when unsure,
   escalate).
4. Partial signals (tags) of one language combine when they stand within a few words of
   each other (rules.txt): a wish near "not wake up", a means near saving/buying/a
   time, cut/burn near a body part, "asking for a friend" near crisis words...
5. The crisis kind is the most severe found, in this order (mildest first, following
   the C-SSRS severity ladder, with non-suicidal self-injury after the ideation levels
   and an overdose, an attempt already in the body, last): wish_to_be_dead,
   suicidal_thoughts, self_injury, method, intent, plan, preparatory_acts, attempt,
   overdose.
6. `personal`: a direct request phrase or a personal rule, not covered by an
   [except personal] phrase ("my friend added me on instagram" is the client's life).
7. `category`: emergency first (unless a "not urgent"/"no rush" phrase is there), then
   scheduled_call, administrative, check_in; None when nothing names one.
8. `language`: the language whose stop-words the message uses most (distinct words,
   at least two), None when there are too few to tell.
Time is linear in the length of the text: a handful of regular-expression passes and
one automaton pass; the per-hit work is bounded by the number of hits.
"""

from __future__ import annotations

import hashlib
import itertools
import os
import pickle  # nosec B403
import re
import sys
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import ahocorasick

from .vocabulary import CONTACT_CATEGORIES as READ_CATEGORIES
from .vocabulary import READING_PRECEDENCE as CATEGORY_ORDER

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

DATA = Path(__file__).resolve().parent / "data" / "reader"


@dataclass(frozen=True, slots=True)
class Reading:
    crisis: bool = False
    crisis_kind: str | None = None  # one of CRISIS_KINDS when crisis
    personal: bool = False
    category: str | None = None  # one of READ_CATEGORIES, or None when the reader cannot tell
    language: str | None = None  # one of LANGUAGES, or None

    def as_dict(self, *, for_client: bool = False) -> dict:
        """The contract's `reading` object; a client's answers never carry the kind (health data)."""
        return {
            "crisis": self.crisis,
            "crisis_kind": None if for_client else self.crisis_kind,
            "personal": self.personal,
            "category": self.category,
            "language": self.language,
        }


NOTHING = Reading()

# --- normalisation --------------------------------------------------------------------

# Characters the accent stripping below would drop but that stand for something: dashes
# between words, ligatures inside them, emoji for a word. (Curly quotes and apostrophes are
# simply dropped, as straight apostrophes are.) Looked for first: translating every
# character of every message through a table with multi-letter values is slow.
_PRE = {
    "\u2010": " ",
    "\u2011": " ",
    "\u2012": " ",
    "\u2013": " ",
    "\u2014": " ",
    "\u2015": " ",
    "\u2212": " ",
    "\u2026": " ",
    "\u0153": "oe",
    "\u00e6": "ae",
    "\u00f8": "o",
    "\u0142": "l",
    "\u0111": "d",
    "\u00fe": "th",
    # emoji people use for the words they stand for
    "\U0001f48a": " pills ",
    "\U0001fa78": " blood ",
    "\U0001f52a": " knife ",
    "\U0001f5e1": " knife ",
    "\U0001faa2": " rope ",
    "\U0001f52b": " gun ",
    "\u26b0": " coffin ",
    "\U0001fa93": " axe ",
    "\U0001fa92": " razor ",
}
_PRE_RE = re.compile("[" + "".join(_PRE) + "]")
_LEET = str.maketrans(
    {
        "0": "o",
        "1": "i",
        "3": "e",
        "4": "a",
        "5": "s",
        "7": "t",
        "8": "b",
        "9": "g",
        "@": "a",
        "$": "s",
        "!": "i",
        "|": "l",
        "+": "t",
    }
)
_LEET_BYTES = bytes(ord(chr(c).translate(_LEET)) for c in range(128)) + bytes(range(128, 256))
# A word mixing letters with digits/symbols that stand for letters.
_LEET_CAND = re.compile(r"[a-z][0-9@$!|+*]|[0-9@$|+*][a-z]")
_LEET_WORD = re.compile(r"[a-z0-9@$!|+*]*(?:[a-z][0-9@$!|+*]|[0-9@$|+*][a-z])[a-z0-9@$!|+*]*")
_NUMBER_UNIT = re.compile(
    r"\d+(?:st|nd|rd|th|am|pm|mg|mcg|ml|g|kg|k|km|kms|h|hr|hrs|min|mins|x|s|lb|lbs|yo|y)?"
)
_LEET_ANY = re.compile(r"[0-9@$!|+*]")
# "#" where the ASCII text has a character _LEET_ANY matches, a space elsewhere.
_LEET_MASK = bytes(35 if _LEET_ANY.match(chr(c)) else 32 for c in range(256))
# Every ASCII character but a-z and 0-9 becomes a space (apostrophes are dropped before).
_PUNCT = bytes(c if (48 <= c <= 57 or 97 <= c <= 122) else 32 for c in range(256))
_PAIRS = tuple(c + c for c in "abcdefghijklmnopqrstuvwxyz")
# Three or more single letters in a row: "k i l l", "s u i c i d e" (after punctuation went).
_REPEAT = re.compile(r"([a-z])\1+")
_RUN3 = re.compile(r"([a-z])\1\1+")
# "od'd" is an overdose, "odd" is strange: apostrophes vanish and letters squeeze, so tell
# them apart first.
_OD = re.compile(r"\bo\.?d\.?'(?:d|ed|ing)\b")
_ODD = re.compile(r"\bodd(?:s|ly|er|est)?\b")


_WORDS: frozenset[str] = frozenset()  # every word of the vocabulary, for `*` resolution


def _deleet(t: str, mask: bytes) -> str:
    """Digits and symbols read as letters inside the words that mix them with letters. Only the
    words around a digit or symbol are looked at (`mask`: the ASCII text through _LEET_MASK, so
    each is found by a memchr, not a regex), and a word already read once is not read again (a
    long message repeats its numbers and its "!")."""
    pieces: list[str] = []
    done = 0
    memo = _LEET_MEMO
    i = mask.find(35)
    while i >= 0:
        a = t.rfind(" ", 0, i) + 1
        b = t.find(" ", i)
        if b < 0:
            b = len(t)
        word = t[a:b]
        new = memo.get(word)
        if new is None:
            new = _LEET_WORD.sub(_leet, word) if _LEET_CAND.search(word) else word
            if len(memo) >= _LEET_MEMO_SIZE:
                memo.clear()
            memo[word] = new
        if new != word:
            pieces += (t[done:a], new)
            done = b
        i = mask.find(35, b)
    if not pieces:
        return t
    pieces.append(t[done:])
    return "".join(pieces)


# word -> the word as _deleet reads it; emptied once the vocabulary is loaded (a `*` is
# resolved against it) and whenever it grows past its size.
_LEET_MEMO: dict[str, str] = {}
_LEET_MEMO_SIZE = 4096


def _leet(m: re.Match[str]) -> str:
    word = m.group(0)
    core = word.rstrip("!")
    if _NUMBER_UNIT.fullmatch(core):
        return word  # 10pm, 50mg, 2nd: a number, not letters
    if "*" in core:
        if core.count("*") == 1:
            for letter in "aeiouylstrnkcdh":
                guess = core.replace("*", letter).translate(_LEET)
                if guess in _WORDS:
                    return guess
        core = core.replace("*", "")
    return core.translate(_LEET)


def _canon(text: str) -> str:
    """`normalise` but for stretched letters, which the automaton spots for free (see read)."""
    t = text.casefold()
    if not t.isascii():
        if _PRE_RE.search(t):
            t = _PRE_RE.sub(lambda m: _PRE[m.group(0)], t)
        t = unicodedata.normalize("NFKD", t).encode("ascii", "ignore").decode("ascii")
    if "od'" in t or "o.d" in t:
        t = _OD.sub("overdosed", t)
    if "odd" in t:
        t = _ODD.sub("strange", t)
    # the text is ASCII by now: bytes.translate is a table lookup, str.translate a dict lookup
    raw = t.encode("ascii")
    mask = raw.translate(_LEET_MASK)
    if 35 in mask:
        t = _deleet(t, mask)
        raw = t.encode("ascii")
    # every character left is a-z, 0-9 or a space: runs of spaces made one (str.replace beats
    # splitting into words and joining them again)
    if 39 in raw:
        raw = raw.replace(b"'", b"")
    t = raw.translate(_PUNCT).decode("ascii")
    while "  " in t:
        t = t.replace("  ", " ")
    return t.strip(" ")


def normalise(text: str) -> str:
    """The canonical form matched against the vocabulary: words of [a-z0-9] separated by one
    space, a letter repeated three times or more written once ("diiiie" -> "die")."""
    if VOCABULARY is None and not _BUILDING:
        warm()  # digits and symbols as letters resolve against the vocabulary's words
    t = _canon(text)
    return _RUN3.sub(r"\1", t) if _RUN3.search(t) else t


def _squeeze_word(word: str) -> str:
    # "pills" -> "pils", but "off" stays "off": "of" would be another word
    single = squeeze(word)
    return single if len(single) >= 4 else word


def squeeze(t: str) -> str:
    """Every run of one repeated letter made one letter (str.replace beats a regex here)."""
    for pair in _PAIRS:
        while pair in t:
            t = t.replace(pair, pair[0])
    return t


# --- the vocabulary ----------------------------------------------------------------------

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
        # shared by the many keys that mean the same; the automaton's value for a key is that
        # meaning's number and the key's length: (number << 10) | length.
        meaning_ids: dict[tuple, int] = {}
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
            if len(key) >= 1 << 10:
                raise ValueError(f"phrase too long: {key[:60]!r}")
            spaced = key.startswith(" ") or meaning[6]
            (self.automaton if spaced else self.glued_automaton).add_word(key, number << 10 | len(key))
        self.meanings = list(meaning_ids)
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
    some 260,000 keys, about 200 MB resident; read-only, so workers forked after the import
    share it).
    """
    digest = hashlib.sha256(Path(__file__).read_bytes())
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


# The vocabulary (about 200 MB in memory) is loaded on the first read, not at import: every
# Django process imports this module (the simulator's registry, the serializers), but only those
# that read messages (web workers, the Celery worker) need it; portal.wsgi warms it at start.
VOCABULARY: Vocabulary = None  # type: ignore[assignment]
_RANK = {k: i for i, k in enumerate(SEVERITY)}
_READINGS: dict[tuple, Reading] = {}
_EMPTY_ITER: tuple = ()


def _pack(meaning: tuple) -> tuple[tuple[str, ...], tuple | None]:
    """A meaning as the reading loop wants it: its tags, then the rest, None when there is no
    rest (most hits are partial signals and nothing else)."""
    glued, crisis, tags, excepts, is_personal, cats, stretch, glued_word = meaning
    if any(meaning[1:7]):
        glued_word = ()  # the word is a phrase as written: found as one, not as glued words
    if glued and not stretch:
        tags = ()  # crisis phrases without spaces: read from the glued automaton only
    more = (
        crisis,
        "crisis" in excepts,
        "personal" in excepts,
        any(n not in ("crisis", "personal") for n in excepts),
        is_personal,
        cats,
        stretch,
        glued_word,
    )
    return tags, (None if not any(more) else more)


def warm() -> None:
    """Load the vocabulary and what the reading loop derives from it, once per process."""
    global VOCABULARY, _WORDS, _PACKED, _SECOND, _ALL_STOPWORDS, _GLUED_ITER
    global _PHRASE_MEANINGS
    global _BUILDING
    if VOCABULARY is not None:
        return
    _BUILDING = True
    try:
        vocabulary = _load()
    finally:
        _BUILDING = False
    _WORDS = vocabulary.words
    _LEET_MEMO.clear()  # words read while the vocabulary was compiled, before _WORDS was known
    _PACKED = [_pack(m) for m in vocabulary.meanings]
    # the tags that count as a second crisis signal, by the message's language (any language's
    # when the language is not known)
    _SECOND = {lang: frozenset(f"{lang}:{t}" for t in vocabulary.second) for lang in LANGUAGES}
    _SECOND[None] = frozenset().union(*_SECOND.values())
    _ALL_STOPWORDS = frozenset().union(*vocabulary.stopwords.values())
    # the meanings that are a phrase of the vocabulary (not only a language's common word)
    _PHRASE_MEANINGS = [any(m[1:7]) for m in vocabulary.meanings]
    _GLUED_ITER = (
        vocabulary.glued_automaton.iter
        if vocabulary.glued_automaton.kind == ahocorasick.AHOCORASICK
        else lambda _: _EMPTY_ITER
    )
    VOCABULARY = vocabulary  # last: a concurrent first read waits on nothing half-built


_BUILDING = False  # normalise() is called while the vocabulary is compiled
_PACKED: list = []
_SECOND: dict[str | None, frozenset[str]] = {}
_ALL_STOPWORDS: frozenset[str] = frozenset()
_PHRASE_MEANINGS: list[bool] = []
# (end, value) of each key of the glued automaton found in a text
_GLUED_ITER: Callable[[str], Iterable[tuple[int, int]]] = None  # type: ignore[assignment]  # set by warm() before any read


# --- reading --------------------------------------------------------------------------


def _covered(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(s <= start and end <= e for s, e in spans)


# Hits are kept as character spans of the scanned text, each phrase with its two spaces:
# " kill myself " spans [s, e). Two hits are N words apart when N words stand between them.
_LONGEST_WORD = 30


def _gap(scan: str, a: tuple[int, int], b: tuple[int, int], limit: int) -> bool:
    """Whether at most `limit` words stand between hits a and b (overlapping hits: none).
    Counting spaces only between the two keeps it linear: far hits are rejected by distance."""
    if a[0] > b[0]:
        a, b = b, a
    lo, hi = a[1] - 1, b[0] + 1
    if hi <= lo + 1:
        return True
    if hi - lo > (limit + 1) * _LONGEST_WORD:
        return False
    return scan.count(" ", lo, hi) - 1 <= limit


def _glued_span(norm: str, start: int, end: int) -> tuple[int, int] | None:
    """Where, in the spaced text, a hit in the spaceless copy stands: it counts when it starts
    and ends where words do and the words it spans are not already the phrase as written
    (that hit was counted, or set aside as an idiom, once already)."""
    pos = 0
    first = None
    words = norm.split(" ")
    spaced = 0  # where word i starts in " <norm> ", minus its leading space
    first_spaced = 0
    for i, word in enumerate(words):
        if pos == start:
            first, first_spaced = i, spaced
        pos += len(word)
        spaced += len(word) + 1
        if pos == end and first is not None:
            if _is_phrase(f" {' '.join(words[first : i + 1])} "):
                return None
            return first_spaced, spaced + 1
        if pos >= end:
            return None
    return None


def _glued_counts(norm: str, start: int, end: int, variant: str) -> bool:
    """A hit in the spaceless copy counts when it starts and ends where words do and the
    words it spans are not already the phrase as written (that hit was counted once)."""
    pos = 0
    first = None
    for i, word in enumerate(norm.split(" ")):
        if pos == start:
            first = i
        pos += len(word)
        if pos == end and first is not None:
            return " ".join(norm.split(" ")[first : i + 1]) != variant
        if pos >= end:
            return False
    return False


def _fire(rule: Rule, where: dict[str, list[tuple[int, int]]], scan: str) -> bool:
    lists = [where[t] for t in rule.tags]
    reach = (rule.within + 2) * _LONGEST_WORD
    # Anchor on the rarest tag and look only at hits near it (a long message repeats words:
    # every combination of every hit would grow with the cube of its length).
    anchor = min(lists, key=len)
    for a in anchor:
        near = [[h for h in hits if h[0] - reach <= a[0] <= h[1] + reach] for hits in lists]
        if not all(near):
            continue
        for combo in itertools.product(*near):
            if not all(_gap(scan, x, y, rule.within) for x, y in itertools.combinations(combo, 2)):
                continue
            if any(
                u in where and any(_gap(scan, hit, x, n) for hit in where[u] for x in combo)
                for u, n in rule.unless
            ):
                continue
            return True
    return False


def _is_phrase(key: str) -> bool:
    """Whether a key (" words ") is a phrase of the vocabulary, not only a common word."""
    value = VOCABULARY.automaton.get(key, None)
    return value is not None and _PHRASE_MEANINGS[value >> 10]


def _languages(norm: str) -> tuple[str | None, frozenset[str]]:
    """The language whose common words the text uses most (the first few lines tell), and
    every language it uses any of."""
    # only the words that are some language's common word are kept (building a set of every
    # word costs more than looking each up once)
    words = _ALL_STOPWORDS.intersection(norm[:400].split())
    best, best_n, seen = None, 0, []
    for lang, stop in VOCABULARY.stopwords.items():
        n = len(words & stop) if words else 0
        if n:
            seen.append(lang)
        if n > best_n:
            best, best_n = lang, n
    return best, frozenset(seen)


def read(text: str | None) -> Reading:
    if not text:
        return NOTHING
    if VOCABULARY is None:
        warm()
    norm = _canon(text)
    if not norm:
        return NOTHING
    return _read(norm, stretched=False)


def _read(norm: str, *, stretched: bool) -> Reading:
    spaced = f" {norm} "
    crisis_hits: list[tuple[int, int, str]] = []
    crisis_except: list[tuple[int, int]] = []
    personal_except: list[tuple[int, int]] = []
    category_except: list[tuple[int, int]] = []
    personal_hits: list[tuple[int, int]] = []
    # crisis keys without spaces with a digit, found as words of the text (see Vocabulary)
    glued_words: list[tuple[tuple[int, int], tuple[str, ...]]] = []
    categories: set[str] = set()
    # tag -> where it was found: (start, end) spans of `spaced`, the phrase with its two spaces
    where: dict[str, list[tuple[int, int]]] = {}
    packed = _PACKED
    for end, value in VOCABULARY.automaton.iter(spaced):
        tags, more = packed[value >> 10]
        end += 1
        span = (end - (value & 1023), end)
        for tag in tags:
            spots = where.get(tag)
            if spots is None:
                where[tag] = [span]
            else:
                spots.append(span)
        if more is None:
            continue  # the common case: partial signals only
        crisis, except_crisis, except_personal, except_category, is_personal, cats, stretch, glued_word = more
        if stretch:
            if not stretched:
                # a letter three times: read again with it written once ("diiiie")
                return _read(squeeze(norm), stretched=True)
            continue
        for name in crisis:
            crisis_hits.append((span[0], end, name))
        if except_crisis:
            crisis_except.append(span)
        if except_personal:
            personal_except.append(span)
        if except_category:
            category_except.append(span)
        if is_personal:
            personal_hits.append(span)
        if cats:
            categories.update(cats)
        if glued_word:
            glued_words.append((span, glued_word))
    kinds: set[str] = set()
    suppressed: set[str] = set()
    for s, e, kind in crisis_hits:
        if crisis_except and _covered(s, e, crisis_except):
            suppressed.add(kind)
        else:
            kinds.add(kind)
    language, spoken = _languages(norm)
    held: dict[str, list[tuple[int, int]]] = {}
    if crisis_except:
        # partial signals inside an idiom are held back, unless a second signal lifts the idiom
        for tag, spots in list(where.items()):
            inside = [x for x in spots if _covered(x[0], x[1], crisis_except)]
            if inside:
                held[tag] = inside
                outside = [x for x in spots if not _covered(x[0], x[1], crisis_except)]
                if outside:
                    where[tag] = outside
                else:
                    del where[tag]
    # a second signal in the message's own language ("die" is an article in German)
    has_second = not _SECOND[language].isdisjoint(where)
    if (suppressed or held) and (kinds or has_second):
        kinds |= suppressed  # a second signal: the idiom exemption does not hold
        for tag, spots in held.items():
            where.setdefault(tag, []).extend(spots)
    personal = False
    by_tag = VOCABULARY.rules_by_tag
    found = where.keys()
    for tag in where:
        for rule, need in by_tag.get(tag, ()):
            # (a dict's keys compared as a set: frozenset.issubset(dict) would copy the dict)
            if not found >= need:
                continue
            if rule.result == "personal" and spoken and rule.lang not in spoken:
                continue  # a request is read in a language the message is written in
            if _fire(rule, where, spaced):
                if rule.result == "personal":
                    personal = True
                elif rule.result in _RANK:
                    kinds.add(rule.result)
                else:
                    categories.add(rule.result)
    if not kinds:
        # crisis phrases keyed without spaces: only now can they change the reading.
        # In the text as written such a key counts as one whole word that glues a phrase of
        # several ("killmyself"), unless that word is itself a phrase (then it was found as
        # one). The spaceless copy's scan below finds such a word (it starts and ends where
        # words do), unless it has a digit, which that copy reads as a letter: those few keys
        # are keyed as words too, and were found by the automaton pass (glued_words).
        set_aside = crisis_except and not has_second
        for span, glued_kinds in glued_words:
            if not (set_aside and _covered(*span, crisis_except)):
                kinds.update(glued_kinds)
        # In the spaceless copy, a key counts where it starts and ends on word boundaries;
        # "s u 1 c 1 d e": digits standing alone read as letters (ASCII: a bytes table)
        glue = norm.encode("ascii").translate(_LEET_BYTES, b" ").decode("ascii")
        meanings = VOCABULARY.meanings
        for end, value in _GLUED_ITER(glue):
            glued_span = _glued_span(norm, end - (value & 1023) + 1, end + 1)
            if glued_span and not (set_aside and _covered(*glued_span, crisis_except)):
                kinds.update(meanings[value >> 10][1])
    if personal_hits:
        # "my friend added me on instagram", "my mom wants to friend me on facebook": the
        # client's own life, when it overlaps the request or stands right before it
        personal = personal or any(
            not any(_gap(spaced, x, (s, e), 2) for x in personal_except) for s, e in personal_hits
        )
    if "emergency" in categories and category_except:
        categories.discard("emergency")
    category = next((c for c in CATEGORY_ORDER if c in categories), None)
    top_kind = max(kinds, key=_RANK.__getitem__) if kinds else None
    key = (top_kind, personal, category, language)
    reading = _READINGS.get(key)
    if reading is None:
        # a handful of distinct readings: built once (a frozen dataclass costs to build)
        reading = _READINGS[key] = Reading(
            crisis=top_kind is not None,
            crisis_kind=top_kind,
            personal=personal,
            category=category,
            language=language,
        )
    return reading


def explain(text: str) -> list[tuple[str, str, str]]:
    """What the automaton found in a text: (entry type, name, matched words), for tests and tuning."""
    warm()
    norm = normalise(text)
    scan = f" {norm} \0{norm.replace(' ', '')}"
    found = []
    for end, value in itertools.chain(VOCABULARY.automaton.iter(scan), _GLUED_ITER(scan)):
        glued, crisis, tags, excepts, personal, cats, *_ = VOCABULARY.meanings[value >> 10]
        words = scan[end - (value & 1023) + 1 : end + 1].strip()
        suffix = " glued" if glued else ""
        found += [("crisis" + suffix, n, words) for n in crisis] + [("tag", n, words) for n in tags]
        found += [("except", n, words) for n in excepts] + [("category", n, words) for n in cats]
        if personal:
            found.append(("personal", "personal", words))
    return found
