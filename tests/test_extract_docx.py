"""The .docx reader on the real Henan report and on small documents built here with python-docx."""
from __future__ import annotations

import zipfile
from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_BREAK
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from jixiao.extract.docx import read_docx
from jixiao.extract.errors import ReadError
from jixiao.extract.model import Paragraph, Table

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
HENAN = SAMPLES / "henan_2021-2024_zhiye_jineng_jingsai_jixiao_pingjia_baogao.docx"


# ---------------------------------------------------------------- the real Henan report


@pytest.fixture(scope="module")
def henan():
    if not HENAN.exists():
        pytest.skip("samples/henan…docx not built (scripts/build_samples.py)")
    return read_docx(HENAN)


def test_henan_blocks(henan):
    assert len(henan.tables) == 108  # as the source's README counts
    assert len(henan.paragraphs) == 530
    assert henan.paragraphs[0].text == "2021-2024年省级职业技能竞赛经费项目绩效评价报告"
    assert str(henan.paragraphs[2].location) == "p1 ¶2"


def test_henan_vertical_and_horizontal_merges(henan):
    funds = henan.tables[0]
    assert (funds.n_rows, funds.n_cols) == (17, 8)
    project = funds.grid[1][0]
    assert project.text == "省级职业技能竞赛经费" and (project.rowspan, project.colspan) == (15, 1)
    assert funds.grid[15][0].origin == (1, 0)
    assert funds.text(15, 0) == "省级职业技能竞赛经费"  # consumers carry the merged text down
    assert funds.grid[1][1].rowspan == 5 and funds.grid[6][1].text.startswith("获奖选手")
    total = funds.grid[16][0]
    assert total.colspan == 3 and funds.grid[16][2].origin == (16, 0)
    assert funds.text_rows()[3] == ["", "", "2023", "2185.00", "2185.00", "29.31", "100.00",
                                    funds.grid[3][7].norm]


def test_henan_scoring_summary(henan):
    process = henan.tables[41]
    assert process.text_rows()[-1] == ["合计", "25.00", "11.47", "45.88%"]
    assert str(process.location) == "p1 t41"


# ---------------------------------------------------------------- small documents built here


def _save(document, tmp_path: Path, name: str = "t.docx") -> Path:
    path = tmp_path / name
    document.save(path)
    return path


def test_paragraphs_and_tables_interleave_in_document_order(tmp_path):
    d = docx.Document()
    d.add_paragraph("附件1：")
    d.add_paragraph("")  # empty: skipped
    d.add_table(rows=1, cols=2).rows[0].cells[0].text = "项目名称"
    d.add_paragraph("备注：")
    d.add_table(rows=1, cols=1).rows[0].cells[0].text = "总分"
    d.sections[0].header.paragraphs[0].text = "页眉：不要读"
    doc = read_docx(_save(d, tmp_path))
    assert [type(b) for b in doc.blocks] == [Paragraph, Table, Paragraph, Table]
    assert [str(b.location) for b in doc.blocks] == ["p1 ¶0", "p1 t0", "p1 ¶1", "p1 t1"]
    assert doc.blocks[1].text_rows() == [["项目名称"]]
    assert all("页眉" not in b.text for b in doc.paragraphs)


def test_merged_cells_become_spans_with_back_pointers(tmp_path):
    d = docx.Document()
    t = d.add_table(rows=3, cols=3)
    level1 = t.cell(0, 0).merge(t.cell(2, 0))
    level1.text = "产出指标"
    wide = t.cell(0, 1).merge(t.cell(0, 2))
    wide.text = "数量指标"
    t.cell(1, 1).text, t.cell(1, 2).text = "出刊期数", "48期"
    t.cell(2, 1).text, t.cell(2, 2).text = "发行数量", "10000份"
    table = read_docx(_save(d, tmp_path)).tables[0]
    assert (table.n_rows, table.n_cols) == (3, 3)
    origin = table.grid[0][0]
    assert (origin.text, origin.rowspan, origin.colspan) == ("产出指标", 3, 1)
    assert table.grid[1][0].origin == (0, 0) and table.grid[2][0].origin == (0, 0)
    assert (table.grid[0][1].colspan, table.grid[0][2].origin) == (2, (0, 1))
    assert table.text_rows() == [["产出指标", "数量指标"], ["", "出刊期数", "48期"], ["", "发行数量", "10000份"]]


