"""The .pdf reader on the LibreOffice rendition of seed 004 and on tiny PDFs written here byte by byte."""
from __future__ import annotations

from pathlib import Path

import pytest
from pdfminer.pdfinterp import PDFContentParser
from pdfminer.pdftypes import PDFStream, stream_value
from pdfminer.psparser import PSEOF, PSKeyword, PSLiteral

from jixiao.extract.errors import NeedsOCR, ReadError
from jixiao.extract.ocr_engines import resolve
from jixiao.extract.pdf import open_pdf, read_pdf, same_columns
from jixiao.extract.pdf_content import Unsupported, objects
from jixiao.extract.txt import read_txt

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
SEED4 = SAMPLES / "004_35c19541f4036631"
SEED1 = SAMPLES / "001_e7a38e6b87d50f48"


@pytest.fixture(scope="module")
def seed4():
    if not SEED4.with_suffix(".pdf").exists():
        pytest.skip("samples/004….pdf not built (scripts/build_samples.py)")
    return read_pdf(SEED4.with_suffix(".pdf"))


@pytest.fixture(scope="module")
def seed1():
    if not SEED1.with_suffix(".pdf").exists():
        pytest.skip("samples/001….pdf not built (scripts/build_samples.py)")
    return read_pdf(SEED1.with_suffix(".pdf"))


def _flat(rows: list[list[str]]) -> list[list[str]]:
    """Rows without line breaks: "same grid text" for a PDF, which cannot always tell a line break typed
    in the cell from a wrap at the cell's edge ("产出指标\n（40分）" where both would not fit on one line)."""
    return [[cell.replace("\n", "") for cell in row] for row in rows]


def test_seed_004_pdf_pages_and_first_form(seed4):
    assert seed4.page_count == 18 and not seed4.needs_ocr and not seed4.warnings
    assert [b.text for b in seed4.blocks[:3]] == ["附件1：", "2021年度两会新媒体宣传项目自评表",
                                                  "单位名称： 东西湖区融媒体中心 填报日期： 2022.2.7"]
    form = seed4.tables[0]
    assert str(form.location) == "p1 t0" and (form.n_rows, form.n_cols) == (21, 7)
    assert form.text_rows()[6] == ["", "年度财政资金总额", "20", "19.75", "98.75", "19.75"]


def test_seed_004_pdf_merged_cells_from_cell_boxes(seed4):
    form = seed4.tables[0]
    goals = form.grid[7][0]
    assert goals.norm == "年度绩效目标\n（80分）" and (goals.rowspan, goals.colspan) == (10, 1)
    assert form.grid[16][0].origin == (7, 0)
    name = form.grid[0][1]
    assert name.norm == "2021年度两会新媒体宣传" and name.colspan == 6 and form.grid[0][6].origin == (0, 1)


def test_seed_004_pdf_form_running_onto_next_page_is_joined(seed4):
    form = seed4.tables[3]
    assert form.pages == [4, 5] and str(form.location) == "p4 t1"
    assert form.text_rows()[6] == ["", "年度财政资金总额", "55", "32.37", "58.85%", "11.77"]
    assert form.text_rows()[-1] == ["单位主要负责人\n签批意见", "签名：\n年 月 日"]


def test_seed_004_pdf_all_sixteen_forms_match_the_txt(seed4):
    txt = read_txt(SEED4.with_suffix(".txt"))
    assert len(seed4.tables) == len(txt.tables) == 16
    for i, (table, reference) in enumerate(zip(seed4.tables, txt.tables)):
        assert _flat(table.text_rows()) == _flat(reference.text_rows()), i


def test_seed_004_pdf_paragraphs_match_the_txt(seed4):
    txt = read_txt(SEED4.with_suffix(".txt"))
    assert [p.norm for p in seed4.paragraphs] == [p.norm for p in txt.paragraphs]
    assert len(seed4.paragraphs) == 124


def test_seed_004_pdf_row_cut_by_the_page_break_is_one_row(seed4):
    form = seed4.tables[7]  # 全媒体平台创意设计服务: "预算执行情况（万" on p8, "元）（20分）" on p9
    assert form.pages == [8, 9] and str(form.location) == "p8 t1"
    budget = form.grid[5][0]
    assert budget.norm == "预算执行\n情况（万元）\n（20分）" and budget.rowspan == 2
    assert form.text_rows()[5] == ["预算执行\n情况（万元）\n（20分）", "", "预算数（A）", "执行数（B）",
                                   "执行率（B/A）", "得分（20分*执行率）"]
    assert form.text_rows()[6] == ["", "年度财政资金总额", "30", "20.5", "68.33%", "13.666"]
    assert _flat(seed4.tables[12].text_rows())[-2][0] == "改进措施及结果应用方案"  # a one-line row cut on p14


