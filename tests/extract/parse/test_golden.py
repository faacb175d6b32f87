"""Golden files: the full parse of one document per template, reviewed by a person once.

A parser change that moves any record shows up as a diff of the golden JSON. To accept
a reviewed change: ``UPDATE_GOLDEN=1 pytest tests/extract/test_golden.py``.
"""

import dataclasses
import json
import os
from pathlib import Path

import pytest

from extract.parse.document import parse_document
from extract.read.reader import read_document
from tests.conftest import SEED_PATH

GOLDEN = Path(__file__).resolve().parents[2] / "golden"
TEMPLATES = {"seed_text_2021": SEED_PATH}


def as_json(result) -> dict:
    def plain(record):
        data = dataclasses.asdict(record)
        return data

    meta = dataclasses.asdict(result.meta)
    meta.pop("where")
    return {
        "meta": meta,
        "amounts": [plain(a) for a in result.amounts],
        "units": [plain(u) for u in result.units],
        "projects": [plain(p) for p in result.projects],
        "plans": [plain(p) for p in result.plans],
        "indicators": [plain(i) for i in result.indicators],
        "assets": [plain(a) for a in result.assets],
        "sections_found": result.sections_found,
        "tables_found": result.tables_found,
    }


@pytest.mark.parametrize("name", sorted(TEMPLATES))
def test_parse_matches_golden(name):
    path = TEMPLATES[name]
    result = as_json(parse_document(read_document(path.read_bytes(), source_uri=path.name)))
    golden = GOLDEN / f"{name}.json"
    rendered = json.dumps(result, ensure_ascii=False, indent=1, sort_keys=True)
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(rendered + "\n", encoding="utf-8")
    assert json.loads(golden.read_text(encoding="utf-8")) == json.loads(rendered)
