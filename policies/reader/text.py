"""The reader's normalisation: one canonical form of a message, matched against the vocabulary.

See the package docstring (policies/reader/__init__.py), step 1 of "How a message is read".
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

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
_RUN3 = re.compile(r"([a-z])\1\1+")
# "od'd" is an overdose, "odd" is strange: apostrophes vanish and letters squeeze, so tell
# them apart first.
_OD = re.compile(r"\bo\.?d\.?'(?:d|ed|ing)\b")
_ODD = re.compile(r"\bodd(?:s|ly|er|est)?\b")


_WORDS: frozenset[str] = frozenset()  # every word of the vocabulary, for `*` resolution
# Loads the vocabulary on the first normalise() (set by .reading; None while the vocabulary is
# compiled, which normalises its phrases, and once it is loaded).
_warm: Callable[[], None] | None = None


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
        # i is the first digit or symbol of its word; j, the first character after it that is
        # neither (by one memchr)
        j = mask.find(32, i)
        if j < 0:
            j = len(t)
        starts = i == 0 or t[i - 1] == " "
        # When the digits and symbols from i end the word and also start it ("220", "!!"; not
        # "10:30", with its ":"), it has no letter and stays as it is; when they are one "!"
        # ("thanks!"), dropped here or made a space with the punctuation, it reads the same.
        if (j == len(t) or t[j] == " ") and (starts or (j == i + 1 and t[i] == "!")):
            i = mask.find(35, j)
            continue
        a = i if starts else t.rfind(" ", 0, i) + 1
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
    if _warm is not None:
        _warm()  # digits and symbols as letters resolve against the vocabulary's words
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