def test_seed_004_pdf_merge_carried_over_the_page_break(seed4):
    form = seed4.tables[5]  # 年度绩效目标（80分） starts on p6 and runs on to p7
    goals = form.grid[7][0]
    assert form.pages == [6, 7] and goals.norm == "年度绩效目标\n（80分）" and goals.rowspan == 11
    assert [r for r in range(form.n_rows) if form.grid[r][0].origin == (7, 0)] == list(range(8, 18))


def test_seed_001_pdf_tables_and_paragraphs_match_the_txt(seed1):
    txt = read_txt(SEED1.with_suffix(".txt"))
    assert len(seed1.tables) == len(txt.tables) == 4
    for i, (table, reference) in enumerate(zip(seed1.tables, txt.tables)):
        assert _flat(table.text_rows()) == _flat(reference.text_rows()), i
    assert [p.norm for p in seed1.paragraphs] == [p.norm for p in txt.paragraphs]
    assert len(seed1.paragraphs) == 16


def test_seed_001_pdf_joins_six_pages_and_keeps_the_two_score_tables_apart(seed1):
    assert [t.pages for t in seed1.tables] == [[1, 2, 3, 4, 5, 6], [6, 7], [7, 8, 9], [9, 10]]
    box = seed1.tables[1]  # the 综述 box: one framed cell over two pages
    assert (box.n_rows, box.n_cols) == (1, 1) and box.grid[0][0].norm.startswith("五、评价报告综述（文字部分）\n")
    opinion = seed1.tables[0].text_rows()[-1]  # its last row is cut by the p5/p6 break
    assert opinion == ["财政部门归口业务科室意见：\n财政部门归口业务科室负责人（签章）：\n年 月 日"]
    first, second = seed1.tables[2], seed1.tables[3]
    assert first.text_rows()[0] == second.text_rows()[0] == [
        "一级指标", "二级指标", "三级指标", "评分标准", "分值", "自评得分", "扣分原因和其他说明"]


def test_seed_001_pdf_level_one_merge_spans_its_rows_across_pages(seed1):
    table = seed1.tables[2]
    process = table.grid[4][0]  # 过 程（40分）: rows 4-6 on p7, 7-12 on p8, 13 on p9
    assert process.norm == "过 程（40分）" and process.rowspan == 10
    assert all(table.grid[r][0].origin == (4, 0) for r in range(5, 14))
    assert table.grid[1][0].norm == "投 入（15分）" and table.grid[1][0].rowspan == 3
    assert table.text_rows()[13][:3] == ["", "资产管理（10分）", "管理制度健全性"]


def test_same_columns_allows_a_fragment_with_fewer_edges():
    table = [62.4, 127.5, 184.2, 252.3, 348.7, 413.9, 479.1, 533.0]
    assert same_columns(table, [62.4, 127.5, 533.0])  # a row spanning all but the first column
    assert same_columns([62.4, 127.5, 252.3, 533.0], table)  # the earlier fragment lacked an edge
    assert not same_columns(table, [62.4, 200.0, 533.0])  # an edge the table does not have
    assert not same_columns(table, [62.4, 127.5, 480.0])  # narrower: another table


# ---------------------------------------------------------------- tiny PDFs


def _pdf(pages: list[str]) -> bytes:
    """A minimal PDF: one page per content stream, Helvetica for text."""
    objects = ["<< /Type /Catalog /Pages 2 0 R >>", ""]
    kids = []
    for content in pages:
        page_no, stream_no = len(objects) + 1, len(objects) + 2
        kids.append(f"{page_no} 0 R")
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 300] /Contents {stream_no} 0 R "
                       f"/Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >> >>")
        objects.append(f"<< /Length {len(content)} >>\nstream\n{content}\nendstream")
    objects[1] = f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {len(kids)} >>"
    out, offsets = b"%PDF-1.4\n", []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{n} 0 obj\n{body}\nendobj\n".encode()
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{o:010d} 00000 n \n" for o in offsets).encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out


TEXT_PAGE = "BT /F1 12 Tf 20 250 Td (Total score 95) Tj ET"


def test_pdf_without_any_text_layer_needs_ocr(tmp_path):
    path = tmp_path / "scan.pdf"
    path.write_bytes(_pdf(["", ""]))
    with pytest.raises(NeedsOCR, match=r"no text layer on any of 2 pages; OCR is off \(--ocr-engine off\)"):
        read_pdf(path, ocr="off")
    if resolve("auto"):  # blank pages: OCR finds nothing either
        with pytest.raises(ReadError, match=r"^no text on any of 2 pages, also after OCR \((rapidocr|tesseract)\)$"):
            read_pdf(path)


