"""The one source of table definitions: SQLAlchemy Core tables on one MetaData.

Frame contracts (:mod:`schemas.frames`) and migrations (:mod:`load.migrations`) are
derived from these tables; nothing else declares a column.
"""

from schemas.base import metadata
from schemas import warehouse as warehouse  # noqa: F401  (registers tables)
from schemas import registry as registry  # noqa: F401  (registers tables)
from schemas import conformed as conformed  # noqa: F401  (registers tables)
from schemas import review as review  # noqa: F401  (registers tables)
from schemas import refresh as refresh  # noqa: F401  (registers tables)

__all__ = ["metadata", "table"]


def table(name: str):
    """Look a table up by name; KeyError names the tables that exist."""
    try:
        return metadata.tables[name]
    except KeyError:
        raise KeyError(f"no table {name!r}; known: {sorted(metadata.tables)}") from None
