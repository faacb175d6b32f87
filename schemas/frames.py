"""Frame contracts derived from the SQLAlchemy tables: one type mapping, in one module.

``polars_schema(table)`` gives the polars dtypes a frame bound for ``table`` must have
(warehouse tables of :mod:`schemas.warehouse`/:mod:`schemas.registry` and the staging
tables of :mod:`schemas.staging` alike: no polars schema is typed by hand anywhere else);
``contract(table)`` gives a pandera schema (strict columns, dtypes, NOT NULLs, primary
key uniqueness, string lengths of ``String(n)``, the precision of ``Numeric(p, s)``) and
``check_frame`` raises :class:`ContractError` when a frame breaks it, which stops the
run: a frame that does not fit its table is our bug, not the document's. The checks hold
on every dialect, so what PostgreSQL would reject (a 49-character code in String(48))
fails here on DuckDB too, which ignores declared lengths.
"""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from typing import TYPE_CHECKING

import polars as pl
from sqlalchemy import Boolean, Date, DateTime, Integer, Numeric, String, Table, Text

from schemas.errors import ContractError

if TYPE_CHECKING:
    import pandera.polars as pa


def _pandera():
    """pandera's polars API, imported when a contract is built or a frame fails the one-pass check (its
    import is a quarter of a second that a run whose frames keep their contracts never needs)."""
    import pandera.polars as pa

    return pa


def polars_dtype(sql_type) -> pl.DataType:
    if isinstance(sql_type, Boolean):
        return pl.Boolean()
    if isinstance(sql_type, Integer):
        return pl.Int64()
    if isinstance(sql_type, Numeric):
        return pl.Decimal(sql_type.precision or 38, sql_type.scale or 0)
    if isinstance(sql_type, DateTime):
        return pl.Datetime("us", "UTC" if sql_type.timezone else None)
    if isinstance(sql_type, Date):
        return pl.Date()
    if isinstance(sql_type, (String, Text)):
        return pl.Utf8()
    raise TypeError(f"no polars mapping for {sql_type!r}")


def polars_schema(table: Table) -> dict[str, pl.DataType]:
    return {column.name: polars_dtype(column.type) for column in table.columns}


@cache
def _table_schema(table: Table) -> dict[str, pl.DataType]:
    """:func:`polars_schema`, once per table (read-only: callers never change it)."""
    return polars_schema(table)


