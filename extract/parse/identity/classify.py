"""What a document is, whose, which year and kind: decided from positive evidence.

:func:`refuse_look_alike` runs first, on the title: a government-wide fiscal report, an
audit report, a statistical bulletin, a procurement notice, a regulation … is refused
(:class:`NotADisclosureError`, whose ``doc_class`` and ``meta`` say what it is) whatever
budget words and figures it holds. :func:`identify` runs after the title, labels and cover
were read (:mod:`extract.parse.metadata`) and completes the identity from the document's
own statements (:mod:`.statements`):

1. the department or unit, where title, label and cover named none: a year-first title, the
   opening statement (现将<name><year>年度…公布如下), an overview heading, a totals heading;
2. the fiscal year, where none was printed in a title: the first statement naming the year
   of a budget or final account, wherever it stands on the first page;
3. the kind: the title's words, else the statements' (决算 for the fiscal year makes a final
   account), a unit's budget where the subject is a unit;
4. a document whose only subject is a whole region (某县“三公”经费决算情况, 经县财政局汇总，
   各乡(镇)…) or that speaks for a whole region (全县一般公共预算收入完成…) is refused as
   government-wide; one that names no department or unit, or neither 预算 nor 决算, is held
   for review (``meta.hold_reason``) with the evidence it has;
5. ``doc_class`` (a 三公-only statement is its own class), ``admin_level``, ``body_type`` and
   ``class_evidence``.
"""

from __future__ import annotations

import re

from extract.parse.context import ParseContext
from extract.parse.identity import names, statements as st
from extract.parse.identity.lines import clean_lines
from extract.parse.identity.names import organisation_name
from extract.parse.records import DocumentMeta
from extract.read.model import Line
from reference.regions import RegionRef, find_region_in_text, region_by_code
from reference.vocabulary import YEAR, YEAR_NIAN, LookAlike, arabic_years, doc_kind, fiscal_year, flat, look_alike
from schemas.errors import DocumentError
from schemas.vocabulary import DEPARTMENT_BUDGET, FINAL_ACCOUNT, PERFORMANCE_TARGET_FORM, UNIT_BUDGET

FIRST_PAGE_CHARS = 4000
FIRST_PAGES = 3  # a volume's first part may follow a page of contents
_REGION_WIDE = re.compile(
    r"(?:全(?:市|县|区|省|旗|州)|(?:市|县|区|省|旗)本级)(?:及(?:市|县|区)本级)?"
    r"(?:一般公共预算|政府性基金(?:预算)?|国有资本经营(?:预算)?|社会保险基金(?:预算)?|财政)?(?:总)?(?:收入|支出|三公经费|预算|决算)"
)
#: A statement over all of a region's bodies: 经县财政局汇总，各乡(镇)、县本级…; 经汇总，2023年区级部门
#: (单位)…; 2020年井研县行政单位(含参照公务员法管理的事业单位)、事业单位和其他单位….
_OVER_UNITS = re.compile(
    r"汇总[^。]{0,30}各(?:乡|镇|乡镇|部门|单位|街道)|各(?:乡|镇|乡镇|部门|单位|街道)[^。]{0,40}汇总|"
    r"经[^。，,]{0,12}财政局汇总|(?:区级|县级|市级|旗级|全市|全县|全区|全旗)(?:各)?部门(?:[（(]单位[）)])?|"
    r"行政单位[^。]{0,40}事业单位[^。]{0,10}其他单位"
)
_THREE = re.compile(r"三公经费")
#: A region's government speaking for itself: 2017年县级一般公共预算安排“三公”经费….
_REGION_VOICE = re.compile(r"(?:县|市|区|旗)级(?:一般公共预算|财政)")
_GOVERNMENT = re.compile(r"[\u4e00-\u9fa5]{1,12}?(?:省|市|区|县|旗|州)(?:人民)?政府(?!办|部门)")
GOVERNMENT_WIDE = LookAlike(
    "government_fiscal_report",
    "a government-wide fiscal report (the budget or final account of a whole region, not of one department)",
    re.compile(r"$^"), "not a department's or unit's own disclosure")
REGION_THREE_PUBLIC = LookAlike(
    "region_three_public_summary", "a whole region's 三公 summary (over all its departments and townships)",
    re.compile(r"$^"), "not a department's or unit's own disclosure")


class NotADisclosureError(DocumentError):
    """Not a department's or unit's own disclosure: ``doc_class`` names what it is, ``meta``
    holds what its title states (year, title), for the coverage tracker."""

    def __init__(self, kind: LookAlike, title: str, meta: DocumentMeta | None = None):
        super().__init__(kind.reason(title))
        self.doc_class = kind.code
        self.meta = meta or DocumentMeta()
        self.meta.doc_class, self.meta.title = kind.code, title
        self.meta.class_evidence = f"title '{title}'" if title else None


