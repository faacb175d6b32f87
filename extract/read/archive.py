"""A ZIP archive of a release opened into its members, each to be read as a document of its own.

Counties publish a whole release as one .zip (the narrative, the tables workbook, the
performance forms). The archive is not a document; its members are. Each member keeps
where it came from in its URI: ``<archive uri>!/<member path>`` (the ``jar:`` convention;
nested archives chain, ``a.zip!/b.zip!/表.xlsx``), so provenance names the archive and
the path inside it. Nothing is ever written to disk: members are read into memory.

Limits, checked on the archive's own directory before anything is inflated, refuse the
whole archive with a reason (a hostile or broken archive is one finding, not many):

- more than ``max_members`` entries;
- a member stated larger than ``max_member_bytes``, or all members together larger than
  ``max_total_bytes`` (a decompression bomb; a member that inflates past its stated size
  fails its check and is quarantined on its own);
- a name that leaves the archive (absolute, ``..``, a drive letter) or a member that is
  a symbolic link.

An archive inside an archive is opened too, down to ``max_depth`` levels; deeper, the
inner archive is quarantined as a member. An encrypted member is quarantined with its
reason. Directories and macOS resource forks (``__MACOSX/``) are not documents and are
skipped. .rar and .7z are not opened (the reader says why).
"""

from __future__ import annotations

import io
import stat
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from extract.read.sniff import sniff
from schemas.errors import DocumentError

SEPARATOR = "!/"
MIB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class ArchiveLimits:
    max_members: int = 500
    max_member_bytes: int = 128 * MIB
    max_total_bytes: int = 512 * MIB
    max_depth: int = 3  # an archive of archives of archives

    def __post_init__(self) -> None:
        if min(self.max_members, self.max_member_bytes, self.max_total_bytes, self.max_depth) < 1:
            raise ValueError("ArchiveLimits must be positive")


@dataclass(frozen=True, slots=True)
class Member:
    """One member: its URI, its bytes, and why it is not to be read (None: read it)."""

    uri: str
    data: bytes = b""
    reason: str | None = None


@dataclass
class _Budget:
    left: int
    members: int = 0
    names: list[str] = field(default_factory=list)


def is_archive(data: bytes) -> bool:
    return data[:4] in (b"PK\x03\x04", b"PK\x05\x06") and sniff(data).format == "zip"


def members(data: bytes, uri: str, limits: ArchiveLimits | None = None) -> list[Member]:
    """The archive's members (nested archives opened); DocumentError refusing the whole archive."""
    limits = limits or ArchiveLimits()
    return _members(data, uri, limits, 1, _Budget(limits.max_total_bytes))


def _members(data: bytes, uri: str, limits: ArchiveLimits, depth: int, budget: _Budget) -> list[Member]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError, EOFError) as exc:
        raise DocumentError(f"the ZIP archive is corrupt and cannot be opened ({exc})") from None
    with archive:
        infos = [i for i in archive.infolist() if not _skipped(i)]
        _check(infos, limits, budget)
        out: list[Member] = []
        for info in infos:
            name = member_name(info)
            member_uri = f"{uri}{SEPARATOR}{name}"
            if info.flag_bits & 0x1:
                out.append(Member(member_uri, reason="an encrypted (password-protected) member of a ZIP archive: "
                                                      "its bytes cannot be read"))
                continue
            try:
                body = _read(archive, info, limits)
            except DocumentError as exc:
                out.append(Member(member_uri, reason=exc.reason))
                continue
            if is_archive(body):
                if depth >= limits.max_depth:
                    out.append(Member(member_uri, body, f"a ZIP archive nested {depth + 1} levels deep, more than "
                                                        f"the {limits.max_depth} opened: not read"))
                    continue
                out.extend(_members(body, member_uri, limits, depth + 1, budget))
                continue
            out.append(Member(member_uri, body))
        return out


def _skipped(info: zipfile.ZipInfo) -> bool:
    name = info.filename
    return info.is_dir() or name.startswith("__MACOSX/") or PurePosixPath(name).name == ".DS_Store"


def _check(infos: list[zipfile.ZipInfo], limits: ArchiveLimits, budget: _Budget) -> None:
    budget.members += len(infos)
    if budget.members > limits.max_members:
        raise DocumentError(f"the ZIP archive has {budget.members} members (nested archives included), more than "
                            f"the {limits.max_members} a release can plausibly have: not opened")
    for info in infos:
        name = member_name(info)
        if not safe_name(name):
            raise DocumentError(f"the ZIP archive names a member '{name}' that points outside the archive "
                                "(an absolute path or '..'): a hostile or broken archive, not opened")
        if stat.S_ISLNK(info.external_attr >> 16):
            raise DocumentError(f"the ZIP archive's member '{name}' is a symbolic link: links are not followed, "
                                "the archive is not opened")
        if info.file_size > limits.max_member_bytes:
            raise DocumentError(f"the ZIP archive looks like a decompression bomb: member '{name}' inflates to "
                                f"{info.file_size:,} bytes, more than the {limits.max_member_bytes // MIB} MiB "
                                "cap for one member: not opened")
        budget.left -= info.file_size
        if budget.left < 0:
            raise DocumentError(f"the ZIP archive looks like a decompression bomb: its members inflate to more than "
                                f"{limits.max_total_bytes // MIB} MiB in all: not opened")


def member_name(info: zipfile.ZipInfo) -> str:
    """The member's path as its author wrote it: names stored in GBK without the UTF-8 flag
    (as Chinese Windows' zip writes them) are decoded as GB18030, not cp437."""
    name = info.filename
    if not info.flag_bits & 0x800:
        try:
            name = name.encode("cp437").decode("gb18030")
        except (UnicodeEncodeError, UnicodeDecodeError):
            pass
    return name


def safe_name(name: str) -> bool:
    if not name or "\x00" in name:
        return False
    unified = name.replace("\\", "/")
    if unified.startswith("/") or (len(unified) > 1 and unified[1] == ":"):
        return False
    return ".." not in PurePosixPath(unified).parts


def _read(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limits: ArchiveLimits) -> bytes:
    try:
        with archive.open(info) as handle:
            body = handle.read(limits.max_member_bytes + 1)
    except (zipfile.BadZipFile, zlib.error, NotImplementedError, OSError, EOFError, ValueError) as exc:
        raise DocumentError(f"a member of the ZIP archive is damaged and cannot be read ({exc})") from None
    if len(body) > limits.max_member_bytes:
        raise DocumentError(f"a member inflates beyond the {limits.max_member_bytes // MIB} MiB cap: not read")
    return body


def member_bytes(data: bytes, path: str, limits: ArchiveLimits | None = None) -> bytes:
    """The bytes of one member (``path`` may chain nested archives with ``!/``), read again."""
    for member in members(data, "", limits):
        if member.uri == SEPARATOR + path:
            return member.data
    raise DocumentError(f"the archive has no member '{path}' any more")


def split_uri(uri: str) -> tuple[str, str]:
    """``(archive uri, member path)`` of a member URI; ``(uri, "")`` for any other."""
    outer, sep, inner = uri.partition(SEPARATOR)
    return (outer, inner) if sep else (uri, "")
