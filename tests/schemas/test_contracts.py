"""One contract: every polars schema comes from a SQLAlchemy table, and the frame contract refuses
on every dialect what PostgreSQL would refuse (string lengths, decimal precision and scale)."""

from datetime import datetime, timezone
from decimal import Decimal

import polars as pl
import pytest
from sqlalchemy import create_engine, text

from extract.parse.staging import STAGING_SCHEMAS, stage
from extract.parse.document import PARSER_VERSION, parse_document
from extract.read.reader import read_document
from schemas import metadata, table
from schemas.errors import ContractError
from schemas.frames import check_frame, conform, polars_schema
from schemas.staging import STAGING_TABLES, staging_metadata
from tests.conftest import SEED_PATH
from transform import transform_document
from transform.quality import checks_frame
from transform.rules.model import Check

DOC = "a" * 64
WHEN = datetime(2026, 1, 1, tzinfo=timezone.utc)


def quality_frame(code: str, expected: Decimal) -> pl.DataFrame:
    return checks_frame([(DOC, Check(code, "error", False, expected, Decimal("1.00"), "m"))])


def test_a_49_character_rule_code_breaks_the_contract_on_duckdb():
    t = table("fct_data_quality")
    check_frame(conform(quality_frame("x" * 48, Decimal("1.00")), t), t)
    with pytest.raises(ContractError, match=r"rule_code.*longer than 48 characters \(String\(48\)\)"):
        check_frame(conform(quality_frame("x" * 49, Decimal("1.00")), t), t)


def test_a_decimal_18_2_overflow_breaks_the_contract_on_duckdb():
    t = table("fct_data_quality")
    too_big = pl.DataFrame({"document_id": [DOC], "rule_code": ["r"], "severity": ["error"], "passed": [False],
                            "expected": pl.Series([Decimal("1" + "0" * 16)], dtype=pl.Decimal(38, 2)),
                            "actual": [None], "message": ["m"], "difference": [None], "tolerance": [None],
                            "finding": [None]})
    with pytest.raises(ContractError, match="decimal"):
        check_frame(conform(too_big, t), t)
    finer = too_big.with_columns(pl.Series("expected", [Decimal("1.234")], dtype=pl.Decimal(18, 3)))
    with pytest.raises(ContractError, match="more than 2 decimals"):
        conform(finer, t)
    as_float = too_big.with_columns(pl.lit(1.5).alias("expected"))
    with pytest.raises(ContractError, match="money is never float"):
        conform(as_float, t)


def test_the_contract_catches_what_duckdb_itself_would_store():
    # why the check lives in the contract: DuckDB ignores VARCHAR(48)
    engine = create_engine("duckdb:///:memory:")
    table("fct_data_quality").create(engine)
    with engine.begin() as connection:
        connection.execute(table("fct_data_quality").insert().values(
            document_id=DOC, rule_code="x" * 49, severity="error", message="m"))
        assert connection.execute(text("SELECT length(rule_code) FROM fct_data_quality")).scalar() == 49


def test_staging_tables_are_declared_once_and_never_created_in_the_warehouse():
    assert set(STAGING_TABLES) == {"stg_amount", "stg_project", "stg_asset", "stg_link", "stg_plan", "stg_indicator",
                                   "stg_unit", "stg_stated_year", "stg_page", "stg_document"}
    assert not any(name.startswith("stg_") for name in metadata.tables)
    assert staging_metadata is not metadata
    assert STAGING_SCHEMAS == {name: polars_schema(t) for name, t in STAGING_TABLES.items()}


def seed_staged():
    data = SEED_PATH.read_bytes()
    doc = read_document(data, "file:///seed.txt")
    return stage(doc, parse_document(doc), len(data)).frames


def test_staged_seed_frames_fit_their_staging_tables():
    frames = seed_staged()
    assert set(frames) == set(STAGING_TABLES)
    for name, frame in frames.items():
        assert dict(frame.schema) == polars_schema(STAGING_TABLES[name]), name
        check_frame(frame, STAGING_TABLES[name])
    assert frames["stg_amount"].height > 20


def test_a_staging_frame_off_contract_stops_the_transform():
    frames = seed_staged()
    extra = {**frames, "stg_amount": frames["stg_amount"].with_columns(pl.lit("x").alias("surprise"))}
    with pytest.raises(ContractError, match="stg_amount"):
        transform_document(extra, parser_version=PARSER_VERSION, loaded_at=WHEN)
    missing = {name: f for name, f in frames.items() if name != "stg_plan"}
    with pytest.raises(ContractError, match="stg_plan"):
        transform_document(missing, parser_version=PARSER_VERSION, loaded_at=WHEN)


def test_quality_frame_schema_is_the_tables():
    frame = quality_frame("r", Decimal("2.50"))
    assert dict(frame.schema) == polars_schema(table("fct_data_quality"))
    assert frame.row(0, named=True)["difference"] == Decimal("-1.50")


def test_the_one_pass_verdict_agrees_with_pandera():
    from schemas.frames import contract, keeps_contract

    t = table("fct_data_quality")
    good = conform(quality_frame("x" * 48, Decimal("1.00")), t)
    assert keeps_contract(good, t)  # the fast path is taken for frames that keep the contract
    broken = {
        "too long": conform(quality_frame("x" * 49, Decimal("1.00")), t),
        "null key": good.with_columns(pl.lit(None, pl.Utf8).alias("rule_code")),
        "duplicate key": pl.concat([good, good]),
        "extra column": good.with_columns(pl.lit(1).alias("extra")),
        "wrong dtype": good.with_columns(pl.col("passed").cast(pl.Utf8)),
        "wider decimal": good.with_columns(pl.Series("expected", [Decimal("1" + "0" * 16)], dtype=pl.Decimal(38, 2))),
    }
    for why, frame in broken.items():
        assert not keeps_contract(frame, t), why
        with pytest.raises(Exception):  # pandera judges, and explains
            contract(t).validate(frame)
