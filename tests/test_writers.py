"""The writers: CSV (BOM, NULL = empty), SQLite (typed columns, keys, indexes), the audit workbook, Parquet."""
from __future__ import annotations

import csv
import sqlite3

import numpy as np
import openpyxl
import pandas as pd
import pyarrow.parquet as pq
import pytest

from jixiao.normalize.schema import TABLES, Dataset, to_frame
from jixiao.normalize.writers import sqlite_db
from jixiao.normalize.writers import atomic
from jixiao.normalize.writers.atomic import atomic_path, remove_stale_temps
from jixiao.normalize.writers.audit import SEVERITY_FILLS, SHEET_NAMES, write_audit_workbook
from jixiao.normalize.writers.csv_files import (csv_bytes, table_csv_rows, write_csv, write_dataset_folder,
                                                 write_rows_folder)
from jixiao.normalize.writers.parquet_files import write_parquet
from jixiao.normalize.writers.rows import conform, frame_rows
from jixiao.normalize.writers.sqlite_db import table_rows

RID = "0123456789abcdef"


def sample_dataset(report_id: str = RID, source_path: str = "报告 一.txt") -> Dataset:
    data = Dataset.empty()
    data.reports = to_frame("reports", [{
        "report_id": report_id, "source_path": source_path, "source_format": "txt", "status": "ok",
        "source_sha256": report_id * 4, "unit_name": "某某局", "fiscal_year": 2021, "claimed_score": 95.0,
        "recomputed_score": 93.5, "n_scorecards": 1, "n_indicators": 2, "n_flags": 3}])
    data.scorecards = to_frame("scorecards", [{"report_id": report_id, "scorecard_id": f"{report_id}-01", "seq": 1,
                                               "kind": "project", "name": "采访科运行维护费", "claimed_total": 95.0}])
    data.indicators = to_frame("indicators", [
        {"report_id": report_id, "scorecard_id": f"{report_id}-01", "seq": s, "level3": f"指标{s}", "weight": 10.0}
        for s in (1, 2)])
    data.flags = to_frame("flags", [
        {"report_id": report_id, "scorecard_id": f"{report_id}-01", "indicator_seq": 1, "code": "SCORE_OVER_WEIGHT",
         "severity": "error", "message": "=SUM(A1) 得分超过分值", "claimed": 12.0, "recomputed": 10.0},
        {"report_id": report_id, "code": "PROSE_SUM_MISMATCH", "severity": "warning", "message": "合计\x07不符"},
        {"report_id": report_id, "code": "UNIT_MIXED", "severity": "info", "message": "万元/元"}])
    return data


def read_csv_rows(path) -> list[list[str]]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh))


def test_csv_has_bom_header_and_empty_nulls(tmp_path):
    target = tmp_path / "reports.csv"
    count = write_csv(target, TABLES["reports"], frame_rows("reports", sample_dataset().reports))
    assert count == 1
    assert target.read_bytes().startswith(b"\xef\xbb\xbf")
    header, row = read_csv_rows(target)
    assert header == list(TABLES["reports"])
    record = dict(zip(header, row))
    assert record["unit_name"] == "某某局"
    assert record["fiscal_year"] == "2021"
    assert record["claimed_grade"] == ""  # NULL
    assert record["recomputed_score"] == "93.5"
    assert [p.name for p in tmp_path.iterdir()] == ["reports.csv"]  # no temp file left


def test_dataset_folder_holds_six_tables(tmp_path):
    write_dataset_folder(tmp_path / "r", sample_dataset())
    assert sorted(p.name for p in (tmp_path / "r").iterdir()) == sorted(f"{t}.csv" for t in TABLES)
    assert len(read_csv_rows(tmp_path / "r" / "flags.csv")) == 1 + 3
    assert len(read_csv_rows(tmp_path / "r" / "budget_lines.csv")) == 1  # header only


