"""The version of what the conformed tables are derived with, so a change of it rebuilds them whole.

The comparison refresh rebuilds only what changed (:mod:`flows.refresh`) as long as the
derivation is the one the tables were last rebuilt whole with: the reference data (department
categories, the classification and its crosswalk, GB/T 2260 regions) and the code deriving
(the refresh, levels, the cross-document rules, the reference readers). :func:`derivation_version`
is a digest of those files' bytes, so deploying a new category pattern or rule is followed by
one full rebuild, never by a warehouse half derived one way and half another.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# the deriving code, by path (importing it here would make flows.conform import itself)
DERIVING = ("flows/conform.py", "flows/levels.py", "load/conformed.py", "load/region_filter.py", "load/refresh.py",
            "flows/refresh.py",
            "transform/conformed.py", "transform/cross_document.py", "transform/cross_document_rules.py")


def _files() -> list[Path]:
    files = [ROOT / name for name in DERIVING if (ROOT / name).is_file()]
    files += sorted(p for p in (ROOT / "reference").rglob("*")
                    if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc")
    return files


@lru_cache(maxsize=1)
def derivation_version() -> str:
    """A 16-hex digest of the reference data and the deriving code (read once per process)."""
    digest = hashlib.sha256()
    for path in _files():
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]
