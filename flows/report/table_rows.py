"""The report's large tables as compact rows the page writes into its ``<tbody>`` once it opens.

A 3,000-department-year ranking written as HTML rows weighs more than everything else in the
report together; the same rows as JSON arrays, each department named once (``DEPTS``), weigh a
third of it. Every figure is formatted here, in Python, exactly as the rest of the report
(:mod:`flows.report.format`): yuan exact to the fen, 万元 to two decimals, shares and ratios in %
to two decimals; the page only places the text. A money cell is ``[yuan text, document, page]``
(linked to the page printing it, :mod:`flows.report.links`), ``[yuan text]`` when no printing is
known, or null for a figure not stated (written "not stated", never 0).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal

from markupsafe import Markup

from flows.report.format import pct, wan, yuan
from flows.report.links import Link


@dataclass
class TableRows:
    departments: list[list[str]] = field(default_factory=list)  # [id, name, region, province]
    tables: dict[str, list[list]] = field(default_factory=dict)
    _index: dict = field(default_factory=dict)

    def department(self, row: dict) -> int:
        """The index of the row's department in ``departments`` (added on first use)."""
        return self.entity(row["department_id"], row["department_name"], row["region_name"], row["province_name"])

    def entity(self, key: str | tuple, name: str, region: str | None, province: str | None) -> int:
        """The index of a named row in ``departments`` (added on first use): a department (its id is
        written with its rows), or a region's departments of one kind (a tuple key, not written)."""
        if key not in self._index:
            self._index[key] = len(self.departments)
            self.departments.append([key if isinstance(key, str) else "", name, region or "—", province or ""])
        return self._index[key]

    @staticmethod
    def money(value: Decimal | None, link: Link | None = None) -> list | None:
        if value is None:
            return None
        return [yuan(value)] if link is None else [yuan(value), link.document, link.page]

    @staticmethod
    def wan(value: Decimal | None) -> str | None:
        return None if value is None else wan(value)

    @staticmethod
    def ratio(value: Decimal | None, *, signed: bool = False) -> str:
        return "—" if value is None else pct(value, signed=signed)

    def add(self, kind: str, rows: list[list]) -> dict:
        """Keep ``rows`` under a new table id; returns ``{"id", "kind"}`` for the template."""
        table_id = f"t{len(self.tables) + 1}"
        self.tables[table_id] = rows
        return {"id": table_id, "kind": kind}

    def json(self) -> Markup:
        """``{"departments": …, "tables": …}`` as JSON safe inside a ``<script>`` element."""
        text = json.dumps({"departments": self.departments, "tables": self.tables}, ensure_ascii=False,
                          separators=(",", ":"))
        return Markup(text.replace("</", "<\\/"))
