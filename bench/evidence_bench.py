"""What the flags' evidence files cost (issue 13 item 3): per sample, the CPU seconds of reading it and of
writing its evidence (PNG page crops for PDF flags with a box, small HTML pages for the others), per flag, and
the bytes written; then the whole samples/ batch.

    .venv/bin/python bench/run.py --evidence
    .venv/bin/python bench/evidence_bench.py --repeat 3

CPU time of this process (robust on a shared machine, where wall time is not), best of --repeat runs, after a
warm-up: `process_rows` with `evidence_out`, the time inside its evidence step (pipeline.add_evidence) added up
apart; reading = the rest.
One process, one core."""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
FORMATS = (".pdf", ".docx", ".txt")


def cpu(fn, repeat: int) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.process_time()
        result = fn()
        best = min(best, time.process_time() - start)
    return best, result


def timed_evidence():
    """pipeline.add_evidence wrapped to add up its own CPU time: the evidence's cost measured directly, not as the
    difference of two noisy runs of the whole pipeline."""
    from jixiao.normalize import pipeline
    original, spent = pipeline.add_evidence, []

    def wrapper(*args, **kwargs):
        start = time.process_time()
        try:
            return original(*args, **kwargs)
        finally:
            spent.append(time.process_time() - start)
    pipeline.add_evidence = wrapper
    return spent


def measure(path: Path, repeat: int, spent: list[float]) -> dict:
    from jixiao.normalize.pipeline import process_rows
    best = float("inf")
    with tempfile.TemporaryDirectory(prefix="jixiao-evidence-") as out:
        read, _ = cpu(lambda: process_rows(path, evidence_out=out), repeat)
        for _ in range(repeat):
            spent.clear()
            process_rows(path, evidence_out=out)
            best = min(best, sum(spent))
        files = [p for p in Path(out).rglob("*") if p.is_file()]
        size = sum(p.stat().st_size for p in files)
        pngs = sum(p.suffix == ".png" for p in files)
    return {"file": path.name, "flags": len(files), "png": pngs, "read": max(read - best, 0.0), "evidence": best,
            "bytes": size}


def render(rows: list[dict]) -> str:
    lines = [f"{'file':<52} {'flags':>5} {'png':>4} {'read s':>7} {'evidence s':>10} {'ms/flag':>8} {'KB/flag':>8}"]
    for r in rows:
        n = max(r["flags"], 1)
        lines.append(f"{r['file'][:52]:<52} {r['flags']:>5} {r['png']:>4} {r['read']:>7.2f} {r['evidence']:>10.3f} "
                     f"{r['evidence'] / n * 1000:>8.1f} {r['bytes'] / n / 1024:>8.1f}")
    flags = sum(r["flags"] for r in rows)
    read, pictures, size = (sum(r[k] for r in rows) for k in ("read", "evidence", "bytes"))
    lines.append(f"samples batch: {len(rows)} files, {flags} flags: reading {read:.2f} s CPU, evidence "
                 f"{pictures:.2f} s CPU ({pictures / max(read, 1e-9):.0%} of reading, "
                 f"{pictures / max(flags, 1) * 1000:.1f} ms per flag), {size / 1e6:.2f} MB "
                 f"({size / max(flags, 1) / 1024:.1f} KB per flag)")
    for name, suffixes in (("PDF", (".pdf",)), (".txt", (".txt",))):
        picked = [r for r in rows if r["file"].endswith(suffixes)]
        n, spent = sum(r["flags"] for r in picked), sum(r["evidence"] for r in picked)
        lines.append(f"  {name} files: {len(picked)}, {n} flags, evidence {spent * 1000 / max(len(picked), 1):.1f} ms "
                     f"per file, {spent * 1000 / max(n, 1):.2f} ms per flag")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=2, help="best of N runs per file (default 2)")
    args = parser.parse_args(argv)
    files = sorted(p for p in SAMPLES.iterdir() if p.suffix in FORMATS)
    from jixiao.normalize.pipeline import process_rows
    with tempfile.TemporaryDirectory() as out:  # warm-up: dictionaries, fonts, pdfium loaded once
        for suffix in FORMATS:
            process_rows(next(p for p in files if p.suffix == suffix), evidence_out=out)
    spent = timed_evidence()
    rows = []
    for path in files:
        print(f"  {path.name}", file=sys.stderr, flush=True)
        rows.append(measure(path, args.repeat, spent))
    print(render(rows))
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
