"""What the warehouse knows around one document: the crawler's link to it and its sibling volumes.

Read by :mod:`flows.year_hints` to date a volume that prints no year. Plain rows out.
"""

from __future__ import annotations

from sqlalchemy import and_, select
from sqlalchemy.engine import Engine

from schemas.registry import src_document_url, src_source
from schemas.warehouse import dim_document, fct_budget_line


def crawl_link(engine: Engine, uri: str) -> dict | None:
    """The crawler's record of ``uri`` (``src_document_url``: source_id, title), or None."""
    u = src_document_url
    with engine.connect() as connection:
        row = connection.execute(select(u.c.source_id, u.c.title).where(u.c.url == uri)).first()
    return None if row is None else {"source_id": row.source_id, "title": row.title}


def portal_region(engine: Engine, uri: str) -> str | None:
    """The region the registry gives the portal ``uri`` was crawled from (``src_source.region_code``), or None."""
    u, s = src_document_url, src_source
    with engine.connect() as connection:
        return connection.execute(select(s.c.region_code).select_from(u.join(s, s.c.source_id == u.c.source_id))
                                  .where(u.c.url == uri, s.c.region_code.is_not(None)).limit(1)).scalar()


def sibling_volumes(engine: Engine, uri: str, *, statuses: tuple[str, ...], year_sources: tuple[str, ...],
                    folder: str | None = None, source_id: str | None = None) -> list[dict]:
    """Documents other than ``uri`` with a status of ``statuses`` and a year taken from one of
    ``year_sources``, found beside it: directly in ``folder`` (a ``file:`` folder ending in "/"),
    else under the same crawled portal ``source_id``. Rows: source_uri, department_name, fiscal_year, region_code,
    document_id."""
    d, u = dim_document, src_document_url
    dated = and_(d.c.status.in_(statuses), d.c.fiscal_year_source.in_(year_sources), d.c.source_uri != uri)
    columns = (d.c.source_uri, d.c.department_name, d.c.fiscal_year, d.c.region_code, d.c.document_id)
    with engine.connect() as connection:
        if folder is not None:
            rows = connection.execute(select(*columns).where(dated, d.c.source_uri.startswith(folder, autoescape=True)))
            return [r._asdict() for r in rows if "/" not in r.source_uri[len(folder):]]
        if source_id is not None:
            rows = connection.execute(select(*columns).select_from(d.join(u, u.c.document_id == d.c.document_id))
                                      .where(dated, u.c.source_id == source_id, u.c.url != uri))
            return [r._asdict() for r in rows]
    return []


def printed_totals(engine: Engine, document_ids: list[str]) -> dict[str, set]:
    """Every 收入总计 / 支出总计 each document prints (table or narrative), in yuan: what a volume of
    the same release must agree with."""
    b = fct_budget_line
    out: dict[str, set] = {d: set() for d in document_ids}
    if not document_ids:
        return out
    with engine.connect() as connection:
        rows = connection.execute(select(b.c.document_id, b.c.amount_yuan).where(
            b.c.document_id.in_(document_ids), b.c.statement.in_(("revenue", "expenditure")), b.c.item == "total",
            b.c.column_name == "amount", b.c.amount_yuan.is_not(None)))
        for document_id, amount in rows:
            out[document_id].add(amount)
    return out
