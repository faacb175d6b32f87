"""Who published what for which year: the one metadata reader.

Read from the content, never the file name (file names lie: a "2026" folder holding a
2021 budget, a 公安局 file holding one of its units' budgets). In order:

1. the title: the first running-text lines joined (covers break "高邑县信访局 / 2021 年
   部门预算信息公开" over two lines), read as <department><year>年<kind>;
2. a labelled name anywhere (编制部门：…, 预算单位：…): the publisher;
3. the cover (the first page's short lines up to its table of contents), whose pieces
   come in any order ("2026年深圳市信访局部门预算", "上海市普陀区财政局 / 年度部门决算 /
   2024"); what it says overrides 1–2, and a labelled name on it beats a region-level
   title ("上海市2026年市级单位预算" / "预算单位：…");
4. a tables-only volume (no cover) takes its year from its table titles and its kind
   as a budget;
5. the region from the names read, with the first province the text names as a hint.

Raises :class:`~schemas.errors.DocumentError` when every page is a scanned image, when
the title names a document that is no disclosure (a regulation, a 绩效评价报告, a 绩效自评表,
a 政府信息公开年度报告 or 法治政府建设报告: "not a budget disclosure: a regulation
('预算评审管理暂行办法')"), or when the title names no budget or final account and no
budget table is present. Kinds come from the shared vocabulary (:func:`doc_kind`); a
部门整体绩效目标申报表 is its own kind (``performance_target_form``).

The year is read from the document only (title, cover, a table's title — recorded in
``fiscal_year_source``); a volume that prints none takes it from hints about its context
(:mod:`extract.parse.year_hints`), never from a year found elsewhere in its text.
"""

from __future__ import annotations

import re
from dataclasses import replace

from extract.read.model import Document, Line
from extract.parse.context import ParseContext
from extract.parse.records import DocumentMeta, provenance
from extract.parse.table_blocks import title_of
from extract.parse.table_grid import TableBlock
from reference.regions import all_regions, find_region_in_text, region_by_code
from extract.parse.identity.classify import identify, refuse_look_alike, set_level
from extract.parse.identity.lines import TITLE_LINE_MAX, title_lines as find_title_lines, title_text
from extract.parse.identity.names import best_name, organisation_name
from reference.vocabulary import YEAR, YEAR_ALONE, YEAR_NIAN, arabic_years, doc_kind, flat
from schemas.errors import DocumentError
from schemas.vocabulary import DEPARTMENT_BUDGET

TITLE = re.compile(
    rf"(?P<dept>[\u4e00-\u9fa5（）()·、]{{2,40}}?)\s*(?P<year>{YEAR})\s*年\s*度?\s*"
    r"(?P<kind>部门预算|单位预算|部门决算|单位决算|预算|决算)"
)
YEAR_KIND = re.compile(rf"(?P<year>{YEAR})\s*年\s*度?\s*(?P<kind>部门预算|单位预算|部门决算|单位决算)")
LABELLED_DEPT = re.compile(r"(?:编制部门|编制单位|预算单位|部门名称|单位名称)[:：]\s*(?P<dept>[\u4e00-\u9fa5（）()]{2,40})")
UNIT_COUNT = re.compile(r"包括\s*(\d+)\s*个(?:预算)?单位")
PROVINCE_HINT_CHARS = 3000

COVER_LINES = 8
COVER_LINE_MAX = 40  # a cover is a few short lines; prose starts the body
_STOP = re.compile(r"^目录")
_LABEL = re.compile(
    r"(?:预算主管部门|预算单位|编制部门|编制单位|部门名称|单位名称|部\s*门)\s*[:：]\s*(?P<name>[^\s:：]+)"
)
_CELL_LABEL = ("部门名称", "单位名称", "预算单位", "部门", "部门（单位）名称", "部门(单位)名称")
_FLUFF = re.compile(r"(?:信息公开|公开说明|情况说明|预算公开|公开报表|公开文件|公开表格?|公开|报表)$")
_KIND_WORD = r"(?:综合)?(?:预算|决算)|整体(?:支出)?(?:预算)?绩效目标"  # a 部门整体绩效目标申报表 names its department too
_DEPT_FIRST = re.compile(rf"^(?P<dept>.+?)(?:{YEAR}(?:年度?)?|年度)(?:市级|区级|县级|省级)?(?:部门|单位)?(?:{_KIND_WORD})")
_YEAR_FIRST = re.compile(rf"{YEAR}年度?(?P<dept>.+?)(?:部门|单位)(?:{_KIND_WORD})")
_NAME_KIND = re.compile(rf"^(?P<dept>.+?)(?:部门|单位)(?:{_KIND_WORD})")
_REGION_ONLY = re.compile(r"^[\u4e00-\u9fa5]{1,8}(?:省|市|区|县|自治区|自治州)$")
_NOT_BUDGET = re.compile(r"法治政府建设|工作报告|年度报告|工作总结|工作要点|述职报告|工作计划|实施方案|通知$|规划$")