def test_report_folder_bytes_and_modes_are_write_csvs(tmp_path):
    """A report's folder is written from memory in one write per file: the same bytes (BOM, NULLs, the
    formula defence) and the same file mode as write_csv's, and no temp file left."""
    data = sample_dataset()
    write_dataset_folder(tmp_path / "r", data)
    for table, frame in data.tables().items():
        write_csv(tmp_path / "w" / f"{table}.csv", TABLES[table], frame_rows(table, frame))
        ours, theirs = tmp_path / "r" / f"{table}.csv", tmp_path / "w" / f"{table}.csv"
        assert ours.read_bytes() == theirs.read_bytes()
        assert ours.stat().st_mode == theirs.stat().st_mode
    assert "'=SUM(A1) 得分超过分值" in (tmp_path / "r" / "flags.csv").read_text(encoding="utf-8-sig")
    assert sorted(p.name for p in (tmp_path / "r").iterdir()) == sorted(f"{t}.csv" for t in TABLES)


FORMULA_LIKE = ["=SUM(A1)", "+cmd", "-abc", "@x", "\t=x", "\r=x", "-5", "+3.5%", "-", "1,234.5", "'=x", "", "a=b",
                "＝全角"]


def test_batch_csv_neutralised_by_sqlite_is_write_csvs_bytes(tmp_path):
    """The batch CSV's formula defence done in SQLite (table_csv_rows) writes what neutralise() on every cell does:
    text made safe, text that is a number and numbers (negative ones too) left as they are."""
    conn = sqlite3.connect(tmp_path / "db.sqlite")
    sqlite_db.create_schema(conn)
    data = sample_dataset()
    data.flags = to_frame("flags", [
        {"report_id": RID, "code": "X", "severity": "error", "message": text, "evidence": None if i % 2 else text,
         "claimed": -float(i), "recomputed": None, "indicator_seq": -i} for i, text in enumerate(FORMULA_LIKE)])
    for table, frame in data.tables().items():
        sqlite_db.insert_frame(conn, table, frame)
    for table in TABLES:
        write_csv(tmp_path / "cell" / f"{table}.csv", TABLES[table], table_rows(conn, table))
        assert write_csv(tmp_path / "sql" / f"{table}.csv", TABLES[table], table_csv_rows(conn, table),
                         neutralised=True) == sqlite_db.count_rows(conn, table)
        assert (tmp_path / "sql" / f"{table}.csv").read_bytes() == (tmp_path / "cell" / f"{table}.csv").read_bytes()
    flags = read_csv_rows(tmp_path / "sql" / "flags.csv")
    message, claimed = flags[0].index("message"), flags[0].index("claimed")
    assert [row[message] for row in flags[1:]] == ["'=SUM(A1)", "'+cmd", "'-abc", "'@x", "'\t=x", "'\r=x", "-5",
                                                   "+3.5%", "-", "1,234.5", "'=x", "", "a=b", "＝全角"]
    assert flags[2][claimed] == "-1.0"


def test_a_reports_csv_bytes_are_what_write_csv_writes(tmp_path):
    """csv_bytes (the per-report folders) neutralises only text that starts like a formula: the same bytes as
    write_csv's neutralise() on every cell, formula-like text, numbers and NULLs included."""
    header = ["n", "text", "claimed"]
    rows = [(i, text, -float(i) if i % 3 else None) for i, text in enumerate(FORMULA_LIKE)]
    write_csv(tmp_path / "t.csv", header, rows)
    assert csv_bytes(header, rows) == (tmp_path / "t.csv").read_bytes()
    assert b"'=SUM(A1)" in csv_bytes(header, rows) and b"'-5" not in csv_bytes(header, rows)


def test_atomic_path_keeps_old_file_when_writing_fails(tmp_path):
    target = tmp_path / "t.csv"
    target.write_text("old")
    with pytest.raises(RuntimeError):
        with atomic_path(target) as tmp:
            tmp.write_text("half")
            raise RuntimeError("killed")
    assert target.read_text() == "old"
    assert list(tmp_path.iterdir()) == [target]


