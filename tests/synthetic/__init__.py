"""Synthetic disclosures with known truth, for round-trip tests of extraction.

:func:`generate_truth` draws a department-year whose figures satisfy the budget
identities; the renderers turn it into the seed's plain text or into PDFs with the
quirks real files show. Everything is generated in memory; nothing generated is kept.
"""

from tests.synthetic.truth import Truth, generate_truth, identity_failures, wan
from tests.synthetic.render_text import render_seed_text, seed_blocks

__all__ = [
    "Truth", "generate_truth", "identity_failures", "wan", "render_seed_text", "seed_blocks",
    "render_seed_pdf", "render_standard_tables_pdf",
]


def __getattr__(name: str):
    # the PDF renderers import reportlab; load them only when asked for
    if name in ("render_seed_pdf", "render_standard_tables_pdf"):
        from tests.synthetic import render_pdf

        return getattr(render_pdf, name)
    raise AttributeError(name)
