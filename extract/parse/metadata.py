"""Who published what for which year, read from the content (title, 编制部门), never the file name.

File names lie (a "2026" folder holding a 2021 budget, a 公安局 file holding one of
its units' budgets), titles rarely do. The title is the first few running-text lines
joined, since covers break "高邑县信访局 / 2021 年部门预算信息公开" over two lines.
"""

from __future__ import annotations

import re

from extract.read.model import Document, Line
from extract.parse.records import DocumentMeta, Provenance
from extract.parse.cover_meta import refine_meta
from extract.reference.regions import all_regions, find_region_in_text

TITLE_LINES = 6
TITLE = re.compile(
    r"(?P<dept>[\u4e00-\u9fa5（）()·、]{2,40}?)\s*(?P<year>(?:19|20)\d{2})\s*年\s*度?\s*"
    r"(?P<kind>部门预算|单位预算|部门决算|单位决算|预算|决算)"
)
YEAR_KIND = re.compile(r"(?P<year>(?:19|20)\d{2})\s*年\s*度?\s*(?P<kind>部门预算|单位预算|部门决算|单位决算)")
LABELLED_DEPT = re.compile(r"(?:编制部门|编制单位|预算单位|部门名称|单位名称)[:：]\s*(?P<dept>[\u4e00-\u9fa5（）()]{2,40})")
UNIT_COUNT = re.compile(r"包括\s*(\d+)\s*个(?:预算)?单位")
KINDS = {"部门预算": "department_budget", "单位预算": "unit_budget", "部门决算": "final_account",
         "单位决算": "final_account", "决算": "final_account", "预算": "department_budget"}
LEADING_NOISE = re.compile(r"^(?:关于)?")


def _where(line: Line) -> Provenance:
    return Provenance(line.page_no, line.line_no, line.text.strip())


def _title_window(doc: Document) -> list[Line]:
    return [line for line in doc.lines() if not line.is_table_row][:TITLE_LINES]


def _line_at(lines: list[Line], offset: int) -> Provenance:
    """Provenance of the line holding character ``offset`` of the joined title."""
    start = 0
    for line in lines:
        start += len(line.text.strip())
        if start > offset:
            return _where(line)
    return _where(lines[-1])


def read_title(meta: DocumentMeta, lines: list[Line]) -> None:
    joined = "".join(line.text.strip() for line in lines)
    match = TITLE.search(joined)
    if match is None:
        match = YEAR_KIND.search(joined)
    if match is None:
        return
    where = _line_at(lines, match.start("year"))
    meta.fiscal_year = int(match.group("year"))
    meta.doc_kind = KINDS[match.group("kind")]
    meta.where["fiscal_year"] = where
    dept = match.groupdict().get("dept")
    if dept:
        meta.department_name = LEADING_NOISE.sub("", dept)
        meta.where["department_name"] = _line_at(lines, match.start("dept"))


def read_labelled_department(meta: DocumentMeta, doc: Document) -> None:
    for line in doc.lines():
        match = LABELLED_DEPT.search(line.text)
        if match:
            meta.publisher = match.group("dept")
            meta.where.setdefault("publisher", _where(line))
            if meta.department_name is None:
                meta.department_name = match.group("dept")
                meta.where["department_name"] = _where(line)
            return


def read_region(meta: DocumentMeta, text: str) -> None:
    region = find_region_in_text(text)
    if region is None:
        return
    meta.region_code = region.code
    meta.region_name = region.name
    meta.province_name = region.province_name
    meta.city_name = region.city_name
    meta.county_name = region.county_name


PROVINCE_HINT_CHARS = 3000


def _first_province(text: str) -> str | None:
    positions = [(text.find(r.name), r.name) for r in all_regions() if r.level == "province" and r.name in text]
    return min(positions)[1] if positions else None


def detect_meta(doc: Document) -> DocumentMeta:
    meta = DocumentMeta()
    title_lines = _title_window(doc)
    if title_lines:
        read_title(meta, title_lines)
    read_labelled_department(meta, doc)
    refine_meta(meta, doc)  # cover-based reading for real PDFs/HTML; may refuse a non-disclosure
    read_region(meta, " ".join(filter(None, [meta.department_name, meta.publisher])) or "")
    if meta.region_code is None and title_lines:
        read_region(meta, "".join(line.text for line in title_lines))
    if meta.region_code is None and meta.department_name:
        # same-named counties (新华区, 和平区…): let the first province the text names decide
        hint = _first_province(doc.text[:PROVINCE_HINT_CHARS])
        if hint:
            read_region(meta, hint + meta.department_name)
    count = UNIT_COUNT.search(doc.text)
    if count:
        meta.budget_unit_count = int(count.group(1))
    return meta
