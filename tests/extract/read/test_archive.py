"""ZIP archives of a release: members with their provenance, and the limits that refuse hostile archives."""

from __future__ import annotations

import io
import stat
import zipfile

import pytest

from extract.read.archive import ArchiveLimits, is_archive, member_bytes, members, safe_name, split_uri
from schemas.errors import DocumentError
from tests.conftest import SEED_PATH
from tests.office_inputs import zip_of


def _reason(data: bytes, limits: ArchiveLimits | None = None) -> str:
    with pytest.raises(DocumentError) as caught:
        members(data, "/srv/release.zip", limits)
    return caught.value.reason


def test_members_keep_the_archive_and_their_path_nested_archives_included():
    seed = SEED_PATH.read_bytes()
    inner = zip_of({"表格/收支总表.txt": b"inner text"})
    data = zip_of({"说明/高邑县信访局.txt": seed, "附件.zip": inner, "目录/": b"", "__MACOSX/._x.txt": b"junk"})
    found = members(data, "/srv/release.zip")
    assert [(m.uri, m.data, m.reason) for m in found] == [
        ("/srv/release.zip!/说明/高邑县信访局.txt", seed, None),
        ("/srv/release.zip!/附件.zip!/表格/收支总表.txt", b"inner text", None),
    ]
    assert member_bytes(data, "附件.zip!/表格/收支总表.txt") == b"inner text"
    assert split_uri(found[1].uri) == ("/srv/release.zip", "附件.zip!/表格/收支总表.txt")
    assert split_uri("/srv/a.pdf") == ("/srv/a.pdf", "")
    assert is_archive(data) and not is_archive(zip_of({"word/document.xml": b"<w/>"})) and not is_archive(seed)


def test_gbk_member_names_from_chinese_windows_are_read_as_written():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        info = zipfile.ZipInfo("预算.txt")
        archive.writestr(info, b"x")
    raw = buf.getvalue().replace("预算.txt".encode("utf-8"), "预算.txt".encode("gbk") + b"  ")
    # the UTF-8 flag (bit 11) cleared and the name stored in GBK, padded to the same length
    raw = raw.replace(b"\x00\x08\x00\x00", b"\x00\x00\x00\x00")
    names = [m.uri for m in members(raw, "r.zip")]
    assert names == ["r.zip!/预算.txt  "]


@pytest.mark.parametrize(("name", "safe"), [
    ("a/b.pdf", True), ("../b.pdf", False), ("a/../../b.pdf", False), ("/etc/b.pdf", False),
    ("C:/b.pdf", False), ("..\\..\\b.pdf", False), ("a..b.pdf", True), ("", False),
])
def test_member_names_must_stay_inside(name, safe):
    assert safe_name(name) is safe


def test_a_member_named_outside_the_archive_refuses_it():
    assert _reason(zip_of({"ok.txt": b"x", "../../etc/预算.txt": b"y"})) == (
        "the ZIP archive names a member '../../etc/预算.txt' that points outside the archive (an absolute path or "
        "'..'): a hostile or broken archive, not opened")


def test_a_symbolic_link_refuses_the_archive():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        link = zipfile.ZipInfo("预算.pdf")
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        archive.writestr(link, "/etc/passwd")
    assert _reason(buf.getvalue()) == (
        "the ZIP archive's member '预算.pdf' is a symbolic link: links are not followed, the archive is not opened")


def test_decompression_bombs_are_refused_before_inflating():
    bomb = zip_of({"预算.txt": bytes(3 * 1024 * 1024)})
    assert len(bomb) < 10_000
    assert _reason(bomb, ArchiveLimits(max_member_bytes=1024 * 1024)).startswith(
        "the ZIP archive looks like a decompression bomb: member '预算.txt' inflates to 3,145,728 bytes, more than "
        "the 1 MiB cap for one member")
    many = zip_of({f"{k}.txt": bytes(1024 * 1024) for k in range(3)})
    assert _reason(many, ArchiveLimits(max_total_bytes=2 * 1024 * 1024)) == (
        "the ZIP archive looks like a decompression bomb: its members inflate to more than 2 MiB in all: not opened")


def test_too_many_members_counting_nested_archives():
    inner = zip_of({f"{k}.txt": b"x" for k in range(3)})
    assert _reason(zip_of({"a.txt": b"a", "b.zip": inner}), ArchiveLimits(max_members=3)) == (
        "the ZIP archive has 5 members (nested archives included), more than the 3 a release can plausibly have: "
        "not opened")


def test_nesting_beyond_the_depth_limit_quarantines_the_inner_archive():
    deepest = zip_of({"c.txt": b"c"})
    data = zip_of({"b.zip": zip_of({"c.zip": deepest})})
    [member] = members(data, "a.zip", ArchiveLimits(max_depth=2))
    assert (member.uri, member.data, member.reason) == (
        "a.zip!/b.zip!/c.zip", deepest, "a ZIP archive nested 3 levels deep, more than the 2 opened: not read")


def test_an_encrypted_or_damaged_member_is_quarantined_on_its_own():
    data = bytearray(zip_of({"good.txt": b"good", "bad.txt": b"z" * 2000}, compression=zipfile.ZIP_STORED))
    at = data.find(b"z" * 2000)
    data[at:at + 10] = b"y" * 10  # the stored bytes no longer match their CRC
    good, bad = members(bytes(data), "r.zip")
    assert (good.uri, good.reason) == ("r.zip!/good.txt", None)
    assert bad.uri == "r.zip!/bad.txt" and bad.reason.startswith("a member of the ZIP archive is damaged")
    sealed = bytearray(zip_of({"secret.txt": b"s"}))
    sealed[6] |= 0x1  # the local header's "encrypted" flag …
    central = sealed.find(b"PK\x01\x02")
    sealed[central + 8] |= 0x1  # … and the central directory's
    [secret] = members(bytes(sealed), "r.zip")
    assert secret.reason == "an encrypted (password-protected) member of a ZIP archive: its bytes cannot be read"


def test_a_corrupt_archive_is_refused():
    data = zip_of({"a.txt": b"a"})
    assert _reason(data[:30] + data[-22:]).startswith("the ZIP archive is corrupt and cannot be opened")
