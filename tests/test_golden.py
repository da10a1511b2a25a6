"""Golden outputs: `normalize.pipeline.process` on every file in samples/ gives exactly the committed tables.

This guards speed work (and any refactoring) against changing an extracted value. The six tables of each
sample, minus `reports.source_path`, are stored as CSV in tests/golden/<sample file name>/<table>.csv.

When a change to a reader or the normaliser is *meant* to change outputs, regenerate and review the diff:

    .venv/bin/python tests/test_golden.py --update            # every sample
    .venv/bin/python tests/test_golden.py --update 004_35c    # only samples whose name contains 004_35c
    git diff --stat tests/golden/ && git diff tests/golden/

`python tests/test_golden.py` without --update prints the differences without failing a test run.
A failing test names the table, row and column that differ, with the golden and the new value.
"""
from __future__ import annotations

import difflib
import io
import sys
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run as a script from anywhere

from jixiao.normalize.pipeline import process  # noqa: E402
from jixiao.normalize.schema import TABLE_NAMES  # noqa: E402

SAMPLES = ROOT / "samples"
GOLDEN = Path(__file__).resolve().parent / "golden"
DROPPED = {"reports": ["source_path"]}  # depends on where the file was read from, not on its content
MAX_SHOWN = 25  # differences listed per table before "… and N more"


def sample_files() -> list[Path]:
    return sorted(p for p in SAMPLES.iterdir() if p.is_file() and p.name != "README.md")


def as_csv(frame: pd.DataFrame, table: str) -> str:
    """A table as the CSV text stored in golden/ (floats as repr: exact, stable on one platform)."""
    frame = frame.drop(columns=DROPPED.get(table, []))
    return frame.to_csv(index=False, lineterminator="\n")


def current_csvs(path: Path) -> dict[str, str]:
    data = process(path, source_path=path.name)
    return {name: as_csv(frame, name) for name, frame in data.tables().items()}


def golden_csvs(path: Path) -> dict[str, str | None]:
    folder = GOLDEN / path.name
    return {name: ((folder / f"{name}.csv").read_text(encoding="utf-8")
                   if (folder / f"{name}.csv").exists() else None) for name in TABLE_NAMES}


def _read(text: str) -> pd.DataFrame:
    # all as text, empty stays empty: compare what was written, not a parse of it
    return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)


def describe_diff(table: str, golden: str | None, current: str) -> list[str]:
    """Human-readable differences: missing golden, columns, row counts, then row/column/old → new."""
    if golden is None:
        return [f"{table}: no golden file (run: python tests/test_golden.py --update)"]
    old, new = _read(golden), _read(current)
    lines = []
    if list(old.columns) != list(new.columns):
        lines.append(f"{table}: columns {list(old.columns)} -> {list(new.columns)}")
    if len(old) != len(new):
        lines.append(f"{table}: {len(old)} rows in golden, {len(new)} now")
    shared = [c for c in new.columns if c in old.columns]
    old_rows = [tuple(r) for r in old[shared].itertuples(index=False)]
    new_rows = [tuple(r) for r in new[shared].itertuples(index=False)]
    # align rows first, so one inserted row is reported once, not as every later row changed
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old_rows, new_rows, autojunk=False).get_opcodes():
        if op == "equal":
            continue
        for k in range(max(i2 - i1, j2 - j1)):
            i, j = i1 + k, j1 + k
            if i < i2 and j < j2:
                lines += [f"{table} row {j} [{col}]: {old.at[i, col]!r} -> {new.at[j, col]!r}"
                          for col in shared if old.at[i, col] != new.at[j, col]]
            elif j < j2:
                lines.append(f"{table} row {j}: added: {_short(new.iloc[j].to_dict())}")
            else:
                lines.append(f"{table} golden row {i}: removed: {_short(old.iloc[i].to_dict())}")
    if len(lines) > MAX_SHOWN:
        lines = lines[:MAX_SHOWN] + [f"… and {len(lines) - MAX_SHOWN} more differences in {table}"]
    return lines or [f"{table}: text differs (line endings or quoting)"]


def _short(row: dict) -> str:
    return ", ".join(f"{k}={v}" for k, v in row.items() if v != "")[:300]


def differences(path: Path) -> list[str]:
    golden = golden_csvs(path)
    out = []
    for name, text in current_csvs(path).items():
        if golden[name] != text:
            out += describe_diff(name, golden[name], text)
    return out


def update(path: Path) -> bool:
    """Write the current tables as the golden ones; True when anything changed."""
    folder = GOLDEN / path.name
    folder.mkdir(parents=True, exist_ok=True)
    changed = False
    for name, text in current_csvs(path).items():
        target = folder / f"{name}.csv"
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            target.write_text(text, encoding="utf-8")
            changed = True
    return changed


@pytest.mark.parametrize("path", sample_files(), ids=lambda p: p.name)
def test_golden(path: Path):
    diff = differences(path)
    assert not diff, (f"{path.name}: output differs from tests/golden/{path.name}/ "
                      "(if intended: python tests/test_golden.py --update)\n" + "\n".join(diff))


def test_every_golden_has_a_sample():
    names = {p.name for p in sample_files()}
    stale = sorted(p.name for p in GOLDEN.iterdir() if p.is_dir() and p.name not in names) if GOLDEN.exists() else []
    assert not stale, f"golden folders without a sample (delete them): {stale}"


def main(argv: list[str]) -> int:
    only = [a for a in argv if not a.startswith("-")]
    files = [p for p in sample_files() if not only or any(o in p.name for o in only)]
    status = 0
    for path in files:
        if "--update" in argv:
            print(f"{'updated' if update(path) else 'same   '} {path.name}")
            continue
        diff = differences(path)
        print(f"{'DIFFERS' if diff else 'same   '} {path.name}")
        for line in diff:
            print("   ", line)
        status |= bool(diff)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
