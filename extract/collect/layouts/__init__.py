"""Portal layouts: how a portal's pages are read, one small class per CMS habit.

A portal names its layout in ``extract/collect/portals.toml`` (``layout = "gkml_table"``, or
a list of names, combined); without one it gets :data:`~extract.collect.portal_config.DEFAULT_LAYOUT`.
Each layout is a module here, a subclass of :class:`~extract.collect.layouts.base.Layout`:

==================  ==========================================================================
``static_pager``    list pages index.html, index_1.html … / ?page=N, linked by 下一页 or numbers
``script_pager``    + pagers drawn by ``createPageHTML(total, current, "index", "html")``
``column_pages``    + a link that leads to a list (a column) read one level down (the default)
``download_servlet``+ attachments behind ``downfile.jsp?id=…``, named by Content-Disposition
``gkml_table``      + 政府信息公开 tables: 索引号/标题/发布机构/成文日期 rows, body and date kept
==================  ==========================================================================
"""

from __future__ import annotations

import importlib

from extract.collect.layouts.base import Entry, Layout, Listing
from extract.collect.portal_config import LAYOUT_NAMES, PortalConfig

__all__ = ["Entry", "LAYOUTS", "Layout", "Listing", "layout_for"]


def _layout_of(name: str) -> type[Layout]:
    """The ``Layout`` subclass named ``name`` in the module of that name (a new layout is one module)."""
    module = importlib.import_module(f"{__name__}.{name}")
    found = [v for v in vars(module).values() if isinstance(v, type) and issubclass(v, Layout) and v.name == name]
    if len(found) != 1:
        raise ImportError(f"layouts/{name}.py must define one Layout subclass with name = {name!r}")
    return found[0]


LAYOUTS: dict[str, type[Layout]] = {name: _layout_of(name) for name in LAYOUT_NAMES}


def layout_for(config: PortalConfig) -> Layout:
    """The layout ``config`` names (several combined, most specific first), for that portal."""
    classes = [LAYOUTS[name] for name in config.layout_names]
    # a layout named beside one it already extends adds nothing ("static_pager" + "gkml_table")
    bases = tuple(dict.fromkeys(c for c in classes if not any(o is not c and issubclass(o, c) for o in classes)))
    if len(bases) == 1:
        return bases[0](config)
    combined = type("+".join(c.name for c in bases), bases, {"name": "+".join(c.name for c in bases)})
    return combined(config)
