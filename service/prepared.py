"""Prepared reads: a Core statement compiled once per dialect, run on the driver's cursor.

The history, ban and label checks run a few small indexed reads for every
comment. Executing a Core statement, even one in SQLAlchemy's compiled cache,
costs ~40 µs of Python (execution context, parameter processing, result rows)
on top of the ~10 µs the database needs; through the DBAPI cursor of the same
connection (so the same transaction) it costs what the database does. The SQL
is SQLAlchemy's own for the dialect, and every parameter goes through its
type's bind processor (``UTCDateTime`` and SQLite's datetime strings), so the
answer is the one ``connection.execute`` gives; result values are the
driver's (only numbers and strings are read this way). A statement SQLAlchemy
renders per call (an expanding ``IN``) is refused, not approximated.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa


@dataclass(frozen=True)
class _Compiled:
    sql: str
    names: tuple[str, ...] | None  # bind names in order (positional styles), else None
    fixed: dict[str, Any]  # values the statement carries (literals, LIMIT)
    processors: dict[str, Callable[[Any], Any]]


class Prepared:
    """``Prepared(statement).rows(connection, params)``: the rows ``connection.execute`` gives."""

    def __init__(self, statement: sa.Executable) -> None:
        self.statement = statement
        self._compiled: dict[str, _Compiled] = {}

    def _for(self, dialect: sa.Dialect) -> _Compiled:
        compiled = self._compiled.get(dialect.name)
        if compiled is None:
            c = self.statement.compile(dialect=dialect)
            if "POSTCOMPILE" in c.string:
                raise ValueError("a statement rendered per call cannot be prepared")
            processors = {}
            fixed = {}
            for name, bind in c.binds.items():
                processor = bind.type.dialect_impl(dialect).bind_processor(dialect)
                if processor is not None:
                    processors[name] = processor
                if bind.value is not None or not bind.required:
                    value = bind.effective_value
                    # A str-valued enum (``Status``) as the plain string every driver takes.
                    fixed[name] = value.value if isinstance(value, enum.Enum) else value
            positional = c.positiontup if dialect.positional else None
            compiled = _Compiled(
                c.string, tuple(positional) if positional else None, fixed, processors
            )
            self._compiled[dialect.name] = compiled
        return compiled

    def rows(self, connection: sa.Connection, params: Mapping[str, Any]) -> list[tuple]:
        compiled = self._for(connection.dialect)
        values = {**compiled.fixed, **params}
        for name, processor in compiled.processors.items():
            values[name] = processor(values[name])
        args = tuple(values[n] for n in compiled.names) if compiled.names else values
        cursor = connection.connection.dbapi_connection.cursor()
        try:
            cursor.execute(compiled.sql, args)
            return cursor.fetchall()
        finally:
            cursor.close()

    def one(self, connection: sa.Connection, params: Mapping[str, Any]) -> tuple:
        (row,) = self.rows(connection, params)
        return row

    def scalar(self, connection: sa.Connection, params: Mapping[str, Any]) -> Any:
        found = self.rows(connection, params)
        return found[0][0] if found else None