def refuse_look_alike(titles: list[str]) -> None:
    """Refuse a document whose title (its first title lines, joined while short) names a
    look-alike; a disclosure title met first ("2026年…部门预算") settles it."""
    previous = ""
    for text in titles:
        text = flat(text)
        if len(text) > 60:
            break
        kind = look_alike(text)
        if kind is not None:
            title = previous + text if previous and not doc_kind(previous) else text
            meta = DocumentMeta(fiscal_year=fiscal_year(arabic_years(title)), title=title)
            raise NotADisclosureError(kind, title, meta)
        if doc_kind(text):
            return
        previous = "" if re.match(r"^附件\s*\d*[:：]?$", text) else text


def _evidence(meta: DocumentMeta, what: str) -> None:
    meta.class_evidence = f"{meta.class_evidence}; {what}" if meta.class_evidence else what


_DATE_LINE = re.compile(rf"^{YEAR}\s*年\s*\d{{1,2}}\s*月(?:\s*\d{{1,2}}\s*日)?$")


def signature(lines: list[Line]) -> str | None:
    """The body a disclosure is signed by: a line that is a name and nothing else, above the date
    at its end ("眉山市东坡区卫生和计划生育局" / "2016年12月15日")."""
    running = [flat(line.text) for line in lines if not line.is_table_row and flat(line.text)][-6:]
    for above, below in zip(running, running[1:]):
        if _DATE_LINE.match(below) and (name := organisation_name(above)):
            return name
    return None


def _subject(meta: DocumentMeta, text: str, found: list[st.Stated], lines: list[Line]) -> None:
    """The department or unit from the document's own statements, where nothing named one."""
    if meta.department_name:
        return
    title_end = len(flat(meta.title or ""))
    for stated in found:
        if stated.subject and stated.start <= title_end:
            meta.department_name, meta.department_source = stated.subject, "title"
            _evidence(meta, f"title naming {stated.subject}")
            return
    three = st.three_public_subject(flat(meta.title or ""))
    if three:
        meta.department_name, meta.department_source = three, "title"
        _evidence(meta, f"title naming {three}")
        return
    for how, source in ((lambda: st.year_first_subject(text), "statement"), (lambda: st.announced(text), "statement")):
        stated = how()
        if stated is not None and stated.subject:
            meta.department_name, meta.department_source = stated.subject, source
            _evidence(meta, f"statement naming {stated.subject}")
            return
    heading = st.overview_subject(text)
    if heading:
        meta.department_name, meta.department_source = heading, "heading"
        _evidence(meta, f"heading naming {heading}")
        return
    described = st.self_described_subject(text)
    if described:
        meta.department_name, meta.department_source = described, "statement"
        _evidence(meta, f"its description of itself naming {described}")
        return
    for stated in found:
        if stated.subject:
            meta.department_name, meta.department_source = stated.subject, "statement"
            _evidence(meta, f"statement '{text[stated.start - len(stated.subject):stated.start + 12]}'")
            return
    opening = st.named_before_year(text)
    if opening:
        meta.department_name, meta.department_source = opening, "statement"
        _evidence(meta, f"a sentence opening with {opening}")
        return
    signed = signature(lines)
    if signed:
        meta.department_name, meta.department_source = signed, "signature"
        _evidence(meta, f"signed by {signed}")


def _year(meta: DocumentMeta, text: str, found: list[st.Stated]) -> None:
    if meta.fiscal_year is not None:
        return
    title = arabic_years(flat(meta.title or ""))
    if doc_kind(title) and (year := YEAR_NIAN.search(title)):  # a title in an order the patterns miss
        meta.fiscal_year, meta.fiscal_year_source = int(year.group(1)), "title"
        return
    announced = st.announced(text)
    first = announced or (found[0] if found else None) or next(iter(st.loose_statements(text)), None)
    if first is not None:
        meta.fiscal_year, meta.fiscal_year_source = first.year, "statement"
        _evidence(meta, f"year from '{first.year}年{first.what}'")


_KIND_WORD = re.compile(r"(?<!预)(?:决算|预算)(?!决算)")


def _kind(meta: DocumentMeta, found: list[st.Stated], text: str) -> None:
    own = [s for s in found if s.year == meta.fiscal_year]
    if meta.doc_kind is None and meta.title and (titled := doc_kind(meta.title)):
        meta.doc_kind = titled  # 某局2026年部门整体预算绩效目标申报表: the title's words, in any order
    if meta.doc_kind is None and own:
        finals = [s for s in own if "决算" in s.what]
        outturn = re.search(rf"{meta.fiscal_year}年度?[^。；;]{{0,12}}?(?:实际支出|支出决算|决算(?:数|为))", text)
        meta.doc_kind = FINAL_ACCOUNT if outturn and not finals else st.kind_of((finals or own)[0].what)
    if meta.doc_kind is None and (word := _KIND_WORD.search(text.replace("预决算", ""))):
        meta.doc_kind = st.kind_of(word.group(0))
        _evidence(meta, f"kind from '{text[max(0, word.start() - 8):word.end()]}'")
    if meta.doc_kind == DEPARTMENT_BUDGET and meta.department_source not in (None, "label", "title", "cover") \
            and names.body_type(meta.department_name, None) == "unit" and not any("部门" in s.what for s in own):
        meta.doc_kind = UNIT_BUDGET


