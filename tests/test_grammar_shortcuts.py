"""Exact shortcuts in the flat-form grammars (issue 10 item 10, the worker's CPU per .txt): each skips work
whose result is known, so each is held here to what the long way gives, on the edge its guard sits on."""
from __future__ import annotations

from pathlib import Path

import pytest

from jixiao.normalize import column_text, flat_forms

SAMPLES = Path(__file__).resolve().parents[1] / "samples"


def band(lines: list[str], i: int = 0):
    return column_text.find_band([column_text.words(line) for line in lines], i, flat_forms)


def test_a_header_of_as_many_columns_as_a_header_needs_is_found():
    # three words apart: exactly MIN_HEADER columns (a guard of "<=" would lose this header)
    found = band(["三级指标    分值    得分"])
    assert found is not None and found.kind == "indicators"
    assert [c.text for c in found.columns] == ["三级指标", "分值", "得分"]


def test_a_header_stacked_one_word_a_line_is_counted_over_its_lines():
    # one word per line, set apart by their offsets: the columns come from different lines (a count per
    # line would see one column and skip the header)
    found = band(["三级指标", "            分值", "                     得分"])
    assert found is not None and [c.text for c in found.columns] == ["三级指标", "分值", "得分"]


def test_words_overlapping_each_other_make_one_column_and_no_header():
    assert column_text._apart([column_text.words(w) for w in ["三级指标", "分值", "得分"]]) == 1
    assert band(["三级指标", "分值", "得分"]) is None


@pytest.mark.parametrize("name", ["004_35c19541f4036631.cells.txt", "001_e7a38e6b87d50f48.pipe.txt"])
def test_find_band_same_with_and_without_the_column_count(name, monkeypatch):
    lines = (SAMPLES / name).read_text(encoding="utf-8").split("\n")
    rows = [column_text.words(line) for line in lines]
    short = [column_text.find_band(rows, i, flat_forms) for i in range(len(rows))]
    monkeypatch.setattr(column_text, "_apart", lambda band: 10 ** 9)
    assert short == [column_text.find_band(rows, i, flat_forms) for i in range(len(rows))]

