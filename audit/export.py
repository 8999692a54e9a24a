"""The boundary exceptions as CSV, streamed with flat memory at any size.

On PostgreSQL the database writes the CSV: one query joins the names, the message's category
and channel, and formats every column but the review note as the text `csv.writer` gives
(times as `utc_iso` and the admin's zone write them); a server-side cursor inside one
transaction hands it over in chunks, and Python only decrypts the review notes (health data,
encrypted at rest: only Python holds the key; a chunk's notes at once, audit.notes) and joins
lines. Elsewhere (SQLite, the embedded default) each row goes through `csv.writer`.

Both ways write the same bytes: tests/audit/test_export.py compares them row for row on
PostgreSQL. A column added here is added to `header`, `_python` and `_line_sql` together.
"""

from __future__ import annotations

import csv
from collections.abc import Generator, Iterator
from concurrent.futures import ThreadPoolExecutor
from zoneinfo import ZoneInfo

from django.db import connection, transaction
from django.db.models import QuerySet
from django.http import StreamingHttpResponse

from messaging.models import Message
from policies.vocabulary import exception_kind_label
from portal.api.fields import utc_iso
from portal.models import User

from .models import BoundaryException
from .notes import decrypt_many

CHUNK = 5000
LINE_END = "\r\n"  # csv.writer's line terminator


class _Echo:
    def write(self, value):
        return value


def csv_response(rows, filename: str) -> StreamingHttpResponse:
    """A streamed CSV download of `rows` (an iterator of text chunks)."""
    resp = StreamingHttpResponse(rows, content_type="text/csv; charset=utf-8")
    resp["Content-Disposition"] = f'attachment; filename="{filename}"'
    return resp


def header(tz: ZoneInfo) -> list[str]:
    # The first seven columns as before (scripts read them by position); the rest added.
    return [
        "id",
        "kind",
        "at",
        "therapist_id",
        "client_id",
        "reasons",
        "reviewed",
        "kind_label",
        f"at_local ({tz.key})",
        "therapist",
        "client",
        "category",
        "channel",
        "reviewed_by",
        "reviewed_at",
        "review_note",
    ]


def csv_lines(queryset: QuerySet[BoundaryException], *, tz: ZoneInfo, names: dict[int, str]) -> Iterator[str]:
    """The header, then every row of `queryset` (already scoped, filtered and ordered), as
    chunks of CSV text. `names` maps the practice's people to their names."""
    yield csv.writer(_Echo()).writerow(header(tz))
    if connection.vendor == "postgresql":
        yield from _postgres(queryset, tz)
    else:
        yield from _python(queryset, tz, names)


def _local(at, tz) -> str:
    return at.astimezone(tz).strftime("%Y-%m-%d %H:%M:%S") if at else ""


