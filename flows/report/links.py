"""Each figure of the report's tables linked to the page that prints it.

A department-year's 支出总计, 本年支出合计 or “三公”经费合计 may be printed in several places (a
table and the narrative, two volumes): the link goes to the printing whose amount is the
figure the view shows, tables first, else to the first printing of that figure. Links are
written as a document index and a page (``data-d``/``data-p``); the page turns the index
into the document's address once (``DOCS``), so a report linking thousands of figures names
each document once. Addresses follow :func:`flows.report.evidence.document_href`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

import polars as pl

Key = tuple[str, int, str, str]  # department_id, fiscal_year, doc_kind, figure


@dataclass(frozen=True)
class Link:
    document: int  # index into FigureLinks.documents
    page: int | None


@dataclass
class FigureLinks:
    """Printed lines by department-year and figure, and the documents linked so far."""

    lines: dict[Key, list[dict]] = field(default_factory=dict)
    documents: list[str] = field(default_factory=list)  # source_uri of each linked document, by index
    _index: dict[str, int] = field(default_factory=dict)

    @classmethod
    def of(cls, lines: pl.DataFrame) -> FigureLinks:
        """From :func:`load.evidence.figure_lines` (ordered: tables first, then page and line)."""
        out = cls()
        for row in lines.iter_rows(named=True):
            key = (row["department_id"], row["fiscal_year"], row["doc_kind"], row["figure"])
            out.lines.setdefault(key, []).append(row)
        return out

    def link(self, department_id: str | None, fiscal_year: int | None, doc_kind: str, value: Decimal | None,
             *figures: str) -> Link | None:
        """The page printing ``value`` as one of ``figures`` (in that order of preference), else the
        first printing of the first figure printed; None for a figure not stated."""
        if value is None or department_id is None:
            return None
        printed = [line for figure in figures for line in self.lines.get((department_id, fiscal_year, doc_kind,
                                                                           figure), [])]
        line = next((p for p in printed if p["amount_yuan"] == value), printed[0] if printed else None)
        if line is None:
            return None
        uri = line["source_uri"]
        if uri not in self._index:
            self._index[uri] = len(self.documents)
            self.documents.append(uri)
        return Link(self._index[uri], line["page_no"])

    def folded(self) -> dict:
        """The linked documents as ``{"dirs": [...], "docs": [[dir index, name], ...]}``: each folder
        written once (3,000 documents of one folder would repeat its path 3,000 times)."""
        dirs: dict[str, int] = {}
        docs = []
        for uri in self.documents:
            folder, _, name = uri.rpartition("/")
            docs.append([dirs.setdefault(folder, len(dirs)), name] if folder else [-1, uri])
        return {"dirs": list(dirs), "docs": docs}