def test_stale_temps_are_removed(tmp_path):
    (tmp_path / ".flags.csv.abc.tmp").write_text("half")
    (tmp_path / "flags.csv").write_text("whole")
    assert remove_stale_temps(tmp_path) == 1
    assert [p.name for p in tmp_path.iterdir()] == ["flags.csv"]


def test_a_new_report_folder_appears_whole_by_one_rename(tmp_path, monkeypatch):
    # a new folder's six CSVs are written plainly in a temp folder renamed onto it (not a temp file and a rename
    # each: ~3 ms of system time per report on ext4); same bytes, same modes as file by file
    tables = {t: [] for t in TABLES}
    tables["reports"] = [tuple(range(len(TABLES["reports"])))]
    renamed = []
    real_rename = atomic.os.rename
    monkeypatch.setattr(atomic.os, "rename", lambda a, b: (renamed.append((a, b)), real_rename(a, b)))
    monkeypatch.setattr(atomic.tempfile, "mkstemp", None)  # no temp file per CSV
    folder = tmp_path / "reports" / "a-0123abcd"
    write_rows_folder(folder, tables)
    assert len(renamed) == 1 and renamed[0][1] == folder
    assert sorted(p.name for p in folder.iterdir()) == sorted(f"{t}.csv" for t in TABLES)
    assert (folder / "reports.csv").read_bytes() == csv_bytes(TABLES["reports"], tables["reports"])
    assert [p.name for p in folder.parent.iterdir()] == ["a-0123abcd"]  # no temp folder left
    plain = tmp_path / "plain"
    plain.mkdir()
    (plain / "f").write_bytes(b"")
    assert folder.stat().st_mode == plain.stat().st_mode
    assert (folder / "flags.csv").stat().st_mode == (plain / "f").stat().st_mode


def test_an_existing_report_folder_is_rewritten_file_by_file(tmp_path, monkeypatch):
    folder = tmp_path / "a-0123abcd"
    folder.mkdir()
    (folder / "flags.csv").write_text("old")
    (folder / ".flags.csv.x1.tmp").write_text("half")  # left by a run killed mid-write
    write_rows_folder(folder, {t: [] for t in TABLES})
    assert sorted(p.name for p in folder.iterdir()) == sorted(f"{t}.csv" for t in TABLES)
    assert (folder / "flags.csv").read_bytes() == csv_bytes(TABLES["flags"], [])
    # a folder made by someone else between the look and the rename: its files are written one by one
    other = tmp_path / "b-0123abcd"
    real_rename = atomic.os.rename

    def made_meanwhile(a, b):
        other.mkdir()
        (other / "flags.csv").write_text("old")
        return real_rename(a, b)
    monkeypatch.setattr(atomic.os, "rename", made_meanwhile)
    write_rows_folder(other, {t: [] for t in TABLES})
    assert (other / "flags.csv").read_bytes() == csv_bytes(TABLES["flags"], [])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-0123abcd", "b-0123abcd"]


def test_a_temp_report_folder_left_by_a_killed_run_is_removed(tmp_path):
    stale = tmp_path / ".a-0123abcd.k2j3.tmp"
    stale.mkdir()
    (stale / "reports.csv").write_text("half")
    (tmp_path / "a-0123abcd").mkdir()
    assert remove_stale_temps(tmp_path) == 1
    assert [p.name for p in tmp_path.iterdir()] == ["a-0123abcd"]


def test_conform_fits_schema_and_rejects_bad_values():
    frame = conform("scorecards", pd.DataFrame({"scorecard_id": ["x-01"], "seq": [1.0], "extra": ["dropped"]}))
    assert list(frame.columns) == list(TABLES["scorecards"])
    assert str(frame["seq"].dtype) == "Int64"
    with pytest.raises((TypeError, ValueError)):
        conform("scorecards", pd.DataFrame({"seq": ["not a number"]}))


