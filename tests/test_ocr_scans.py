"""The scanned renditions in samples/scans/ give what the text layer of the same pages gives: the same
scorecards (names, claimed and recomputed totals), budget rows, indicator rows and flags; and no OCR'd
cell has a number broken over two lines. The text layer is the seed PDF's pages copied into a new PDF, so
each side is read by the same pipeline from the same pages. One run per rendition with the default engine."""
from __future__ import annotations

import difflib
import re
import sys
import unicodedata
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from PIL import Image

from jixiao import extract
from jixiao.extract import ocr_engines
from jixiao.normalize.pipeline import process_rows
from jixiao.normalize.schema import TABLE_NAMES, Dataset, to_frame

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
from renditions_scan import RENDITIONS  # noqa: E402

ENGINE = ocr_engines.resolve("auto")
needs_engine = pytest.mark.skipif(ENGINE is None, reason=ocr_engines.why_not("auto"))
# numbers, operators and units exactly; names and labels may differ by a misread character (SIMILAR)
SCORECARD = ["kind", "claimed_total", "recomputed_total", "claimed_grade", "recomputed_grade", "profile"]
BUDGET = ["line", "budget_wan", "executed_wan", "budget_raw", "executed_raw", "claimed_rate", "recomputed_rate",
          "weight", "claimed_score", "recomputed_score"]
INDICATOR = ["weight", "target_op", "target_value", "target_unit", "actual_op", "actual_value", "actual_unit",
             "claimed_score", "recomputed_score"]
FLAG = ["code", "severity", "claimed", "recomputed"]
TEXTS = {"scorecards": ["name"], "indicators": ["level1", "level2", "level3", "target_raw", "actual_raw"]}
SIMILAR = 0.85  # difflib ratio of an OCR'd name or label to the text layer's
BROKEN_NUMBER = re.compile(r"\d[\d,.]*\n[\d,.]*\d")
SAME_PICTURE = 0.85  # correlation of a flag's evidence picture from a scan with the text layer's: 0.93-0.96;
# the region cut from the page as stored (not turned or deskewed as OCR read it) 0.03-0.68


def rows(frame: pd.DataFrame, columns: list[str]) -> list[tuple]:
    return [tuple(None if pd.isna(v) else v for v in row) for row in frame[columns].itertuples(index=False)]


def misread(data, reference) -> list[tuple[str, str, str]]:
    """(table, OCR'd text, text layer's) for every name or label that is not close to the text layer's."""
    out = []
    for table, columns in TEXTS.items():
        for col in columns:
            for got, want in zip(getattr(data, table)[col], getattr(reference, table)[col]):
                # full- and half-width forms ("（" / "(") are the same text: OCR picks either for a paren
                got, want = (unicodedata.normalize("NFKC", "" if pd.isna(v) else v) for v in (got, want))
                if difflib.SequenceMatcher(None, got, want).ratio() < SIMILAR:
                    out.append((table, got, want))
    return out


def process(path: Path, out: Path) -> Dataset:
    """The pipeline's rows of a file, its flags' evidence pictures drawn into `out`."""
    tables = process_rows(path, evidence_out=str(out))
    return Dataset(**{name: to_frame(name, tables.get(name, [])) for name in TABLE_NAMES})


@pytest.fixture(scope="module", params=RENDITIONS, ids=lambda s: s.path.name)
def pair(request, tmp_path_factory):
    if ENGINE is None:
        pytest.skip(ocr_engines.why_not("auto"))
    scan, tmp = request.param, tmp_path_factory.mktemp("scan")
    reference = process(scan.text_layer(tmp), tmp / "text-out")
    return scan, process(scan.path, tmp / "scan-out"), reference, (tmp / "scan-out", tmp / "text-out")


@needs_engine
def test_scan_gives_the_text_layers_scorecards_rows_and_flags(pair):
    scan, data, reference, _ = pair
    report = data.reports.iloc[0]
    assert report["status"] in ("ok", "partial") and report["n_scorecards"] >= 1
    assert (report["claimed_score"], report["n_scorecards"], report["n_indicators"]) == tuple(
        reference.reports.iloc[0][["claimed_score", "n_scorecards", "n_indicators"]])
    assert rows(data.scorecards, SCORECARD) == rows(reference.scorecards, SCORECARD)
    assert rows(data.budget_lines, BUDGET) == rows(reference.budget_lines, BUDGET)
    assert rows(data.indicators, INDICATOR) == rows(reference.indicators, INDICATOR)
    assert rows(data.flags, FLAG) == rows(reference.flags, FLAG)
    assert misread(data, reference) == []


def darkness(path: Path, size: tuple[int, int]) -> np.ndarray:
    """How dark each block of a picture is, the picture scaled to `size`."""
    with Image.open(path) as image:
        return 255 - np.asarray(image.convert("L").resize(size, Image.Resampling.BOX), dtype=float).ravel()


@needs_engine
def test_evidence_pictures_of_a_scan_show_the_flagged_region_upright(pair):
    """A flag on a page scanned upside down, sideways or skewed: its picture shows what the text layer's picture
    of the same flag shows (the page turned and deskewed as OCR stood it upright before its box is cut out)."""
    scan, data, reference, (scan_out, text_out) = pair
    assert data.flags["evidence"].notna().all() and len(data.flags) == len(reference.flags)
    for got, want in zip(data.flags.to_dict("records"), reference.flags.to_dict("records")):
        assert (got["code"], got["page"]) == (want["code"], want["page"])
        with Image.open(text_out / want["evidence"]) as picture:
            size = (picture.width // 4, picture.height // 4)
        similar = np.corrcoef(darkness(scan_out / got["evidence"], size),
                              darkness(text_out / want["evidence"], size))[0, 1]
        assert similar > SAME_PICTURE, (got["code"], got["bbox"], similar)


@needs_engine
@pytest.mark.parametrize("scan", [s for s in RENDITIONS if "skewed" in s.name], ids=lambda s: s.path.name)
def test_ocr_cells_never_split_a_number_and_carry_where_they_came_from(scan):
    doc = extract.read(scan.path)
    assert doc.ocr_pages == list(range(1, len(scan.pages) + 1)) and not doc.needs_ocr
    cells = [c for t in doc.tables for c in t.iter_cells()]
    assert not [c.text for c in cells if BROKEN_NUMBER.search(c.text)]
    form = next(t for t in doc.tables if ["", "年度财政资金总额", "55", "32.37", "58.85%", "11.77"] in t.text_rows())
    assert form.text_rows()[-1] == ["总分", "91.77"] and 80 < form.ocr_confidence <= 100
    r = next(i for i, row in enumerate(form.text_rows()) if "32.37" in row)
    executed = next(c for c in form.grid[r] if c.text == "32.37")
    x0, top, x1, bottom = executed.bbox  # PDF points, origin top-left: flags can point at the cell
    assert executed.page == 1 and 300 < x0 < x1 < 480 and 400 < top < bottom < 500 and bottom - top < 30