# ------------------------------------------------------------------ 1–2: title and labelled name


def _line_at(lines: list[Line], offset: int) -> Line:
    """The line holding character ``offset`` of the joined title."""
    start = 0
    for line in lines:
        start += len(flat(line.text))
        if start > offset:
            return line
    return lines[-1]


def _read_title(meta: DocumentMeta, lines: list[Line]) -> None:
    joined = "".join(flat(line.text) for line in lines)
    match = TITLE.search(joined) or YEAR_KIND.search(joined)
    if match is None:
        return
    meta.fiscal_year, meta.fiscal_year_source = int(match.group("year")), "title"
    meta.doc_kind = doc_kind(match.group("kind"))
    meta.where["fiscal_year"] = provenance(_line_at(lines, match.start("year")))
    meta.class_evidence = f"title '{joined[:60]}'"
    dept = best_name(match.groupdict().get("dept"))
    if dept:
        meta.department_name, meta.department_source = dept, "title"
        meta.where["department_name"] = provenance(_line_at(lines, match.start("dept")))


def _read_labelled_department(meta: DocumentMeta, lines: list[Line]) -> None:
    for line in lines:
        match = LABELLED_DEPT.search(line.text)
        if match:
            meta.publisher = match.group("dept")
            meta.where.setdefault("publisher", provenance(line))
            if meta.department_name is None and organisation_name(match.group("dept")):
                meta.department_name, meta.department_source = match.group("dept"), "label"
                meta.where["department_name"] = provenance(line)
            return


# ------------------------------------------------------------------ 3–4: cover and tables-only volumes


def cover_lines(doc: Document) -> list[Line]:
    """The first page's running-text lines up to its table of contents."""
    if not doc.pages:
        return []
    out: list[Line] = []
    for line in doc.pages[0].lines:
        if line.is_table_row or _STOP.match(flat(line.text)) or len(flat(line.text)) > COVER_LINE_MAX:
            break
        text = title_text(line.text)
        if text is None:
            continue
        if title_of(line) and not out:
            return []  # the volume opens with a table: no cover
        out.append(replace(line, text=text))
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
            if len(filled) == 2 and filled[0] in _CELL_LABEL and (name := organisation_name(_clean_name(filled[1]))):
                return name, line
            continue
        m = _LABEL.search(line.text)
        if m and (name := organisation_name(_clean_name(re.sub(r"单位[:：].*$", "", m.group("name"))))):
            return name, line
    return None


def department_in_title(text: str) -> str | None:
    """The department a title names ("重庆市气象局2026年部门预算情况" → 重庆市气象局), or None."""
    for pattern in (_DEPT_FIRST, _YEAR_FIRST, _NAME_KIND):
        m = pattern.search(text)
        if m:
            name = best_name(_FLUFF.sub("", m.group("dept")))
            if name:
                return name
    return None


_YEAR_LINE = re.compile(rf"^[（(]?({YEAR})\s*年度?[）)]?$")


def _document_year(lines: list[Line]) -> tuple[int, Line] | None:
    """A tables-only volume's year: the latest year its table titles print, in the title or
    on a line of its own under it ("预算13表 部门整体支出绩效目标表" / "（2026年度）"). Never a
    year found elsewhere in the text: a comparison column names last year, a document number
    any year."""
    titled: list[tuple[int, Line]] = []
    for i, line in enumerate(lines):
        if not title_of(line):
            continue
        titled += [(int(y), line) for y in YEAR_NIAN.findall(flat(line.text))]
        after = lines[i + 1] if i + 1 < len(lines) else None
        if after is not None and not after.is_table_row and (m := _YEAR_LINE.match(flat(after.text))):
            titled.append((int(m.group(1)), after))
    return max(titled, key=lambda t: t[0]) if titled else None