def _fits_precision(bound: Decimal):
    def check(data: pa.PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(pl.col(data.key).is_null() | (pl.col(data.key).abs() < bound))
    return check


def value_checks(sql_type) -> list[pa.Check]:
    """What the column's type promises beyond its dtype: String(n) lengths, Numeric(p, s) magnitudes."""
    pa = _pandera()
    if isinstance(sql_type, String) and not isinstance(sql_type, Text) and sql_type.length:
        n = sql_type.length
        return [pa.Check.str_length(max_value=n, error=f"longer than {n} characters (String({n}))")]
    if isinstance(sql_type, Numeric) and not isinstance(sql_type, Integer) and sql_type.precision:
        p, s = sql_type.precision, sql_type.scale or 0
        bound = Decimal(10) ** (p - s)
        return [pa.Check(_fits_precision(bound), error=f"magnitude not below {bound} (DECIMAL({p},{s}))")]
    return []


@cache
def contract(table: Table) -> pa.DataFrameSchema:
    pa = _pandera()
    columns = {
        column.name: pa.Column(polars_dtype(column.type), checks=value_checks(column.type),
                               nullable=column.nullable and not column.primary_key)
        for column in table.columns
    }
    keys = [column.name for column in table.primary_key.columns]
    return pa.DataFrameSchema(columns, strict=True, ordered=False, unique=keys or None, name=table.name)


def empty_frame(table: Table) -> pl.DataFrame:
    return pl.DataFrame(schema=polars_schema(table))


def _lossy_decimal(frame: pl.DataFrame, name: str, dtype: pl.DataType, source: pl.DataType) -> str | None:
    """Why casting ``name`` (of dtype ``source``) to the Decimal ``dtype`` would change a value (money is
    never float)."""
    if not isinstance(dtype, pl.Decimal):
        return None
    if source.is_float():
        return f"{name} is {source}: money is never float"
    if isinstance(source, pl.Decimal) and (source.scale or 0) > (dtype.scale or 0):
        column = frame.get_column(name)
        changed = column.cast(dtype, strict=True).cast(source) != column
        if changed.any():
            return f"{name} has more than {dtype.scale} decimals (e.g. {column.filter(changed)[0]})"
    return None


def conform(frame: pl.DataFrame, table: Table) -> pl.DataFrame:
    """Select the table's columns in table order, casting losslessly (strict) to its dtypes. A frame that
    already has exactly those columns, in that order and of those dtypes, is returned as it is (most
    frames of a document are built so: polars' fixed cost per query dominates small frames)."""
    schema = _table_schema(table)
    actual = frame.schema
    if list(actual.items()) == list(schema.items()):
        return frame
    missing = [name for name in schema if name not in actual]
    if missing:
        raise ContractError(f"{table.name}: frame lacks columns {missing}")
    try:
        lossy = [why for name, dtype in schema.items() if (why := _lossy_decimal(frame, name, dtype, actual[name]))]
        if lossy:
            raise ContractError(f"{table.name}: cannot cast losslessly: {'; '.join(lossy)}")
        return frame.select([pl.col(name).cast(dtype, strict=True) for name, dtype in schema.items()])
    except pl.exceptions.PolarsError as exc:
        raise ContractError(f"{table.name}: cannot cast frame to the table's types: {exc}") from exc


def _column_checks(column) -> list[pl.Expr]:
    """The contract of one column as polars expressions that are true when it holds."""
    c, sql_type = pl.col(column.name), column.type
    out = [] if column.nullable and not column.primary_key else [c.null_count() == 0]
    if isinstance(sql_type, String) and not isinstance(sql_type, Text) and sql_type.length:
        out.append(c.str.len_chars().max().fill_null(0) <= sql_type.length)
    elif isinstance(sql_type, Numeric) and not isinstance(sql_type, Integer) and sql_type.precision:
        bound = Decimal(10) ** (sql_type.precision - (sql_type.scale or 0))
        out.append((c.is_null() | (c.abs() < bound)).all())
    return out


@cache
def _one_pass(table: Table) -> tuple[dict[str, pl.DataType], list[pl.Expr]]:
    """The table's dtypes, and its contract as expressions that are true when it holds."""
    checks = [check for column in table.columns for check in _column_checks(column)]
    keys = [column.name for column in table.primary_key.columns]
    if keys:
        checks.append(~pl.struct(keys).is_duplicated().any())
    return polars_schema(table), [c.alias(f"c{i}") for i, c in enumerate(checks)]


def keeps_contract(frame: pl.DataFrame, table: Table) -> bool:
    """True when ``frame`` certainly keeps ``contract(table)``, judged in one pass over the frame (pandera
    runs a query per column and check: ~20 ms a frame, half of preparing a small document); False leaves
    the verdict, and the explanation, to pandera."""
    schema, checks = _one_pass(table)
    actual = frame.schema
    if len(actual) != len(schema) or any(actual.get(name) != dtype for name, dtype in schema.items()):
        return False
    if frame.height == 0 or not checks:
        return True
    return all(value is True for value in frame.select(checks).row(0))


def check_frame(frame: pl.DataFrame, table: Table) -> pl.DataFrame:
    if keeps_contract(frame, table):
        return frame
    pa = _pandera()
    try:
        return contract(table).validate(frame)
    except (pa.errors.SchemaError, pa.errors.SchemaErrors) as exc:
        raise ContractError(f"{table.name}: {exc}") from exc
