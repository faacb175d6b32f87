"""Every fetched document kept once, by the sha256 of its bytes, with where it came from.

The sha256 is the document id the warehouse facts carry, so a duplicate published under
two URLs is stored and loaded once, and re-extraction with a new parser reads the store
and needs no network. The layout uses only whole-object writes under keys, so an object
store can replace the local folder by implementing :class:`BlobBackend`::

    objects/ab/cd/<sha256>           the bytes, as served
    meta/ab/cd/<sha256>.json         first URL and type, every URL it was seen at
    fetches/YYYY/MM/DD/<fetch_id>.json   one record per fetch, success or failure
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator, Protocol

from extract.collect.fetch_record import FetchRecord
from extract.read.model import document_id_of
from schemas.redact import mask_url


class BlobBackend(Protocol):
    def put(self, key: str, data: bytes) -> None: ...
    def get(self, key: str) -> bytes: ...
    def exists(self, key: str) -> bool: ...
    def keys(self, prefix: str) -> Iterator[str]: ...


class LocalBackend:
    """A folder; writes go through a temp file and a rename, so a crash never leaves half a blob."""

    def __init__(self, root: Path | str):
        self.root = Path(root)

    def _path(self, key: str) -> Path:
        if key.startswith("/") or ".." in key.split("/"):
            raise ValueError(f"bad raw store key {key!r}")
        return self.root / key

    def put(self, key: str, data: bytes) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def get(self, key: str) -> bytes:
        return self._path(key).read_bytes()

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()

    def keys(self, prefix: str) -> Iterator[str]:
        base = self._path(prefix)
        if not base.exists():
            return
        for path in sorted(base.rglob("*")):
            if path.is_file() and not path.name.startswith(".tmp-"):
                yield path.relative_to(self.root).as_posix()


def _fanout(document_id: str) -> str:
    return f"{document_id[:2]}/{document_id[2:4]}/{document_id}"


def _check_id(document_id: str) -> str:
    if len(document_id) != 64 or any(c not in "0123456789abcdef" for c in document_id):
        raise ValueError(f"not a sha256 document id: {document_id!r}")
    return document_id


class RawStore:
    """Content-addressed documents plus their fetch records, over any :class:`BlobBackend`."""

    def __init__(self, backend: BlobBackend):
        self.backend = backend

    @classmethod
    def local(cls, root: Path | str) -> RawStore:
        return cls(LocalBackend(root))

    def exists(self, document_id: str) -> bool:
        return self.backend.exists("objects/" + _fanout(_check_id(document_id)))

    def put(self, data: bytes, *, url: str | None = None, content_type: str | None = None,
            content_disposition: str | None = None) -> tuple[str, bool]:
        """Store ``data`` unless already there; returns ``(document_id, newly_stored)``. ``url`` is kept
        as :func:`schemas.redact.mask_url` shows it (a password never reaches the store); the first
        ``Content-Disposition`` served with the bytes is kept too (it names the file when a 304 does not)."""
        url = mask_url(url) if url else url
        document_id = document_id_of(data)
        key = "objects/" + _fanout(document_id)
        new = not self.backend.exists(key)
        if new:
            self.backend.put(key, data)
        meta = self.meta(document_id) or {
            "document_id": document_id,
            "byte_size": len(data),
            "content_type": content_type,
            "stored_at": datetime.now(timezone.utc).isoformat(timespec="microseconds"),
            "urls": [],
        }
        named = bool(content_disposition) and "content_disposition" not in meta
        if named:
            meta["content_disposition"] = content_disposition
        if (url and url not in meta["urls"]) or named:
            if url and url not in meta["urls"]:
                meta["urls"].append(url)
            self.backend.put(self._meta_key(document_id), _dumps(meta))
        elif new:
            self.backend.put(self._meta_key(document_id), _dumps(meta))
        return document_id, new

    def get(self, document_id: str) -> bytes:
        """The stored bytes; raises KeyError naming the id when absent or corrupted."""
        key = "objects/" + _fanout(_check_id(document_id))
        if not self.backend.exists(key):
            raise KeyError(f"document {document_id} is not in the raw store")
        data = self.backend.get(key)
        if document_id_of(data) != document_id:
            raise KeyError(f"document {document_id} in the raw store is corrupted (hash mismatch)")
        return data

    def size(self, document_id: str) -> int:
        """Bytes of a stored document as its record says (0 when it has none)."""
        return int((self.meta(document_id) or {}).get("byte_size") or 0)

    def meta(self, document_id: str) -> dict | None:
        key = self._meta_key(document_id)
        return json.loads(self.backend.get(key)) if self.backend.exists(key) else None

    def source_uri(self, document_id: str) -> str:
        meta = self.meta(document_id) or {}
        urls = meta.get("urls") or []
        return urls[0] if urls else f"raw:{document_id}"

    def document_ids(self) -> Iterator[str]:
        for key in self.backend.keys("objects/"):
            yield key.rsplit("/", 1)[-1]

    def latest_by_url(self) -> dict[str, str]:
        """URL → the document most recently stored from it (a URL may have served several versions)."""
        latest: dict[str, tuple[str, str]] = {}
        for document_id in self.document_ids():
            meta = self.meta(document_id) or {}
            stamp = meta.get("stored_at", "")
            for url in meta.get("urls", []):
                if url not in latest or stamp > latest[url][0]:
                    latest[url] = (stamp, document_id)
        return {url: doc for url, (_, doc) in latest.items()}

    def record_fetch(self, record: FetchRecord) -> str:
        day = record.fetched_at.strftime("%Y/%m/%d")
        key = f"fetches/{day}/{record.fetch_id}.json"
        self.backend.put(key, _dumps(_record_dict(record)))
        return key

    def fetch_records(self) -> Iterator[dict]:
        for key in self.backend.keys("fetches/"):
            yield json.loads(self.backend.get(key))

    @staticmethod
    def _meta_key(document_id: str) -> str:
        return f"meta/{_fanout(document_id)}.json"


def _record_dict(record: FetchRecord) -> dict:
    data = asdict(record)
    data["fetch_id"] = record.fetch_id
    return {k: v.isoformat() if isinstance(v, datetime) else v for k, v in data.items()}


def _dumps(obj: dict) -> bytes:
    return json.dumps(obj, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")
