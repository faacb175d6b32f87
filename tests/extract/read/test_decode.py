"""The one decoder: BOM, declared charset, UTF-8, the narrowest GB codec, charset-normalizer."""

from __future__ import annotations

import pytest

from extract.read.decode import declared_charset, decode, decode_lenient, encoding_name

BUDGET = "高邑县信访局2021年部门预算\n收入总计\t133.41\n"


@pytest.mark.parametrize(
    ("label", "name"),
    [("UTF-8", "utf-8"), ("utf8", "utf-8"), ("GB2312", "gb2312"), ("x-gbk", "gbk"), ("cp936", "gbk"),
     ("GB18030", "gb18030"), ("ISO-8859-1", "iso8859-1"), ("no-such-charset", None), ("", None)],
)
def test_labels_become_python_codec_names(label, name):
    assert encoding_name(label) == name


@pytest.mark.parametrize(
    ("bom_codec", "name"),
    [("utf-8-sig", "utf-8"), ("utf-16", "utf-16-le"), ("utf-16-be", "utf-16-be"), ("utf-32", "utf-32-le")],
)
def test_a_bom_decides_and_is_not_part_of_the_name(bom_codec, name):
    data = BUDGET.encode(bom_codec)
    if bom_codec == "utf-16-be":
        data = b"\xfe\xff" + data
    found = decode(data)
    assert (found.text, found.encoding, found.decoded_by, found.bom) == (BUDGET, name, "bom", True)


def test_gbk_is_reported_when_gbk_suffices_gb18030_only_when_needed():
    assert decode(BUDGET.encode("gb18030")).encoding == "gbk"
    rare = BUDGET + "𠀀"  # U+20000 exists only in GB18030's four-byte range
    found = decode(rare.encode("gb18030"))
    assert (found.text, found.encoding, found.decoded_by) == (rare, "gb18030", "gb")


def test_http_header_beats_meta_and_gb_labels_fold_to_the_narrowest():
    page = '<html><head><meta charset="utf-8"></head><body>预算</body></html>'.encode("gbk")
    assert declared_charset(page) == ("utf-8", "meta")
    assert declared_charset(page, "text/html; charset=GB2312") == ("gb2312", "http")
    found = decode(page, "text/html; charset=GB2312")
    assert (found.encoding, found.decoded_by) == ("gbk", "http")
    # the meta tag lies (says utf-8, bytes are GBK): the strict chain takes over
    assert (decode(page).encoding, decode(page).decoded_by) == ("gbk", "gb")


def test_http_equiv_declaration_is_read():
    page = ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=big5">'
            "</head><body>部門預算說明</body></html>").encode("big5")
    found = decode(page)
    assert (found.encoding, found.decoded_by, "部門預算說明" in found.text) == ("big5", "meta", True)


def test_a_latin1_header_does_not_turn_utf8_into_mojibake():
    # Java servers send charset=ISO-8859-1 by default; the page is really UTF-8
    found = decode(BUDGET.encode("utf-8"), "text/html; charset=ISO-8859-1")
    assert (found.text, found.encoding) == (BUDGET, "utf-8")
    assert decode("café résumé".encode("latin-1"), "text/plain; charset=iso-8859-1").encoding == "iso8859-1"


def test_charset_normalizer_is_the_last_resort():
    text = "部門預算說明：本年收入合計與支出合計相等。\n" * 20
    found = decode(text.encode("utf-16-le"))  # no BOM: neither UTF-8 nor GB decode it
    assert (found.text, found.encoding, found.decoded_by) == (text, "utf-16-le", "detected")


def test_binary_is_not_text_and_lenient_decoding_never_fails():
    junk = bytes(range(128, 256)) * 4
    assert decode(junk) is None and decode(bytes(range(256)) * 4) is None
    lenient = decode_lenient(junk)
    assert lenient.decoded_by == "replaced" and "\ufffd" in lenient.text


def test_damaged_utf8_is_not_guessed_into_mojibake():
    text = "高邑县信访局2021年部门预算收入总计133.41万元。" * 5
    broken = text.encode("utf-8").replace("县".encode(), b"\xff", 1)
    assert decode(broken) is None  # strict: a figure may sit in the broken part
    lenient = decode_lenient(broken)
    assert (lenient.encoding, lenient.text.count("\ufffd")) == ("utf-8", 1)
    assert lenient.text.endswith("部门预算收入总计133.41万元。")


def test_a_text_file_in_utf8_keeps_its_control_characters_instead_of_being_refused():
    # a registry row whose name carries a terminal escape (the terminal-safety suite's hostile
    # registry): strict UTF-8, so it is that text; the commands make it safe when they show it
    from extract.read.decode import decode_text_file

    row = "region_code,name,url\n130127,高邑县\x1b[31m财政局\x1b]0;x\x07,http://127.0.0.1/\n" * 3
    assert decode_text_file(row.encode("utf-8"), "portals.csv") == row
    assert decode_text_file(b"\xef\xbb\xbf" + row.encode("utf-8"), "portals.csv") == row
    assert decode_text_file("名称\n高邑县".encode("gb18030"), "m.csv") == "名称\n高邑县"
    with pytest.raises(ValueError, match="junk.csv: not text"):
        decode_text_file(b"\x00\x01\x02\xff\xfe\x00" * 50, "junk.csv")
