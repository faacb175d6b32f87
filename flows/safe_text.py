"""Text from a document or a server, made safe before a terminal or a markdown page shows it.

A department name, a file name, a reason quoting a title, a URL or a server's message is the
world's text, not ours: it may carry terminal escape sequences (``\\x1b[2J`` clears the screen,
OSC 8 makes a hyperlink, OSC 0 retitles the window), other control characters, rich markup
(``[link=http://evil.cn]…[/link]``, or ``[/x]``, which makes rich raise ``MarkupError``) or
markdown (``[点我](javascript:…)``, ``<script>``). :func:`safe_text` is the one helper every
command, progress line and Prefect artifact passes such text through: whole escape sequences
and control characters are removed (line breaks and tabs become spaces, so one value stays one
line), and then, for the sink it is meant for, rich markup is escaped with rich's own
:func:`rich.markup.escape`, or markdown with backslashes. Nothing is stored changed: the
warehouse keeps the text as printed.
"""

from __future__ import annotations

import re
from typing import Literal

from rich.markup import escape as escape_rich_markup

Markup = Literal["rich", "markdown", None]

# whole sequences first, so no half of one ("[2J", "]8;;http://…") is left to print
_SEQUENCES = re.compile(
    r"\x1b\][^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"  # OSC: hyperlinks, window titles, colours
    r"|\x1b[PX^_][^\x1b\x9c]*(?:\x1b\\|\x9c)?"  # DCS, SOS, PM, APC strings
    r"|\x1b\[[0-?]*[ -/]*[@-~]?"  # CSI: colours, cursor moves, clearing the screen
    r"|\x1b[ -/]*[0-~]?"  # the other escapes (character sets, reset)
    r"|\x9b[0-?]*[ -/]*[@-~]?"  # 8-bit CSI
    r"|[\x90\x98\x9d\x9e\x9f][^\x07\x1b\x9c]*(?:\x07|\x9c)?"  # 8-bit OSC and strings
)
_BREAKS = re.compile(r"[\t\n\v\f\r\x1c-\x1f\x85\u2028\u2029]+")
# other C0/C1 controls, and invisible format characters that reorder or hide text (bidi overrides)
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1b\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()<>#+!|~&])")


def safe_text(value: object, markup: Markup = "rich") -> str:
    """``value`` as one line of plain text for a terminal: escape sequences and control characters
    removed; then rich markup escaped (``markup="rich"``, for ``console.print`` and rich tables),
    markdown escaped (``"markdown"``, for Prefect artifacts), or nothing more (``None``, for plain
    lines written with ``print``/``typer.echo``). ``None`` becomes ``""``."""
    if value is None:
        return ""
    text = _CONTROLS.sub("", _BREAKS.sub(" ", _SEQUENCES.sub("", str(value))))
    if markup == "rich":
        return escape_rich_markup(text)
    if markup == "markdown":
        return _MARKDOWN.sub(r"\\\1", text)
    return text


def safe_markdown(value: object) -> str:
    """:func:`safe_text` for a markdown page (a Prefect artifact's table cell or line)."""
    return safe_text(value, markup="markdown")
