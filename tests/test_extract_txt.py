"""The .txt reader on the five seeds (exact cells at named positions) and on encodings built here."""
from __future__ import annotations

from pathlib import Path

import pytest

from jixiao.extract.errors import ReadError
from jixiao.extract.model import Paragraph, Table
from jixiao.extract.txt import read_text, read_txt

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
SEED = {n: SAMPLES / next(p.name for p in SAMPLES.glob(f"{n:03d}_*.txt") if p.name.count(".") == 1) for n in range(5)}  # seeds, not their renditions (004_….pipe.txt)


@pytest.fixture(scope="module")
def seed():
    return {n: read_txt(path) for n, path in SEED.items()}


# ---------------------------------------------------------------- prose seeds


def test_prose_seed_000_is_one_paragraph_per_line(seed):
    doc = seed[0]
    assert doc.encoding == "utf-8" and doc.page_count == 1 and doc.format == "txt"
    assert len(doc.blocks) == 74 and not doc.tables
    assert doc.blocks[0].text == "附件 2-1： "  # kept as written
    assert doc.blocks[0].norm == "附件 2-1："
    assert str(doc.blocks[8].location) == "p1 ¶8"
    assert doc.blocks[8].text == "2021年本部门总体预算执行率达到84.47%。 "


def test_prose_seed_003_skips_blank_lines(seed):
    doc = seed[3]
    assert len(doc.paragraphs) == 39 and not doc.tables
    assert doc.paragraphs[1].text == "绩效自评报告"
    assert doc.paragraphs[-1].location.paragraph == 38


# ---------------------------------------------------------------- tab-separated rows (seed 002)


def test_tsv_tables_of_seed_002(seed):
    doc = seed[2]
    assert [(t.n_rows, t.n_cols) for t in doc.tables] == [(57, 7), (31, 6), (6, 6)]
    assert [i for i, b in enumerate(doc.blocks) if isinstance(b, Table)] == [29, 87, 97]
    first = doc.tables[0]
    assert first.text_rows()[0] == ["一级指标", "二级指标", "序号", "三级指标", "目标值", "分值", "备注"]
    assert first.text_rows()[2] == ["", "", "2", "绩效指标明确性", "明确", "1"]  # leading tabs: empty cells
    # the blank line the PDF page break left (after row 17) does not split the table
    assert first.text_rows()[18][:4] == ["产 出", "新闻信息部", "1", "全年采摄新闻"]
    summary = doc.tables[2]
    assert summary.text_rows()[-1] == ["综合绩效", "100%", "100", "98", "98.00%", "优"]
    assert str(summary.location) == "p1 t2"


# ---------------------------------------------------------------- Word table dumps (seeds 001, 004)


def test_seed_004_has_sixteen_project_forms(seed):
    doc = seed[4]
    assert len(doc.tables) == 16
    assert all(t.grid[0][0].text == "项目名称" for t in doc.tables)
    assert [t.n_rows for t in doc.tables] == [21, 22, 22, 22, 22, 22, 22, 22, 22, 21, 22, 21, 21, 25, 21, 20]
    assert all(t.n_cols == 7 for t in doc.tables)
    assert len(doc.paragraphs) == 124


def test_seed_004_fourth_form_budget_row(seed):
    form = seed[4].tables[3]
    assert form.text_rows()[6] == ["", "年度财政资金总额", "55", "32.37", "58.85%", "11.77"]
    assert form.grid[0][1].norm == "融媒体各平台系统维保及人员驻场服务项目（政采）"


def test_seed_004_titles_between_forms_are_paragraphs(seed):
    doc = seed[4]
    kinds = [type(b).__name__ for b in doc.blocks[:5]]
    assert kinds == ["Paragraph", "Paragraph", "Paragraph", "Table", "Paragraph"]
    assert doc.blocks[1].text == "2021年度两会新媒体宣传项目自评表"
    assert doc.blocks[4].text == "备注："
    assert doc.blocks[9].text == "附件1："
    assert doc.blocks[10].text == "2021年度联办临空港报项目自评表"
    assert isinstance(doc.blocks[12], Table)


