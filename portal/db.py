"""Hand-written statements for the send path, with the ORM's own value handling.

The send path reads one thread and writes three rows per message (the message, its audit
event, its outbox row). Building each statement with the ORM cost the benchmark machine
about 0.15 ms of Python per row, as much again as the database took to run it.
`insert()` keeps the INSERT per model and prepares each value exactly as the ORM does
(`pre_save`, then `get_db_prep_save`: encryption, JSON, time zones), so the row stored is
the same; it sends no `pre_save`/`post_save` signals: use it only for models that have
none. `insert_many()` writes several such rows in one round trip on PostgreSQL, and
`next_id_sql()` reserves a row's id beforehand, so the rows that refer to it can go in
the same statement. `from_row()` turns the columns of a hand-written SELECT back into an instance,
through each field's converters, as a queryset would.
"""

from __future__ import annotations

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


def insert_many(objs: list[models.Model]) -> None:
    """INSERT new instances of any models (none refers to another without its id set) and
    set their primary keys. PostgreSQL gets one statement, a data-modifying WITH per row,
    so the rows of one send cost one round trip; other databases get one INSERT each."""
    if connection.vendor != "postgresql" or len(objs) < 2:
        for obj in objs:
            insert(obj)
        return
    parts, params, pks = [], [], []
    for i, obj in enumerate(objs):
        sql, fields = _statement(type(obj), obj.pk is not None)
        parts.append(f"r{i} AS ({sql})")
        params.extend(_params(obj, fields))
        pks.append(f"(SELECT {connection.ops.quote_name(obj._meta.pk.column)} FROM r{i})")
    with connection.cursor() as cur:
        cur.execute(f"WITH {', '.join(parts)} SELECT {', '.join(pks)}", params)
        for obj, pk in zip(objs, cur.fetchone()):
            _inserted(obj, pk)


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
