"""Frame contracts derived from the SQLAlchemy tables: one type mapping, in one module.

``polars_schema(table)`` gives the polars dtypes a frame bound for ``table`` must have;
``contract(table)`` gives a pandera schema (strict columns, dtypes, NOT NULLs, primary
key uniqueness) and ``check_frame`` raises :class:`ContractError` when a frame breaks
it, which stops the run: a frame that does not fit its table is our bug, not the
document's.
"""

from __future__ import annotations

from functools import cache

import pandera.polars as pa
import polars as pl
from sqlalchemy import Boolean, Date, DateTime, Integer, Numeric, String, Table, Text

from schemas.errors import ContractError


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
def contract(table: Table) -> pa.DataFrameSchema:
    columns = {
        column.name: pa.Column(polars_dtype(column.type), nullable=column.nullable and not column.primary_key)
        for column in table.columns
    }
    keys = [column.name for column in table.primary_key.columns]
    return pa.DataFrameSchema(columns, strict=True, ordered=False, unique=keys or None, name=table.name)


def empty_frame(table: Table) -> pl.DataFrame:
    return pl.DataFrame(schema=polars_schema(table))


def conform(frame: pl.DataFrame, table: Table) -> pl.DataFrame:
    """Select the table's columns in table order, casting losslessly (strict) to its dtypes."""
    missing = [name for name in table.columns.keys() if name not in frame.columns]
    if missing:
        raise ContractError(f"{table.name}: frame lacks columns {missing}")
    try:
        return frame.select([pl.col(name).cast(dtype, strict=True) for name, dtype in polars_schema(table).items()])
    except pl.exceptions.PolarsError as exc:
        raise ContractError(f"{table.name}: cannot cast frame to the table's types: {exc}") from exc


def check_frame(frame: pl.DataFrame, table: Table) -> pl.DataFrame:
    try:
        return contract(table).validate(frame)
    except (pa.errors.SchemaError, pa.errors.SchemaErrors) as exc:
        raise ContractError(f"{table.name}: {exc}") from exc
