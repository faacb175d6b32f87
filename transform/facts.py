"""``stg_*`` frames → ``fct_*`` frames. Pure: frames in, frames out."""

from __future__ import annotations

import hashlib
from decimal import Decimal

import polars as pl

from reference.vocabulary import MONEY_UNIT
from schemas.frames import polars_dtype
from schemas.warehouse import fct_performance_target
from transform.convert import MONEY, quantity, rate, yuan
from transform.numbers import normalise_code, parse_target, period_month

PROVENANCE = ["document_id", "page_no", "line_no", "source_text"]
TARGET_VALUE = polars_dtype(fct_performance_target.c.target_value.type)  # NUMERIC(20,4)
OWN_FACT_STATEMENTS = ("three_public", "procurement", "function", "economic")


def _seq(frame: pl.DataFrame, name: str) -> pl.DataFrame:
    return frame.with_row_index(name, offset=1).with_columns(pl.col(name).cast(pl.Int64))


def budget_lines(stg_amount: pl.DataFrame) -> pl.DataFrame:
    """Every stated figure that has no fact table of its own (three-public, procurement and
    classification lines have theirs; assets are staged apart, in ``stg_asset``)."""
    rows = stg_amount.filter(~pl.col("statement").is_in(OWN_FACT_STATEMENTS))
    return _seq(rows, "line_seq").select(
        "line_seq", *PROVENANCE, "statement", "item", "item_key", "column_name", "label", "source",
        yuan("amount_text", "unit").alias("amount_yuan"),
        pl.when(pl.col("unit") == "%").then(rate("amount_text")).alias("rate_pct"),
        pl.when(pl.col("unit") == "").then(quantity("amount_text")).alias("quantity"),
        pl.col("amount_text").alias("stated_text"), pl.col("unit").alias("stated_unit"),
    )


def _statement_amounts(stg_amount: pl.DataFrame, statement: str, sources: tuple[str, ...]) -> pl.DataFrame:
    rows = stg_amount.filter((pl.col("statement") == statement) & pl.col("source").is_in(sources))
    return _seq(rows, "line_seq").select(
        "line_seq", *PROVENANCE, "item", "source", yuan("amount_text", "unit").alias("amount_yuan"),
        pl.col("amount_text").alias("stated_text"), pl.col("unit").alias("stated_unit"),
    )


def three_public(stg_amount: pl.DataFrame) -> pl.DataFrame:
    """A blank cell of a printed "三公" table is that table's zero: the row is there and its
    合计 adds up without it (普陀 决算: every 决算数 cell blank, narrative "决算为0.00万元")."""
    rows = _statement_amounts(stg_amount, "three_public", ("narrative", "table"))
    blank = (pl.col("source") == "table") & (pl.col("stated_text").str.strip_chars() == "")
    return rows.with_columns(
        pl.when(blank).then(pl.lit(0).cast(MONEY)).otherwise(pl.col("amount_yuan")).alias("amount_yuan")
    )


def procurement(stg_amount: pl.DataFrame) -> pl.DataFrame:
    return _statement_amounts(stg_amount, "procurement", ("narrative", "table"))


def assets(stg_asset: pl.DataFrame) -> pl.DataFrame:
    """One row per asset figure (a category's quantity and/or value, held or to be bought),
    from the asset table and the 国有资产 prose alike; the threshold of large equipment
    ("100万元") in yuan."""
    threshold = pl.col("threshold_text").str.extract(r"^([0-9.,]+)", 1)
    threshold_unit = pl.col("threshold_text").str.extract(rf"({MONEY_UNIT})$", 1)
    rows = stg_asset.with_columns(threshold.alias("t_text"), threshold_unit.fill_null("").alias("t_unit"))
    return _seq(rows, "asset_seq").select(
        "asset_seq", *PROVENANCE, "category", "label", "source", "measure",
        quantity("quantity_text").alias("quantity"), pl.col("quantity_unit").replace("", None),
        yuan("value_text", "value_unit").alias("value_yuan"),
        yuan("t_text", "t_unit").alias("unit_value_threshold_yuan"),
    )


def _classification(stg_amount: pl.DataFrame, statement: str) -> pl.DataFrame:
    rows = stg_amount.filter(pl.col("statement") == statement).with_columns(
        yuan("amount_text", "unit").alias("y"),
        pl.col("item_key").map_elements(normalise_code, return_dtype=pl.Utf8).alias("code"),
    )
    # one row per printed line: a code printed on two lines (长春 30208 取暖费 and 物业管理费) stays two rows
    return rows.group_by(["document_id", "code", "page_no", "line_no"], maintain_order=True).agg(
        pl.col("label").first().alias("name"), pl.col("source_text").first(),
        *[pl.col("y").filter(pl.col("column_name") == c).first().alias(c) for c in ("amount", "basic", "project")],
    )


def expenditure_by_function(stg_amount: pl.DataFrame) -> pl.DataFrame:
    grouped = _classification(stg_amount, "function")
    return _seq(grouped, "line_seq").select(
        "line_seq", *PROVENANCE, pl.col("code").alias("function_code"), pl.col("name").alias("function_name"),
        pl.col("code").str.len_chars().replace_strict({3: 1, 5: 2, 7: 3}, default=0, return_dtype=pl.Int64).alias("level"),
        pl.col("amount").alias("amount_yuan"), pl.col("basic").alias("basic_yuan"),
        pl.col("project").alias("project_yuan"),
    )