def test_seed_004_rows_split_by_blank_line_in_a_cell_are_joined(seed):
    first, second = seed[4].tables[0], seed[4].tables[1]
    # `→社会效益指标` / blank / `→品牌宣传效果…`
    assert first.text_rows()[13] == ["", "效益指标\n（20分）", "社会效益指标", "品牌宣传效果", "有所提升", "有所提升", "10"]
    # `→≤5%` / blank / `→≤5%` / `→8`
    assert second.text_rows()[10] == ["", "", "质量指标", "文字内容差错率", "≤5%", "≤5%", "8"]


def test_seed_004_signature_lines_stay_in_their_cell(seed):
    form = seed[4].tables[0]
    assert form.text_rows()[-1] == ["单位主要负责人\n签批意见", "签名：\n年 月 日"]
    assert form.grid[18][1].text.startswith("2021年度新媒体平台线上线下推广项目预算80万元")


def test_seed_004_notes_under_every_form_are_paragraphs(seed):
    # forms 14 and 15 have two blank lines after their notes too: the notes still end the table
    assert all(t.text_rows()[-1] == ["单位主要负责人\n签批意见", "签名：\n年 月 日"] for t in seed[4].tables)
    assert sum(p.text == "备注：" for p in seed[4].paragraphs) == 16


def test_seed_004_paragraph_appended_after_blank_lines_changes_no_earlier_block(seed):
    text = SEED[4].read_text(encoding="utf-8")
    doc = read_text(text + "\n\n附注：测试段落\n")
    assert doc.blocks[:-1] == seed[4].blocks
    assert doc.blocks[-1].text == "附注：测试段落"


def test_seed_001_blocks_and_tables(seed):
    doc = seed[1]
    assert len(doc.blocks) == 20 and len(doc.paragraphs) == 16
    assert [(t.n_rows, t.n_cols) for t in doc.tables] == [(48, 8), (1, 1), (14, 7), (14, 7)]
    assert doc.paragraphs[3].norm == "部门(单位)名称：岳阳市岳阳楼区融媒体中心"
    assert doc.paragraphs[9].norm == "填报人（签名）：孟庆红 联系电话：8245359"
    assert doc.paragraphs[-1].text == "1"


def test_seed_001_cell_continuation_after_blank_line(seed):
    overview = seed[1].tables[0]
    # `→整体支出` / blank / `绩效定量目标及实施计划完成情况` / `→评价内容`: one cell, the row goes on
    assert overview.text_rows()[25] == ["整体支出\n绩效定量目标及实施计划完成情况", "评价内容", "绩效目标", "完成情况"]
    duties = overview.grid[3][1].text.split("\n")
    assert duties[0] == "区融媒体中心是区委宣传部下设二级机构。主要职责有："
    assert len(duties) == 6 and duties[-1].startswith("会同有关单位做好境外来访记者")
    assert overview.text_rows()[9][3] == "公共财\n政拨款"


def test_seed_001_scoring_table_split_at_repeated_header(seed):
    first, second = seed[1].tables[2], seed[1].tables[3]
    header = ["一级指标", "二级指标", "三级指标", "评分标准", "分值", "自评得分", "扣分原因和其他说明"]
    assert first.text_rows()[0] == header == second.text_rows()[0]
    assert first.text_rows()[1][:3] == ["投 入\n（15分）", "预算配置\n（15分）", "财政供养人员\n控制率"]
    assert second.text_rows()[-1] == ["总 分", "", "", "", "100", "98"]
    assert str(second.row_location(13)) == "p1 t3 r13"


# ---------------------------------------------------------------- encodings


SAMPLE_TEXT = "项目名称\t年度财政资金总额\n得分：95分\n"


@pytest.mark.parametrize("encoding, expected", [
    ("utf-8", "utf-8"),
    ("utf-8-sig", "utf-8-sig"),
    ("gb18030", "gb18030"),
    ("gbk", "gb18030"),
    ("utf-16", "utf-16"),  # with BOM
    ("utf-16-le", "utf-16-le"),
    ("utf-16-be", "utf-16-be"),
])
def test_encodings_detected(tmp_path, encoding, expected):
    path = tmp_path / "r.txt"
    path.write_bytes(SAMPLE_TEXT.encode(encoding))
    doc = read_txt(path)
    assert doc.encoding == expected
    assert not doc.warnings
    assert doc.tables[0].grid[0][1].text == "年度财政资金总额"
    assert doc.paragraphs[0].text == "得分：95分"


