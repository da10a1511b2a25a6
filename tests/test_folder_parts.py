"""The batch CSVs put together from the per-report CSVs (jixiao/folder_parts.py): byte for byte what the database
gives, and only when the folders this run wrote account for every row."""
from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from jixiao import exports
from jixiao.batch import Options, run_batch
from jixiao.folder_parts import FolderParts
from jixiao.normalize.schema import TABLES
from jixiao.normalize.writers.csv_files import csv_bytes, table_csv_rows, write_csv, write_csv_parts

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
TXT = sorted(SAMPLES.glob("*.txt"))  # traditional script, pipe rows, run-together cells, prose only, …


def from_database(out: Path, scratch: Path) -> dict[str, bytes]:
    """Each batch CSV as the database alone writes it."""
    conn = sqlite3.connect(out / "jixiao.sqlite")
    scratch.mkdir()
    for table in TABLES:
        write_csv(scratch / f"{table}.csv", TABLES[table], table_csv_rows(conn, table), neutralised=True)
    return {table: (scratch / f"{table}.csv").read_bytes() for table in TABLES}


@pytest.fixture
def put_together(monkeypatch) -> dict[str, bool]:
    """table -> whether its batch CSV was put together from the folders (absent: never tried)."""
    done: dict[str, bool] = {}

    def spy(target, header, parts):
        done[Path(target).stem] = written = write_csv_parts(target, header, parts)
        return written
    monkeypatch.setattr(exports, "write_csv_parts", spy)
    return done


def run(inputs: Path, out: Path) -> None:
    run_batch(Options(paths=[str(inputs)], out=str(out), jobs=1))


def assert_as_from_the_database(out: Path, scratch: Path) -> None:
    expected = from_database(out, scratch)
    for table in TABLES:
        assert (out / f"{table}.csv").read_bytes() == expected[table], table


def test_a_batch_csv_is_the_per_report_csvs_end_to_end(tmp_path, put_together):
    inputs = tmp_path / "in"
    inputs.mkdir()
    for sample in TXT:
        shutil.copy(sample, inputs / sample.name)
    shutil.copy(TXT[0], inputs / "a copy of the first.txt")  # same bytes: read once, stored under both paths
    (inputs / "garbled.txt").write_bytes(bytes(range(256)) * 40)  # not a report
    out = tmp_path / "out"
    run(inputs, out)
    assert put_together == dict.fromkeys(TABLES, True)
    assert_as_from_the_database(out, tmp_path / "sql")
    assert sqlite3.connect(out / "jixiao.sqlite").execute("SELECT COUNT(*) FROM indicators").fetchone()[0] > 300


def test_a_rerun_that_skips_unchanged_files_writes_the_csvs_from_the_database(tmp_path, put_together):
    inputs = tmp_path / "in"
    inputs.mkdir()
    for sample in TXT[:3]:
        shutil.copy(sample, inputs / sample.name)
    out = tmp_path / "out"
    run(inputs, out)
    put_together.clear()
    shutil.copy(TXT[3], inputs / TXT[3].name)
    run(inputs, out)  # stores one file; the other three rows were stored by the first run
    assert put_together == {}
    assert_as_from_the_database(out, tmp_path / "sql")
    assert sqlite3.connect(out / "jixiao.sqlite").execute("SELECT COUNT(*) FROM reports").fetchone()[0] == 4


def test_two_files_with_one_folder_name_are_written_from_the_database(tmp_path, put_together):
    # a/r.txt and b/r.txt, the same bytes: one folder name (stem + report_id), the last one written holds its path
    for folder in ("a", "b"):
        (tmp_path / "in" / folder).mkdir(parents=True)
        shutil.copy(TXT[0], tmp_path / "in" / folder / "r.txt")
    out = tmp_path / "out"
    run(tmp_path / "in", out)
    assert put_together == {}
    assert_as_from_the_database(out, tmp_path / "sql")
    assert (out / "reports.csv").read_text(encoding="utf-8-sig").count("r.txt") == 2


def test_rows_out_of_export_order_are_not_put_together(tmp_path):
    def indicator(seq: int) -> tuple:
        return ("rid", "rid-01", seq) + (None,) * (len(TABLES["indicators"]) - 3)
    tables = {table: [] for table in TABLES}
    parts = FolderParts(tmp_path)
    parts.stored("a.txt", "rid", "a-rid", {**tables, "indicators": [indicator(1), indicator(2)]}, True)
    assert parts.usable
    parts.stored("b.txt", "rid2", "b-rid2", {**tables, "indicators": [indicator(2), indicator(1)]}, True)
    assert not parts.usable  # SQLite would give seq 1 before 2: the folder's order is not the batch's


def test_write_csv_parts_refuses_a_missing_part_or_another_header(tmp_path):
    header = ["a", "b"]
    good = tmp_path / "good.csv"
    good.write_bytes(csv_bytes(header, [(1, "=x")]))
    other = tmp_path / "other.csv"
    other.write_bytes(csv_bytes(["a", "c"], [(2, "y")]))
    target = tmp_path / "batch.csv"
    assert write_csv_parts(target, header, [good, good])
    assert target.read_bytes() == csv_bytes(header, [(1, "=x"), (1, "=x")])
    target.unlink()
    assert not write_csv_parts(target, header, [good, tmp_path / "gone.csv"])
    assert not write_csv_parts(target, header, [good, other])
    assert not target.exists() and sorted(p.name for p in tmp_path.iterdir()) == ["good.csv", "other.csv"]