def read_cover(doc: Document, lines: list[Line] | None = None) -> DocumentMeta:
    """What the cover (or, failing one, the table heads) says; fields it cannot tell stay None."""
    meta = DocumentMeta()
    cover = cover_lines(doc)
    text = arabic_years("".join(flat(line.text) for line in cover))
    if cover:
        meta.doc_kind = doc_kind(text)
        year = YEAR_NIAN.search(text) or YEAR_ALONE.search(text)
        if year:
            meta.fiscal_year, meta.fiscal_year_source = int(year.group(1)), "cover"
            meta.where["fiscal_year"] = provenance(cover[0])
        name = department_in_title(text)
        if name:
            meta.department_name, meta.department_source = name, "cover"
            meta.where["department_name"] = provenance(cover[0])
    labelled = _labelled(cover) or _labelled((lines if lines is not None else doc.lines())[:400])
    if labelled:
        meta.publisher = labelled[0]
        if (cover and labelled[1] in cover) or meta.department_name is None:
            meta.department_name, meta.department_source = labelled[0], "label"
            meta.where["department_name"] = provenance(labelled[1])
    return meta


def _refuse_unreadable(doc: Document, blocks: list[TableBlock]) -> None:
    scanned = doc.scanned_pages
    if scanned and all(p.kind in ("scanned", "blank") for p in doc.pages):
        raise DocumentError(
            f"no text to read: all {len(scanned)} page(s) with content are scanned images "
            "without a text layer (OCR is not supported)"
        )
    cover = cover_lines(doc)
    head = "".join(flat(line.text) for line in cover)
    if not blocks and doc_kind(head) is None and _NOT_BUDGET.search(head):
        title = "".join(flat(line.text) for line in cover[:2])
        raise DocumentError(
            f"not a budget disclosure: the document is titled '{title}', "
            "not a 部门预算/单位预算/决算, and it holds no budget table"
        )


# ------------------------------------------------------------------ 5: region, and the reader


def read_region(meta: DocumentMeta, text: str, source: str = "name") -> None:
    """The region ``text`` names (GB/T 2260), recorded with where it was read (``region_source``)."""
    region = find_region_in_text(text)
    if region is None:
        return
    meta.region_code, meta.region_name, meta.region_source = region.code, region.name, source
    meta.province_name, meta.city_name, meta.county_name = region.province_name, region.city_name, region.county_name


def _first_province(text: str) -> str | None:
    positions = [(text.find(r.name), r.name) for r in all_regions() if r.level == "province" and r.name in text]
    return min(positions)[1] if positions else None


def detect_meta(doc: Document) -> DocumentMeta:
    """The meta of a document read on its own (see :func:`read_metadata`)."""
    return read_metadata(ParseContext.of(doc))


def read_metadata(ctx: ParseContext) -> DocumentMeta:
    """Department, publisher, fiscal year, kind, region and unit count of a disclosure."""
    doc, lines, tables = ctx.doc, ctx.lines, ctx.standard_blocks
    meta = DocumentMeta()
    title_lines = find_title_lines(lines)
    refuse_look_alike([line.text for line in title_lines])
    if title_lines:
        meta.title = "".join(flat(line.text) for line in title_lines)[:TITLE_LINE_MAX]
        _read_title(meta, title_lines)
    _read_labelled_department(meta, lines)
    _refuse_unreadable(doc, tables)
    cover = read_cover(doc, lines)
    for name in ("department_name", "department_source", "fiscal_year", "doc_kind", "publisher"):
        value = getattr(cover, name)
        if value is not None:
            setattr(meta, name, value)
            if name in cover.where:
                meta.where[name] = cover.where[name]
    if cover.fiscal_year is not None:
        meta.fiscal_year_source = "cover"
    if meta.fiscal_year is None and tables and (titled := _document_year(lines)):
        meta.fiscal_year, meta.fiscal_year_source = titled[0], "table_title"
        meta.where["fiscal_year"] = provenance(titled[1])
    if meta.doc_kind is None and tables:
        meta.doc_kind = DEPARTMENT_BUDGET
    identify(ctx, meta)
    read_region(meta, " ".join(filter(None, [meta.department_name, meta.publisher])) or "")
    if meta.region_code is None and title_lines:
        read_region(meta, "".join(line.text for line in title_lines), "title")
    if meta.region_code is None and meta.department_name:
        # same-named counties (新华区, 和平区…): let the first province the text names decide
        hint = _first_province(doc.text[:PROVINCE_HINT_CHARS])
        if hint:
            read_region(meta, hint + meta.department_name)
    set_level(meta, region_by_code(meta.region_code) if meta.region_code else None)
    count = UNIT_COUNT.search(doc.text)
    if count:
        meta.budget_unit_count = int(count.group(1))
    return meta
