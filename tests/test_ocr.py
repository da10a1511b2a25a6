"""Scanned pages: a page of samples/004 rasterised by pdftoppm comes back through OCR with its budget row
and total; ruled tables are found from the image; without Tesseract the status says how to enable it."""
from __future__ import annotations

import csv
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from jixiao import extract
from jixiao.extract import ocr
from jixiao.extract.model import Table
from jixiao.normalize.pipeline import process
from bad_corpus import SAMPLES, scanned_pdf

JIXIAO = str(Path(sys.executable).with_name("jixiao"))
have_ocr = pytest.mark.skipif(ocr.unavailable_reason() is not None or shutil.which("pdftoppm") is None,
                              reason="needs tesseract-ocr, tesseract-ocr-chi-sim and poppler-utils "
                                     "(scripts/setup-system.sh)")
BUDGET_ROW = ["", "年度财政资金总额", "55", "32.37", "58.85%", "11.77"]


def spans(table: Table) -> dict[tuple[int, int], tuple[int, int]]:
    return {(c.row, c.col): (c.rowspan, c.colspan) for c in table.iter_cells() if c.rowspan > 1 or c.colspan > 1}


@pytest.fixture(scope="module")
def scanned(tmp_path_factory):
    """Page 4 of seed 004 (the 技术保障科 form: 55 / 32.37 / 58.85% / 11.77, 总分 91.77) as an image-only PDF."""
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) not installed")
    return scanned_pdf(SAMPLES / "004_35c19541f4036631.pdf", 4, tmp_path_factory.mktemp("scan") / "scan.pdf")


@pytest.fixture(scope="module")
def ocr_document(scanned):
    if ocr.unavailable_reason() is not None:
        pytest.skip(ocr.unavailable_reason())
    return extract.read(scanned, ocr=True)


@have_ocr
def test_scanned_form_reads_back_with_its_budget_row_and_total(ocr_document):
    doc = ocr_document
    assert (doc.format, doc.page_count, doc.ocr_pages, doc.needs_ocr) == ("pdf", 1, [1], False)
    form = next(t for t in doc.tables if BUDGET_ROW in t.text_rows())
    rows = form.text_rows()
    assert rows[0] == ["项目名称", "融媒体各平台系统维保及人员驻场服务项目〈政采)"]
    assert rows[-1] == ["总分", "91.77"]
    assert (form.n_rows, form.n_cols) == (19, 7)
    # the same merges as the text layer of the PDF it was rasterised from (whose table runs on to page 5)
    original = next(t for t in extract.read(SAMPLES / "004_35c19541f4036631.pdf").tables
                    if t.location.page == 4 and BUDGET_ROW in t.text_rows())
    assert spans(form) == {p: s for p, s in spans(original).items() if p[0] < 19}
    assert form.grid[7][0].rowspan == 11  # 年度绩效目标（80分） down the indicator rows
    assert 60 < form.ocr_confidence <= 100
    assert all(b.ocr_confidence is not None and b.location.page == 1 for b in doc.blocks)
    texts = [p.text for p in doc.paragraphs]
    assert "2021年度技术保障科项目自评表" in texts
    assert "4.基于经济性和必要性等因素考虑，满意度指标暂可不作为必评指标。" in texts


@have_ocr
def test_ocr_budget_row_reaches_the_dataset(scanned):
    data = process(scanned, ocr=True)
    assert data.reports.iloc[0]["status"] == "ok"
    line = data.budget_lines.iloc[0]
    assert (line["line"], line["budget_wan"], line["executed_wan"], line["claimed_rate"]) == (
        "年度财政资金总额", 55.0, 32.37, 0.5885)
    assert data.scorecards.iloc[0]["claimed_total"] == 91.77