def test_block_merge_spans_both_ways(tmp_path):
    d = docx.Document()
    t = d.add_table(rows=3, cols=3)
    t.cell(0, 0).merge(t.cell(1, 1)).text = "合并"
    t.cell(2, 2).text = "角"
    table = read_docx(_save(d, tmp_path)).tables[0]
    cell = table.grid[0][0]
    assert (cell.rowspan, cell.colspan) == (2, 2)
    assert {table.grid[r][c].origin for r, c in ((0, 1), (1, 0), (1, 1))} == {(0, 0)}
    assert table.text_rows() == [["合并"], [], ["", "", "角"]]  # trailing empties dropped


def test_cell_paragraphs_and_line_breaks_join_with_newline(tmp_path):
    d = docx.Document()
    cell = d.add_table(rows=1, cols=1).cell(0, 0)
    cell.paragraphs[0].text = "预算执行"
    run = cell.paragraphs[0].add_run()
    run.add_break(WD_BREAK.LINE)
    run.add_text("情况（万元）")
    cell.add_paragraph("")  # empty paragraph inside the cell: skipped
    cell.add_paragraph("（20分）")
    table = read_docx(_save(d, tmp_path)).tables[0]
    assert table.grid[0][0].text == "预算执行\n情况（万元）\n（20分）"


def test_nested_table_kept_and_its_text_not_lost(tmp_path):
    d = docx.Document()
    outer = d.add_table(rows=1, cols=2)
    outer.cell(0, 0).text = "指标"
    host = outer.cell(0, 1)
    host.paragraphs[0].text = "明细："
    inner = host.add_table(rows=2, cols=2)
    for (r, c), text in {(0, 0): "年初", (0, 1): "20", (1, 0): "执行", (1, 1): "19.75"}.items():
        inner.cell(r, c).text = text
    cell = read_docx(_save(d, tmp_path)).tables[0].grid[0][1]
    assert len(cell.nested) == 1 and cell.nested[0].text_rows() == [["年初", "20"], ["执行", "19.75"]]
    assert cell.text == "明细：\n年初\t20\n执行\t19.75"


CHECKBOX_RUNS = f"""<w:p {nsdecls('w', 'w14')}>
  <w:r><w:t xml:space="preserve">1、部门预算项目 </w:t></w:r>
  <w:r><w:sym w:font="Wingdings" w:char="F0FE"/></w:r>
  <w:r><w:t xml:space="preserve"> 2、区直专项 </w:t></w:r>
  <w:r><w:sym w:font="Wingdings" w:char="F0A8"/></w:r>
  <w:sdt><w:sdtPr><w14:checkbox><w14:checked w14:val="1"/></w14:checkbox></w:sdtPr>
    <w:sdtContent><w:r><w:t>☒</w:t></w:r></w:sdtContent></w:sdt>
  <w:r><w:fldChar w:fldCharType="begin"><w:ffData><w:checkBox><w:default w:val="0"/></w:checkBox></w:ffData></w:fldChar></w:r>
  <w:r><w:instrText> FORMCHECKBOX </w:instrText></w:r>
  <w:r><w:fldChar w:fldCharType="end"/></w:r>
  <w:r><w:t>√已完成</w:t></w:r>
</w:p>"""


def test_checkbox_glyphs_kept_as_text(tmp_path):
    d = docx.Document()
    d.element.body.insert(0, parse_xml(CHECKBOX_RUNS))
    doc = read_docx(_save(d, tmp_path))
    assert doc.paragraphs[0].text == "1、部门预算项目 ☑ 2、区直专项 □☒□√已完成"


