"""Department, year and kind of a real disclosure, from its cover and table heads.

Covers put the pieces in any order ("2026年深圳市信访局部门预算", "长春市信访局（本级）
/ 2026年度部门预算公开", "上海市普陀区财政局 / 年度部门决算 / 2024") and a labelled
name ("预算单位：…", "预算主管部门：…", "部门：…") beats a region-level title
("上海市2026年市级单位预算"). A tables-only volume has no cover: its name comes from
the table heads (部门：… / 部门名称 | …) and its year from the years it prints.
A document whose title names no budget or final account and which holds no budget
table is not a disclosure (a 法治政府建设报告 filed under 部门预算) and is refused.
"""

from __future__ import annotations

import re
from collections import Counter

from extract.read.model import Document, Line
from extract.parse.table_blocks import find_regions, flat, title_of
from extract.parse.records import DocumentMeta, Provenance
from schemas.errors import DocumentError

COVER_LINES = 8
COVER_LINE_MAX = 40  # a cover is a few short lines; prose starts the body
_STOP = re.compile(r"^目录")
_KIND = (
    ("final_account", re.compile(r"(?<!预)(?:部门|单位)?决算")),
    ("unit_budget", re.compile(r"单位(?:综合)?预算")),
    ("department_budget", re.compile(r"(?:部门(?:综合)?)?预算")),
)
_YEAR = re.compile(r"(20\d{2})\s*年")
_BARE_YEAR = re.compile(r"(?<!\d)(20\d{2})(?!\d)")
_LABEL = re.compile(
    r"(?:预算主管部门|预算单位|编制部门|编制单位|部门名称|单位名称|部\s*门)\s*[:：]\s*(?P<name>[^\s:：]+)"
)
_CELL_LABEL = ("部门名称", "单位名称", "预算单位", "部门")
_FLUFF = re.compile(r"(?:信息公开|公开说明|情况说明|预算公开|公开报表|公开文件|公开表格?|公开|报表)$")
_DEPT_FIRST = re.compile(r"^(?P<dept>.+?)(?:20\d{2}年度?|年度)(?:市级|区级|县级|省级)?(?:部门|单位)?(?:综合)?(?:预算|决算)")
_YEAR_FIRST = re.compile(r"20\d{2}年度?(?P<dept>.+?)(?:部门|单位)(?:综合)?(?:预算|决算)")
_NAME_KIND = re.compile(r"^(?P<dept>.+?)(?:部门|单位)(?:综合)?(?:预算|决算)")
_CN_YEAR = re.compile(r"[二〇零一三四五六七八九]{4}(?=年)")
_CN_DIGITS = str.maketrans("〇零一二三四五六七八九", "00123456789")
_REGION_ONLY = re.compile(r"^[\u4e00-\u9fa5]{1,8}(?:省|市|区|县|自治区|自治州)$")
_NOT_BUDGET = re.compile(r"法治政府建设|工作报告|年度报告|工作总结|工作要点|述职报告|工作计划|实施方案|通知$|规划$")


def _where(line: Line) -> Provenance:
    return Provenance(line.page_no, line.line_no, line.text.strip()[:120])


def cover_lines(doc: Document) -> list[Line]:
    """The first page's running-text lines up to its table of contents."""
    if not doc.pages:
        return []
    out: list[Line] = []
    for line in doc.pages[0].lines:
        if line.is_table_row or _STOP.match(flat(line.text)) or len(flat(line.text)) > COVER_LINE_MAX:
            break
        if title_of(line) and not out:
            return []  # the volume opens with a table: no cover
        out.append(line)
        if len(out) >= COVER_LINES:
            break
    return out


def _clean_name(name: str) -> str:
    name = re.sub(r"^[^\u4e00-\u9fa5（(]+", "", name)
    name = re.sub(r"^关于", "", name)
    name = re.sub(r"单位$", "", name) if name.endswith("单位") and len(name) > 6 else name
    return re.sub(r"部门$", "", name) if len(name) > 4 else name