def expenditure_by_economic(stg_amount: pl.DataFrame) -> pl.DataFrame:
    grouped = _classification(stg_amount, "economic")
    return _seq(grouped, "line_seq").select(
        "line_seq", *PROVENANCE, pl.col("code").alias("economic_code"), pl.col("name").alias("economic_name"),
        pl.col("amount").alias("amount_yuan"),
    )


def surrogate_project_code(region_code: str | None, owner: str | None, scope: str, name: str) -> str:
    """A key for a project whose document prints no code: ``~`` and 16 hex digits of its
    region, owner (implementing unit, else department), scope and name — stable across a
    department's years, never taken for a printed code (which never starts with ``~``)."""
    key = f"{region_code or ''}|{owner or ''}|{scope}|{name}"
    return "~" + hashlib.sha256(key.encode()).hexdigest()[:16]


def projects(stg_project: pl.DataFrame, stg_document: pl.DataFrame) -> pl.DataFrame:
    documents = stg_document.select("document_id", "region_code", pl.col("department_name").alias("_department"))
    joined = stg_project.join(documents, on="document_id", how="left").with_columns(
        pl.col("project_code_text").map_elements(normalise_code, return_dtype=pl.Utf8).fill_null("").alias("_printed"),
    )
    code = pl.struct("_printed", "region_code", "unit_name", "_department", "scope", "project_name").map_elements(
        lambda r: r["_printed"] or surrogate_project_code(r["region_code"], r["unit_name"] or r["_department"],
                                                          r["scope"], r["project_name"]),
        return_dtype=pl.Utf8)
    return joined.select(
        "project_seq", *PROVENANCE, code.alias("project_code"), "project_code_text", "project_name",
        pl.col("unit_code").replace("", None), pl.col("unit_name").replace("", None),
        yuan("amount_text", "unit").alias("amount_yuan"),
        yuan("fiscal_funds_text", "unit").alias("fiscal_funds_yuan"),
        yuan("other_funds_text", "unit").alias("other_funds_yuan"),
        pl.col("unit").alias("stated_unit"), "scope",
    )


def _project_codes(fct_project: pl.DataFrame) -> pl.DataFrame:
    return fct_project.select("document_id", "project_seq", "project_code")


def spending_plan(stg_plan: pl.DataFrame, fct_project: pl.DataFrame) -> pl.DataFrame:
    joined = stg_plan.join(_project_codes(fct_project), on=["document_id", "project_seq"], how="left")
    return _seq(joined, "plan_seq_all").select(
        pl.col("plan_seq_all").alias("plan_seq"), *PROVENANCE, "project_seq", "project_code", "period_label",
        pl.col("period_label").map_elements(period_month, return_dtype=pl.Int64).alias("by_month"),
        rate("pct_text").alias("cumulative_pct"), pl.col("pct_text").alias("stated_text"),
    )


def indicator_id(level1: str, level2: str, level3: str) -> str:
    return hashlib.sha256(f"{level1}|{level2}|{level3}".encode()).hexdigest()[:16]


TARGET_PLACES = Decimal("0.0001")  # fct_performance_target.target_value is NUMERIC(20, 4)


def _target(text: str) -> tuple:
    """parse_target, with a value printed to more than 4 decimals (≤536.56308万元) left NULL
    rather than rounded: the printed text stays in target_text. Trailing zeros beyond them
    (19.203000) are no more digits: the value is kept at the column's scale (a 38,6 decimal
    once quarantined a whole document)."""
    comparator, value, unit = parse_target(text)
    if value is not None:
        value = value.quantize(TARGET_PLACES) if value == value.quantize(TARGET_PLACES) else None
    return comparator, value, unit


def performance_targets(stg_indicator: pl.DataFrame, fct_project: pl.DataFrame) -> pl.DataFrame:
    joined = stg_indicator.join(_project_codes(fct_project), on=["document_id", "project_seq"], how="left")
    parsed = joined.with_columns(
        pl.col("target_text").map_elements(
            lambda t: dict(zip(("comparator", "value", "unit"), _target(t))),
            return_dtype=pl.Struct({"comparator": pl.Utf8, "value": TARGET_VALUE, "unit": pl.Utf8}),
        ).alias("t"),
        pl.struct("level1", "level2", "level3").map_elements(
            lambda r: indicator_id(r["level1"], r["level2"], r["level3"]), return_dtype=pl.Utf8
        ).alias("indicator_id"),
    )
    return _seq(parsed, "target_seq_all").select(
        pl.col("target_seq_all").alias("target_seq"), *PROVENANCE, "project_seq", "project_code", "indicator_id",
        "level1", "level2", "level3", "description", "target_text",
        pl.col("t").struct.field("comparator"), pl.col("t").struct.field("value").alias("target_value"),
        pl.col("t").struct.field("unit").alias("target_unit"), "basis",
        rate("weight_text").alias("weight_pct"),
    )


def links(stg_link: pl.DataFrame) -> pl.DataFrame:
    """Image and attachment addresses of a page (fct_document_link), as printed."""
    return stg_link.select("document_id", "link_seq", "page_no", "line_no", "source_text", "kind", "url", "label")


def pages(stg_page: pl.DataFrame) -> pl.DataFrame:
    """One row per page: its kind and size, and for a page read with OCR the engine's confidence."""
    return stg_page.select("document_id", "page_no", "kind", "char_count", "image_count",
                           pl.col("ocr_confidence").cast(pl.Decimal(4, 3)), "ocr_held")


def budget_units(stg_unit: pl.DataFrame) -> pl.DataFrame:
    return stg_unit.select(
        "document_id", "unit_seq", "unit_name", pl.col("unit_code").replace("", None), "unit_nature", "unit_rank",
        "funding_form", "page_no", "line_no", "source_text",
    )