def test_frame_rows_are_plain_python():
    row = next(frame_rows("flags", sample_dataset().flags))
    assert row[:3] == (RID, f"{RID}-01", 1) and type(row[2]) is int
    assert row[6:8] == (12.0, 10.0)
    assert row[8] is None


def test_frame_rows_turn_every_kind_of_null_into_none():
    frame = pd.DataFrame({"report_id": pd.array(["a", None], dtype="string"),
                          "indicator_seq": pd.array([1, None], dtype="Int64"),
                          "claimed": pd.array([1.5, float("nan")], dtype="Float64"),
                          "recomputed": [np.float64(2.5), np.nan]})  # a plain numpy column, value by value
    rows = list(frame_rows("flags", frame))
    columns = list(TABLES["flags"])
    picked = [tuple(row[columns.index(c)] for c in ("report_id", "indicator_seq", "claimed", "recomputed"))
              for row in rows]
    assert picked == [("a", 1, 1.5, 2.5), (None, None, None, None)]
    assert all(type(v) in (str, int, float, type(None)) for row in rows for v in row)


def make_db(tmp_path, datasets) -> sqlite3.Connection:
    conn = sqlite_db.connect(tmp_path / "j.sqlite")
    sqlite_db.create_schema(conn)
    for data in datasets:
        for table, frame in data.tables().items():
            sqlite_db.insert_frame(conn, table, frame)
    return conn


def test_sqlite_schema_types_keys_and_indexes(tmp_path):
    conn = make_db(tmp_path, [sample_dataset()])
    info = {row[1]: (row[2], row[5]) for row in conn.execute("PRAGMA table_info(reports)")}
    assert list(info) == list(TABLES["reports"])
    assert info["source_path"] == ("TEXT", 1)  # the primary key: one row per input file
    assert info["fiscal_year"][0] == "INTEGER" and info["claimed_score"][0] == "REAL"
    pk = [row[1] for row in sorted(conn.execute("PRAGMA table_info(indicators)"), key=lambda r: r[5]) if row[5]]
    assert pk == ["scorecard_id", "seq"]
    indexed = {row[1] for row in conn.execute("PRAGMA index_list(flags)")}
    assert {"ix_flags_report_id", "ix_flags_scorecard_id", "ix_flags_code"} <= indexed
    assert conn.execute("SELECT typeof(fiscal_year), typeof(claimed_score), typeof(claimed_grade) FROM reports"
                        ).fetchone() == ("integer", "real", "null")
    assert [sqlite_db.count_rows(conn, t) for t in TABLES] == [1, 1, 0, 2, 0, 3]


def test_sqlite_rejects_duplicate_keys(tmp_path):
    conn = make_db(tmp_path, [sample_dataset()])
    with pytest.raises(sqlite3.IntegrityError):
        sqlite_db.insert_frame(conn, "indicators", sample_dataset().indicators)


def test_sqlite_adds_columns_the_schema_gained(tmp_path):
    conn = sqlite3.connect(tmp_path / "old.sqlite")
    conn.execute('CREATE TABLE reports ("report_id" TEXT, "source_path" TEXT, PRIMARY KEY (source_path))')
    sqlite_db.create_schema(conn)
    assert [row[1] for row in conn.execute("PRAGMA table_info(reports)")][-1] == list(TABLES["reports"])[-1]
    assert len(list(conn.execute("PRAGMA table_info(reports)"))) == len(TABLES["reports"])


def test_content_rows_deleted_per_report(tmp_path):
    other = "fedcba9876543210"
    conn = make_db(tmp_path, [sample_dataset(), sample_dataset(other, "b.txt")])
    sqlite_db.delete_content(conn, RID)
    assert sqlite_db.count_rows(conn, "indicators") == 2
    assert sqlite_db.count_rows(conn, "reports") == 2  # reports rows are per file, not deleted here


