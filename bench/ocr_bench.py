"""OCR engines side by side on the scanned renditions in samples/scans/ (scripts/renditions_scan.py):
per rendition and engine, the character accuracy of the table cells against the text layer of the same
pages, CPU seconds per page on one core, and the forms, budget rows and indicator rows recovered.

    .venv/bin/python bench/run.py --ocr                 # every installed engine, every rendition
    .venv/bin/python bench/ocr_bench.py --engines rapidocr --only skewed

Character accuracy: the share of the text layer's cell characters (whitespace left out, cells in reading
order, full-width forms as ASCII) that the OCR'd cells match in order (difflib). Seconds: CPU time of this process and its children
(Tesseract) while reading the file (rendering, straightening, OCR, cells), divided by its pages; one page at
a time, one onnxruntime thread, OMP_THREAD_LIMIT=1 for Tesseract: one core."""
from __future__ import annotations

import argparse
import difflib
import os
import resource
import sys
import tempfile
import time
import unicodedata
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
os.environ.setdefault("OMP_THREAD_LIMIT", "1")

from renditions_scan import RENDITIONS  # noqa: E402

from jixiao import extract  # noqa: E402
from jixiao.extract import ocr_engines  # noqa: E402
from jixiao.normalize import pipeline  # noqa: E402


def cpu_seconds() -> float:
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def cell_text(tables) -> str:
    """The cells' characters in reading order, whitespace left out, full-width forms as ASCII (NFKC): OCR picks
    "(" or "（" for a paren at random, which is not a misreading."""
    text = "".join("".join(c.text.split()) for t in tables for c in t.iter_cells() if not c.is_covered)
    return unicodedata.normalize("NFKC", text)


def measure(scan, engine: str, reference_pdf: Path) -> dict:
    start = cpu_seconds()
    document = extract.read(scan.path, ocr=engine)  # every page OCR'd, one at a time
    seconds = cpu_seconds() - start
    want = cell_text(extract.read(reference_pdf, ocr="off").tables)
    got = cell_text(document.tables)
    matched = sum(b.size for b in difflib.SequenceMatcher(None, got, want, autojunk=False).get_matching_blocks())
    with mock.patch.object(pipeline.extract, "read", lambda *args, **kwargs: document):  # OCR once
        data = pipeline.process(scan.path)
    reference = pipeline.process(reference_pdf, ocr="off")

    def same(table: str, columns: list[str]) -> str:
        a = getattr(data, table)[columns].astype(str).values.tolist()
        b = getattr(reference, table)[columns].astype(str).values.tolist()
        return f"{sum(1 for row in b if row in a)}/{len(b)}"

    return {"rendition": scan.path.name, "engine": engine, "accuracy": matched / max(len(want), 1),
            "s_per_page": seconds / len(scan.pages), "pages": len(scan.pages), "dpi": scan.dpi,
            "forms": same("scorecards", ["claimed_total", "recomputed_total"]),
            "budget": same("budget_lines", ["budget_wan", "executed_wan", "claimed_rate", "claimed_score"]),
            "indicators": same("indicators", ["target_value", "actual_value", "claimed_score", "recomputed_score"])}


def render(rows: list[dict]) -> str:
    lines = ["| rendition | engine | char. accuracy | s/page (1 core) | forms | budget rows | indicator rows |",
             "|---|---|---|---|---|---|---|"]
    for r in rows:
        lines.append(f"| {r['rendition']} | {r['engine']} | {r['accuracy']:.1%} | {r['s_per_page']:.1f} | "
                     f"{r['forms']} | {r['budget']} | {r['indicators']} |")
    return "\n".join(lines + ["", summary(rows)])


def summary(rows: list[dict]) -> str:
    """Per engine: CPU seconds per page over every page read, and over the 200-dpi pages (the aim: <= 3 s)."""
    out = []
    for engine in dict.fromkeys(r["engine"] for r in rows):
        mine = [r for r in rows if r["engine"] == engine]
        at_200 = [r for r in mine if r["dpi"] == 200]

        def per_page(group: list[dict]) -> str:
            pages = sum(r["pages"] for r in group)
            return f"{sum(r['s_per_page'] * r['pages'] for r in group) / pages:.1f} s/page ({pages} pages)" if pages else "-"

        out.append(f"{engine}: {per_page(mine)} on one core; at 200 dpi {per_page(at_200)}")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engines", nargs="+", choices=ocr_engines.ORDER, default=list(ocr_engines.ORDER))
    parser.add_argument("--only", metavar="TEXT", help="renditions whose file name contains TEXT")
    args = parser.parse_args(argv)
    engines = [e for e in args.engines if ocr_engines.unavailable(e) is None]
    rows = []
    with tempfile.TemporaryDirectory(prefix="jixiao-ocr-bench-") as tmp:
        for scan in RENDITIONS:
            if args.only and args.only not in scan.path.name:
                continue
            reference = scan.text_layer(Path(tmp))
            for engine in engines:
                print(f"  {scan.path.name}: {engine}", file=sys.stderr, flush=True)
                rows.append(measure(scan, engine, reference))
    print(render(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