def _python(queryset: QuerySet, tz: ZoneInfo, names: dict[int, str]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    qs = queryset.values_list(
        "id",
        "kind",
        "at",
        "therapist_id",
        "client_id",
        "message__category",
        "message__channel",
        "reasons",
        "reviewed",
        "reviewed_by_id",
        "reviewed_at",
        "review_note",
    )
    for pk, kind, at, t, c, category, channel, reasons, reviewed, by, rev_at, note in qs.iterator(
        chunk_size=2000
    ):
        yield writer.writerow(
            [
                pk,
                kind,
                utc_iso(at),
                t,
                c or "",
                " ".join(reasons or []),
                "yes" if reviewed else "no",
                exception_kind_label(kind),
                _local(at, tz),
                names.get(t, ""),
                names.get(c, "") if c else "",
                category or "",
                channel or "",
                names.get(by, "") if by else "",
                utc_iso(rev_at) if rev_at else "",
                note or "",
            ]
        )


# --- PostgreSQL --------------------------------------------------------------------------------


def _quoted(expr: str) -> str:
    """SQL: a text value as csv.writer's QUOTE_MINIMAL writes it (NULL as empty)."""
    v = f"coalesce({expr}, '')"
    return f"(CASE WHEN {v} ~ '[\",\\r\\n]' THEN '\"' || replace({v}, '\"', '\"\"') || '\"' ELSE {v} END)"


def _utc_iso(expr: str) -> str:
    """SQL: utc_iso (seconds, microseconds only when there are any, Z); empty for NULL."""
    return (
        f"coalesce(to_char({expr} AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS')"
        f" || CASE WHEN (date_part('microseconds', {expr})::bigint %% 1000000) <> 0"
        f" THEN to_char({expr} AT TIME ZONE 'UTC', '.US') ELSE '' END || 'Z', '')"
    )


def _kind_label() -> tuple[str, list[str]]:
    """SQL: the kind's label, quoted for CSV here (the labels come from Python's wording)."""
    quote = csv.writer(_Echo(), lineterminator="").writerow
    whens, params = [], []
    for code in BoundaryException.Kind.values:
        whens.append("WHEN %s THEN %s")
        params += [code, quote([exception_kind_label(code)])]
    return f"(CASE e.kind {' '.join(whens)} ELSE {_quoted('e.kind')} END)", params


def _line_sql(tz: ZoneInfo) -> tuple[str, list]:
    label, label_params = _kind_label()
    # Codes (kind, reasons, category, channel) come from fixed vocabularies without commas,
    # quotes or line breaks: written as they are; names are quoted.
    parts = [
        "e.id::text",
        "e.kind",
        _utc_iso("e.at"),
        "e.therapist_id::text",
        "coalesce(e.client_id::text, '')",
        "array_to_string(ARRAY(SELECT jsonb_array_elements_text(coalesce(e.reasons, '[]'::jsonb))), ' ')",
        "CASE WHEN e.reviewed THEN 'yes' ELSE 'no' END",
        label,
        "to_char(e.at AT TIME ZONE %s, 'YYYY-MM-DD HH24:MI:SS')",
        _quoted("t.full_name"),
        _quoted("c.full_name"),
        "coalesce(m.category, '')",
        "coalesce(m.channel, '')",
        _quoted("r.full_name"),
        _utc_iso("e.reviewed_at"),
    ]
    # The review note's column comes last, from Python: the line so far ends with its comma.
    return " || ',' || ".join(parts) + " || ','", [*label_params, tz.key]


def _postgres(queryset: QuerySet, tz: ZoneInfo) -> Generator[str]:
    inner = queryset.values(
        "id",
        "kind",
        "at",
        "therapist_id",
        "client_id",
        "message_id",
        "reasons",
        "reviewed",
        "reviewed_by_id",
        "reviewed_at",
        "review_note",
    )
    inner_sql, inner_params = inner.query.sql_with_params()
    order = (
        ", ".join(
            f"e.{f.lstrip('-')} {'DESC' if f.startswith('-') else 'ASC'}"
            for f in inner.query.order_by
            if isinstance(f, str)
        )
        or "e.id DESC"
    )
    line, line_params = _line_sql(tz)
    users, messages = User._meta.db_table, Message._meta.db_table
    # The line's parameters come before the inner query's: they appear first in the text.
    sql = (
        f"SELECT {line}, e.review_note FROM ({inner_sql}) AS e "  # noqa: S608 -- constants, table names and Django's compiled query; every value is a parameter
        f"LEFT JOIN {users} t ON t.id = e.therapist_id LEFT JOIN {users} c ON c.id = e.client_id "
        f"LEFT JOIN {users} r ON r.id = e.reviewed_by_id LEFT JOIN {messages} m ON m.id = e.message_id "
        f"ORDER BY {order}"
    )
    params = [*line_params, *inner_params]
    writer = csv.writer(_Echo(), lineterminator="")
    # Inside a transaction the server-side cursor streams (without one, Django declares it
    # WITH HOLD, and PostgreSQL builds the whole result before the first row).
    with transaction.atomic(), connection.chunked_cursor() as cur:
        with connection.cursor() as setting:
            # JIT compiling this one query cost ~0.1 s and saved nothing.
            setting.execute("SET LOCAL jit = off")
        cur.execute(sql, params)
        # The next chunk is fetched (PostgreSQL formats its rows) while this one's notes are
        # decrypted: one thread that only ever waits on the socket (psycopg2 lets go of the
        # GIL), one fetch at a time on the cursor, at most two chunks in memory. The two
        # halves took ~3.3 s and ~3 s one after the other for 195,000 rows.
        raw = cur.cursor
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="csv-fetch") as fetcher:
            ahead = fetcher.submit(raw.fetchmany, CHUNK)
            try:
                while True:
                    rows = ahead.result()
                    if not rows:
                        return
                    ahead = fetcher.submit(raw.fetchmany, CHUNK)
                    # The chunk's notes decrypted together (audit.notes).
                    notes = decrypt_many([note for _text, note in rows])
                    yield (
                        LINE_END.join(
                            [
                                text + writer.writerow([note]) if note else text
                                for (text, _token), note in zip(rows, notes, strict=True)
                            ]
                        )
                        + LINE_END
                    )
            finally:
                # A download cut short: the fetch in flight ends before the cursor closes.
                ahead.cancel() or ahead.exception()
