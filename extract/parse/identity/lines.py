"""The lines a title can be read from: portal furniture removed.

County portals print the disclosure's title among labels and navigation: ``标题：某县水利局
2021年部门预算``, ``【财政预算】某县某镇政府…``, breadcrumbs (``预算/决算>预算公开``,
``当前位置：首页 > 政务公开``), and the page's metadata (``[ 体裁分类 ] 财政预算、决算``,
``发布时间：2022-10-14``, ``来源：``, ``索引号：``). None of it names the department, year
or kind of the document: labels and tags are cut from a title, the other lines are skipped.
"""

from __future__ import annotations

import re

from dataclasses import replace

from extract.read.model import Line
from reference.vocabulary import YEAR, YEAR_NIAN, flat

_LABEL = re.compile(r"^(?:标\s*题|文章标题|信息名称|公开事项名称|名\s*称|主\s*题|题\s*目)\s*[:：]\s*")
_TAG = re.compile(r"【[^】]{0,16}】|\[[^\]]{0,16}\]")
_META_TAG = re.compile(r"^\s*[\[【]\s*(?:体裁分类|主题分类|服务对象|组配分类|信息分类|发布机构|来源|字号)\s*[\]】]")
_BREADCRUMB = re.compile(r"[>＞»›→]|^(?:当前位置|您的位置|您现在的位置|所在位置|位置)\s*[:：]")
_META = re.compile(
    r"^(?:发布(?:时间|日期|机构|单位|者)|时间|日期|来源|信息来源|索引号|文\s*号|发文字号|发文机关|成文日期|生成日期|公开日期|"
    r"主题分类|体裁分类|分类|浏览(?:次数)?|点击(?:数|量)?|阅读(?:数|量)?|字号|字体|打印|关闭|分享|责任编辑|编辑|"
    r"作者|访问量|时效|有效性|公开方式|公开范围|公开时限)\s*[:：]?"
)
_DATE = re.compile(rf"^(?:发布)?\s*{YEAR}\s*[-/.年]\s*\d{{1,2}}\s*[-/.月]\s*\d{{1,2}}\s*日?(?:\s*\d{{1,2}}:\d{{2}}(?::\d{{2}})?)?$")
_FURNITURE = re.compile(r"^(?:首页|返回|上一篇|下一篇|打印本页|关闭窗口|【?打印】?|【?关闭】?|字体[:：]?[大中小\s]*|分享到[:：]?)$")


_BULLET = re.compile(r"^[•·▪●◆■\-–—*]+\s*")
_META_WORDS = (r"索引号|发布机构|发文机关|文\s*号|发文字号|发布日期|成文日期|生成日期|时效性|有效性|主题分类|体裁分类|组配分类|"
               r"公开方式|公开范围|公开目录|所属机构|责任部门|信息来源|来源|关键词|浏览量")
#: A metadata label printed alone ("• [ 体裁分类 ]", "• 索引号"): its value is the next line.
_LABEL_ONLY = re.compile(rf"^\s*[•·▪●]?\s*(?:[\[【]\s*[^\]】]{{1,8}}\s*[\]】]|(?:{_META_WORDS})\s*[:：]?)\s*$")
_META_CELL = re.compile(rf"^(?:{_META_WORDS})\s*[:：]?$")


def title_text(text: str) -> str | None:
    """A line's text as a title reads it, or None for a line of portal furniture.

    Labels (``标题：``) and bracket tags (``【财政预算】``) are cut; breadcrumbs, metadata lines
    (``[ 体裁分类 ] 财政预算、决算``, ``发布时间：…``), bare dates and navigation words are None.
    """
    raw = _BULLET.sub("", text.strip().strip("|｜ \t"))
    cells = [c.strip() for c in re.split(r"\s*[|｜]\s*", raw)]
    if len(cells) > 1 and any(_META_CELL.match(c) for c in cells):
        return None  # "索引号 | … | 发布机构 | …": a page's metadata printed as a row
    if not raw or _META_TAG.match(raw) or _BREADCRUMB.search(raw) or _FURNITURE.match(flat(raw)):
        return None
    cleaned = _LABEL.sub("", _TAG.sub("", raw)).strip()
    if not cleaned or _META.match(cleaned) or _DATE.match(cleaned):
        return None
    return cleaned


def clean_lines(lines: list[Line], limit: int | None = None) -> list[tuple[Line, str]]:
    """Running-text lines with furniture skipped, each with its cleaned text (at most ``limit``)."""
    out: list[tuple[Line, str]] = []
    value_of_label = False
    for line in lines:
        if line.is_table_row:
            continue
        if value_of_label:  # the value printed under a metadata label of its own ("• [ 体裁分类 ]" / "• 财政预算、决算")
            value_of_label = False
            continue
        value_of_label = bool(_LABEL_ONLY.match(line.text))
        text = title_text(line.text)
        if text is None:
            continue
        out.append((line, text))
        if limit is not None and len(out) >= limit:
            break
    return out


TITLE_LINES = 6  # a cover's title runs over a few lines
TITLE_LINE_MAX = 60  # a title is short; a sentence or a long line is prose
SEARCH_LINES = 40  # a portal page's title may stand below its menus
_TITLE_WORD = re.compile(r"(?<!预)(?:预算|决算)|三公经费|绩效目标|报告|公报|办法|规定|公告|草案")
_PROSE = re.compile(r"[，,。：:；;]")
_HEAD_OF_TITLE = re.compile(rf"{YEAR}|本级|全(?:市|县|区|省)|(?:局|委|办|院|站|所|中心|政府|办事处|镇|乡|街道|省|市|县|区)(?:[（(][^）)]{{1,6}}[）)])?$")


def _title_like(text: str) -> bool:
    return len(flat(text)) <= TITLE_LINE_MAX and "。" not in text


def title_lines(lines: list[Line]) -> list[Line]:
    """The lines a document's title stands on, furniture removed, each with its cleaned text.

    The first line that names a kind of document (预算, 决算, 三公经费, 报告, 公报 …) beside a year
    or a name is the title — below a portal's menus if need be — with the short line before it
    when that names the body, the region or the year (a cover's "高邑县信访局 / 2021年部门预算")
    and the line after it when that continues it. A page with no such line keeps its first short
    lines (a cover that prints its kind on a line of its own: "2026 年度 / 福州市公安局… / 单位预算");
    prose (a sentence, a long line) ends a title: a page that opens with a sentence has none.
    """
    cleaned = clean_lines(lines[: SEARCH_LINES * 2], SEARCH_LINES)
    for k, (line, text) in enumerate(cleaned):
        words = flat(text)
        if not _title_like(text) or not _TITLE_WORD.search(words) or not (YEAR_NIAN.search(words) or len(words) >= 8):
            continue
        start = k - 1 if k and _title_like(cleaned[k - 1][1]) and _HEAD_OF_TITLE.search(flat(cleaned[k - 1][1])) else k
        after = flat(cleaned[k + 1][1]) if k + 1 < len(cleaned) else ""
        end = k + 2 if len(after) <= 30 and not _PROSE.search(after) \
            and (_TITLE_WORD.search(after) or YEAR_NIAN.search(after)) else k + 1
        return [replace(line, text=text) for line, text in cleaned[start:end]]
    window: list[Line] = []
    for line, text in cleaned[:TITLE_LINES]:
        if not _title_like(text):
            break
        window.append(replace(line, text=text))
    return window
