"""The reader's reading: one automaton pass over a normalised message, its hits combined into
a Reading (see the package docstring, steps 2 to 8 of "How a message is read").
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import ahocorasick

from .. import reader_net
from ..vocabulary import READING_PRECEDENCE as CATEGORY_ORDER
from . import text
from .lexicon import LANGUAGES, SEVERITY, Rule, Vocabulary, _load
from .text import _LEET_BYTES, _canon, normalise, squeeze


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


# The vocabulary (about 230 MB in memory) is loaded on the first read, not at import: every
# Django process imports this package (the simulator's registry, the serializers), but only those
# that read messages (web workers, the Celery worker) need it; portal.wsgi warms it at start.
VOCABULARY: Vocabulary = None  # type: ignore[assignment]
_RANK = {k: i for i, k in enumerate(SEVERITY)}
_NOTHING_HELD: dict[str, list[tuple[int, int]]] = {}  # read only: `held` of a message with no idiom
_READINGS: dict[tuple, Reading] = {}
_EMPTY_ITER: tuple = ()


def _pack(meaning: tuple) -> tuple[str | None, tuple[str, ...] | None, frozenset[str] | None, tuple | None]:
    """A meaning as the reading loop wants it: its tag when it has one alone (else None, and its
    tags or None), its categories or None, then the rest, None when there is no rest (most hits
    are partial signals or categories and nothing else)."""
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
        stretch,
        glued_word,
    )
    rest = more if any(more) else None
    categories = frozenset(cats) if cats else None
    if len(tags) == 1:
        return tags[0], None, categories, rest
    return None, tags or None, categories, rest


def warm() -> None:
    """Load the vocabulary and what the reading loop derives from it, once per process."""
    global VOCABULARY, _PACKED, _SECOND, _ALL_STOPWORDS, _STOP_CODE
    global _GLUED_ITER, _PHRASE_VALUES, _RULES, _RULE_TAGS
    if VOCABULARY is not None:
        return
    text._warm = None  # normalise() is called while the vocabulary is compiled
    try:
        vocabulary = _load()
    except BaseException:
        text._warm = warm
        raise
    text._WORDS = vocabulary.words
    text._LEET_MEMO.clear()  # words read while the vocabulary was compiled, before _WORDS was known
    # by the automaton's value: the key's meaning as the loop reads it, and the key's length - 1
    packs = [_pack(m) for m in vocabulary.meanings]
    _PACKED = [(*packs[number], length - 1) for number, length in vocabulary.values]
    # the tags that count as a second crisis signal, by the message's language (any language's
    # when the language is not known)
    _SECOND = {lang: frozenset(f"{lang}:{t}" for t in vocabulary.second) for lang in LANGUAGES}
    _SECOND[None] = frozenset().union(*_SECOND.values())
    _ALL_STOPWORDS = frozenset().union(*vocabulary.stopwords.values()) - {""}
    # each common word as a number that counts it once in every language it belongs to (a field
    # of _COUNT_BITS bits a language, in LANGUAGES order): a message's counts are one sum
    if tuple(vocabulary.stopwords) != LANGUAGES or len(LANGUAGES) != 5:
        raise ValueError("_languages reads the counts of five languages, in LANGUAGES order")
    _STOP_CODE = {}
    for i, stop in enumerate(vocabulary.stopwords.values()):
        for word in stop:
            _STOP_CODE[word] = _STOP_CODE.get(word, 0) + (1 << (_COUNT_BITS * i))
    # the rules by their first tag: every other tag they need (None when one needs its first tag
    # alone: when none of them was found, none of the rules is looked at), and what the loop asks
    # of each rule, with the index of its language in the counts of _languages (len(LANGUAGES),
    # a count always 0, for a rule of no known language)
    _RULES = {}
    for tag, rules in vocabulary.rules_by_tag.items():
        others = frozenset().union(*(need - {tag} for _, need in rules))
        alone = any(need == {tag} for _, need in rules)
        _RULES[tag] = (
            None if alone else others,
            tuple(
                (rule, need, rule.result == "personal", _LANG_AT.get(rule.lang, len(LANGUAGES)))
                for rule, need in rules
            ),
        )
    _RULE_TAGS = frozenset(_RULES)
    # by the automaton's value: whether the key is a phrase of the vocabulary (not only a
    # language's common word)
    _PHRASE_VALUES = [any(vocabulary.meanings[number][1:7]) for number, _ in vocabulary.values]
    _GLUED_ITER = (
        vocabulary.glued_automaton.iter
        if vocabulary.glued_automaton.kind == ahocorasick.AHOCORASICK
        else lambda _: _EMPTY_ITER
    )
    VOCABULARY = vocabulary  # last: a concurrent first read waits on nothing half-built


_PACKED: list = []
_SECOND: dict[str | None, frozenset[str]] = {}
_ALL_STOPWORDS: frozenset[str] = frozenset()
_STOP_CODE: dict[str, int] = {}
# A count of distinct words, of the first 400 characters: at most 200, below 1 << _COUNT_BITS.
_COUNT_BITS = 10
_COUNT_MASK = (1 << _COUNT_BITS) - 1
_LANG_AT = {lang: i for i, lang in enumerate(LANGUAGES)}
_NO_COUNTS = (0,) * (len(LANGUAGES) + 1)
_RULES: dict[str, tuple[frozenset[str] | None, tuple[tuple[Rule, frozenset[str], bool, int], ...]]] = {}
_RULE_TAGS: frozenset[str] = frozenset()
_PHRASE_VALUES: list[bool] = []
# (end, value) of each key of the glued automaton found in a text
_GLUED_ITER: Callable[[str], Iterable[tuple[int, int]]] = None  # type: ignore[assignment]  # set by warm() before any read


def _covered(start: int, end: int, spans: Sequence[tuple[int, int]]) -> bool:
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
    return value is not None and _PHRASE_VALUES[value]


def _languages(norm: str) -> tuple[str | None, tuple[int, ...]]:
    """The language whose common words the text uses most (the first few lines tell; the first
    in LANGUAGES order of those used most), and how many distinct common words of each language
    it uses (in LANGUAGES order, and a last 0)."""
    # only the words that are some language's common word are kept (building a set of every
    # word costs more than looking each up once)
    # (the text's words are separated by one space: split(" ") is split(), but for an empty last
    # word when the 400th character is a space, and the empty word is no common word)
    words = _ALL_STOPWORDS.intersection(norm[:400].split(" "))
    if not words:
        return None, _NO_COUNTS
    code = sum(map(_STOP_CODE.__getitem__, words))
    counts = (
        code & _COUNT_MASK,
        code >> _COUNT_BITS & _COUNT_MASK,
        code >> 2 * _COUNT_BITS & _COUNT_MASK,
        code >> 3 * _COUNT_BITS & _COUNT_MASK,
        code >> 4 * _COUNT_BITS,
        0,
    )
    return LANGUAGES[counts.index(max(counts))], counts


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
    categories: set[str] = set()
    # tag -> where it was found: (start, end) spans of `spaced`, the phrase with its two spaces
    where: dict[str, list[tuple[int, int]]] = {}
    # the hits that are more than partial signals and categories (crisis phrases, idioms,
    # requests, glued words): few, read after the loop
    rare: list[tuple[tuple[int, int], tuple]] = []
    packed = _PACKED
    for end, value in VOCABULARY.automaton.iter(spaced):
        tag, tags, cats, more, back = packed[value]
        span = (end - back, end + 1)
        if tag is not None:
            if tag in where:
                where[tag].append(span)
            else:
                where[tag] = [span]
        elif tags is not None:
            for tag in tags:
                if tag in where:
                    where[tag].append(span)
                else:
                    where[tag] = [span]
        if cats is not None:
            categories |= cats
        if more is not None:
            if more[5]:  # a letter three times
                if not stretched:
                    # read again with it written once ("diiiie")
                    return _read(squeeze(norm), stretched=True)
                continue
            rare.append((span, more))
    crisis_hits: Sequence[tuple[int, int, str]] = ()
    crisis_except: Sequence[tuple[int, int]] = ()
    personal_except: Sequence[tuple[int, int]] = ()
    category_except: Sequence[tuple[int, int]] = ()
    personal_hits: Sequence[tuple[int, int]] = ()
    # crisis keys without spaces with a digit, found as words of the text (see Vocabulary)
    glued_words: Sequence[tuple[tuple[int, int], tuple[str, ...]]] = ()
    if rare:
        crisis_hits, crisis_except, personal_except = [], [], []
        category_except, personal_hits, glued_words = [], [], []
        for span, more in rare:
            crisis, except_crisis, except_personal, except_category, is_personal, _, glued_word = more
            for name in crisis:
                crisis_hits.append((span[0], span[1], name))
            if except_crisis:
                crisis_except.append(span)
            if except_personal:
                personal_except.append(span)
            if except_category:
                category_except.append(span)
            if is_personal:
                personal_hits.append(span)
            if glued_word:
                glued_words.append((span, glued_word))
    kinds: set[str] = set()
    suppressed: set[str] = set()
    if crisis_hits:
        for s, e, kind in crisis_hits:
            if crisis_except and _covered(s, e, crisis_except):
                suppressed.add(kind)
            else:
                kinds.add(kind)
    language, counts = _languages(norm)
    held: dict[str, list[tuple[int, int]]] = _NOTHING_HELD
    if crisis_except:
        held = {}
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
    found = where.keys()
    rules = _RULES
    # the tags that start a rule (what a rule adds does not depend on the order they are looked at)
    for tag in _RULE_TAGS.intersection(where):
        others, tag_rules = rules[tag]
        if others is not None and found.isdisjoint(others):
            continue
        for rule, need, is_personal, lang_at in tag_rules:
            # (a dict's keys compared as a set: frozenset.issubset(dict) would copy the dict)
            if not found >= need:
                continue
            if is_personal and language is not None and not counts[lang_at]:
                continue  # a request is read in a language the message is written in
            if _fire(rule, where, spaced):
                if is_personal:
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
        meanings, values = VOCABULARY.meanings, VOCABULARY.values
        for end, value in _GLUED_ITER(glue):
            number, length = values[value]
            glued_span = _glued_span(norm, end - length + 1, end + 1)
            if glued_span and not (set_aside and _covered(*glued_span, crisis_except)):
                kinds.update(meanings[number][1])
        if not kinds and where:
            # the broad net: several weaker signals standing together, scored (policies/reader_net.py)
            net_kind = reader_net.judge(where, spaced, language)
            if net_kind is not None:
                kinds.add(net_kind)
    if personal_hits:
        # "my friend added me on instagram", "my mom wants to friend me on facebook": the
        # client's own life, when it overlaps the request or stands right before it
        personal = personal or any(
            not any(_gap(spaced, x, (s, e), 2) for x in personal_except) for s, e in personal_hits
        )
    if "emergency" in categories and category_except:
        categories.discard("emergency")
    category = None
    if categories:
        for category in CATEGORY_ORDER:
            if category in categories:
                break
        else:
            category = None
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
        number, length = VOCABULARY.values[value]
        glued, crisis, tags, excepts, personal, cats, *_ = VOCABULARY.meanings[number]
        words = scan[end - length + 1 : end + 1].strip()
        suffix = " glued" if glued else ""
        found += [("crisis" + suffix, n, words) for n in crisis] + [("tag", n, words) for n in tags]
        found += [("except", n, words) for n in excepts] + [("category", n, words) for n in cats]
        if personal:
            found.append(("personal", "personal", words))
    return found


text._warm = warm
