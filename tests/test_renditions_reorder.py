"""Out-of-order PDF text layers (scripts/renditions_reorder.py): the seed PDFs with each page's text listed
in another order — value columns first, rows bottom-up, runs shuffled — read exactly as the ordered PDF:
every table and column but ids and paths, scorecards, totals, budget and indicator rows, figures, flags and
their page boxes. First that each rendition is what it claims: the same glyphs at the same places, listed
in another order."""
from __future__ import annotations

import io
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pdfplumber
import pytest

from test_golden import current_csvs, golden_csvs

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
sys.path.insert(0, str(SAMPLES.parent / "scripts"))
from renditions_reorder import RENDITIONS, rendition_name  # noqa: E402

CASES = {rendition_name(source, order): (source, order) for source, order in RENDITIONS}
ORDERED_READING = 0.9  # rank correlation of a page's stream order with its reading order: the source PDFs
# columns that depend on the file's bytes or name, not on what was read from it
IDENTITY = {"report_id", "scorecard_id", "source_sha256", "source_path", "fingerprint"}


def _glyphs(path: Path) -> list[list[dict]]:
    """Each page's visible characters in content-stream order (pdfplumber keeps the stream's order)."""
    with pdfplumber.open(path) as pdf:
        return [[{k: c[k] for k in ("text", "x0", "top")} for c in page.chars if c["text"].strip()]
                for page in pdf.pages]


def _rank(values) -> np.ndarray:
    return np.argsort(np.argsort(values, kind="stable"), kind="stable")


def _stream_vs(chars: list[dict], key) -> float:
    """Rank correlation of the stream order with the order `key` gives (1: listed in that order)."""
    return float(np.corrcoef(np.arange(len(chars)), _rank([key(c) for c in chars]))[0, 1])


def reading(c):  # top to bottom, left to right (lines 1 pt apart are one line)
    return round(c["top"]) * 10_000 + c["x0"]


def bottom_up(c):
    return -round(c["top"]) * 10_000 + c["x0"]


@pytest.fixture(scope="module", params=sorted(CASES))
def case(request):
    name = request.param
    if not (SAMPLES / name).exists():
        pytest.skip(f"{name} not built (scripts/build_samples.py --only pdfs)")
    source, order = CASES[name]
    return SAMPLES / source, SAMPLES / name, order


def test_rendition_has_the_same_glyphs_in_another_order(case):
    source, rendition, order = case
    ordered, moved = _glyphs(source), _glyphs(rendition)
    assert len(ordered) == len(moved)
    for number, (a, b) in enumerate(zip(ordered, moved), 1):
        where = lambda chars: sorted((c["text"], round(c["x0"], 3), round(c["top"], 3)) for c in chars)  # noqa: E731
        assert where(a) == where(b), f"page {number}: glyphs moved"
        assert _stream_vs(a, reading) > ORDERED_READING, f"page {number} of the source is not in reading order"
        listed = _stream_vs(b, reading)
        if order == "bottomup":
            assert _stream_vs(b, bottom_up) > 0.99, f"page {number}"
        elif order == "columns":  # rightmost text first: its first glyph lies right of the page's middle
            assert listed < 0.6 and b[0]["x0"] > max(c["x0"] for c in b) / 2, f"page {number}: {listed:.2f}"
        else:
            assert abs(listed) < 0.3, f"page {number}: {listed:.2f}"


def _stream_texts(path: Path) -> list[str]:
    with pdfplumber.open(path) as pdf:
        return ["".join(c["text"] for c in page.chars) for page in pdf.pages]


def test_columns_rendition_lists_the_scores_before_the_indicator_names():
    """Seed 001's 评分表: the 自评得分 header before the 三级指标 header, the 总分 row's claimed 98 before
    its label — in the content stream; the ordered PDF the other way round."""
    path = SAMPLES / "001_e7a38e6b87d50f48.columns.pdf"
    if not path.exists():
        pytest.skip(f"{path.name} not built")
    pairs = [("自评得分", "三级指标"), ("98", "总 分")]
    for first, then in pairs:
        moved = next(t for t in _stream_texts(path) if first in t and then in t)
        ordered = next(t for t in _stream_texts(SAMPLES / "001_e7a38e6b87d50f48.pdf") if first in t and then in t)
        assert moved.index(first) < moved.index(then) and ordered.index(then) < ordered.index(first)


def _frames(csvs: dict[str, str]) -> dict[str, pd.DataFrame]:
    frames = {}
    for table, text in csvs.items():
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
        frames[table] = frame.drop(columns=[c for c in frame.columns if c in IDENTITY])
    return frames


def test_rendition_reads_as_the_ordered_pdf(case):
    """Every table of the rendition equals the ordered PDF's golden output (which test_golden holds to what
    the ordered PDF reads now) but for ids and paths: scorecards, totals, budget and indicator rows, figures,
    flags with their pages and boxes, the report's title, unit and year."""
    source, rendition, _ = case
    want = _frames(golden_csvs(source))
    got = _frames(current_csvs(rendition))
    assert len(want["scorecards"]) >= 1 and len(want["indicators"]) >= 25  # a real form, not an empty read
    for table in want:
        pd.testing.assert_frame_equal(got[table], want[table], obj=f"{rendition.name}: {table}")
