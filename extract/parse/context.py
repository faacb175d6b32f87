"""What every parser reads, built once per document.

The lines, the narrative's sections and pages of running text, and the table blocks
are found here once; the parsers of :mod:`extract.parse.document` read them and never
look for them again (finding table blocks twice used to cost a second pass and risked
two answers).
"""

from __future__ import annotations

from dataclasses import dataclass

from extract.read.model import Document, Line
from extract.parse.sections import RunningText, page_texts, split_sections
from extract.parse.table_blocks import find_table_blocks
from extract.parse.table_grid import TableBlock


@dataclass(frozen=True)
class ParseContext:
    doc: Document
    lines: list[Line]  # every line, in reading order
    sections: list[RunningText]  # running text per section (收入, 支出, 三公 …)
    pages: list[RunningText]  # running text per page, joined without spaces
    blocks: list[TableBlock]  # every titled table, continuation pages merged

    @classmethod
    def of(cls, doc: Document) -> ParseContext:
        return cls(doc, doc.lines(), split_sections(doc), page_texts(doc), find_table_blocks(doc))

    @property
    def standard_blocks(self) -> list[TableBlock]:
        """Blocks of a standard table (a template with a parser) that hold rows."""
        return [b for b in self.blocks if b.template.parser is not None and b.rows]
