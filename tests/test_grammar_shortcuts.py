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



def test_a_glued_row_whose_target_is_two_characters_is_still_split():
    # the shortest target a reading takes (2 characters) written twice: the precheck for a repeat must see it
    from jixiao.patterns.flat_text import split_glued
    assert split_glued("安装率5≥9≥94") == ["安装率", "5", "≥9", "≥9", "4"]
    assert split_glued("安装率5≥9≥84") == ["安装率5≥9≥84"]  # nothing twice: no reading, left whole


def test_ascii_view_maps_every_full_width_character_it_knows():
    from jixiao.patterns.numbers import _FULLWIDTH, ascii_view
    for cp in _FULLWIDTH:  # each alone in Chinese text: the precheck must find every one of them
        text = f"完成率{chr(cp)}指标"
        assert ascii_view(text) == text.translate(_FULLWIDTH)
    assert ascii_view("项目指标") == "项目指标"


def test_header_compact_and_unit_spelling_as_the_character_maps_gave_them():
    from jixiao.patterns.headers import compact
    from jixiao.patterns.units import clean_unit
    assert compact("：得 分（２０分）【注】：") == "得分(20分)[注]"
    assert clean_unit(" 篇 (条) ") == "篇（条）" and clean_unit("  ") is None and clean_unit(None) is None


def test_plain_signs_maps_every_small_form_sign_it_knows():
    from jixiao.patterns.hanzi import _SMALL_FORMS, plain_signs
    for cp in _SMALL_FORMS:  # each alone in Chinese text: the precheck must find every one of them
        text = f"完成率{chr(cp)}95%"
        assert plain_signs(text) == text.translate(_SMALL_FORMS) != text
    assert plain_signs("完成率≥95%") == "完成率≥95%"


@pytest.mark.parametrize("lines, banded", [
    (["三级指标", "指标", "指标", "指标", "指标", "          分值    得分"], [0, 5]),  # spaced line 5 below: in reach
    (["三级指标", "指标", "指标", "指标", "指标", "指标", "          分值    得分"], [6]),  # 6 below: out of reach
    (["          分值    得分", "指标", "指标", "指标", "指标", "指标", "三级指标"], [6]),  # 6 above: in reach
])
def test_band_reach_of_a_spaced_line_is_find_bands_own(lines, banded):
    # a header stacked one word a line, its only spaced line at the edge of find_band's reach: the reach
    # computed by _line_words must hold every line find_band finds a band around, and not one line fewer
    rows, near = column_text._line_words(lines, flat_forms)
    assert rows == [column_text.words(line) for line in lines]
    assert [i for i in range(len(rows)) if column_text.find_band(rows, i, flat_forms)] == banded
    assert all(near[i] for i in banded)
    if lines[0].startswith("三级指标") and 0 not in banded:
        assert not near[0]


@pytest.mark.parametrize("name", ["004_35c19541f4036631.cells.txt", "004_35c19541f4036631.cellrows.txt",
                                  "004_35c19541f4036631.runon.txt", "001_e7a38e6b87d50f48.pipe.txt"])
def test_read_forms_same_with_and_without_the_band_reach(name, monkeypatch):
    lines = (SAMPLES / name).read_text(encoding="utf-8").split("\n")
    rows, near = column_text._line_words(lines, flat_forms)
    assert rows == [column_text.words(line.replace("\f", "")) for line in lines]
    assert not all(near) or "cell" not in name  # one cell per line: the reach leaves lines out
    short = column_text.read_forms(lines, flat_forms)
    line_words = column_text._line_words
    monkeypatch.setattr(column_text, "_line_words", lambda ls, g: (line_words(ls, g)[0], [True] * len(ls)))
    assert short == column_text.read_forms(lines, flat_forms)


def test_header_kind_remembered_by_the_rows_texts_not_the_list():
    # the memo is keyed by a copy of the row: a list changed after it was asked about is asked about afresh
    row = ["三级指标", "指标值", "分值", "得分"]
    assert flat_forms.header_kind(row) == "indicators"
    row[0] = "说明"
    assert flat_forms.header_kind(row) is None
    assert flat_forms.header_kind(["年初预算数", "全年预算数", "全年执行数"]) == "budget"
    assert flat_forms.header_kind(["分值", "得分"]) is None  # two header words: fewer than MIN_HEADER


@pytest.mark.parametrize("line, header", [
    ("一级指标 三级指标 评分标准 分值", ["一级指标", "三级指标", "评分标准", "分值"]),  # four words: the fewest
    ("三级指标 评分标准 分值", None),  # three: skipped before any word is looked up
])
def test_a_criteria_header_line_needs_four_header_words(line, header):
    from jixiao.normalize import criteria_text
    assert criteria_text._header_line(line, flat_forms) == header


@pytest.mark.parametrize("cells, joined", [
    (["效益指标（XX分）效益指标（20分）", "社会效益"], ["效益指标（XX分）\n效益指标（20分）", "社会效益"]),  # glued template
    (["效益指标（XX分）", "效益指标（20分）", "社会效益"], ["效益指标（XX分）\n效益指标（20分）", "社会效益"]),
    (["年初", "预算数", "实际", "完成值"], ["年初预算数", "实际完成值"]),  # no 分 in any cell: no regex asked
])
def test_split_words_and_template_labels_joined(cells, joined):
    where = list(range(len(cells)))
    assert flat_forms.join_split_words(list(cells), where) == joined and len(where) == len(joined)


HEADER = ["三级指标", "指标值", "分值", "得分"]


@pytest.mark.parametrize("cells, at, header", [
    (HEADER, 0, HEADER),
    (["甲", "乙", *HEADER], 0, None),  # two cells naming no field: no header starts at the first
    (["甲", "乙", *HEADER], 1, ["乙", *HEADER]),  # one label cell may lead a header
    (["甲", "", *HEADER], 0, ["甲", *HEADER]),  # ... a blank cell after it
    (["", *HEADER], 0, HEADER),  # a blank cell first
    (["甲"], 0, None),
])
def test_a_header_starts_where_the_long_way_finds_it(cells, at, header):
    # _header_at says "no header" at once for a cell naming no field followed by another: the cases at its edge
    found = flat_forms._header_at(cells, at)
    assert (found[0] if found else None) == header
    assert found is None or found[1] == len(cells)


def test_header_fields_remembered_per_header_and_handed_out_as_copies():
    header = ["一级指标", "二级指标", "三级指标", "分值", "得分"]
    kinds = flat_forms.header_fields_of(header)
    assert kinds == ["level1", "level2", "level3", "weight", "score"]
    kinds[0] = None  # a caller changing its list changes nobody else's
    assert flat_forms.header_fields_of(header)[0] == "level1"
    header[0] = "说明"
    assert flat_forms.header_fields_of(header)[0] == "remark"


def test_a_number_with_thousands_separators_is_read_not_raised():
    """patterns/flat_text.number: every reader types a cell is_number accepts through it; a total row's 1,000 in
    a -raw dump raised ValueError in criteria_text and column_text, which parsed it without dropping the comma."""
    from jixiao.normalize import criteria_text
    from jixiao.patterns import flat_text

    assert flat_text.is_number("1,000") and flat_text.number("1,000") == 1000.0
    assert criteria_text._numbers(["1,000"]) is False and criteria_text._numbers(["5", "4.5"]) is True