def test_pdf_with_some_pages_without_text_is_flagged(tmp_path):
    path = tmp_path / "mixed.pdf"
    path.write_bytes(_pdf([TEXT_PAGE, ""]))
    doc = read_pdf(path, ocr="off")
    assert doc.needs_ocr and doc.page_count == 2
    assert doc.warnings == ["no text layer on page(s) 2: not read (OCR is off (--ocr-engine off))"]
    assert [(p.text, str(p.location)) for p in doc.paragraphs] == [("Total score 95", "p1 ¶0")]


def test_damaged_pdf_is_a_read_error(tmp_path):
    path = tmp_path / "bad.pdf"
    path.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> garbage")
    with pytest.raises(ReadError):
        read_pdf(path)


def test_missing_pdf_is_a_read_error(tmp_path):
    with pytest.raises(ReadError, match="not found"):
        read_pdf(tmp_path / "none.pdf")


# ---------------------------------------------------------------- content streams: fast path = pdfminer


def _pdfminer_objects(datas: list[bytes]) -> list:
    """What pdfminer's own content parser returns for some streams."""
    out = []
    try:
        parser = PDFContentParser([PDFStream({}, d) for d in datas])
    except PSEOF:
        return out
    while True:
        try:
            out.append(parser.nextobject()[1])
        except PSEOF:
            return out


def _comparable(obj):
    if isinstance(obj, list):
        return [_comparable(x) for x in obj]
    if isinstance(obj, dict):
        return {k: _comparable(v) for k, v in obj.items()}
    if isinstance(obj, (PSKeyword, PSLiteral)):
        return (type(obj).__name__, obj.name)
    return (type(obj).__name__, obj)


def _same_as_pdfminer(datas: list[bytes]) -> bool:
    return _comparable(objects(datas)) == _comparable(_pdfminer_objects(datas))


@pytest.mark.parametrize("stem", [SEED4, SEED1])
def test_content_streams_of_the_samples_read_as_pdfminer_reads_them(stem):
    if not stem.with_suffix(".pdf").exists():
        pytest.skip("sample PDF not built")
    with open_pdf(stem.with_suffix(".pdf")) as pdf:
        for page in pdf.pages:
            assert _same_as_pdfminer([stream_value(s).get_data() for s in page.page_obj.contents])


@pytest.mark.parametrize("content", [
    b"BT /F1 12 Tf 20 250 Td (Total (score) 95) Tj ET",
    rb"(a\\b\(\)\n\101\7z\q) Tj <0A 1b 3> Tj <> Tj [<01>-3.5<02>+4 .5 -.25 1.2.3 5.] TJ",  # escapes
    b"/Span<</ActualText<FEFF00A0>>>\nBDC 1 0 0 1 0 0 cm /P <</MCID 0>> BDC EMC - + . true false ' \"",
    b"% comment\r\n1 2 m 3 4 l S /A/B/ /Name\xc3\xa9",
])
def test_tricky_content_reads_as_pdfminer_reads_it(content):
    assert _same_as_pdfminer([content])
    assert _same_as_pdfminer([content, b"q Q"])


@pytest.mark.parametrize("content", [
    b"BI /W 1 /H 1 /BPC 1 ID x EI",  # inline image
    b"/A#20B Tf",  # escape in a name
    b"[1 2 >> TJ",  # brackets that do not match
    b"(unterminated",
])
def test_content_off_the_fast_path_is_left_to_pdfminer(content):
    with pytest.raises(Unsupported):
        objects([content])


def test_page_off_the_fast_path_is_read_by_pdfminer(tmp_path):
    path = tmp_path / "escaped.pdf"
    path.write_bytes(_pdf(["BT /F#31 12 Tf 20 250 Td (Total score 95) Tj ET"]))
    assert [p.text for p in read_pdf(path).paragraphs] == ["Total score 95"]


def test_pdfminer_escape_hatch_reads_the_same(monkeypatch):
    """JIXIAO_PDF_TOKENIZER=pdfminer (pdfminer's own interpreter) gives the same document as the fast tokeniser."""
    from jixiao.extract.pdf import read_pdf
    sample = Path(__file__).resolve().parent.parent / "samples" / "001_e7a38e6b87d50f48.pdf"
    fast = read_pdf(sample)
    monkeypatch.setenv("JIXIAO_PDF_TOKENIZER", "pdfminer")
    slow = read_pdf(sample)
    assert [t.text_rows() for t in slow.tables] == [t.text_rows() for t in fast.tables]
    assert [p.text for p in slow.paragraphs] == [p.text for p in fast.paragraphs]
