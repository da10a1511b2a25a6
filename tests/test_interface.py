"""The interface people expect (issue 14 items 7-9): one missing-path message everywhere, an API that raises,
check --json / filters / --indicators, flags CODE, output that fits the terminal, run --jsonl, a workbook that
prints, and report text that cannot run as a formula in Excel."""
from __future__ import annotations

import csv
import json
import sqlite3
from pathlib import Path

import openpyxl
import pytest

import jixiao
from jixiao import exports
from jixiao.batch import Options, run_batch
from jixiao.cli import main
from jixiao.text_table import display_width, render
from jixiao.normalize.flags import catalogue
from jixiao.normalize.schema import TABLES

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
SEED4 = SAMPLES / "004_35c19541f4036631.txt"
HYPERLINK = '=HYPERLINK("http://evil.example/x","点击")'


# one message, one exit status

@pytest.mark.parametrize("command", ["run", "check", "dump"])
def test_missing_path_same_message_and_exit_status_in_every_command(command, tmp_path, capsys):
    missing = tmp_path / "nope.docx"
    assert main([command, str(missing)]) == 2
    assert capsys.readouterr().err.strip() == f"jixiao {command}: no such file or folder: {missing}"


@pytest.mark.parametrize("command", ["check", "dump"])
def test_a_folder_where_a_file_is_wanted(command, tmp_path, capsys):
    assert main([command, str(tmp_path)]) == 2
    assert capsys.readouterr().err.strip() == \
        f"jixiao {command}: {tmp_path} is a folder: give one report file (jixiao run reads folders)"


# the API

def test_read_raises_like_open_and_has_its_own_docstring(tmp_path):
    with pytest.raises(FileNotFoundError) as missing:
        jixiao.read(tmp_path / "nonexistent.docx")
    assert missing.value.filename == str(tmp_path / "nonexistent.docx")
    with pytest.raises(IsADirectoryError):
        jixiao.read(tmp_path)
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    with pytest.raises(jixiao.ReportError) as unreadable:
        jixiao.read(empty)
    assert (unreadable.value.status, unreadable.value.reason) == ("failed", "empty file (0 bytes)")
    row = jixiao.read(empty, errors="row").reports.iloc[0]
    assert (row["status"], row["error"]) == ("failed", "empty file (0 bytes)")
    assert jixiao.read(tmp_path / "gone.txt", errors="row").reports["status"].iloc[0] == "failed"
    with pytest.raises(ValueError, match="errors must be"):
        jixiao.read(SEED4, errors="ignore")
    assert jixiao.read.__module__ == "jixiao.api"
    assert "FileNotFoundError" in jixiao.read.__doc__ and 'errors="row"' not in jixiao.read.__doc__.split("\n")[0]
    data = jixiao.read(SEED4)
    assert (data.reports["n_scorecards"].iloc[0], data.reports["source_path"].iloc[0]) == (16, str(SEED4))


# check

