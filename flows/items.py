"""The documents a run goes through: where each came from, how big it is, and its bytes.

Every source kind hands :func:`flows.runner.run_items` a list of :class:`Item` (a folder's
:class:`SourceItem`, the raw store's ``flows.collect.RawItem``). ``size`` is what the item
holds on disk, known before reading: the run's progress weighs the work left by it, and the
run keeps the bytes it holds in memory within ``--memory-limit`` by it
(:func:`batches`). An item that cannot be read gives its reason (:func:`read_item`), and
a file over :data:`extract.collect.folder.MAX_DOCUMENT_BYTES` is refused unread.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Protocol, Sequence

from extract.collect.folder import MAX_DOCUMENT_BYTES, list_folder, read_source_file, source_uri
from extract.read.archive import ArchiveLimits, is_archive, members
from extract.read.model import document_id_of
from schemas.errors import DocumentError


class Item(Protocol):
    """A document to run: where it came from and how to get its bytes (``size()``, optional: bytes on disk)."""

    uri: str

    def read(self) -> bytes: ...


@dataclass(frozen=True, slots=True)
class SourceItem:
    """A file of a folder source; ``read`` never blocks and raises DocumentError saying why it cannot."""

    uri: str
    path: Path

    def read(self) -> bytes:
        return read_source_file(self.path)

    def size(self) -> int:
        try:
            return self.path.stat().st_size if self.path.is_file() else 0
        except OSError:
            return 0


def folder_items(source: str | Path) -> list[SourceItem]:
    """Every entry of a folder, including those that cannot be read (a dangling link, a FIFO): each
    ends quarantined with its reason instead of vanishing from the run."""
    return [SourceItem(source_uri(path), path) for path in list_folder(source, every_entry=True)]


def item_size(item: Item) -> int:
    """Bytes of the item that will be read: what it holds on disk, 0 where that is not known or over
    the one-document cap (such a file is refused unread)."""
    size = getattr(item, "size", None)
    size = size() if size is not None else 0
    return size if size <= MAX_DOCUMENT_BYTES else 0


def unreadable_id(uri: str) -> str:
    """A stable id for an entry whose bytes cannot be read (so a re-run replaces its record)."""
    return document_id_of(f"unreadable\n{uri}".encode("utf-8"))


def read_item(item: Item) -> bytes | str:
    """The item's bytes, or why they cannot be read."""
    try:
        return item.read()
    except DocumentError as exc:
        return exc.reason
    except OSError as exc:
        return f"cannot read the file: {exc.strerror or exc}"


def batches(items: Sequence[Item], sizes: Sequence[int], count: int,
            max_bytes: int | None) -> Iterator[tuple[Sequence[Item], int]]:
    """``items`` in batches of at most ``count`` and, where given, at most ``max_bytes`` of what will be
    read (``sizes``: :func:`item_size` of each); each with its bytes."""
    chunk: list[Item] = []
    held = 0
    for item, size in zip(items, sizes):
        if chunk and (len(chunk) >= count or (max_bytes is not None and held + size > max_bytes)):
            yield chunk, held
            chunk, held = [], 0
        chunk.append(item)
        held += size
    if chunk:
        yield chunk, held


def unpacked(data: bytes, uri: str, limits: ArchiveLimits | None = None) -> list[tuple[bytes, str, str | None]]:
    """``(bytes, uri, reason to quarantine or None)`` per document the item's bytes hold: the item
    itself, or each member of a ZIP archive of a release (``<archive>!/<member path>``,
    :mod:`extract.read.archive`); an archive refused as a whole is quarantined under its own URI."""
    if not is_archive(data):
        return [(data, uri, None)]
    try:
        found = members(data, uri, limits)
    except DocumentError as exc:
        return [(data, uri, exc.reason)]
    if not found:
        return [(data, uri, "the ZIP archive holds no file to read (only folders or macOS resource forks)")]
    return [(m.data, m.uri, m.reason) for m in found]
