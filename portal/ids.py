"""Ids from URLs and query strings: ASCII digits only.

`str.isdigit()` is true for "²" and other Unicode digits that `int()` refuses (a 500), and
`int()` takes "٣" (Arabic-Indic three) as 3. Every id a request carries is parsed here.
"""

from __future__ import annotations

import re

_ID = re.compile(r"[0-9]{1,18}")  # fits a bigint


def parse_id(raw: str | None) -> int | None:
    """The id `raw` names, or None when it is not one (absent, blank, signed, non-ASCII, too long)."""
    if raw is None or _ID.fullmatch(raw) is None:
        return None
    return int(raw)