def test_deleted_revisions_and_field_codes_are_not_text(tmp_path):
    d = docx.Document()
    d.element.body.insert(0, parse_xml(
        f'<w:p {nsdecls("w")}><w:r><w:t>得分</w:t></w:r>'
        f'<w:del w:id="1" w:author="a"><w:r><w:delText>90</w:delText></w:r></w:del>'
        f'<w:ins w:id="2" w:author="a"><w:r><w:t>95</w:t></w:r></w:ins>'
        f'<w:r><w:instrText>PAGE</w:instrText></w:r></w:p>'))
    assert read_docx(_save(d, tmp_path)).paragraphs[0].text == "得分95"


def test_content_control_around_a_table_is_looked_through(tmp_path):
    d = docx.Document()
    table = d.add_table(rows=1, cols=1)
    table.cell(0, 0).text = "总分"
    tbl = table._tbl
    sdt = parse_xml(f'<w:sdt {nsdecls("w")}><w:sdtPr/><w:sdtContent/></w:sdt>')
    tbl.addprevious(sdt)
    sdt[1].append(tbl)
    assert read_docx(_save(d, tmp_path)).tables[0].text_rows() == [["总分"]]


def test_page_breaks_number_pages(tmp_path):
    d = docx.Document()
    d.add_paragraph("第一页")
    d.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    d.add_paragraph("第二页")
    doc = read_docx(_save(d, tmp_path))
    assert [str(p.location) for p in doc.paragraphs] == ["p1 ¶0", "p2 ¶1"]
    assert doc.page_count == 2


# ---------------------------------------------------------------- bad input


def test_not_a_zip_is_a_read_error(tmp_path):
    path = tmp_path / "x.docx"
    path.write_bytes(b"PK\x03\x04 truncated")
    with pytest.raises(ReadError, match="damaged .docx"):
        read_docx(path)


def test_zip_without_word_document_is_a_read_error(tmp_path):
    path = tmp_path / "x.docx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("hello.txt", "hi")
    with pytest.raises(ReadError, match="damaged .docx"):
        read_docx(path)


def test_broken_document_xml_is_a_read_error(tmp_path):
    good = _save(docx.Document(), tmp_path, "good.docx")
    bad = tmp_path / "bad.docx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(bad, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            dst.writestr(item, data[: len(data) // 2] if item.filename == "word/document.xml" else data)
    with pytest.raises(ReadError, match="damaged .docx"):
        read_docx(bad)


def test_missing_file_is_a_read_error(tmp_path):
    with pytest.raises(ReadError, match="not found"):
        read_docx(tmp_path / "none.docx")


# ---------------------------------------------------------------- renditions of the seeds (scripts/build_samples.py)


def _renditions(stem: str):
    path = SAMPLES / f"{stem}.docx"
    if not path.exists():
        pytest.skip(f"samples/{stem}.docx not built (scripts/build_samples.py)")
    from jixiao.extract.txt import read_txt
    return read_txt(SAMPLES / f"{stem}.txt"), read_docx(path)


def test_seed_004_docx_forms_match_the_txt():
    txt, word = _renditions("004_35c19541f4036631")
    assert len(word.tables) == 16
    assert [t.text_rows() for t in word.tables] == [t.text_rows() for t in txt.tables]
    assert [p.norm for p in word.paragraphs] == [p.norm for p in txt.paragraphs]


def test_seed_004_docx_level_one_indicator_spans_its_rows():
    _, word = _renditions("004_35c19541f4036631")
    form = word.tables[0]
    output = form.grid[8][1]
    assert output.norm == "产出指标\n（40分）" and output.rowspan == 5
    assert [form.grid[r][1].origin for r in range(9, 13)] == [(8, 1)] * 4
    assert form.text(12, 1) == "产出指标\n（40分）"


def test_seed_001_docx_matches_the_txt():
    txt, word = _renditions("001_e7a38e6b87d50f48")
    assert [t.text_rows() for t in word.tables] == [t.text_rows() for t in txt.tables]
    scoring = word.tables[2]
    level1 = scoring.grid[4][0]
    assert level1.norm == "过 程\n（40分）" and level1.rowspan == 10