def test_undecodable_bytes_replaced_with_a_warning(tmp_path):
    path = tmp_path / "bad.txt"
    # a lone high surrogate inside a UTF-16 file
    path.write_bytes("预算".encode("utf-16") + b"\x00\xd8" + "执行\n".encode("utf-16-le"))
    doc = read_txt(path)
    assert doc.encoding == "utf-16"
    assert len(doc.warnings) == 1 and "replaced" in doc.warnings[0]
    assert doc.paragraphs[0].text == "预算\ufffd执行"


def test_seed_reencoded_as_gbk_reads_the_same(tmp_path, seed):
    path = tmp_path / "004.txt"
    path.write_bytes(SEED[4].read_text(encoding="utf-8").encode("gb18030"))
    doc = read_txt(path)
    assert doc.encoding == "gb18030"
    assert [t.text_rows() for t in doc.tables] == [t.text_rows() for t in seed[4].tables]


# ---------------------------------------------------------------- bad input


def test_missing_file_is_a_read_error(tmp_path):
    with pytest.raises(ReadError, match="cannot read"):
        read_txt(tmp_path / "nope.txt")


def test_directory_is_a_read_error(tmp_path):
    with pytest.raises(ReadError, match="directory"):
        read_txt(tmp_path)


def test_binary_is_a_read_error(tmp_path):
    path = tmp_path / "x.txt"
    path.write_bytes(bytes(range(1, 32)) * 50)
    with pytest.raises(ReadError, match="not a text file"):
        read_txt(path)


def test_empty_file_gives_empty_document_with_warning(tmp_path):
    path = tmp_path / "e.txt"
    path.write_bytes(b"")
    doc = read_txt(path)
    assert doc.blocks == [] and doc.warnings == ["empty file: no text"]


# ---------------------------------------------------------------- layouts in small texts


def test_paragraph_after_table_at_end_of_file():
    doc = read_text("\t项目名称\n\t两会宣传\n\n\t总分\n\t99\n\n填报人：张三\n")
    assert [type(b) for b in doc.blocks] == [Table, Paragraph]
    assert doc.tables[0].text_rows() == [["项目名称", "两会宣传"], ["总分", "99"]]
    assert doc.paragraphs[0].text == "填报人：张三"


def test_crlf_line_ends():
    doc = read_text("标题\r\n\t甲\r\n\t乙\r\n\r\n")
    assert doc.paragraphs[0].text == "标题"
    assert doc.tables[0].text_rows() == [["甲", "乙"]]


def _line_parser_blocks(text: str) -> list[tuple]:
    """What the line classifier and parse_lines make of text (the long way round read_text's shortcut)."""
    from jixiao.extract.txt import RawText, classify, parse_lines
    lines = [classify(raw, no) for no, raw in enumerate(text.split("\n"), 1)]
    blocks = parse_lines(lines)
    assert all(isinstance(b, RawText) for b in blocks)  # no tab: no table, only paragraphs
    return [(b.text, f"p1 ¶{k}", b.line) for k, b in enumerate(blocks)]


@pytest.mark.parametrize("name", ["004_35c19541f4036631.cellrows.txt", "004_35c19541f4036631.runon.txt",
                                  "004_35c19541f4036631.pipe.txt", "000_b521ea4f1433165c.txt",
                                  "003_4634e4d09f39b8e4.txt"])
def test_text_without_tabs_reads_as_the_line_parser_reads_it(name):
    # read_text's shortcut for text with no tab (one paragraph per line with text) gives the blocks the
    # classifier and parse_lines give: same texts (as written), paragraph numbers and line numbers
    text = (SAMPLES / name).read_text(encoding="utf-8")
    assert "\t" not in text
    text += "\n   \n\u3000\n  尾行 \n\n"  # lines of spaces (ASCII, ideographic) are blank, spaces kept on text
    doc = read_text(text)
    got = [(b.text, str(b.location), b.location.line) for b in doc.blocks]
    assert all(isinstance(b, Paragraph) for b in doc.blocks)
    assert got == _line_parser_blocks(text)
    assert got[-1] == ("  尾行 ", f"p1 ¶{len(got) - 1}", text.count("\n") - 1)


def test_a_cells_lines_joined_without_its_blank_ones():
    from jixiao.extract.txt import _cell_text
    assert [_cell_text(lines) for lines in (["a "], ["  "], [""], ["a", " ", "b"], [" ", "b"])] == \
        ["a ", "", "", "a\nb", "b"]
