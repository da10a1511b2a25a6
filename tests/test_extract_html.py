"""HTML reports and Markdown with HTML tables (MinerU output): tables with real merges, text as paragraphs."""
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st

import jixiao
from jixiao.extract import detect_format, read
from jixiao.extract.html import read_html_text, segments

from forms import REAL

HENAN_MD = REAL / "henan_2021-2024_zhiye_jineng_jingsai_jixiao_pingjia_baogao.md"
HENAN_DOCX = Path(__file__).resolve().parent.parent / "samples" / f"{HENAN_MD.stem}.docx"

PAGE = """<!DOCTYPE html><html><head><title>t</title><style>p {color: red}</style></head><body>
<h1>2021年度项目支出绩效自评表</h1><p>单位名称：某某中心</p>
<table><tr><td>一级指标</td><td>二级指标</td><td>三级指标</td><td>分值</td><td>得分</td></tr>
<tr><td rowspan="2">产出指标<br>（30分）</td><td>数量指标</td><td>完成数量</td><td>20</td><td>20</td></tr>
<tr><td colspan="2">合格率</td><td>10</td><td>9</td></tr></table>
<p>备注：无</p></body></html>"""


def test_rowspan_and_colspan_become_merges():
    doc = read_html_text(PAGE, "page.html")
    assert [p.text for p in doc.paragraphs] == ["2021年度项目支出绩效自评表", "单位名称：某某中心", "备注：无"]
    (table,) = doc.tables
    assert (table.n_rows, table.n_cols) == (3, 5)
    assert table.grid[1][0].rowspan == 2 and table.grid[2][0].origin == (1, 0)
    assert table.text(2, 0) == "产出指标\n（30分）"
    assert table.grid[2][1].colspan == 2 and table.grid[2][2].origin == (2, 1)
    assert table.text_rows()[2] == ["", "合格率", "10", "9"]


def test_nested_tables_stay_inside_their_outer_table():
    text = "前言<table><tr><td>外<table><tr><td>内</td></tr></table></td></tr></table>后记"
    assert [t for t, _ in segments(text)] == [False, True, False]


def test_detected_by_content(tmp_path):
    page = tmp_path / "report.txt"  # a web page saved under the wrong name
    page.write_text(PAGE, encoding="utf-8")
    assert detect_format(page) == "html"
    assert read(page).format == "html"


def test_a_table_in_a_page_is_a_scorecard(tmp_path):
    page = tmp_path / "form.html"
    page.write_text(PAGE.replace("</table>", "<tr><td>总分</td><td></td><td></td><td>30</td><td>30</td></tr></table>"),
                    encoding="utf-8")
    data = jixiao.read(page)
    assert list(data.indicators.level1) == ["产出指标", "产出指标"] and list(data.indicators.level1_weight) == [30.0] * 2
    assert [(f.code, f.claimed, f.recomputed) for f in data.flags.itertuples()] == [
        ("WEIGHT_SUM_MISMATCH", 30.0, 100.0), ("TOTAL_MISMATCH", 30.0, 29.0)]  # a 30-point form; 20 + 9 ≠ 30


@pytest.mark.skipif(not HENAN_MD.exists(), reason="shared real material not mounted")
def test_henan_markdown_reads_like_its_docx_rendition():
    from_md, from_docx = jixiao.read(HENAN_MD), jixiao.read(HENAN_DOCX)
    assert from_md.reports.iloc[0]["source_format"] == "html"
    columns = ["level1", "level2", "level3", "weight", "claimed_score"]
    pd.testing.assert_frame_equal(from_md.indicators[columns], from_docx.indicators[columns])
    for frame in (from_md, from_docx):
        assert frame.scorecards.iloc[0][["claimed_total", "recomputed_total"]].tolist() == [65.0, 65.0]
        assert frame.flags.empty


@given(st.lists(st.sampled_from(["<table>", "</table>", "<tr>", "<td rowspan='x3'>", "<td colspan=9999>", "</td>",
                                 "<br>", "<p>", "文本", "85分", "\n", "<script>", "&nbsp;", "<", ">", "$9\\%$"]),
                max_size=40))
@settings(max_examples=200, deadline=None)
def test_arbitrary_markup_never_raises(parts):
    document = read_html_text("".join(parts))
    for table in document.tables:
        assert all(len(row) == table.n_cols for row in table.grid)