@have_ocr
def test_jixiao_run_ocr(scanned, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(scanned, folder / "scan.pdf")
    out = tmp_path / "out"
    subprocess.run([JIXIAO, "run", str(folder), "-o", str(out), "-q", "--ocr"], check=True, timeout=300)
    with open(out / "reports.csv", encoding="utf-8-sig", newline="") as fh:
        (row,) = list(csv.DictReader(fh))
    assert (row["status"], row["n_scorecards"]) == ("ok", "1")
    with open(out / "budget_lines.csv", encoding="utf-8-sig", newline="") as fh:
        (line,) = list(csv.DictReader(fh))
    assert (line["budget_raw"], line["executed_raw"]) == ("55", "32.37")


def test_without_ocr_the_status_says_how_to_enable_it(scanned, monkeypatch):
    monkeypatch.setattr(ocr.shutil, "which", lambda name: None)
    ocr.unavailable_reason.cache_clear()
    try:
        hint = "install tesseract-ocr and tesseract-ocr-chi-sim (scripts/setup-system.sh) and rerun with --ocr"
        row = process(scanned).reports.iloc[0]
        assert (row["status"], row["error"]) == ("needs_ocr", f"no text layer on any of 1 pages; {hint}")
        row = process(scanned, ocr=True).reports.iloc[0]
        assert (row["status"], row["error"]) == ("needs_ocr", f"no text layer and Tesseract is not installed: {hint}")
    finally:
        ocr.unavailable_reason.cache_clear()


# ---------------------------------------------------------------- grids from pixels (no Tesseract needed)


def ruled_image() -> np.ndarray:
    """A 3x3 ruled table at 100 px per cell: the top row merged across, the left column of the lower two
    rows merged down; a second table below, apart from it; a long underline that crosses nothing."""
    img = np.full((700, 500), 255, dtype=np.uint8)
    ys, xs = [50, 150, 250, 350], [50, 150, 250, 350]
    for y in ys:
        img[y - 1: y + 2, 50:351] = 0
    for x in xs:
        img[50:351, x - 1: x + 2] = 0
    img[51:149, 148:153] = img[51:149, 248:253] = 255  # no rules inside the top row
    img[248:253, 51:149] = 255  # none between the two lower cells of the first column
    for y in (450, 550):  # the second table: one row, two cells, same column positions
        img[y - 1: y + 2, 50:351] = 0
    for x in (50, 150, 350):
        img[450:551, x - 1: x + 2] = 0
    img[650:652, 20:480] = 0  # an underline: a rule crossing no other
    img[100:120, 100:103] = 0  # a character stroke, too short to be a rule
    return img


def test_ruled_tables_are_found_from_pixels():
    grids = ocr.find_grids(ocr.find_rules(ruled_image() < ocr.DARK, min_len=60))
    assert [(g.ys, g.xs) for g in grids] == [([50.0, 150.0, 250.0, 350.0], [50.0, 150.0, 250.0, 350.0]),
                                           ([450.0, 550.0], [50.0, 150.0, 350.0])]
    merges = {p: o for p, o in grids[0].origin.items() if p != o}
    assert merges == {(0, 1): (0, 0), (0, 2): (0, 0), (2, 0): (1, 0)}
    assert grids[0].extent(0, 0) == (0, 2) and grids[0].extent(1, 0) == (2, 0)
    assert grids[1].origin == {(0, 0): (0, 0), (0, 1): (0, 1)}


def test_words_join_as_chinese_text():
    def word(text, left, line=(1, 1, 1), top=0):
        return ocr.Word(text, 90.0, left, top, 20 * len(text), 20, line)
    line = [word("年度", 0), word("财政", 40), word("32", 200), word(".37", 240), word("万元", 300),
            word("得分", 600), word("11.77", 664), word("a", 780), word("b", 810)]
    assert ocr.join_lines(line) == "年度财政\t32.37万元\t得分11.77 a b"
    two_lines = [word("预算执行", 0), word("情况", 0, (1, 1, 2), top=30)]
    assert ocr.join_lines(two_lines, "\n") == "预算执行\n情况"
    assert ocr.mean_conf(line) == 90.0
