"""The raw store: content-addressed, once per content, records beside the bytes."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest

from extract.collect.fetch import FetchRecord
from extract.collect.raw_store import LocalBackend, RawStore
from extract.read.model import document_id_of
from schemas.errors import PermanentFetchError


def test_layout_and_idempotent_put(tmp_path):
    store = RawStore.local(tmp_path)
    data = b"%PDF-1.4 budget"
    doc_id, new = store.put(data, url="http://a.gov.cn/1.pdf", content_type="application/pdf")
    assert doc_id == document_id_of(data) and new
    assert (tmp_path / "objects" / doc_id[:2] / doc_id[2:4] / doc_id).read_bytes() == data
    again, new_again = store.put(data, url="http://a.gov.cn/copy.pdf")
    assert again == doc_id and not new_again
    meta = store.meta(doc_id)
    assert datetime.fromisoformat(meta.pop("stored_at")).tzinfo is not None
    assert meta == {
        "document_id": doc_id, "byte_size": 15, "content_type": "application/pdf",
        "urls": ["http://a.gov.cn/1.pdf", "http://a.gov.cn/copy.pdf"],
    }
    assert store.source_uri(doc_id) == "http://a.gov.cn/1.pdf"
    assert list(store.document_ids()) == [doc_id] and store.get(doc_id) == data


def test_latest_version_per_url(tmp_path):
    store = RawStore.local(tmp_path)
    v1, _ = store.put(b"v1", url="http://a.gov.cn/1.pdf")
    other, _ = store.put(b"other", url="http://a.gov.cn/2.pdf")
    v2, _ = store.put(b"v2", url="http://a.gov.cn/1.pdf")
    assert store.latest_by_url() == {"http://a.gov.cn/1.pdf": v2, "http://a.gov.cn/2.pdf": other}
    assert store.exists(v1)


def test_missing_and_corrupted_documents_are_named(tmp_path):
    store = RawStore.local(tmp_path)
    doc_id, _ = store.put(b"abc")
    (tmp_path / "objects" / doc_id[:2] / doc_id[2:4] / doc_id).write_bytes(b"abd")
    with pytest.raises(KeyError, match="corrupted"):
        store.get(doc_id)
    with pytest.raises(KeyError, match="is not in the raw store"):
        store.get("0" * 64)
    with pytest.raises(ValueError, match="not a sha256 document id"):
        store.exists("../etc/passwd")


def test_fetch_records_are_json_by_day(tmp_path):
    store = RawStore.local(tmp_path)
    when = datetime(2026, 11, 25, 2, 0, tzinfo=timezone.utc)
    ok = FetchRecord(url="http://a.gov.cn/1.pdf", fetched_at=when, http_status=200, document_id="f" * 64)
    bad = FetchRecord.of_error("http://a.gov.cn/2.pdf", PermanentFetchError("http://a.gov.cn/2.pdf: HTTP 404 Not Found"))
    key = store.record_fetch(ok)
    store.record_fetch(bad)
    assert key == f"fetches/2026/11/25/{ok.fetch_id}.json"
    saved = json.loads((tmp_path / key).read_text(encoding="utf-8"))
    assert saved["fetched_at"] == "2026-11-25T02:00:00+00:00" and saved["http_status"] == 200
    reasons = sorted(r["error_reason"] or "" for r in store.fetch_records())
    assert reasons == ["", "http://a.gov.cn/2.pdf: HTTP 404 Not Found"]


class DictBackend:
    """What an object store needs to offer: whole-object put/get under keys, listing by prefix."""

    def __init__(self):
        self.blobs: dict[str, bytes] = {}

    def put(self, key, data):
        self.blobs[key] = data

    def get(self, key):
        return self.blobs[key]

    def exists(self, key):
        return key in self.blobs

    def keys(self, prefix):
        return iter(sorted(k for k in self.blobs if k.startswith(prefix)))


def test_any_key_value_backend_works():
    backend = DictBackend()
    store = RawStore(backend)
    doc_id, _ = store.put(b"hello", url="http://x/1")
    assert f"objects/{doc_id[:2]}/{doc_id[2:4]}/{doc_id}" in backend.blobs
    assert store.get(doc_id) == b"hello" and list(store.document_ids()) == [doc_id]


def test_local_backend_refuses_escaping_keys(tmp_path):
    with pytest.raises(ValueError, match="bad raw store key"):
        LocalBackend(tmp_path).put("../x", b"")