# ../shared beside the clone (CI), else the workplace's copy (a worktree lies deeper)
ZY2025_MD = REAL / "ZY2025_yusuan_jixiao_zhengce_huibian_templates.md"


def test_markdown_whose_first_table_comes_after_the_sniffed_head_is_html(tmp_path):
    # MinerU Markdown may open with 80 KB and more of prose; its tables must still be read as tables
    prose = "".join(f"第{i}条 预算绩效管理应当遵循本办法的规定。\n\n" for i in range(4000))
    assert len(prose.encode("utf-8")) > 150_000
    page = tmp_path / "compilation.md"
    page.write_text(prose + PAGE.split("<body>")[1], encoding="utf-8")
    assert detect_format(page) == "html"
    doc = read(page)
    assert len(doc.tables) == 1 and doc.tables[0].text_rows()[2] == ["", "合格率", "10", "9"]
    assert doc.paragraphs[0].text == "第0条 预算绩效管理应当遵循本办法的规定。"
    plain = tmp_path / "plain.md"
    plain.write_text(prose, encoding="utf-8")
    assert detect_format(plain) == "txt"


def test_a_table_mark_cut_by_a_scan_piece_boundary_is_found(tmp_path, monkeypatch):
    from jixiao.extract import reader
    monkeypatch.setattr(reader, "SCAN_CHUNK", 4096)
    for cut in range(1, 7):  # "<table" split after each of its characters
        page = tmp_path / f"cut{cut}.md"
        page.write_bytes(b"a" * (4096 - cut) + b"<table><tr><td>x</td><td>y</td></tr></table>")
        assert reader.has_html_mark(page), cut


@pytest.mark.skipif(not ZY2025_MD.exists(), reason="shared real material not mounted")
def test_real_compilation_with_its_first_table_after_80_kb_reads_its_tables():
    assert ZY2025_MD.read_bytes().find(b"<table") > 80_000
    doc = read(ZY2025_MD)
    assert doc.format == "html" and len(doc.tables) == 85


# 附表3-3 of the Henan report as LibreOffice writes it to HTML (and .doc): the .docx's two page pieces, each with
# its own column widths, merged into one table on the union of their columns
STACKED = """<table><tr><td>指标名称</td><td colspan="2">权重</td><td colspan="3">指标得分</td><td>得分率</td></tr>
<tr><td>A1项目立项</td><td colspan="2">5.00</td><td colspan="3">2.00</td><td>40.00%</td></tr>
<tr><td>A102立项程序规范性</td><td colspan="2">3.00</td><td colspan="3">0.00</td><td>0.00%</td></tr>
<tr><td colspan="2">A301预算编制科学性</td><td colspan="2">3.00</td><td>3.00</td><td colspan="2">100.00%</td></tr>
<tr><td colspan="2">A302资金分配合理性</td><td colspan="2">2.00</td><td>1.00</td><td colspan="2">50.00%</td></tr>
<tr><td colspan="2">合计</td><td colspan="2">15.00</td><td>10.40</td><td colspan="2">69.33%</td></tr></table>"""


def test_pieces_stacked_with_their_own_column_widths_are_tables_of_their_own():
    """Henan .html/.doc (issue 11 item 4): read on the union grid, the lower piece's cells straddled the header's
    columns (A302's 1.00 under 指标得分's second column, its 2.00 under 权重's and 指标得分's), so the restated
    table lost A302's score and the form its row. Two tables of four columns, as the .docx's two pieces."""
    first, second = read_html_text(STACKED, "henan.html").tables
    assert first.text_rows() == [["指标名称", "权重", "指标得分", "得分率"], ["A1项目立项", "5.00", "2.00", "40.00%"],
                                 ["A102立项程序规范性", "3.00", "0.00", "0.00%"]]
    assert (second.n_cols, second.text_rows()) == (4, [["A301预算编制科学性", "3.00", "3.00", "100.00%"],
                                                       ["A302资金分配合理性", "2.00", "1.00", "50.00%"],
                                                       ["合计", "15.00", "10.40", "69.33%"]])
    assert [t.location.table for t in (first, second)] == [0, 1]
    # rows of one table share their columns; a row with a merge has fewer cells: one table
    (form,) = read_html_text(PAGE, "page.html").tables
    assert form.n_rows == 3
