"""Fuzzing the whole pipeline: mutated disclosures never make it raise; each ends loaded or quarantined.

Hypothesis mutates the seed and synthetic documents (text, HTML, a standard-tables PDF)
the way broken downloads and careless exports do — truncations, dropped or repeated
lines, swapped digits, swapped units (元/万元/亿元), huge and negative numbers, stray
bytes — and every mutant goes through ``prepare`` and ``store`` into a DuckDB and a
PostgreSQL warehouse. The property: no exception escapes, the outcome is ``loaded`` or
``quarantined`` (with a reason), and ``dim_document`` holds the document with that
status on both dialects. Examples are derandomized, so CI runs the same ones each time.
"""

from __future__ import annotations

import re
from contextlib import ExitStack
from functools import lru_cache

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flows.pipeline import prepare, store
from load.warehouse import opened
from tests.conftest import DIALECTS, SEED_PATH, make_warehouse_url, query_rows

# hypothesis examples through prepare and store on both dialects: full suite only
pytestmark = pytest.mark.slow


NUMBER = re.compile(r"\d+(?:\.\d+)?")
UNITS = ["元", "万元", "亿元", "千元", ""]
SETTINGS = dict(derandomize=True, deadline=None, suppress_health_check=list(HealthCheck), database=None)


@lru_cache(maxsize=1)
def text_bases() -> tuple[str, ...]:
    from tests.synthetic import generate_truth, render_seed_text

    return (SEED_PATH.read_text(encoding="utf-8"),
            *(render_seed_text(generate_truth(seed)).decode("utf-8") for seed in (3, 7)))


@lru_cache(maxsize=1)
def binary_bases() -> tuple[tuple[str, bytes], ...]:
    from tests.synthetic import generate_truth
    from tests.synthetic.render_html import render_seed_html

    bases = [("html", render_seed_html(generate_truth(5)))]
    try:
        from tests.synthetic import render_standard_tables_pdf
    except ImportError:  # reportlab is a test extra
        return tuple(bases)
    return (*bases, ("pdf", render_standard_tables_pdf(generate_truth(11))))


@pytest.fixture(scope="module")
def warehouses(request, tmp_path_factory):
    """One warehouse per dialect for every example (documents accumulate, as in a long run)."""
    with ExitStack() as stack:
        yield {d: stack.enter_context(opened(make_warehouse_url(d, request, tmp_path_factory.mktemp(f"fuzz-{d}"))))
               for d in DIALECTS}


# ------------------------------------------------------------------ mutations of text
@st.composite
def mutated_text(draw) -> str:
    text = draw(st.sampled_from(text_bases()))
    for _ in range(draw(st.integers(1, 4))):
        text = draw(st.sampled_from(TEXT_MUTATIONS))(draw, text)
    return text


def truncate(draw, text: str) -> str:
    return text[: draw(st.integers(0, len(text)))]


def drop_lines(draw, text: str) -> str:
    lines = text.splitlines()
    if not lines:
        return text
    start = draw(st.integers(0, len(lines) - 1))
    return "\n".join(lines[:start] + lines[start + draw(st.integers(1, 20)):])


def repeat_line(draw, text: str) -> str:
    lines = text.splitlines() or [""]
    at = draw(st.integers(0, len(lines) - 1))
    return "\n".join(lines[: at + 1] + [lines[at]] * draw(st.integers(1, 3)) + lines[at + 1:])


def _numbers(text: str) -> list[re.Match]:
    return list(NUMBER.finditer(text))


def swap_digits(draw, text: str) -> str:
    found = _numbers(text)
    if not found:
        return text
    m = draw(st.sampled_from(found))
    digits = list(m.group())
    i, j = draw(st.integers(0, len(digits) - 1)), draw(st.integers(0, len(digits) - 1))
    digits[i], digits[j] = digits[j], digits[i]
    return text[: m.start()] + "".join(digits) + text[m.end():]


def huge_number(draw, text: str) -> str:
    found = _numbers(text)
    if not found:
        return text
    m = draw(st.sampled_from(found))
    big = draw(st.sampled_from(["-", ""])) + draw(st.text("0123456789", min_size=15, max_size=40))
    if draw(st.booleans()):
        big += "." + draw(st.text("0123456789", min_size=1, max_size=6))
    return text[: m.start()] + big + text[m.end():]


def swap_unit(draw, text: str) -> str:
    found = [m for m in re.finditer(r"亿元|万元|千元|元", text)]
    if not found:
        return text
    m = draw(st.sampled_from(found))
    return text[: m.start()] + draw(st.sampled_from(UNITS)) + text[m.end():]


def stray_characters(draw, text: str) -> str:
    at = draw(st.integers(0, len(text)))
    junk = draw(st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=20))
    return text[:at] + junk + text[at:]


TEXT_MUTATIONS = (truncate, drop_lines, repeat_line, swap_digits, huge_number, swap_unit, stray_characters)


# ------------------------------------------------------------------ mutations of bytes
@st.composite
def mutated_bytes(draw) -> tuple[str, bytes]:
    kind, data = draw(st.sampled_from(binary_bases()))
    data = bytearray(data)
    for _ in range(draw(st.integers(1, 3))):
        how = draw(st.sampled_from(["truncate", "overwrite", "delete"]))
        at = draw(st.integers(0, max(0, len(data) - 1)))
        if how == "truncate":
            data = data[:at]
        elif how == "overwrite":
            patch = draw(st.binary(min_size=1, max_size=64))
            data[at : at + len(patch)] = patch
        else:
            del data[at : at + draw(st.integers(1, 512))]
    return kind, bytes(data)


def check_outcome(warehouses, data: bytes, uri: str) -> None:
    prepared = prepare(data, uri)
    # held: figures read but whose they are is not printed; recorded with its reason, not in the marts
    assert prepared.status in ("loaded", "quarantined", "held")
    assert prepared.status == "loaded" or prepared.reason
    for dialect, engine in warehouses.items():
        stored = store(engine, prepared)
        assert stored.status in ("loaded", "quarantined", "held"), dialect
        assert query_rows(engine, "SELECT status FROM dim_document WHERE document_id = :d",
                          d=stored.document_id) == [(stored.status,)], dialect


@settings(max_examples=120, **SETTINGS)
@given(text=mutated_text(), encoding=st.sampled_from(["utf-8", "gb18030"]))
def test_mutated_text_disclosures_end_loaded_or_quarantined(warehouses, text, encoding):
    check_outcome(warehouses, text.encode(encoding, errors="replace"), "file:///fuzz/mutant.txt")


@settings(max_examples=25, **SETTINGS)
@given(mutant=mutated_bytes())
def test_mutated_html_and_pdf_disclosures_end_loaded_or_quarantined(warehouses, mutant):
    kind, data = mutant
    check_outcome(warehouses, data, f"file:///fuzz/mutant.{kind}")
