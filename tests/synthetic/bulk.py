"""Loading thousands of synthetic documents into a fresh warehouse fast, for tests.

The pipeline's own path (``flows.runner.run_items``) checks every document's frames against
their tables one document at a time, which costs ~60 ms a document. Here each document is
read, parsed and staged exactly as the pipeline does, but the staged frames of a batch are
transformed together (one contract check per table per batch) and written with the
dialect's bulk writer in one transaction per batch; the comparison refresh runs once at the
end. Facts, rules and dimensions are the pipeline's; only the ``*_seq`` numbering differs
(unique per batch rather than per document). For an empty warehouse only: nothing is
superseded or replaced.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Iterable, Sequence

import polars as pl
from sqlalchemy import select
from sqlalchemy.engine import Connection, Engine

from extract.parse.document import PARSER_VERSION, parse_document
from extract.read.reader import read_document
from flows.conform import refresh
from flows.pipeline import staged_frames
from load.backends import backend_of
from load.documents import SHARED_DIMENSIONS
from schemas import table
from schemas.warehouse import DOCUMENT_FACT_TABLES, dim_document
from transform import transform_document

BATCH = 100


def _insert_new(connection: Connection, name: str, frame: pl.DataFrame) -> None:
    """Dimension rows whose key is new, through the backend's bulk insert (``insert_missing`` runs row by row)."""
    dim = table(name)
    keys = [c.name for c in dim.primary_key.columns]
    existing = pl.DataFrame([tuple(r) for r in connection.execute(select(*dim.primary_key.columns))],
                            schema={k: frame.schema[k] for k in keys}, orient="row")
    backend_of(connection).insert(connection, dim, frame.unique(keys).join(existing, on=keys, how="anti"))


def _batches(items: Sequence, size: int) -> Iterable[Sequence]:
    for start in range(0, len(items), size):
        yield items[start: start + size]


def load_in_bulk(engine: Engine, documents: Sequence[tuple[bytes, str]], *, batch: int = BATCH) -> int:
    """Load ``(bytes, source_uri)`` pairs; every one must parse (a DocumentError is a generator bug)."""
    loaded_at = datetime.now(timezone.utc)
    count = 0
    for part in _batches(documents, batch):
        staged = []
        for data, uri in part:
            doc = read_document(data, uri)
            staged.append(staged_frames(doc, parse_document(doc), len(data)))
        frames = {name: pl.concat([s[name] for s in staged]) for name in staged[0]}
        out = transform_document(frames, parser_version=PARSER_VERSION, loaded_at=loaded_at)
        with engine.begin() as connection:
            for name in SHARED_DIMENSIONS:
                _insert_new(connection, name, out[name])
            writer = backend_of(connection)
            writer.insert(connection, dim_document, out["dim_document"])
            for fact in DOCUMENT_FACT_TABLES:
                writer.insert(connection, fact, out[fact.name])
        count += len(part)
    refresh(engine)
    return count
