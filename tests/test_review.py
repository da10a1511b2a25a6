"""Review marks (issue 13 item 5): typed into audit.xlsx's flags sheet, read by `jixiao review OUT` into the
reviews table of jixiao.sqlite, carried by fingerprint onto the flags of every later run (CSV, SQLite,
workbook, report.html); a mark whose flag no longer appears is kept."""
from __future__ import annotations

import csv
import re
import shutil
import sqlite3
from pathlib import Path

import openpyxl
import pytest

from jixiao.cli import main

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
SEED4 = "004_35c19541f4036631.txt"
SEED2 = "002_8355fd70a3086172.txt"


def run(inputs: Path, out: Path, *more: str) -> int:
    return main(["run", str(inputs), "-o", str(out), "-q", "--jobs", "1", *more])


@pytest.fixture
def batch(tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    for name in (SEED4, SEED2):
        shutil.copy(SAMPLES / name, inputs / name)
    out = tmp_path / "out"
    assert run(inputs, out) == 0
    return inputs, out


def flag_rows(out: Path) -> list[dict]:
    with open(out / "flags.csv", encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def folder_rows(out: Path) -> list[dict]:
    """The flags of every per-report folder (OUT/reports/<folder>/flags.csv)."""
    rows = []
    for path in sorted((out / "reports").glob("*/flags.csv")):
        with open(path, encoding="utf-8-sig", newline="") as fh:
            rows += list(csv.DictReader(fh))
    return rows


def type_marks(workbook: Path, marks: dict[str, tuple[str | None, str | None]]) -> dict[str, int]:
    """What an auditor does in Excel: pick a review in the drop-down, type a note; saved with openpyxl.
    Returns the sheet row of each fingerprint."""
    book = openpyxl.load_workbook(workbook)
    ws = book["flags"]
    header = [c.value for c in ws[1]]
    at = {name: header.index(name) + 1 for name in ("fingerprint", "review", "review_note")}
    where = {}
    for row in range(2, ws.max_row + 1):
        fingerprint = ws.cell(row, at["fingerprint"]).value
        if fingerprint in marks:
            review, note = marks[fingerprint]
            ws.cell(row, at["review"]).value = review
            ws.cell(row, at["review_note"]).value = note
            where[fingerprint] = row
    book.save(workbook)
    assert set(where) == set(marks)
    return where


def workbook_marks(workbook: Path) -> dict[str, tuple]:
    ws = openpyxl.load_workbook(workbook, read_only=True)["flags"]
    rows = ws.iter_rows(values_only=True)
    header = list(next(rows))
    fp, rv, nt = (header.index(c) for c in ("fingerprint", "review", "review_note"))
    return {r[fp]: (r[rv], r[nt]) for r in rows if r[rv] or r[nt]}


def test_flags_sheet_has_fingerprint_and_a_review_drop_down(batch):
    _, out = batch
    ws = openpyxl.load_workbook(out / "audit.xlsx")["flags"]
    header = [c.value for c in ws[1]]
    assert {"fingerprint", "review", "review_note"} <= set(header)
    column = openpyxl.utils.get_column_letter(header.index("review") + 1)
    (validation,) = ws.data_validations.dataValidation
    assert validation.type == "list" and validation.formula1 == '"confirmed,false_positive,noted,clear"'
    assert str(validation.sqref) == f"{column}2:{column}1048575"
    assert all(ws.cell(r, header.index("fingerprint") + 1).value for r in range(2, ws.max_row + 1))


def test_review_round_trip_keeps_every_mark_through_a_forced_rerun(batch, capsys):
    inputs, out = batch
    rows = flag_rows(out)
    errors = [r for r in rows if r["severity"] == "error"]
    prose = [r for r in rows if r["source_path"].endswith(SEED2) and r["code"] == "PROSE_SUM_MISMATCH"]
    warning = [r for r in rows if r["severity"] == "warning" and r["source_path"].endswith(SEED4)][0]
    assert len(errors) == 4 and len(prose) == 1
    marks = {errors[0]["fingerprint"]: ("confirmed", "总分少计 0.5 分，已函询单位"),
             errors[1]["fingerprint"]: ("False positive", "表内权重为原文笔误"),  # typed, not picked: still read
             warning["fingerprint"]: ("noted", None),
             prose[0]["fingerprint"]: ("confirmed", None)}
    expected = {fp: ("false_positive" if r == "False positive" else r, n) for fp, (r, n) in marks.items()}
    type_marks(out / "audit.xlsx", marks)

    assert main(["review", str(out)]) == 0
    said = capsys.readouterr().out
    assert "4 marks read, 4 new or changed" in said and "error flags not yet reviewed: 2" in said

    def assert_marks_everywhere():
        conn = sqlite3.connect(out / "jixiao.sqlite")
        stored = {fp: (r, n) for fp, r, n, when in conn.execute("SELECT * FROM reviews") if when}
        assert stored == expected
        assert {fp: (r, n) for fp, r, n in conn.execute(
            "SELECT fingerprint, review, review_note FROM flags WHERE review IS NOT NULL")} == expected
        assert {r["fingerprint"]: (r["review"], r["review_note"] or None) for r in flag_rows(out)
                if r["review"]} == expected
        assert workbook_marks(out / "audit.xlsx") == expected
        # the per-report folders carry the marks too, their rows as the batch's flags.csv has them
        assert sorted(folder_rows(out), key=lambda r: r["fingerprint"]) == \
            sorted(flag_rows(out), key=lambda r: r["fingerprint"])
        page = (out / "report.html").read_text(encoding="utf-8")
        for fingerprint, (review, note) in expected.items():
            row = page[page.index(f'id="f-{fingerprint}"'):]
            row = row[:row.index("</tr>")]
            assert f'data-review="{review}"' in row and (note is None or note in row)
        conn.close()

    assert_marks_everywhere()
    assert run(inputs, out, "--force") == 0
    assert_marks_everywhere()

    # a mark whose flag no longer appears is kept, and comes back with its flag
    (inputs / SEED2).unlink()
    assert run(inputs, out) == 0
    conn = sqlite3.connect(out / "jixiao.sqlite")
    assert conn.execute("SELECT COUNT(*) FROM reviews").fetchone() == (4,)
    assert conn.execute("SELECT COUNT(*) FROM flags WHERE review IS NOT NULL").fetchone() == (3,)
    shutil.copy(SAMPLES / SEED2, inputs / SEED2)
    assert run(inputs, out) == 0
    assert_marks_everywhere()


def test_summary_counts_error_flags_not_yet_reviewed(batch, capsys):
    inputs, out = batch
    assert main(["run", str(inputs), "-o", str(out), "--jobs", "1", "--force"]) == 0
    assert "error flags not yet reviewed: 4" in capsys.readouterr().out


def test_a_mark_not_in_the_drop_down_is_refused_by_row_and_the_others_kept(batch, capsys):
    _, out = batch
    rows = flag_rows(out)
    where = type_marks(out / "audit.xlsx", {rows[0]["fingerprint"]: ("maybe", None),
                                            rows[1]["fingerprint"]: ("noted", "见附件")})
    assert main(["review", str(out)]) == 1
    err = capsys.readouterr().err
    assert f"row {where[rows[0]['fingerprint']]}: review 'maybe' is not one of confirmed, false_positive, noted, " \
           "clear" in err
    conn = sqlite3.connect(out / "jixiao.sqlite")
    assert conn.execute("SELECT fingerprint, review, note FROM reviews").fetchall() == \
        [(rows[1]["fingerprint"], "noted", "见附件")]


def test_review_needs_an_output_folder(tmp_path, capsys):
    assert main(["review", str(tmp_path)]) == 2
    assert capsys.readouterr().err.strip() == \
        f"jixiao review: {tmp_path} holds no jixiao.sqlite: give the output folder of a jixiao run"


def test_a_mark_is_withdrawn_by_clear_in_the_sheet_or_on_the_command_line(batch, capsys):
    inputs, out = batch
    rows = [r for r in flag_rows(out) if r["severity"] == "error"]
    one, two, three = (r["fingerprint"] for r in rows[:3])
    type_marks(out / "audit.xlsx", {one: ("confirmed", "已核实"), two: ("noted", "待复核"), three: ("false_positive", None)})
    assert main(["review", str(out)]) == 0
    assert "error flags not yet reviewed: 1" in capsys.readouterr().out

    def marks_everywhere() -> dict:
        conn = sqlite3.connect(out / "jixiao.sqlite")
        stored = dict(conn.execute("SELECT fingerprint, review FROM reviews"))
        on_flags = dict(conn.execute("SELECT fingerprint, review FROM flags WHERE review IS NOT NULL"))
        notes = conn.execute("SELECT COUNT(*) FROM flags WHERE review_note IS NOT NULL").fetchone()[0]
        conn.close()
        in_csv = {r["fingerprint"]: r["review"] for r in flag_rows(out) if r["review"]}
        in_book = {fp: review for fp, (review, _) in workbook_marks(out / "audit.xlsx").items()}
        in_folders = {r["fingerprint"]: r["review"] for r in folder_rows(out) if r["review"]}
        page = (out / "report.html").read_text(encoding="utf-8")
        in_page = {fp: re.search(f'id="f-{fp}"[^>]*data-review="([^"]*)"', page).group(1) for fp in (one, two, three)}
        assert stored == on_flags == in_csv == in_book == in_folders == {fp: r for fp, r in in_page.items() if r}
        return {"marks": stored, "notes": notes}

    # `clear` picked in the sheet (its note goes too); the other marks stay
    type_marks(out / "audit.xlsx", {two: ("clear", "待复核")})
    assert main(["review", str(out)]) == 0
    said = capsys.readouterr().out
    assert "3 marks read, 0 new or changed, 1 withdrawn" in said and "error flags not yet reviewed: 2" in said
    assert marks_everywhere() == {"marks": {one: "confirmed", three: "false_positive"}, "notes": 1}

    # on the command line; a fingerprint with no mark is said, the others still withdrawn
    assert main(["review", str(out), "--clear", three, "0000000000000000"]) == 1
    captured = capsys.readouterr()
    assert "2 marks read, 0 new or changed, 1 withdrawn" in captured.out
    assert "jixiao review: --clear: no stored mark to withdraw for 0000000000000000" in captured.err
    assert marks_everywhere() == {"marks": {one: "confirmed"}, "notes": 1}

    # a forced rerun does not bring them back
    assert run(inputs, out, "--force") == 0
    assert marks_everywhere() == {"marks": {one: "confirmed"}, "notes": 1}
    assert main(["review", str(out), "--clear", one, "--from", str(out / "audit.xlsx")]) == 2
