"""The reader's broad net: a scored second judgement, run only when the rules found no crisis.

The rules of policies/data/reader/rules.txt escalate on a known combination of partial
signals (tags) standing near each other. People say it in more ways than any list of
combinations holds; the net escalates when several weaker signals stand together, whatever
exact words carry them. It is a pure function of what the reader's one scan already found:

    judge(where, spaced, language) -> a crisis kind, or None

- `where`: tag -> the spans of `spaced` where it was found, as the reader keeps them (tags
  are named "<lang>:<tag>", a span is (start, end) of the phrase with its two spaces);
- `spaced`: the normalised text with a space at each end (the words are counted in it);
- `language`: the message's language, or None (then every language's tags count).

The score (policies/data/reader/net.txt, fitted by tools/fit_reader_net.py on the committed
corpora): a bias, one weight per tag that is present (language-independent: "en:pills" and
"de:pills" are both `pills`), and a bonus per listed pair of tags found within `window` words
of each other. The net escalates when the score reaches the threshold. `judge` bounds the
score first, in the reader's own tag names (the bias, the weights and every positive bonus of a
pair present, no distance measured): most messages fall short of the threshold there, and only
the others are scored exactly (`reaches`, which agrees with `score`).

The kind it reports follows its strongest signals (the C-SSRS kind they point to):
  pills taken (ingest_past, od) -> overdose; a means (pills, lethal, place, jump, ...) with a
  time -> plan; a means alone -> method; harm -> self_injury; a death wish (wish with death
  or mygone, burden, not waking up) -> wish_to_be_dead; else suicidal_thoughts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

# A window of N words spans at most this many characters a word (as the reader counts them).
_LONGEST_WORD = 30
NET_FILE = Path(__file__).resolve().parent / "data" / "reader" / "net.txt"

# What the kind is read from (see the module docstring).
_TAKEN = frozenset({"ingest_past", "od"})
_MEANS = frozenset(
    {"pills", "lethal", "place", "jump", "knife", "train", "selfmethod", "poison", "container", "bywater"}
)
_TIME = frozenset({"time", "tonight", "lastnight", "adate", "datepick", "theday", "whenalone"})
_HARM = frozenset({"harm", "harmself", "harmi", "relapse", "woundcare"})
_WISH = frozenset({"mygone", "burden", "sleep", "noreturn", "vanish"})


@dataclass(frozen=True)
class Net:
    bias: float
    threshold: float
    window: int
    weights: dict[str, float]
    # (tag, tag), the two names sorted -> bonus when they stand within `window` words
    pairs: dict[tuple[str, str], float]
    # The pairs indexed by their first tag: tag -> {the other tag: bonus}, and the set of those
    # other tags, so a message's pairs are a set intersection with its tags (in C), not a walk
    # of every partner
    bonus_of: dict[str, dict[str, float]] = field(default_factory=dict)
    partners: dict[str, frozenset[str]] = field(default_factory=dict)
    # The same for the pairs with a positive bonus alone: tag -> (the other tags, {other: bonus}),
    # what `judge` bounds the score with (in the reader's names, `by_name`) before `reaches`
    gains: dict[str, tuple[frozenset[str], dict[str, float]]] = field(default_factory=dict)
    # language -> {"<lang>:<tag>": (weight, the partners' names with a positive bonus or None,
    # {partner's name: bonus})}: the same in the reader's own names, built on first use
    named: dict[str, dict[str, tuple[float, frozenset[str] | None, dict[str, float]]]] = field(
        default_factory=dict, compare=False, repr=False
    )

    def by_name(self, language: str) -> dict[str, tuple[float, frozenset[str] | None, dict[str, float]]]:
        """The weights and positive bonuses keyed by the reader's tag names of one language."""
        table = self.named.get(language)
        if table is None:
            if len(self.named) >= 16:
                self.named.clear()  # the reader's five languages; anything else is a caller's test
            table = {}
            for tag in self.weights.keys() | self.gains.keys():
                others, bonuses = self.gains.get(tag, (None, {}))
                table[f"{language}:{tag}"] = (
                    self.weights.get(tag, 0.0),
                    None if others is None else frozenset(f"{language}:{b}" for b in others),
                    {f"{language}:{b}": bonus for b, bonus in bonuses.items()},
                )
            self.named[language] = table
        return table

    def __post_init__(self) -> None:
        for (a, b), bonus in self.pairs.items():
            self.bonus_of.setdefault(a, {})[b] = bonus
        for a, others in self.bonus_of.items():
            self.partners[a] = frozenset(others)
            positive = {b: bonus for b, bonus in others.items() if bonus > 0}
            if positive:
                self.gains[a] = (frozenset(positive), positive)


def parse(text: str) -> Net:
    """net.txt: `bias X`, `threshold X`, `window N`, `tag NAME W`, `pair NAME NAME W`; `#` comments."""
    bias = threshold = 0.0
    window = 8
    weights: dict[str, float] = {}
    pairs: dict[tuple[str, str], float] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].split()
        if not line:
            continue
        head, args = line[0], line[1:]
        try:
            if head == "bias" and len(args) == 1:
                bias = float(args[0])
            elif head == "threshold" and len(args) == 1:
                threshold = float(args[0])
            elif head == "window" and len(args) == 1:
                window = int(args[0])
            elif head == "tag" and len(args) == 2:
                weights[args[0]] = float(args[1])
            elif head == "pair" and len(args) == 3:
                a, b = sorted(args[:2])
                pairs[(a, b)] = float(args[2])
            else:
                raise ValueError(raw)
        except ValueError:
            raise ValueError(f"net.txt:{number}: cannot read {raw!r}") from None
    return Net(bias, threshold, window, weights, pairs)


