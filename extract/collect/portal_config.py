"""What a disclosure portal looks like, per source, with one default that fits most.

Most county portals are the same few CMS products: a column page listing titles, 下一页
links or ``index_2.html`` pagination, a detail page per disclosure with the tables inline
or PDF/XLS attachments. The default below encodes that; a portal that differs gets a
section in a TOML file instead of code::

    [default]                      # overrides the built-in default for every source
    max_index_pages = 30

    [host."czj.example.gov.cn"]    # every source on that host
    link_xpath = "//div[@class='list']//a"

    [source."3f2a9c0d1e2b4a5c"]    # one registry source (src_source.source_id)
    document_pattern = "部门预算|部门决算"
    extra_allowed_hosts = ["files.example.cn"]
    layout = "gkml_table"          # how its pages are read (extract/collect/layouts/)

``layout`` names one of :data:`LAYOUT_NAMES` (or a list of them, combined); absent, the
default ``column_pages`` (static and script pagers, column pages followed one level down).

Keys are the fields of :class:`PortalConfig`; an unknown key is an error, so a typo does
not silently fall back to the default.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

DEFAULT_CONFIG_PATH = Path(__file__).with_name("portals.toml")
#: The layouts a portal may name (one module each in extract/collect/layouts/, which checks
#: its registry against this list).
#: The layouts there are: one module each in ``extract/collect/layouts/``, named as the layout, read
#: from the folder (importing the layouts here would be a cycle: they read a ``PortalConfig``).
LAYOUT_NAMES: tuple[str, ...] = tuple(sorted(
    path.stem for path in (Path(__file__).parent / "layouts").glob("*.py") if path.stem not in ("__init__", "base")))
DEFAULT_LAYOUT = "column_pages"


@dataclass(frozen=True)
class PortalConfig:
    # link text / title of a budget or final-account disclosure
    document_pattern: str = (
        r"部门预算|单位预算|部门决算|单位决算|预算公开|决算公开|预决算|20\d\d\s*年度?\s*(预算|决算)"
    )
    # …but not the government's own budget, execution reports or adjustments
    exclude_pattern: str = r"政府预算|政府决算|总预算|总决算|预算执行|预算调整|调整方案|草案"
    next_page_pattern: str = r"^\s*(下一页|下页|后页|>|›|»|>>)\s*$"
    pagination_href_pattern: str = r"(index|list)_\d+\.s?html?$|[?&](page|pageNo|pageIndex|pageNum|p)=\d+"
    document_extensions: tuple[str, ...] = (
        ".pdf", ".doc", ".docx", ".xls", ".xlsx", ".wps", ".et", ".ofd", ".zip", ".rar", ".txt",
    )
    link_xpath: str = "//a[@href]"  # where on a page links are looked for
    max_index_pages: int = 50
    max_depth: int = 3  # index → column list → detail page → attachment
    max_detail_pages: int = 300
    max_documents: int = 300
    extra_allowed_hosts: tuple[str, ...] = ()
    # a detail page is itself a disclosure when its text is long and talks money both ways
    html_document_min_chars: int = 300
    html_document_markers: tuple[str, ...] = ("收入", "支出")
    # how the portal's pages are read: a name of LAYOUT_NAMES, or several combined; () = the default
    layout: tuple[str, ...] = ()
    # download_servlet: an attachment served by a script (downfile.jsp?id=…, download.do?fileId=…)
    download_href_pattern: str = (
        r"(?i)/(down(load)?(file)?|getfile|attach(ment)?)\w*\.(jsp|do|action|aspx?|php)\b"
        r"|[?&](file_?id|attach_?id|fid|filename)="
    )

    def __post_init__(self) -> None:
        for name in ("document_pattern", "exclude_pattern", "next_page_pattern", "pagination_href_pattern",
                     "download_href_pattern"):
            try:
                re.compile(getattr(self, name))
            except re.error as exc:
                raise ValueError(f"portal config {name}: not a regular expression ({exc})") from None
        for name in ("max_index_pages", "max_detail_pages", "max_documents", "max_depth"):
            if getattr(self, name) < 1:
                raise ValueError(f"portal config {name} must be >= 1")
        exts = tuple(e.lower() if e.startswith(".") else "." + e.lower() for e in self.document_extensions)
        object.__setattr__(self, "document_extensions", exts)
        object.__setattr__(self, "extra_allowed_hosts", tuple(h.lower() for h in self.extra_allowed_hosts))
        layout = (self.layout,) if isinstance(self.layout, str) else tuple(self.layout)
        unknown = [name for name in layout if name not in LAYOUT_NAMES]
        if unknown:
            raise ValueError(f"portal config layout: unknown {unknown}; known: {list(LAYOUT_NAMES)}")
        object.__setattr__(self, "layout", layout)

    @property
    def document_re(self) -> re.Pattern[str]:
        return re.compile(self.document_pattern)

    @property
    def exclude_re(self) -> re.Pattern[str]:
        return re.compile(self.exclude_pattern)

    @property
    def next_page_re(self) -> re.Pattern[str]:
        return re.compile(self.next_page_pattern)

    @property
    def pagination_re(self) -> re.Pattern[str]:
        return re.compile(self.pagination_href_pattern, re.I)

    @property
    def download_re(self) -> re.Pattern[str]:
        return re.compile(self.download_href_pattern)

    @property
    def layout_names(self) -> tuple[str, ...]:
        """The layouts this portal's pages are read with (the default when none is named)."""
        return self.layout or (DEFAULT_LAYOUT,)


