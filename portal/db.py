"""Hand-written statements for the send path, with the ORM's own value handling.

The send path reads one thread and writes three rows per message (the message, its audit
event, its outbox row). Building each statement with the ORM cost the benchmark machine
about 0.15 ms of Python per row, as much again as the database took to run it.
`insert()` keeps the INSERT per model and prepares each value exactly as the ORM does
(`pre_save`, then `get_db_prep_save`: encryption, JSON, time zones), so the row stored is
the same; it sends no `pre_save`/`post_save` signals: use it only for models that have
none. `insert_many()` writes several such rows in one round trip on PostgreSQL, and
`next_id_sql()` reserves a row's id beforehand, so the rows that refer to it can go in
the same statement. `from_row()` turns the columns of a hand-written SELECT back into an
instance, through each field's converters, as a queryset would. `execute()` runs these
statements as statements prepared once per connection on PostgreSQL.
"""

from __future__ import annotations

import hashlib

from django.db import connection, models

_statements: dict[tuple[str, type, bool], tuple[str, list]] = {}
_converters: dict[tuple[str, tuple], list] = {}
_sequences: dict[tuple[str, type], str] = {}


def _statement(model: type[models.Model], with_pk: bool) -> tuple[str, list]:
    """The INSERT of one row of `model`, RETURNING its primary key; the primary key is
    one of the columns when the instance already has it (a reserved id)."""
    key = (connection.vendor, model, with_pk)
    if key not in _statements:
        meta = model._meta
        fields = [f for f in meta.concrete_fields
                  if with_pk or not (f.primary_key and isinstance(f, models.AutoField))]
        q = connection.ops.quote_name
        sql = (f"INSERT INTO {q(meta.db_table)} ({', '.join(q(f.column) for f in fields)}) "
               f"VALUES ({', '.join(['%s'] * len(fields))}) RETURNING {q(meta.pk.column)}")
        _statements[key] = (sql, fields)
    return _statements[key]


def _params(obj: models.Model, fields: list) -> list:
    return [f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields]


def _inserted(obj: models.Model, pk) -> None:
    obj.pk = pk
    obj._state.adding = False
    obj._state.db = connection.alias


def insert(obj: models.Model) -> models.Model:
    """INSERT one new instance and set its primary key, as `obj.save(force_insert=True)` would."""
    if not connection.features.can_return_columns_from_insert:
        obj.save(force_insert=True)
        return obj
    sql, fields = _statement(type(obj), obj.pk is not None)
    with connection.cursor() as cur:
        cur.execute(sql, _params(obj, fields))
        _inserted(obj, cur.fetchone()[0])
    return obj


_many: dict[tuple, str] = {}


def insert_many(objs: list[models.Model]) -> None:
    """INSERT new instances of any models (none refers to another without its id set) and
    set their primary keys. PostgreSQL gets one prepared statement, a data-modifying WITH
    per row, so the rows of one send cost one round trip; other databases one INSERT each."""
    if connection.vendor != "postgresql" or len(objs) < 2:
        for obj in objs:
            insert(obj)
        return
    shape = tuple((type(obj), obj.pk is not None) for obj in objs)
    if shape not in _many:
        parts, pks = [], []
        for i, (model, with_pk) in enumerate(shape):
            parts.append(f"r{i} AS ({_statement(model, with_pk)[0]})")
            pks.append(f"(SELECT {connection.ops.quote_name(model._meta.pk.column)} FROM r{i})")
        _many[shape] = f"WITH {', '.join(parts)} SELECT {', '.join(pks)}"
    params = [v for obj in objs for v in _params(obj, _statement(type(obj), obj.pk is not None)[1])]
    with connection.cursor() as cur:
        execute(cur, _many[shape], params)
        for obj, pk in zip(objs, cur.fetchone()):
            _inserted(obj, pk)


_names: dict[str, str] = {}


def execute(cur, sql: str, params: list) -> None:
    """Run one of the send path's statements. On PostgreSQL it is a prepared statement of
    the session: planned once per connection instead of on every call, which took the
    server 0.1 to 0.15 ms a statement, as much as running it. (SQL PREPARE lasts as long
    as the connection, whatever becomes of the transaction; it needs a connection of its
    own or session pooling, not a transaction-pooling PgBouncer.) `sql` has one %s per
    parameter and no other % sign, and each parameter's type follows from the SQL (the
    column it is compared with or stored in, or a CAST)."""
    if connection.vendor != "postgresql":
        cur.execute(sql, params)
        return
    raw = connection.connection
    if getattr(connection, "portal_prepared_on", None) is not raw:  # a new connection: nothing prepared
        connection.portal_prepared_on, connection.portal_prepared = raw, set()
    if sql not in _names:
        _names[sql] = "portal_" + hashlib.sha256(sql.encode()).hexdigest()[:20]
    name = _names[sql]
    if name not in connection.portal_prepared:
        cur.execute(f"PREPARE {name} AS {sql % tuple(f'${i}' for i in range(1, len(params) + 1))}")
        connection.portal_prepared.add(name)
    cur.execute(f"EXECUTE {name} ({', '.join(['%s'] * len(params))})" if params else f"EXECUTE {name}", params)


_CONTROL = ("BEGIN", "COMMIT", "SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK")


def round_trips(queries: list[dict]) -> list[str]:
    """The SQL sent by captured queries (CaptureQueriesContext), transaction control left out:
    one text per round trip."""
    return [q["sql"] for q in queries if not q["sql"].upper().startswith(_CONTROL)]


def statement_texts(sent: list[str]) -> list[str]:
    """What those round trips ran: an EXECUTE of a prepared statement is read back as the
    statement's own text."""
    if not any(sql.startswith("EXECUTE ") for sql in sent):
        return sent
    with connection.cursor() as cur:
        cur.execute("SELECT name, statement FROM pg_prepared_statements")
        prepared = dict(cur.fetchall())
    return [prepared[sql.split()[1]] if sql.startswith("EXECUTE ") else sql for sql in sent]


def statement_count(texts: list[str]) -> int:
    """How many SQL statements those texts are: each INSERT inside a WITH counts as one."""
    return sum(max(1, sql.upper().count("INSERT INTO")) for sql in texts)


def next_id_sql(model: type[models.Model]) -> str | None:
    """On PostgreSQL, an SQL expression that reserves the next primary key of `model` (so a
    row's id can be known, and referred to, before it is inserted); elsewhere None."""
    if connection.vendor != "postgresql":
        return None
    key = (connection.vendor, model)
    if key not in _sequences:
        with connection.cursor() as cur:
            cur.execute("SELECT pg_get_serial_sequence(%s, %s)", [model._meta.db_table, model._meta.pk.column])
            _sequences[key] = cur.fetchone()[0]
    return f"nextval('{_sequences[key]}'::regclass)"


def from_row(model: type[models.Model], fields: list, values) -> models.Model:
    """An instance of `model` (the other fields deferred) from the raw values of `fields`."""
    key = (connection.vendor, tuple(fields))
    if key not in _converters:
        cols = [f.get_col(model._meta.db_table) for f in fields]
        _converters[key] = [connection.ops.get_db_converters(c) + c.get_db_converters(connection) for c in cols]
    converted = []
    for value, field, convs in zip(values, fields, _converters[key]):
        for conv in convs:
            value = conv(value, field, connection)
        converted.append(value)
    return model.from_db(connection.alias, [f.attname for f in fields], converted)
