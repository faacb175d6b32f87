"""A folder of documents as a source: every regular, non-hidden file below it, in a stable order."""

from __future__ import annotations

from pathlib import Path


def list_folder(path: str | Path) -> list[Path]:
    root = Path(path)
    if root.is_file():
        return [root]
    if not root.is_dir():
        raise FileNotFoundError(f"source folder not found: {root}")
    return sorted(
        p for p in root.rglob("*")
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(root).parts)
    )


def source_uri(path: Path) -> str:
    """The absolute path, readable as printed (a file:// URI would percent-encode 高邑县)."""
    return str(path.resolve())
