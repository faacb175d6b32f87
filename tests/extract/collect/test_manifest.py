"""A URL manifest is read by the one decoder: a GBK or GB18030 CSV (as Excel saves it on a Chinese
Windows) gives the same entries as UTF-8, with or without a byte-order mark."""

from __future__ import annotations

import codecs

import pytest

from extract.collect.manifest import ManifestEntry, read_manifest

MANIFEST = "原始链接,标题\nhttp://czj.example.gov.cn/a.pdf,2026年高邑县财政局部门预算\nhttp://czj.example.gov.cn/b.xls,\n"
ENTRIES = [ManifestEntry("http://czj.example.gov.cn/a.pdf", "2026年高邑县财政局部门预算"),
           ManifestEntry("http://czj.example.gov.cn/b.xls", "")]


@pytest.mark.parametrize("bom, encoding", [
    (b"", "gbk"),
    (b"", "gb18030"),
    (codecs.encode("\ufeff", "gb18030"), "gb18030"),  # GB18030's own BOM, 84 31 95 33
    (codecs.BOM_UTF8, "utf-8"),
    (b"", "utf-8"),
])
def test_gbk_gb18030_and_utf8_manifests_give_the_same_entries(tmp_path, bom, encoding):
    path = tmp_path / "urls.csv"
    path.write_bytes(bom + MANIFEST.encode(encoding))
    assert read_manifest(path) == ENTRIES


def test_bytes_that_are_no_text_are_refused_with_the_file_named(tmp_path):
    path = tmp_path / "urls.csv"
    path.write_bytes(b"url\n\x00\x01\x02\xff\xfe\x00" * 50)
    with pytest.raises(ValueError, match=r"urls\.csv: not text"):
        read_manifest(path)
