"""The reader: what a message body says, as the decision needs to know it.

A pure function (no database, no clock, no Django): `read(text) -> Reading`. The
contract's "Reading a message" defines the fields. The vocabulary is data, one file a
language in policies/data/reader/{en,es,fr,pt,de}.txt, and the combination rules are
policies/data/reader/rules.txt; both formats are described at the top of each file.
They are compiled into two Aho-Corasick automata on the first read (`warm`), cached as a pickle
beside the data.

The package: `text` (normalisation), `lexicon` (the vocabulary and its compilation),
`reading` (the automaton pass and the reading); this module names what other code imports.

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
8. `language`: the language whose stop-words the first 400 characters use most (distinct
   words; a tie goes to the first of LANGUAGES), None when they use none. Each stop-word is
   one number with a count field for each language it belongs to: the counts are one sum.
Time is linear in the length of the text: a handful of bytes.translate and regular-expression
passes, one automaton pass, and one over the spaceless copy when nothing found crisis; the
per-hit work is bounded by the number of hits.
"""

from __future__ import annotations

from ..vocabulary import CONTACT_CATEGORIES as READ_CATEGORIES
from .lexicon import CRISIS_KINDS, DATA, LANGUAGES, SEVERITY, Rule, Vocabulary
from .reading import NOTHING, Reading, explain, read, warm
from .text import normalise, squeeze

__all__ = [
    "CRISIS_KINDS",
    "DATA",
    "LANGUAGES",
    "NOTHING",
    "READ_CATEGORIES",
    "SEVERITY",
    "Reading",
    "Rule",
    "Vocabulary",
    "explain",
    "normalise",
    "read",
    "squeeze",
    "warm",
]
