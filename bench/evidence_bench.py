"""What the flags' evidence pictures cost (issue 13 item 3): per sample, the CPU seconds of reading it and of
drawing its pictures, per flag, and the bytes written; then the whole samples/ batch.

    .venv/bin/python bench/run.py --evidence
    .venv/bin/python bench/evidence_bench.py --repeat 3

CPU time of this process (robust on a shared machine, where wall time is not), best of --repeat runs, after a
warm-up: `process_rows` without evidence, then with `evidence_out`; the difference is the pictures' cost.
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


def measure(path: Path, repeat: int) -> dict:
    from jixiao.normalize.pipeline import process_rows
    read, _ = cpu(lambda: process_rows(path), repeat)
    with tempfile.TemporaryDirectory(prefix="jixiao-evidence-") as out:
        both, tables = cpu(lambda: process_rows(path, evidence_out=out), repeat)
        pictures = list(Path(out).rglob("*.png"))
        size = sum(p.stat().st_size for p in pictures)
    flags = len(pictures)
    return {"file": path.name, "flags": flags, "read": read, "evidence": max(both - read, 0.0), "bytes": size}


def render(rows: list[dict]) -> str:
    lines = [f"{'file':<52} {'flags':>5} {'read s':>7} {'pictures s':>10} {'ms/flag':>8} {'KB/flag':>8}"]
    for r in rows:
        n = max(r["flags"], 1)
        lines.append(f"{r['file'][:52]:<52} {r['flags']:>5} {r['read']:>7.2f} {r['evidence']:>10.2f} "
                     f"{r['evidence'] / n * 1000:>8.0f} {r['bytes'] / n / 1024:>8.0f}")
    flags = sum(r["flags"] for r in rows)
    read, pictures, size = (sum(r[k] for r in rows) for k in ("read", "evidence", "bytes"))
    lines.append(f"samples batch: {len(rows)} files, {flags} flags: reading {read:.1f} s CPU, pictures "
                 f"{pictures:.1f} s CPU ({pictures / max(read, 1e-9):.0%} of reading, "
                 f"{pictures / max(flags, 1) * 1000:.0f} ms per flag), {size / 1e6:.1f} MB "
                 f"({size / max(flags, 1) / 1024:.0f} KB per flag)")
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
    rows = []
    for path in files:
        print(f"  {path.name}", file=sys.stderr, flush=True)
        rows.append(measure(path, args.repeat))
    print(render(rows))
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