def test_audit_workbook_sheets_header_filter_and_colours(tmp_path):
    conn = make_db(tmp_path, [sample_dataset(), sample_dataset("fedcba9876543210", "b.txt")])
    target = tmp_path / "audit.xlsx"
    write_audit_workbook(target, conn)
    book = openpyxl.load_workbook(target)
    assert book.sheetnames == SHEET_NAMES == ["summary", *TABLES]
    summary = book["summary"]
    assert summary.freeze_panes == "A2"
    assert summary.auto_filter.ref == "A1:P3"
    header = [c.value for c in summary[1]]
    row = dict(zip(header, [c.value for c in summary[2]]))
    assert row["source_path"] == "b.txt"  # sorted by path
    assert (row["claimed_score"], row["recomputed_score"], row["difference"]) == (95, 93.5, -1.5)
    assert (row["flags_error"], row["flags_warning"], row["flags_info"]) == (1, 1, 1)
    assert summary["A2"].fill.fgColor.rgb.endswith(SEVERITY_FILLS["error"])
    flags = book["flags"]
    assert flags.max_row == 1 + 6
    colours = [flags.cell(row=r, column=1).fill.fgColor.rgb[-6:] for r in range(2, 5)]
    assert colours == [SEVERITY_FILLS["error"], SEVERITY_FILLS["warning"], SEVERITY_FILLS["info"]]
    message_col = list(TABLES["flags"]).index("message") + 1
    assert flags.cell(row=2, column=message_col).value == "=SUM(A1) 得分超过分值"  # text, not a formula
    assert flags.cell(row=2, column=message_col).data_type == "s"
    assert flags.cell(row=3, column=message_col).value == "合计不符"  # control character dropped
    assert book["reports"].column_dimensions["A"].width >= len("report_id")
    assert book["budget_lines"].max_row == 1


def test_parquet_round_trip_keeps_types_and_nulls(tmp_path):
    conn = make_db(tmp_path, [sample_dataset()])
    for table in TABLES:
        count = write_parquet(tmp_path / f"{table}.parquet", table, table_rows(conn, table))
        read = pq.read_table(tmp_path / f"{table}.parquet")
        assert read.num_rows == count == sqlite_db.count_rows(conn, table)
        assert read.schema.names == list(TABLES[table])
    reports = pq.read_table(tmp_path / "reports.parquet").to_pylist()[0]
    assert reports["fiscal_year"] == 2021 and reports["claimed_grade"] is None


def test_workbook_cells_are_those_of_xlsxwriters_public_calls(tmp_path, monkeypatch):
    """The workbook writes cells through XlsxWriter's undecorated methods (a quarter of its CPU): the same bytes
    as write_blank/write_string/write_number, whatever the text (control characters, newlines, spaces at the
    ends, XML specials, Excel's _x0000_ escapes, CJK), numbers and blanks (blank with a fill is a cell)."""
    import zipfile
    from jixiao.normalize.writers import workbook
    rows = [("a\x01b\x1fc", " 前后 ", "x\ny", "<&>\"'", "_x0041_", 3, 2.5, None, -0.0, "=1+1", "\t", ""),
            ("合格率≥95%", "\ufffe", "🙂", 10**15, 1e-300, None, None, "", " ", "\r\n", "\x0b", "ok")]
    header = [f"c{i}" for i in range(12)]
    fill = lambda row: "FFC7CE" if row[7] is None else None  # noqa: E731
    parts = {}
    for name in ("private", "public"):
        if name == "public":
            monkeypatch.setattr(workbook, "cell_writers", lambda ws: (ws.write_blank, ws.write_string,
                                                                       ws.write_number))
        workbook.write_workbook(tmp_path / f"{name}.xlsx", [workbook.Sheet("s", header, rows, row_fill=fill)])
        with zipfile.ZipFile(tmp_path / f"{name}.xlsx") as book:
            parts[name] = {n: book.read(n) for n in book.namelist() if n != "docProps/core.xml"}
    assert parts["private"] == parts["public"]
    assert b"a" + b"b" + b"c<" in parts["private"]["xl/worksheets/sheet1.xml"]  # control characters dropped
