"""Markdown pipe tables (GitHub, pandoc, docling, marker: `| a | b |` under a `|---|` separator row) read as
tables, not text; flattened pipe rows without a separator row (web pages' text) stay the .txt reader's."""
from __future__ import annotations

import jixiao
from jixiao.extract import detect_format, read
from jixiao.extract.html import read_html_text
from jixiao.extract.markdown import is_separator, pieces, split_row

from forms import CLEAN

FORM = """# 2022年度项目支出绩效自评表

单位名称：某某中心

| 一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分 |
|:---|---|---|---|---|---:|---:|
{rows}
| 总分 | | | | | 90 | 90 |

备注：无
"""


def form_md() -> str:
    rows = "\n".join("| " + " | ".join(row) + " |" for row in CLEAN)
    return FORM.format(rows=rows)


def test_separator_rows():
    assert is_separator("|---|:---:|---:|") and is_separator("| --- | --- |") and is_separator("---|---")
    assert not is_separator("| a | --- |") and not is_separator("------") and not is_separator("|--|--|")


def test_cells_of_a_pipe_row():
    assert split_row("| 产出指标<br>（30分） | a \\| b | |") == ["产出指标\n（30分）", "a | b", ""]
    assert split_row("a | b") == ["a", "b"]


def test_pipe_table_between_paragraphs():
    doc = read_html_text(form_md(), "form.md")
    assert [p.text for p in doc.paragraphs] == ["2022年度项目支出绩效自评表", "单位名称：某某中心", "备注：无"]
    (table,) = doc.tables
    assert (table.n_rows, table.n_cols) == (7, 7)  # header, 5 rows, 总分: the separator is no row
    assert table.text_rows()[0][:3] == ["一级指标", "二级指标", "三级指标"]
    assert table.text_rows()[6] == ["总分", "", "", "", "", "90", "90"]


def test_an_empty_header_row_is_no_row():
    (kind, rows), = pieces("| | |\n|---|---|\n| a | 1 |\n| b | 2 |")
    assert kind and rows == [["a", "1"], ["b", "2"]]


def test_markdown_with_pipe_tables_is_read_as_a_form(tmp_path):
    path = tmp_path / "form.md"
    path.write_text(form_md(), encoding="utf-8")
    assert detect_format(path) == "html"
    assert len(read(path).tables) == 1
    data = jixiao.read(path)
    assert (data.reports.fiscal_year[0], data.reports.unit_name[0]) == (2022, "某某中心")
    card = data.scorecards.iloc[0]
    assert (card.claimed_total, card.recomputed_total) == (90.0, 90.0)
    assert len(data.indicators) == 5 and list(data.indicators.weight) == [20.0, 15.0, 15.0, 30.0, 10.0]


def test_pipe_rows_without_a_separator_stay_text(tmp_path):
    """Flattened web-page rows (`a | b | |||`) have no separator row: the .txt reader and its pipe grammar."""
    path = tmp_path / "rows.txt"
    path.write_text("项目名称 | 测试 | |||\n一级指标 | 二级指标 | 三级指标 ||\n", encoding="utf-8")
    assert detect_format(path) == "txt"


def test_a_separator_cut_by_a_scan_piece_boundary_is_found(tmp_path, monkeypatch):
    from jixiao.extract import reader

    text = "说明\n" * 40 + form_md()
    path = tmp_path / "late.md"
    path.write_text(text, encoding="utf-8")
    cut = text.encode("utf-8").index(b"|:---|") + 3
    monkeypatch.setattr(reader, "SCAN_CHUNK", cut)
    assert reader.has_html_mark(path)