def _labelled(lines: list[Line]) -> tuple[str, Line] | None:
    for line in lines:
        if line.is_table_row:
            cells = [flat(c) for c in line.cells or ()]
            filled = [c for c in cells if c]
            if len(filled) == 2 and filled[0] in _CELL_LABEL:
                return _clean_name(filled[1]), line
            continue
        m = _LABEL.search(line.text)
        if m:
            name = re.sub(r"单位[:：].*$", "", m.group("name"))
            return _clean_name(name), line
    return None


def arabic_years(text: str) -> str:
    """二〇二六年 → 2026年: covers often print the year in Chinese numerals."""
    return _CN_YEAR.sub(lambda m: m.group(0).translate(_CN_DIGITS), text)


def _title_name(text: str) -> str | None:
    for pattern in (_DEPT_FIRST, _YEAR_FIRST, _NAME_KIND):
        m = pattern.search(text)
        if m:
            name = _clean_name(_FLUFF.sub("", m.group("dept")))
            if name and not _REGION_ONLY.match(name) and not _YEAR.search(name):
                return name
    return None


def _kind(text: str) -> str | None:
    for kind, pattern in _KIND:
        if pattern.search(text):
            return kind
    return None


def _document_year(doc: Document) -> int | None:
    """A tables-only volume's year: the latest year its table titles print, else the
    year its text names most often (comparison columns name the previous year)."""
    titled = [int(y) for line in doc.lines() if title_of(line) for y in _YEAR.findall(flat(line.text))]
    if titled:
        return max(titled)
    counts = Counter(int(y) for y in _YEAR.findall(doc.text))
    return max(counts, key=lambda y: (counts[y], y)) if counts else None


def read_cover(doc: Document) -> DocumentMeta:
    """What the cover (or, failing one, the table heads) says; fields it cannot tell stay None."""
    meta = DocumentMeta()
    lines = cover_lines(doc)
    text = arabic_years("".join(flat(line.text) for line in lines))
    if lines:
        meta.doc_kind = _kind(text)
        year = _YEAR.search(text) or _BARE_YEAR.search(text)
        if year:
            meta.fiscal_year = int(year.group(1))
            meta.where["fiscal_year"] = _where(lines[0])
        name = _title_name(text)
        if name:
            meta.department_name = name
            meta.where["department_name"] = _where(lines[0])
    labelled = _labelled(lines) or _labelled([ln for ln in doc.lines()[:400]])
    if labelled:
        meta.publisher = labelled[0]
        cover_label = lines and labelled[1] in lines
        if cover_label or meta.department_name is None:
            meta.department_name = labelled[0]
            meta.where["department_name"] = _where(labelled[1])
    return meta


def refine_meta(meta: DocumentMeta, doc: Document) -> DocumentMeta:
    """Overlay what the cover says on ``meta``; raise DocumentError if not a disclosure."""
    scanned = doc.scanned_pages
    if scanned and all(p.kind in ("scanned", "blank") for p in doc.pages):
        raise DocumentError(
            f"no text to read: all {len(scanned)} page(s) with content are scanned images "
            "without a text layer (OCR is not supported)"
        )
    cover = read_cover(doc)
    regions = [r for r in find_regions(doc) if r.kind != "other" and r.rows]
    lines = cover_lines(doc)
    head = "".join(flat(line.text) for line in lines)
    if not regions and cover.doc_kind is None and _NOT_BUDGET.search(head):
        title = "".join(flat(line.text) for line in lines[:2])
        raise DocumentError(
            f"not a budget disclosure: the document is titled '{title}', "
            "not a 部门预算/单位预算/决算, and it holds no budget table"
        )
    for field in ("department_name", "fiscal_year", "doc_kind", "publisher"):
        value = getattr(cover, field)
        if value is not None:
            setattr(meta, field, value)
            if field in cover.where:
                meta.where[field] = cover.where[field]
    if meta.fiscal_year is None and regions:
        meta.fiscal_year = _document_year(doc)
    if meta.doc_kind is None and regions:
        meta.doc_kind = "department_budget"
    return meta