_FIELDS = {f.name for f in fields(PortalConfig)}


def apply_overrides(base: PortalConfig, overrides: dict[str, Any], where: str) -> PortalConfig:
    unknown = set(overrides) - _FIELDS
    if unknown:
        raise ValueError(f"{where}: unknown portal config keys {sorted(unknown)}; known: {sorted(_FIELDS)}")
    values = {k: tuple(v) if isinstance(v, list) else v for k, v in overrides.items()}
    return replace(base, **values)


@dataclass(frozen=True)
class PortalConfigs:
    default: PortalConfig = field(default_factory=PortalConfig)
    by_host: dict[str, dict[str, Any]] = field(default_factory=dict)
    by_source: dict[str, dict[str, Any]] = field(default_factory=dict)

    def for_source(self, source_id: str | None = None, host: str | None = None) -> PortalConfig:
        """Default, then the host's section, then the source's own section."""
        config = self.default
        if host and host.lower() in self.by_host:
            config = apply_overrides(config, self.by_host[host.lower()], f"[host.{host!r}]")
        if source_id and source_id in self.by_source:
            config = apply_overrides(config, self.by_source[source_id], f"[source.{source_id!r}]")
        return config


def parse_portal_configs(text: str, where: str = "portal config") -> PortalConfigs:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"{where}: not valid TOML ({exc})") from None
    unknown = set(data) - {"default", "host", "source"}
    if unknown:
        raise ValueError(f"{where}: unknown sections {sorted(unknown)}; use [default], [host.X], [source.X]")
    default = apply_overrides(PortalConfig(), data.get("default", {}), f"{where} [default]")
    hosts = {h.lower(): v for h, v in data.get("host", {}).items()}
    configs = PortalConfigs(default, hosts, dict(data.get("source", {})))
    for host in hosts:  # fail on load, not in the middle of a nightly run
        configs.for_source(host=host)
    for source_id in configs.by_source:
        configs.for_source(source_id=source_id)
    return configs


def load_portal_configs(path: Path | None = None) -> PortalConfigs:
    """The given file, else the bundled ``extract/collect/portals.toml``, else built-ins."""
    path = path or DEFAULT_CONFIG_PATH
    if not path.exists():
        return PortalConfigs()
    return parse_portal_configs(path.read_text(encoding="utf-8"), str(path))
