"""Issue 11 item 5: every reader fills every field the others fill. Office renditions of the seed forms
(scripts/renditions_office.py: .xlsx with the title lines as merged rows above each form, LibreOffice's
.html and .doc) give the .docx's fiscal year, unit, title, kind, scorecards and rows."""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

import jixiao
from forms import CLEAN, dump_rows  # noqa: F401  (dump_rows: the same rows the .txt form tests use)
from test_flat_renditions import form_rows

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
import renditions_office  # noqa: E402

SAMPLES = ROOT / "samples"
SEED004 = "004_35c19541f4036631"
SEED001 = "001_e7a38e6b87d50f48"
HENAN = renditions_office.HENAN
needs_office = pytest.mark.skipif(shutil.which("soffice") is None and shutil.which("libreoffice") is None,
                                  reason="LibreOffice makes the .html and .doc renditions (scripts/setup-system.sh)")


def fields(data) -> tuple:
    """The report's year, unit, title, kind and claims (its prose's score and grade, else its form's), its
    scorecards' kind, name and unit, and every row of them."""
    r = data.reports.iloc[0]
    cards = [(c.kind, c.name, c.unit_name) for c in data.scorecards.itertuples()]
    claims = tuple(None if pd.isna(v) else v for v in (r.claimed_score, r.claimed_grade))
    return (int(r.fiscal_year), r.unit_name, r.title, r.report_kind, *claims), cards, form_rows(data)


def test_seed004_xlsx_fills_every_field_the_docx_fills(tmp_path):
    docx = fields(jixiao.read(SAMPLES / f"{SEED004}.docx"))
    xlsx = fields(jixiao.read(renditions_office.write_xlsx(SAMPLES / f"{SEED004}.docx", tmp_path / "004.xlsx")))
    assert docx[0] == (2021, "东西湖区融媒体中心", "2021年度两会新媒体宣传项目自评表", "project", None, None)
    assert len(docx[1]) == 16 and len(docx[2][2]) == 151
    assert xlsx == docx


@pytest.mark.parametrize("stem", [SEED001, HENAN])
def test_long_report_xlsx_fills_every_field_the_docx_fills(tmp_path, stem):
    """A long report's tables a sheet each, the report's heading and each table's title lines merged above them
    (Henan: its 附件1 form cut into 21 page pieces, each with its header, the per-level tables restating it
    after): the .docx's year, unit, title, kind, scorecards and every row."""
    docx = fields(jixiao.read(SAMPLES / f"{stem}.docx"))
    xlsx = fields(jixiao.read(renditions_office.write_xlsx(SAMPLES / f"{stem}.docx", tmp_path / f"{stem}.xlsx")))
    assert xlsx == docx


@pytest.mark.parametrize("merged", [True, False], ids=["titles-merged", "titles-in-column-A"])
def test_henan_xlsx_reads_one_form_its_restated_tables_fill_in(tmp_path, merged):
    """Sheets 42 and 45 (附表3-4, 3-6: B 过程 11.47, D 效益 23.25) open with their title rows: they restate the
    附件1 form (B203's and D201's scores, under merged cells there) and are not scorecards of their own."""
    data = jixiao.read(renditions_office.write_xlsx(SAMPLES / f"{HENAN}.docx", tmp_path / "henan.xlsx", merged))
    report = data.reports.iloc[0]
    assert (report.status, report.n_scorecards, report.n_indicators, report.claimed_score, report.claimed_grade) \
        == ("ok", 1, 28, 65.0, "中")
    card = data.scorecards.iloc[0]
    assert (card["name"], card.unit_name, card.claimed_total, card.recomputed_total, card.recomputed_grade) == \
        ("附件1：绩效评价指标体系评分表", "河南省人力资源和社会保障厅", 65.0, 65.0, "中")
    rows = data.indicators
    scores = {name[:4]: score for name, score in zip(rows.level3, rows.claimed_score)}  # by code: B203, D201
    assert (scores["B203"], scores["D201"], len(scores)) == (2.0, 3.75, 28)
    assert (round(rows.weight.sum(), 2), round(rows.claimed_score.sum(), 2)) == (100.0, 65.0)
    assert list(data.flags.code) == []


@pytest.mark.parametrize("stacked", [True, False], ids=["pieces-on-one-sheet", "a-sheet-per-piece"])
def test_henan_form_pieces_in_a_workbook_read_as_in_the_docx(tmp_path, stacked):
    """Only the 附件1 form, as a finance office copies it: its 21 page pieces (header repeated on each) one under
    the other on one sheet, or a sheet each, the title merged above: read as the .docx cut down to that form.
    (Alone, the form leaves five scores in merged cells the restated tables fill: no recomputed total, and a
    TOTAL_MISMATCH warning that the total could not be checked.)"""
    want = form_rows(jixiao.read(renditions_office.write_form_docx(SAMPLES / f"{HENAN}.docx", tmp_path / "f.docx")))
    data = jixiao.read(renditions_office.write_form_xlsx(SAMPLES / f"{HENAN}.docx", tmp_path / "f.xlsx", stacked))
    assert want[0] == [("department", "附件1：绩效评价指标体系评分表", "65.0", None, None)] and len(want[2]) == 28
    assert form_rows(data) == want
    # the rows left without a score (their cells merged or shifted) are said: the total could not be checked
    said = "总分写为 65.00，而写有得分的各项合计为 53.25（6 项未写得分，其分值不明：总分未能核对）"
    assert (data.reports.status.iloc[0], data.flags[["code", "severity", "message"]].values.tolist()) == \
        ("ok", [["TOTAL_MISMATCH", "warning", said]])


def test_national_form_xlsx_keeps_the_fiscal_year_of_its_title_rows(tmp_path):
    """A 项目支出绩效自评表 workbook: title and （2022年度） as rows merged across the form, above it."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["项目支出绩效自评表"])
    ws.append(["（2022年度）"])
    ws.append(["单位名称：某某中心"])
    for r in (1, 2, 3):
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=8)
    ws.append(["项目名称", "测试项目"])
    ws.append(["项目资金（万元）", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"])
    ws.append(["年度资金总额", "100", "100", "90", "10", "90%", "9"])
    ws.append(["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"])
    for row in CLEAN:
        ws.append(list(row))
    ws.append(["总分", "", "", "", "", "100", "99"])
    book.save(tmp_path / "form.xlsx")
    data = jixiao.read(tmp_path / "form.xlsx")
    report = data.reports.iloc[0]
    assert (report.fiscal_year, report.unit_name, report.title) == (2022, "某某中心", "项目支出绩效自评表")
    card = data.scorecards.iloc[0]
    assert (card["name"], card.claimed_total, card.recomputed_total) == ("测试项目", 99.0, 99.0)


@needs_office
@pytest.mark.parametrize("stem", [SEED004, SEED001])
def test_libreoffice_html_and_doc_read_as_the_docx(tmp_path, stem):
    """LibreOffice's HTML puts "单位名称：" and the name in two paragraphs: the unit is still found."""
    docx = fields(jixiao.read(SAMPLES / f"{stem}.docx"))
    for to in ("html", "doc"):
        path = renditions_office.libreoffice(SAMPLES / f"{stem}.docx", tmp_path / f"{stem}.{to}", to)
        assert fields(jixiao.read(path)) == docx, to