def load(path: Path = NET_FILE) -> Net:
    return parse(path.read_text(encoding="utf-8"))


NET: Net | None = None


def _net() -> Net:
    global NET
    if NET is None:
        NET = load()
    return NET


# "en:pills" -> ("en", "pills"), for the names the reader's tags have
_SPLIT: dict[str, tuple[str, str]] = {}
# language -> {name: its tag when the name is of that language, else ""}: the reader's tag names
# (a few thousand at most), emptied should it ever grow past _MAX_NAMES
_TAG_IN: dict[str, dict[str, str]] = {}
_MAX_NAMES = 20_000


def tags_of(
    where: dict[str, list[tuple[int, int]]], language: str | None
) -> dict[str, list[tuple[int, int]]]:
    """The tags of the message's language (every language's when it is not known), without
    their language prefix, each with its spans (the reader's own lists, not copied: read only)."""
    if language:
        # one language: each tag comes from one name, in the order of `where`
        of = _TAG_IN.get(language)
        if of is None:
            of = _TAG_IN[language] = {}
        if not of.keys() >= where.keys():
            if len(of) >= _MAX_NAMES:
                of.clear()
            for name in where:
                lang, _, tag = name.partition(":")
                of[name] = tag if lang == language else ""
        return {tag: spans for name, spans in where.items() if (tag := of[name])}
    out: dict[str, list[tuple[int, int]]] = {}
    split = _SPLIT
    for name, spans in where.items():
        parts = split.get(name)
        if parts is None:
            if len(split) >= _MAX_NAMES:
                split.clear()
            lang, _, tag = name.partition(":")
            parts = split[name] = (lang, tag)
        tag = parts[1]
        if tag:
            out[tag] = out[tag] + spans if tag in out else spans
    return out


def near(spaced: str, a: list[tuple[int, int]], b: list[tuple[int, int]], window: int) -> bool:
    """Whether a hit of `a` and a hit of `b` stand with at most `window` words between them.
    Linear in the hits (a long message repeats its words): in the order they start, each hit is
    measured against the hit of the other tag that started before it and ends last, the closest."""
    merged = sorted([(x, 0) for x in a] + [(y, 1) for y in b])
    last: list[tuple[int, int] | None] = [None, None]  # of each tag, the hit that ends furthest
    reach = (window + 1) * _LONGEST_WORD
    for span, side in merged:
        other = last[1 - side]
        if other is not None:
            lo, hi = other[1] - 1, span[0] + 1
            if hi <= lo + 1 or (hi - lo <= reach and spaced.count(" ", lo, hi) - 1 <= window):
                return True
        mine = last[side]
        if mine is None or span[1] > mine[1]:
            last[side] = span
    return False


def score(
    tags: dict[str, list[tuple[int, int]]], spaced: str, net: Net
) -> tuple[float, list[tuple[float, str]]]:
    """The score and what made it: (contribution, feature name) for every feature present."""
    weights = net.weights
    parts = [(weights[t], t) for t in tags if t in weights]
    for a, spans in tags.items():
        for b, bonus in net.bonus_of.get(a, {}).items():
            if b in tags and near(spaced, spans, tags[b], net.window):
                parts.append((bonus, f"{a}+{b}"))
    return net.bias + sum(w for w, _ in parts), parts


def kind_of(tags: dict[str, list[tuple[int, int]]] | set[str]) -> str:
    """The C-SSRS kind the signals point to (see the module docstring)."""
    found = set(tags)
    if found & _TAKEN and (found & {"pills", "od", "atonce", "qty", "container"}):
        return "overdose"
    if found & _MEANS:
        return "plan" if found & _TIME else "method"
    if found & _HARM:
        return "self_injury"
    if (found & {"wish", "accept", "letithappen"} and found & {"death", "mygone", "dying"}) or found & _WISH:
        return "wish_to_be_dead"
    return "suicidal_thoughts"


# judge's bound is summed in another order than the score: it stops the judgement only when it
# falls short of the threshold by more than any rounding of that order could make up.
_ROUNDING = 1e-9


def reaches(tags: dict[str, list[tuple[int, int]]], spaced: str, net: Net) -> bool:
    """Whether the score reaches the threshold (as `score`, but the pairs are measured only
    when the tags and every positive bonus of a pair present could reach it)."""
    weights = net.weights
    total = net.bias
    for tag in tags:
        total += weights.get(tag, 0.0)
    found = frozenset(tags)
    present = []
    most = total
    partners, bonus_of = net.partners, net.bonus_of
    for a in tags:
        others = partners.get(a)
        if others is None:
            continue
        bonuses = bonus_of[a]
        for b in others & found:
            bonus = bonuses[b]
            present.append((a, b, bonus))
            if bonus > 0:
                most += bonus
    if most < net.threshold:
        return False
    for a, b, bonus in present:
        if near(spaced, tags[a], tags[b], net.window):
            total += bonus
    return total >= net.threshold


def judge(where: dict[str, list[tuple[int, int]]], spaced: str, language: str | None) -> str | None:
    """The crisis kind when the weaker signals found together reach the threshold, else None.
    Called by the reader only when its rules found no crisis."""
    if not where:
        return None
    net = NET or _net()
    if language:
        # The bound of `reaches` first, on the reader's own names (no tags collected): the bias,
        # the weights and every positive bonus of a pair present. Most messages stop here.
        table = net.named.get(language) or net.by_name(language)
        found = frozenset(where)
        most = net.bias
        for name in where:
            if name in table:
                weight, others, bonuses = table[name]
                most += weight
                if others is not None:
                    for b in others & found:
                        most += bonuses[b]
        if most < net.threshold - _ROUNDING:
            return None
    tags = tags_of(where, language)
    if not tags:
        return None
    return kind_of(tags) if reaches(tags, spaced, net) else None
