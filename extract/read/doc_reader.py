"""Word 97-2003 files (.doc, and a WPS .wps saved in that format) through LibreOffice headless.

No maintained Python library reads the old binary Word format. LibreOffice does, tables
and merged cells included: it converts the file to .docx in a temporary folder (its own
throwaway profile, so conversions may run side by side) and the .docx reader reads that,
so a .doc gives the same lines and cells as the .docx it would be saved as. antiword and
catdoc were tried and set aside: both print a table's long cells wrapped onto extra
lines that cannot be told from the next row, which splits project codes and figures.

Where LibreOffice is not installed the file is quarantined with a reason saying so.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from extract.read.docx_reader import read_docx
from extract.read.model import Document
from schemas.errors import DocumentError

CONVERT_TIMEOUT_S = 120


def read_doc(data: bytes, document_id: str, source_uri: str, what: str = "Word 97-2003 (.doc)") -> Document:
    """The .doc read through its .docx conversion; DocumentError saying why it cannot be read."""
    converted = to_docx(data, what)
    try:
        doc = read_docx(converted, document_id, source_uri)
    except DocumentError as exc:
        raise DocumentError(exc.reason.replace("the Word file (.docx)", f"the {what} file")) from None
    doc.format = "doc"
    doc.notes.append("read through LibreOffice's conversion to .docx")
    return doc


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def to_docx(data: bytes, what: str) -> bytes:
    tool = soffice()
    if tool is None:
        raise DocumentError(f"a {what} file: the old binary Word format is read through LibreOffice, which is not "
                            "installed here (Debian package libreoffice-writer-nogui; .ci/run installs it)")
    with tempfile.TemporaryDirectory(prefix="cb-doc-") as folder:
        work = Path(folder)
        source = work / "in.doc"
        source.write_bytes(data)
        command = [tool, f"-env:UserInstallation={(work / 'profile').as_uri()}", "--headless", "--norestore",
                   "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(work / "out"), str(source)]
        try:
            done = subprocess.run(command, capture_output=True, timeout=CONVERT_TIMEOUT_S, check=False,
                                  env={"HOME": folder, "PATH": "/usr/bin:/bin:/usr/local/bin"})
        except subprocess.TimeoutExpired:
            raise DocumentError(f"the {what} file took LibreOffice more than {CONVERT_TIMEOUT_S} s to convert: "
                                "a damaged or hostile file, not read") from None
        produced = work / "out" / "in.docx"
        if not produced.exists():
            said = (done.stderr or done.stdout).decode("utf-8", "replace").strip().splitlines()
            detail = said[-1][:200] if said else f"exit status {done.returncode}, no output"
            raise DocumentError(f"the {what} file cannot be read: LibreOffice could not convert it (encrypted, "
                                f"damaged or not really a Word file): {detail}")
        return produced.read_bytes()
