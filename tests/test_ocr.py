"""OCR pieces on their own: grids from ruling lines, deskew and turn detection, the red seal dropped, cell
lines joined without breaking a number, the engine choice and its messages; Tesseract (the second engine)
on one scanned page. The renditions in samples/scans/ are held to the text layer in test_ocr_scans.py."""
from __future__ import annotations

import csv
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from jixiao.extract import ocr, ocr_engines, scan_image
from jixiao.extract.ocr_engines import Piece
from jixiao.extract.pdf import Line
from jixiao.extract.pdf_scan import ScanBox, group_lines
from jixiao.normalize.pipeline import process

ROOT = Path(__file__).resolve().parents[1]
SKEWED = ROOT / "samples" / "scans" / "004_35c19541f4036631.scan-150dpi-skewed.pdf"
JIXIAO = str(Path(sys.executable).with_name("jixiao"))


# ---------------------------------------------------------------- grids from pixels (no engine needed)


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


def grids_of(img: np.ndarray, dpi: float = 300):
    horizontal, vertical = scan_image.rule_masks(scan_image.ink_of(img), dpi)
    return ocr.find_grids(ocr.Rules(ocr._bands(horizontal > 0), ocr._bands((vertical > 0).T)))


def test_ruled_tables_are_found_from_pixels():
    grids = grids_of(ruled_image())
    assert [(g.ys, g.xs) for g in grids] == [([50.0, 150.0, 250.0, 350.0], [50.0, 150.0, 250.0, 350.0]),
                                           ([450.0, 550.0], [50.0, 150.0, 350.0])]
    merges = {p: o for p, o in grids[0].origin.items() if p != o}
    assert merges == {(0, 1): (0, 0), (0, 2): (0, 0), (2, 0): (1, 0)}
    assert ocr.cell_boxes(grids[1]) == [(50.0, 450.0, 150.0, 550.0), (150.0, 450.0, 350.0, 550.0)]


def test_skew_is_measured_from_the_rules_and_taken_out():
    page = np.full((1200, 1000), 255, dtype=np.uint8)
    for y in range(100, 1100, 100):
        page[y - 1: y + 2, 100:900] = 0
    skewed = scan_image.rotate(page, 0.7)
    assert scan_image.skew_angle(scan_image.ink_of(skewed), 200) == pytest.approx(0.7, abs=0.05)
    straight = scan_image.rotate(skewed, -0.7)
    assert scan_image.skew_angle(scan_image.ink_of(straight), 200) == pytest.approx(0.0, abs=0.05)


def test_sideways_text_is_noticed():
    page = np.full((1000, 800), 255, dtype=np.uint8)
    for y in range(100, 900, 40):  # lines of "characters": 16 px blocks 4 px apart
        for x in range(100, 700, 20):
            page[y: y + 16, x: x + 16] = 0
    assert not scan_image.is_sideways(scan_image.ink_of(page), 200)
    assert scan_image.is_sideways(scan_image.ink_of(scan_image.turn(page, 90)), 200)


def test_a_red_seal_turns_to_paper_and_black_text_under_it_stays():
    rgb = np.full((10, 30, 3), 255, dtype=np.uint8)
    rgb[:, 10:20] = (200, 40, 45)  # seal ink
    rgb[4:6, 14:16] = (20, 5, 5)  # black text printed under it
    grey = scan_image.grey_of(Image.fromarray(rgb))
    assert grey[0, 0] == 255 and grey[0, 12] == 255 and grey[4, 14] < 60


# ---------------------------------------------------------------- cell text


