"""A CSV manifest of document URLs (``--source list.csv``): fetch each into the raw store.

For documents a person found by hand, without a portal to crawl. The manifest's own
hosts form the allow-list (the list is the person's statement of what to fetch), and
every failure is returned with its reason instead of raised.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable

from extract.collect.fetch import Fetcher, FetchRecord, FetchResult, FetchSettings
from extract.collect.raw_store import RawStore
from extract.read.decode import decode_text_file
from schemas.errors import FetchError
from schemas.redact import mask_url

URL_HEADERS = ("url", "URL", "document_url", "原始链接", "链接")


@dataclass(frozen=True)
class ManifestEntry:
    url: str
    title: str = ""


@dataclass(frozen=True)
class ManifestFetch:
    url: str
    document_id: str | None
    reason: str | None = None


def read_manifest(path: Path) -> list[ManifestEntry]:
    """The manifest's entries (url, title), duplicates once, in order. Any encoding the one decoder
    reads (UTF-8, GBK/GB18030 …, with or without BOM); ValueError for no text or no url column."""
    text = decode_text_file(Path(path).read_bytes(), str(path))
    reader = csv.DictReader(io.StringIO(text))
    column = next((h for h in URL_HEADERS if h in (reader.fieldnames or [])), None)
    if column is None:
        raise ValueError(f"{path}: a manifest needs a url column (one of {', '.join(URL_HEADERS)})")
    entries = []
    for row in reader:
        url = mask_url((row.get(column) or "").strip())  # a password in an address is refused, never kept
        if url:
            entries.append(ManifestEntry(url, (row.get("title") or row.get("标题") or "").strip()))
    return list(dict.fromkeys(entries))


def manifest_fetcher(entries: list[ManifestEntry], settings: FetchSettings | None = None) -> Fetcher:
    origins = frozenset(e.url for e in entries)  # each address's scheme, host and port (FetchSettings normalises)
    return Fetcher(replace(settings or FetchSettings(), allowed_hosts=origins))


def fetch_entry(
    entry: ManifestEntry, store: RawStore, fetch: Callable[[str], FetchResult]
) -> ManifestFetch:
    """Fetch one entry into the store; the outcome is recorded beside the bytes either way."""
    try:
        result = fetch(entry.url)
    except FetchError as exc:
        store.record_fetch(FetchRecord.of_error(entry.url, exc))
        return ManifestFetch(entry.url, None, str(exc))
    store.record_fetch(FetchRecord.of_result(result))
    if not result.content:
        return ManifestFetch(entry.url, None, f"{entry.url}: empty body (HTTP {result.status})")
    document_id, _ = store.put(result.content, url=entry.url, content_type=result.content_type)
    return ManifestFetch(entry.url, document_id)
