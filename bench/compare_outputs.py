"""Are two `jixiao run` output folders the same? For a change to the batch's plumbing (how rows reach the outputs),
which must not change a byte of what they hold:

    .venv/bin/python bench/compare_outputs.py OUT_BEFORE OUT_AFTER

Compared: every batch file's bytes (CSVs, report.html, …); audit.xlsx part by part (its timestamp part aside), and
where a part differs, every sheet's cells as openpyxl reads them; jixiao.sqlite table by table in export order
(the manifest without its done_at time); the per-report folders and evidence files, byte for byte. Prints what
differs; exit status 1 if anything does."""
from __future__ import annotations

import sqlite3
import sys
import zipfile
from pathlib import Path

WORKBOOK = "audit.xlsx"
UNSTAMPED = "docProps/core.xml"  # the workbook's creation time: differs between any two runs
DB = "jixiao.sqlite"
TREES = ("reports", "evidence")
MANIFEST_COLUMNS = "path, source_path, sha256, size, mtime_ns, settings, report_id, status"  # not done_at


def batch_files(out: Path) -> set[str]:
    return {p.name for p in out.iterdir() if p.is_file() and not p.name.startswith(".")} - {WORKBOOK, DB}


def compare_files(a: Path, b: Path) -> list[str]:
    names_a, names_b = batch_files(a), batch_files(b)
    diffs = [f"only in {a}: {n}" for n in sorted(names_a - names_b)]
    diffs += [f"only in {b}: {n}" for n in sorted(names_b - names_a)]
    diffs += [f"{n} differs" for n in sorted(names_a & names_b) if (a / n).read_bytes() != (b / n).read_bytes()]
    return diffs


def compare_workbooks(a: Path, b: Path) -> list[str]:
    with zipfile.ZipFile(a) as za, zipfile.ZipFile(b) as zb:
        parts_a, parts_b = set(za.namelist()) - {UNSTAMPED}, set(zb.namelist()) - {UNSTAMPED}
        if parts_a != parts_b:
            return [f"{WORKBOOK}: parts differ: {sorted(parts_a ^ parts_b)}"]
        if all(za.read(p) == zb.read(p) for p in parts_a):
            return []
    return [f"{WORKBOOK}: {d}" for d in compare_cells(a, b)]


def compare_cells(a: Path, b: Path) -> list[str]:
    import openpyxl
    book_a, book_b = openpyxl.load_workbook(a, read_only=True), openpyxl.load_workbook(b, read_only=True)
    if book_a.sheetnames != book_b.sheetnames:
        return [f"sheets {book_a.sheetnames} != {book_b.sheetnames}"]
    diffs = []
    for name in book_a.sheetnames:
        rows_a, rows_b = list(book_a[name].values), list(book_b[name].values)
        if rows_a != rows_b:
            if sorted(rows_a, key=repr) == sorted(rows_b, key=repr):  # --jobs 2: files complete in another order
                diffs.append(f"sheet {name}: the same rows in another order")
                continue
            first = next((i for i, (x, y) in enumerate(zip(rows_a, rows_b)) if x != y), min(len(rows_a), len(rows_b)))
            diffs.append(f"sheet {name}: {len(rows_a)} vs {len(rows_b)} rows, first difference at row {first + 1}")
    return diffs or ["parts differ, cells the same (styles or layout?)"]


def compare_databases(a: Path, b: Path) -> list[str]:
    from jixiao.normalize.schema import TABLES
    from jixiao.normalize.writers.sqlite_db import ORDER
    queries = {table: f'SELECT * FROM "{table}" ORDER BY {ORDER[table]}' for table in TABLES}
    queries["jixiao_manifest"] = f"SELECT {MANIFEST_COLUMNS} FROM jixiao_manifest ORDER BY path"
    queries["jixiao_outputs"] = "SELECT name FROM jixiao_outputs ORDER BY name"
    conn_a, conn_b = sqlite3.connect(a), sqlite3.connect(b)
    diffs = []
    for name, sql in queries.items():
        rows_a, rows_b = conn_a.execute(sql).fetchall(), conn_b.execute(sql).fetchall()
        if rows_a != rows_b:
            diffs.append(f"{DB} table {name}: {len(rows_a)} vs {len(rows_b)} rows, "
                         f"{sum(x != y for x, y in zip(rows_a, rows_b))} of the common ones differ")
    return diffs


def compare_trees(a: Path, b: Path) -> list[str]:
    files_a = {p.relative_to(a) for p in a.rglob("*") if p.is_file()} if a.is_dir() else set()
    files_b = {p.relative_to(b) for p in b.rglob("*") if p.is_file()} if b.is_dir() else set()
    diffs = [f"{a.name}/: {len(files_a - files_b)} files only in the first, {len(files_b - files_a)} only in the "
             f"second"] if files_a != files_b else []
    differing = [p for p in sorted(files_a & files_b) if (a / p).read_bytes() != (b / p).read_bytes()]
    diffs += [f"{a.name}/{p} differs" for p in differing[:20]]
    if len(differing) > 20:
        diffs.append(f"… {len(differing) - 20} more files differ under {a.name}/")
    return diffs


def compare(a: Path, b: Path) -> list[str]:
    diffs = compare_files(a, b) + compare_workbooks(a / WORKBOOK, b / WORKBOOK) + compare_databases(a / DB, b / DB)
    for tree in TREES:
        diffs += compare_trees(a / tree, b / tree)
    return diffs


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    a, b = map(Path, argv)
    diffs = compare(a, b)
    for line in diffs:
        print(line)
    files = sum(1 for _ in a.rglob("*"))
    print(f"{'DIFFERENT' if diffs else 'same'}: {a} vs {b} ({files} paths in the first)")
    return 1 if diffs else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