def test_a_line_over_two_unruled_columns_is_cut_and_a_missed_digit_is_read():
    """Detection may read two column labels as one line ("一级指标  二级指标") and pass over a lone digit or a
    row of dots: the line is cut at white wider than its height, the digit's and the dots' ink outside every
    line becomes a box."""
    ink = np.zeros((200, 400), dtype=np.uint8)
    ink[20:40, 10:90] = ink[20:40, 120:200] = 255  # two labels 30 px apart (1.5 heights)
    ink[20:40, 210:260] = 255  # a third 10 px on: the same label
    ink[100:118, 300:311] = 255  # a digit no line covers
    ink[150:153, 300:303] = 255  # a speck
    for x in range(100, 160, 10):
        ink[160:164, x:x + 4] = 255  # "……" (a template's unfilled cell): too low for a line, a row of dots
    ink[180:184, 200:204] = ink[180:184, 210:214] = 255  # two specks in a row are no dots
    parts = ocr.split_at_gaps((7, 17, 263, 43), ink)
    assert parts == [(7, 17, 93, 43), (117, 17, 263, 43)]
    assert ocr.missed_ink(parts, ink) == [(297, 97, 314, 121), (97, 157, 157, 167)]


def test_a_number_cut_over_two_lines_is_joined_back():
    box = ScanBox(0, 0, 1, 1, x0=100.0, x1=140.0, top=0.0, bottom=40.0)
    box.lines = [Line("1,250,0", 102.0, 136.0, 2.0, 12.0, 6.0), Line("00元", 102.0, 118.0, 14.0, 24.0, 10.0)]
    assert box.text() == "1,250,000元"
    wide = ScanBox(0, 0, 1, 1, x0=100.0, x1=180.0, top=0.0, bottom=40.0)
    wide.lines = [Line("预算执行", 102.0, 126.0, 2.0, 12.0, 6.0), Line("情况", 102.0, 114.0, 14.0, 24.0, 6.0)]
    assert wide.text() == "预算执行\n情况"  # a short line ended by the writer keeps its break
    box.lines = [Line("55", 102.0, 110.0, 2.0, 12.0, 8.0), Line("32.37", 102.0, 120.0, 14.0, 24.0, 18.0)]
    assert box.text() == "55\n32.37"  # two short values, one over the other: not one number


def test_pieces_group_into_lines_left_to_right():
    pieces = [Piece("财政", 90, 40, 0, 60, 10), Piece("年度", 90, 0, 1, 20, 11), Piece("32.37", 90, 0, 14, 25, 24),
              Piece("万元", 90, 26, 14, 40, 24)]
    assert [line.text for line in group_lines(pieces)] == ["年度财政", "32.37万元"]


# ---------------------------------------------------------------- engines


def test_engine_choice_and_messages(monkeypatch):
    assert ocr_engines.CHOICES == ("auto", "rapidocr", "tesseract", "off")
    assert ocr_engines.resolve("off") is None
    assert ocr_engines.why_not("off") == "OCR is off (--ocr-engine off)"
    monkeypatch.setattr(ocr_engines, "unavailable", lambda name: f"{name} is not installed")
    assert ocr_engines.resolve("auto") is None
    row = process(SKEWED).reports.iloc[0]
    assert (row["status"], row["error"]) == ("needs_ocr", "no text layer on any of 1 pages; no OCR engine installed: "
                                             + ocr_engines.INSTALL_HINT)


@pytest.mark.skipif(ocr_engines.unavailable("tesseract") is not None, reason="needs tesseract-ocr-chi-sim")
def test_tesseract_reads_the_skewed_scan_through_jixiao_run(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SKEWED, folder / "scan.pdf")
    out = tmp_path / "out"
    subprocess.run([JIXIAO, "run", str(folder), "-o", str(out), "-q", "--ocr-engine", "tesseract"],
                   check=True, timeout=600)
    with open(out / "reports.csv", encoding="utf-8-sig", newline="") as fh:
        (row,) = list(csv.DictReader(fh))
    assert (row["status"], row["n_scorecards"]) == ("ok", "1")
    with open(out / "budget_lines.csv", encoding="utf-8-sig", newline="") as fh:
        (line,) = list(csv.DictReader(fh))
    assert (line["budget_raw"], line["executed_raw"]) == ("55", "32.37")
