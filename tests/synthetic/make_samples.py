"""Write generated disclosures to a folder, e.g. to try the pipeline on many counties.

    python -m tests.synthetic.make_samples OUT_DIR [--count N] [--start SEED]
        [--kinds text,seed-pdf,tables-pdf] [--encoding utf-8|gbk|gb18030] [--truth FILE]

Documents cycle through the requested kinds; file names carry the seed, county,
department and year, so a run's output can be traced back to ``generate_truth(seed)``.
``--truth FILE`` also writes the truths as JSON (outside OUT_DIR, or the pipeline
would try to read it as a document).
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from decimal import Decimal
from pathlib import Path

from tests.synthetic import generate_truth, render_seed_text
from tests.synthetic.truth import Truth

KINDS = ("text", "seed-pdf", "tables-pdf")


def render(truth: Truth, kind: str, encoding: str) -> tuple[bytes, str]:
    if kind == "text":
        return render_seed_text(truth, encoding), "txt"
    from tests.synthetic.render_pdf import render_seed_pdf, render_standard_tables_pdf

    if kind == "seed-pdf":
        return render_seed_pdf(truth), "pdf"
    return render_standard_tables_pdf(truth), "pdf"


def write_samples(out: Path, count: int, start: int, kinds: list[str], encoding: str) -> list[Truth]:
    out.mkdir(parents=True, exist_ok=True)
    truths = []
    for n in range(count):
        seed = start + n
        kind = kinds[n % len(kinds)]
        truth = generate_truth(seed)
        data, ext = render(truth, kind, encoding)
        name = f"{seed:05d}_{truth.department}_{truth.year}_{kind}.{ext}"
        (out / name).write_bytes(data)
        truths.append(truth)
    return truths


def _json_default(value: object) -> str:
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(type(value).__name__)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="write synthetic disclosures with known truth")
    parser.add_argument("out", type=Path)
    parser.add_argument("--count", type=int, default=10)
    parser.add_argument("--start", type=int, default=0, help="first seed")
    parser.add_argument("--kinds", default="text", help=f"comma-separated, from {', '.join(KINDS)}")
    parser.add_argument("--encoding", default="utf-8", choices=("utf-8", "utf-8-sig", "gbk", "gb18030"))
    parser.add_argument("--truth", type=Path, default=None, help="also write the truths as JSON here")
    args = parser.parse_args(argv)
    kinds = [k.strip() for k in args.kinds.split(",") if k.strip()]
    unknown = sorted(set(kinds) - set(KINDS))
    if unknown or not kinds or args.count < 1:
        print(f"need --count >= 1 and kinds from {KINDS}; got {kinds}", file=sys.stderr)
        return 2
    truths = write_samples(args.out, args.count, args.start, kinds, args.encoding)
    if args.truth:
        payload = [asdict(t) for t in truths]
        args.truth.write_text(json.dumps(payload, ensure_ascii=False, indent=1, default=_json_default))
    print(f"wrote {len(truths)} documents to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
