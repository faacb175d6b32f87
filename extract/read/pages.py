"""How many pages a document will have, guessed from its bytes without reading it.

For a run's progress only (time left is pages left at pages per second): a PDF's page objects
are counted in its raw bytes (``/Type /Page``), a linear scan that parses nothing, so it is
safe on any bytes in the process that reads them; the count is exact for every PDF of the
shared corpora that keeps its page objects uncompressed (124 of 126), and None for one that
hides them in compressed object streams. Text and HTML documents are read as one page.
"""

from __future__ import annotations

import re

from extract.read.sniff import PDF_HEADER_WINDOW

_PAGE_OBJECT = re.compile(rb"/Type\s*/Page(?![A-Za-z])")


def expected_pages(data: bytes) -> int | None:
    """The pages ``data`` will be read as: a PDF's page objects (None where none is visible), else 1."""
    if b"%PDF-" not in data[:PDF_HEADER_WINDOW]:
        return 1
    return len(_PAGE_OBJECT.findall(data)) or None
