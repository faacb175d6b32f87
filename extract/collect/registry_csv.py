"""Reading a registry of disclosure portals (CSV) into source rows with region codes.

The shared registry (``disclosure_portals.csv``) has Chinese headers and a diagnosis
of each link; a user's own CSV may use English headers. Both map onto one row shape.
Every row is kept, even one whose name resolves to no GB/T 2260 code or that has no
link: the import reports them instead of dropping them, so the registry stays the
complete list of what the project knows about and what still needs a person.
"""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from extract.read.decode import decode_text_file
from reference.regions import RegionRef, region_by_code, resolve_region
from schemas.redact import mask_url

# header in the shared registry → our field; English headers map to themselves
HEADERS = {
    "省份": "province", "城市": "city", "区县": "county", "地区名称": "region_name",
    "层级": "level", "原始链接": "index_url", "页面是否可用": "usable", "页面类型": "page_kind",
    "判断说明": "note", "是否需人工复核": "needs_review", "HTTP状态码": "http_status",
    "页面标题": "page_title", "region_code": "region_code", "enabled": "enabled", "kind": "kind",
}
LEVELS = {"省级": "province", "地级市": "city", "区县": "county",
          "province": "province", "city": "city", "county": "county"}
KINDS = {
    "预决算页面": "disclosure_index",
    "法定公开内容页面": "statutory_disclosure",
    "财政信息或上层栏目页面": "finance_section",
    "存疑": "uncertain",
}
_YES = {"是", "yes", "true", "1", "y"}
_NO = {"否", "no", "false", "0", "n"}


@dataclass(frozen=True)
class SourceRow:
    source_id: str
    region_code: str | None
    region_level: str | None
    province_name: str | None
    city_name: str | None
    county_name: str | None
    region_name: str
    index_url: str | None
    host: str | None
    kind: str
    enabled: bool
    needs_review: bool
    registry_note: str | None
    registry_http_status: int | None
    registry_page_title: str | None


@dataclass
class RegistryImport:
    rows: list[SourceRow] = field(default_factory=list)
    unresolved: list[str] = field(default_factory=list)  # "省份 城市 名称" as written
    duplicates: int = 0

    @property
    def total(self) -> int:
        return len(self.rows)

    @property
    def resolved(self) -> int:
        return sum(r.region_code is not None for r in self.rows)

    def regions(self) -> list[RegionRef]:
        """Every resolved region with its ancestors, for ``dim_region``."""
        out: dict[str, RegionRef] = {}
        for code in {r.region_code for r in self.rows if r.region_code}:
            ref = region_by_code(code)
            while ref is not None and ref.code not in out:
                out[ref.code] = ref
                ref = region_by_code(ref.parent_code) if ref.parent_code else None
        return sorted(out.values(), key=lambda r: r.code)


def read_registry(path: Path) -> list[dict[str, str]]:
    """CSV rows with our field names, in any encoding the one decoder reads (UTF-8, GBK/GB18030 …,
    with or without BOM: :func:`extract.read.decode.decode_text_file`); ValueError otherwise."""
    text = decode_text_file(Path(path).read_bytes(), str(path))
    reader = csv.DictReader(io.StringIO(text))
    fields = [HEADERS.get((h or "").strip(), (h or "").strip()) for h in reader.fieldnames or []]
    if "index_url" not in fields or not ({"region_name", "county", "province"} & set(fields)):
        raise ValueError(
            f"{path}: a registry needs a link column (原始链接 or index_url) and a region column "
            f"(地区名称/区县/省份 or region_name/county/province); found {reader.fieldnames}"
        )
    return [
        {f: (v or "").strip() for f, v in zip(fields, raw.values()) if f}
        for raw in reader
    ]


def _flag(value: str, default: bool) -> bool:
    v = value.strip().lower()
    return True if v in _YES else False if v in _NO else default


def _int(value: str) -> int | None:
    return int(value) if value.strip().isdigit() else None


def source_id_of(province: str, city: str, county: str, name: str, url: str) -> str:
    key = "|".join([province, city, county, name, url])
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def resolve_row(rec: dict[str, str]) -> RegionRef | None:
    if rec.get("region_code"):
        return region_by_code(rec["region_code"])
    name = rec.get("region_name") or rec.get("county") or rec.get("city") or rec.get("province") or ""
    return resolve_region(name, province=rec.get("province") or None, city=rec.get("city") or None)


def to_source_row(rec: dict[str, str]) -> SourceRow:
    ref = resolve_row(rec)
    name = rec.get("region_name") or rec.get("county") or rec.get("city") or rec.get("province") or ""
    url = mask_url(rec["index_url"]) if rec.get("index_url") else None  # a password in a link is never kept
    host = (urlsplit(url).hostname or "").lower() or None if url else None
    # the registry's own verdict "page unusable" disables a source; "存疑" (doubtful) does not
    enabled = bool(host) and _flag(rec.get("enabled", ""), default=_flag(rec.get("usable", ""), True))
    return SourceRow(
        source_id=source_id_of(rec.get("province", ""), rec.get("city", ""), rec.get("county", ""), name, url or ""),
        region_code=ref.code if ref else None,
        region_level=LEVELS.get(rec.get("level", ""), ref.level if ref else None),
        province_name=rec.get("province") or (ref.province_name if ref else None),
        city_name=rec.get("city") or (ref.city_name if ref else None),
        county_name=rec.get("county") or (ref.county_name if ref else None),
        region_name=name,
        index_url=url,
        host=host,
        kind=rec.get("kind") or KINDS.get(rec.get("page_kind", ""), "other"),
        enabled=enabled,
        needs_review=_flag(rec.get("needs_review", ""), False),
        registry_note=rec.get("note") or None,
        registry_http_status=_int(rec.get("http_status", "")),
        registry_page_title=rec.get("page_title") or None,
    )


def import_registry(path: Path) -> RegistryImport:
    """All rows of a registry CSV, resolved where the names allow; duplicates counted once."""
    result = RegistryImport()
    seen: set[str] = set()
    for rec in read_registry(path):
        row = to_source_row(rec)
        if row.source_id in seen:
            result.duplicates += 1
            continue
        seen.add(row.source_id)
        result.rows.append(row)
        if row.region_code is None:
            where = " ".join(p for p in (row.province_name, row.city_name) if p)
            result.unresolved.append(f"{where} {row.region_name}".strip())
    return result
