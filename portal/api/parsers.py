"""The API's one JSON parser: DRF's, after a linear scan that refuses deep nesting.

Python's json module recurses once per level: 5,000 nested brackets raised RecursionError
(a 500). The contract allows 64 levels; deeper is a 400 naming the body, checked before
parsing so nothing deep is ever built.
"""

from __future__ import annotations

import io

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

MAX_DEPTH = 64
_OPEN, _CLOSE, _QUOTE, _ESCAPE = frozenset(b"[{"), frozenset(b"]}"), ord('"'), ord("\\")


def json_depth_exceeds(data: bytes, limit: int = MAX_DEPTH) -> bool:
    """Whether brackets outside strings nest deeper than `limit` (one pass, stops early)."""
    if data.count(b"[") + data.count(b"{") <= limit:  # the usual body: no scan needed
        return False
    depth, in_string, escaped = 0, False, False
    for byte in data:
        if in_string:
            if escaped:
                escaped = False
            elif byte == _ESCAPE:
                escaped = True
            elif byte == _QUOTE:
                in_string = False
        elif byte == _QUOTE:
            in_string = True
        elif byte in _OPEN:
            depth += 1
            if depth > limit:
                return True
        elif byte in _CLOSE:
            depth -= 1
    return False


class DepthLimitedJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        raw = stream.read() if stream is not None else b""
        if json_depth_exceeds(raw):
            raise ParseError(f"JSON nested deeper than {MAX_DEPTH} levels.")
        return super().parse(io.BytesIO(raw), media_type, parser_context)
