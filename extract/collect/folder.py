"""A folder of documents as a source: its entries in a stable order, and their bytes read safely.

A file the process cannot read must end with a reason, never silently vanish or hang the
run: :func:`read_source_file` opens without blocking (a FIFO would wait forever for a
writer) and turns every way an entry cannot be read into a
:class:`~schemas.errors.DocumentError` that names it. A file larger than
:data:`MAX_DOCUMENT_BYTES` is refused from its size, before a byte of it is read, so the
process reading a folder never holds more than that of one input.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from schemas.errors import DocumentError

MAX_DOCUMENT_BYTES = 64 * 2**20  # one document, read or fetched; the largest real disclosures are under 4 MiB

_KINDS = (
    (stat.S_ISFIFO, "a FIFO, i.e. a named pipe"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISDIR, "a directory"),
)


def list_folder(path: str | Path, *, every_entry: bool = False) -> list[Path]:
    """Non-hidden files below ``path`` (or ``[path]`` for a file), sorted.

    By default only regular files (and links to them). ``every_entry=True`` also lists
    what cannot be read as a document — dangling symlinks, FIFOs, sockets, devices — so
    the caller records each with the reason :func:`read_source_file` gives instead of
    dropping it; use it only where entries are read through :func:`read_source_file`.
    """
    root = Path(path)
    if root.is_file():
        return [root]
    if not root.is_dir():
        raise FileNotFoundError(f"source folder not found: {root}")
    wanted = (lambda p: not p.is_dir()) if every_entry else (lambda p: p.is_file())
    return sorted(
        p for p in root.rglob("*")
        if wanted(p) and not any(part.startswith(".") for part in p.relative_to(root).parts)
    )


def read_source_file(path: Path, max_bytes: int | None = MAX_DOCUMENT_BYTES) -> bytes:
    """The bytes of a regular file, at most ``max_bytes`` (None: no cap); DocumentError saying why not
    (never blocks, never hangs, never reads a file past the cap)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        if os.path.islink(path):
            raise DocumentError(
                f"cannot read the file: it is a symbolic link to a missing file ({os.readlink(path)})"
            ) from None
        raise DocumentError("cannot read the file: it no longer exists") from None
    except PermissionError:
        raise DocumentError("cannot read the file: permission denied for this process") from None
    except OSError as exc:
        raise DocumentError(f"cannot read the file: {_os_reason(exc)}") from None
    with os.fdopen(fd, "rb") as handle:
        mode = os.fstat(handle.fileno()).st_mode
        for test, kind in _KINDS:
            if test(mode):
                raise DocumentError(f"cannot read the file: not a regular file ({kind})")
        if max_bytes is not None and os.fstat(handle.fileno()).st_size > max_bytes:
            raise DocumentError(_too_large(os.fstat(handle.fileno()).st_size, max_bytes))
        try:
            data = handle.read() if max_bytes is None else handle.read(max_bytes + 1)
        except OSError as exc:
            raise DocumentError(f"cannot read the file: {_os_reason(exc)}") from None
    if max_bytes is not None and len(data) > max_bytes:  # it grew while being read
        raise DocumentError(_too_large(len(data), max_bytes))
    return data


def _too_large(size: int, cap: int) -> str:
    return (f"the file is {size:,} bytes ({size / 2**20:,.1f} MiB), larger than {cap:,} bytes, the cap for one "
            "document (the largest real disclosures are under 4 MiB); it was not read")


def _os_reason(exc: OSError) -> str:
    name = errno.errorcode.get(exc.errno or 0, "")
    return f"{exc.strerror or exc} ({name})" if name else str(exc)


def source_uri(path: Path) -> str:
    """The absolute path, readable as printed (a file:// URI would percent-encode 高邑县).

    Links are resolved to their target, except a dangling one, which keeps its own name.
    """
    return str(path.resolve() if path.exists() else path.absolute())