STRONG_SOURCES = ("label", "title", "cover")


def _government_wide(meta: DocumentMeta, text: str, title: str) -> LookAlike | None:
    """A document whose subject is a whole region (or a county's or city's 人民政府 as a whole), or
    that speaks for one (全县…收入完成, 经…财政局汇总, 县级一般公共预算, 我县…) and names no body of its
    own in its title, a label or its cover: a name read only from a sentence does not outweigh a
    region-wide voice."""
    flat_title = arabic_years(flat(title))
    if re.search(r"(?:部门|单位)(?:综合)?(?:预算|决算)", flat_title):  # 某县人民政府2021年部门预算: its own
        return None
    head = text[:600]
    voice = bool(_REGION_WIDE.search(head) or _OVER_UNITS.search(head) or _REGION_VOICE.search(head))
    named = meta.department_name and not names.is_region_government(meta.department_name)
    if named and (meta.department_source in STRONG_SOURCES or not voice):
        return None
    year = YEAR_NIAN.search(flat_title)
    region = st.region_subject_before(flat_title, year.start()) if year else None
    region = region or (st.region_subject_before(flat_title, len(flat_title)) if flat_title else None)
    governments = [g for found in _GOVERNMENT.findall(flat_title)
                   if (g := names.best_name(found)) and names.is_region_government(g)]
    if region or governments or voice:
        return REGION_THREE_PUBLIC if _THREE.search(flat_title or head) else GOVERNMENT_WIDE
    return None


def assign_class(meta: DocumentMeta, three_public_only: bool) -> None:
    """``doc_class`` from the kind, the body type and whether the document states only 三公 figures."""
    kind = meta.doc_kind
    if kind is None or kind == PERFORMANCE_TARGET_FORM:
        meta.doc_class = kind
    elif three_public_only:
        meta.doc_class = "three_public_final_account" if kind == FINAL_ACCOUNT else "three_public_budget"
    elif kind == FINAL_ACCOUNT:
        meta.doc_class = "unit_final_account" if meta.body_type == "unit" else "department_final_account"
    else:
        meta.doc_class = kind


def identify(ctx: ParseContext, meta: DocumentMeta) -> None:
    """Complete ``meta`` from the document's statements; refuse a government-wide document
    (:class:`NotADisclosureError`); set ``hold_reason`` where the evidence is thin."""
    first = [line for line in ctx.lines if line.page_no <= FIRST_PAGES]
    text = arabic_years("".join(flat(text) for _, text in clean_lines(first))[:FIRST_PAGE_CHARS])
    found = st.statements(text)
    _subject(meta, text, found, ctx.lines)
    look = _government_wide(meta, text, meta.title or "")
    if look is not None:
        raise NotADisclosureError(look, meta.title or text[:40], meta)
    _year(meta, text, found)
    _kind(meta, found, text)
    meta.body_type = names.body_type(meta.department_name, meta.doc_kind)
    if meta.department_name is None:
        meta.hold_reason = ("held for review: figures but no department or unit named (no title, label, cover, "
                            "heading or opening statement names one)")
    elif meta.doc_kind is None:
        meta.hold_reason = "held for review: it names neither a budget (预算) nor a final account (决算)"


def set_level(meta: DocumentMeta, region: RegionRef | None, parent: str | None = None) -> None:
    meta.admin_level = names.admin_level(meta.department_name, region, parent)


def identity_columns(meta: DocumentMeta, parent: str | None = None) -> dict[str, str | None]:
    """The identity columns of ``stg_document``/``dim_document`` for ``meta``; a unit whose stated
    parent is a national body (a ministry's university or hospital) is national, whatever city it sits in."""
    level = meta.admin_level
    if parent and names.admin_level(meta.department_name, None, parent) == "national":
        level = "national"
    return {"doc_class": meta.doc_class, "class_evidence": (meta.class_evidence or "")[:500] or None,
            "document_title": meta.title, "department_source": meta.department_source, "admin_level": level,
            "body_type": meta.body_type, "region_source": meta.region_source}


def identity_record(meta: DocumentMeta) -> dict[str, object]:
    """What a document that is not loaded states about itself, as ``dim_document`` columns:
    department, year, kind, class, title, and the region its name or title places it in."""
    region = find_region_in_text(meta.department_name or meta.title or "") if not meta.region_code else None
    record: dict[str, object] = {
        "department_name": meta.department_name, "publisher": meta.publisher, "fiscal_year": meta.fiscal_year,
        "fiscal_year_source": meta.fiscal_year_source, "doc_kind": meta.doc_kind,
        "region_code": region.code if region else meta.region_code, **identity_columns(meta),
    }
    if region is not None:
        record["region_source"] = "name" if meta.department_name else "title"
    if record["admin_level"] is None and (meta.department_name or region):
        record["admin_level"] = names.admin_level(meta.department_name, region or region_by_code(meta.region_code))
    return record