def test_check_json_with_filters_and_indicators(capsys):
    assert main(["check", str(SEED4), "--json", "--severity", "error", "--indicators"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["report"]["report_id"] == "64c774c17799194b" and payload["report"]["n_indicators"] == 151
    assert len(payload["scorecards"]) == 16 and len(payload["indicators"]) == 151
    assert payload["flags"] and {f["severity"] for f in payload["flags"]} == {"error"}
    assert main(["check", str(SEED4), "--json", "--code", "total_mismatch"]) == 0
    codes = {f["code"] for f in json.loads(capsys.readouterr().out)["flags"]}
    assert codes == {"TOTAL_MISMATCH"}
    assert main(["check", str(SEED4), "--json"]) == 0
    assert "indicators" not in json.loads(capsys.readouterr().out)


def test_check_text_shows_indicators_and_fits_the_terminal(capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    assert main(["check", str(SEED4), "--indicators", "--severity", "warning"]) == 0
    out = capsys.readouterr().out
    assert "indicators (151)" in out and "数量指标 / 新媒体产品" in out
    assert "severity" in out and " error " not in out.split("\nflags")[1]
    assert max(display_width(line) for line in out.splitlines()[1:]) <= 80


def test_render_wraps_the_last_column_and_keeps_every_character():
    message = "预算执行得分写为 19，应为 20 × min(98.94%, 1) = 19.79" * 3
    text = render(["code", "where", "message"], [["BUDGET_SCORE_MISMATCH", "p1 t9 r4", message]], width=50)
    lines = text.splitlines()
    assert max(display_width(line) for line in lines) <= 50 and len(lines) > 3
    indent = lines[2].index(message[:4])
    assert "".join([lines[2][indent:]] + [line[indent:] for line in lines[3:]]) == " ".join(message.split())


# flags

def test_flags_code_in_full_verbose_once_and_filters(capsys):
    assert main(["flags", "total_mismatch"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("TOTAL_MISMATCH\n  severity") and "example" in out and "WEIGHT_SUM_MISMATCH" not in out
    assert main(["flags", "-v"]) == 0
    out = capsys.readouterr().out
    for entry in catalogue():
        assert out.splitlines().count(entry["code"]) == 1  # the catalogue once, not a table and then examples
    assert main(["flags", "--severity", "info"]) == 0
    listed = [line.split()[0] for line in capsys.readouterr().out.splitlines()[2:] if line[:1].isupper()]
    assert listed and all("info" in e["levels"] for e in catalogue() if e["code"] in listed)
    assert main(["flags", "NO_SUCH_CODE"]) == 2
    assert "unknown flag code: NO_SUCH_CODE" in capsys.readouterr().err


# run --jsonl, the workbook's print set-up

def test_run_jsonl_and_a_workbook_that_prints(tmp_path):
    out = tmp_path / "out"
    run_batch(Options(paths=[str(SEED4)], out=str(out), jobs=1, jsonl=True))
    for table, columns in TABLES.items():
        lines = (out / f"{table}.jsonl").read_text(encoding="utf-8").splitlines()
        with open(out / f"{table}.csv", encoding="utf-8-sig", newline="") as fh:
            assert len(lines) == sum(1 for _ in csv.reader(fh)) - 1
        if lines:
            assert list(json.loads(lines[0])) == list(columns)
    first = json.loads((out / "reports.jsonl").read_text(encoding="utf-8").splitlines()[0])
    assert (first["n_indicators"], first["claimed_score"]) == (151, None)  # numbers stay numbers, NULL is null
    book = openpyxl.load_workbook(out / "audit.xlsx")
    for ws in book.worksheets:
        assert ws.page_setup.orientation == "landscape"
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.page_setup.fitToWidth in (None, 1) and ws.page_setup.fitToHeight == 0  # absent = 1 (OOXML)
        assert ws.print_title_rows == "$1:$1"
        assert ws.freeze_panes == "A2"


# report text is untrusted

def hostile_report(folder: Path) -> Path:
    """Seed 004 with an indicator named like a formula, and markup."""
    text = SEED4.read_text(encoding="utf-8")
    assert "\t新媒体产品\n" in text and "\t新媒体推广留存率\n" in text
    text = text.replace("\t新媒体产品\n", f"\t{HYPERLINK}\n", 1)
    text = text.replace("\t新媒体推广留存率\n", '\t<script>alert(1)</script>"><img src=x onerror=alert(2)>\n', 1)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "hostile.txt"
    path.write_text(text, encoding="utf-8")
    return path


def test_formula_like_text_is_neutralised_in_csv_and_numbers_stay_numbers(tmp_path):
    out = tmp_path / "out"
    run_batch(Options(paths=[str(hostile_report(tmp_path / "in"))], out=str(out), jobs=1))
    conn = sqlite3.connect(out / "jixiao.sqlite")
    assert conn.execute("SELECT COUNT(*) FROM indicators WHERE level3 = ?", (HYPERLINK,)).fetchone() == (1,)
    (folder,) = (out / "reports").iterdir()
    for path in (out / "indicators.csv", folder / "indicators.csv"):
        with open(path, encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.DictReader(fh))
        (row,) = [r for r in rows if "HYPERLINK" in r["level3"]]
        assert row["level3"] == "'" + HYPERLINK  # text, not a formula, in Excel
        assert row["claimed_score"] == "8.0" and row["seq"] == "1"  # numbers untouched
        assert not [v for r in rows for v in r.values() if v[:1] in ("=", "+", "@")]
    book = openpyxl.load_workbook(out / "audit.xlsx")
    ws = book["indicators"]
    header = [c.value for c in ws[1]]
    cell = [r[header.index("level3")] for r in ws.iter_rows(min_row=2) if "HYPERLINK" in str(r[header.index(
        "level3")].value)][0]
    assert (cell.value, cell.data_type) == (HYPERLINK, "s")  # the workbook stores text as text


def test_every_html_output_escapes_document_text(tmp_path):
    html_outputs = [o for o in exports.OUTPUTS if o.name.endswith(".html")]
    if not html_outputs:
        pytest.skip("no HTML output registered")
    out = tmp_path / "out"
    run_batch(Options(paths=[str(hostile_report(tmp_path / "in"))], out=str(out), jobs=1))
    for output in html_outputs:
        page = (out / output.name).read_text(encoding="utf-8")
        assert "<script>alert(1)" not in page and "<img src=x onerror" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    evidence = list((out / "evidence").rglob("*.html"))  # the flags' evidence pages (tests/test_evidence.py
    assert evidence  # shows one with that text in it)
    from jixiao.normalize.evidence_html import POST_HEIGHT  # the one constant script: the page's height to its frame

    for path in evidence:
        page = path.read_text(encoding="utf-8")
        assert page.count(POST_HEIGHT) == 1
        page = page.replace(POST_HEIGHT, "")
        assert "<script" not in page and "<img" not in page
