"""Formats found in archives beside .docx/.pdf/.txt: spreadsheets (.xlsx/.xls/.et) with merged cells, and
legacy or other word-processor files (.doc/.wps/.rtf/.odt) converted by LibreOffice; detection by content."""
from __future__ import annotations

import shutil

import openpyxl
import pytest

from jixiao import extract
from jixiao.extract import legacy
from jixiao.extract.reader import looks_like_text
from bad_corpus import form_docx, soffice_convert, tiny_pdf, HELVETICA
from jixiao.normalize.pipeline import process

needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")

FORM_ROWS = [["项目名称", "测试项目"],
             ["年度财政资金总额", "55", "32.37", "58.85%", "11.77"],
             ["产出指标", "数量指标", "新媒体产品", "5个"],
             []]  # the lower row of the vertically merged 产出指标
FORM_SPANS = {(0, 1): (1, 3), (2, 0): (2, 1)}  # origin -> (rowspan, colspan); 产出指标 over two rows


def spans(table: extract.Table) -> dict[tuple[int, int], tuple[int, int]]:
    return {(c.row, c.col): (c.rowspan, c.colspan) for c in table.iter_cells() if c.rowspan > 1 or c.colspan > 1}


def covered(table: extract.Table) -> dict[tuple[int, int], tuple[int, int]]:
    return {(c.row, c.col): c.origin for row in table.grid for c in row if c.origin is not None}


@pytest.fixture(scope="module")
def xlsx_form(tmp_path_factory):
    """A sheet starting at B2 (leading empty row/column trimmed), merges across and down, a percent
    format, and a styled cell far away that must not widen the grid."""
    path = tmp_path_factory.mktemp("xlsx") / "form.xlsx"
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "自评表"
    ws["B2"], ws["C2"] = "项目名称", "测试项目"
    ws.merge_cells("C2:E2")
    ws["B3"], ws["C3"], ws["D3"], ws["E3"], ws["F3"] = "年度财政资金总额", 55, 32.37, 0.5885, 11.77
    ws["E3"].number_format = "0.00%"
    ws["B4"], ws["C4"], ws["D4"], ws["E4"] = "产出指标", "数量指标", "新媒体产品", "5个"
    ws.merge_cells("B4:B5")
    ws["Z60000"].font = openpyxl.styles.Font(bold=True)  # styled, empty
    book.create_sheet("空表")
    book.save(path)
    return path


def test_xlsx_sheet_becomes_a_table_with_merges(xlsx_form):
    doc = extract.read(xlsx_form)
    assert doc.format == "xlsx" and doc.page_count == 2 and doc.warnings == []
    assert [(type(b).__name__, str(b.location)) for b in doc.blocks] == [
        ("Paragraph", "p1 ¶0"), ("Table", "p1 t0"), ("Paragraph", "p2 ¶1")]
    assert [p.text for p in doc.paragraphs] == ["自评表", "空表"]
    table = doc.tables[0]
    assert (table.n_rows, table.n_cols) == (4, 5)
    assert table.text_rows() == FORM_ROWS
    assert spans(table) == FORM_SPANS
    assert covered(table) == {(0, 2): (0, 1), (0, 3): (0, 1), (3, 0): (2, 0)}
    assert table.text(3, 0) == "产出指标"  # carried down the merge


def test_xlsx_through_the_pipeline(xlsx_form):
    row = process(xlsx_form).reports.iloc[0]
    assert (row["source_format"], row["status"]) == ("xlsx", "ok")


@pytest.mark.parametrize("value, number_format, text", [
    (0.5885, "0.00%", "58.85%"), (1, "0%", "100%"), (55.0, "General", "55"), (0.1 + 0.2, "General", "0.3"),
    (6727625.9, "#,##0.00", "6727625.90"), (1e-7, "General", "0.0000001"), (True, "General", "TRUE"),
    ("  文本 ", "General", "文本"), (None, "General", ""),
])
def test_cell_text(value, number_format, text):
    from jixiao.extract.xlsx import cell_text
    assert cell_text(value, number_format) == text


@needs_soffice
def test_xls_and_et_read_like_the_xlsx(xlsx_form, tmp_path):
    xls = soffice_convert(xlsx_form, "xls:MS Excel 97", tmp_path)
    doc = extract.read(xls)
    assert doc.format == "xls"
    assert doc.tables[0].text_rows() == FORM_ROWS
    assert spans(doc.tables[0]) == FORM_SPANS
    et = tmp_path / "form.et"  # WPS spreadsheets are BIFF workbooks: converted through LibreOffice
    shutil.copy(xls, et)
    doc = extract.read(et)
    assert doc.format == "et"
    assert doc.source_path == str(et)
    assert doc.tables[0].text_rows() == FORM_ROWS
    assert spans(doc.tables[0]) == FORM_SPANS


@pytest.fixture(scope="module")
def word_form(tmp_path_factory):
    folder = tmp_path_factory.mktemp("word")
    source = form_docx(folder / "form.docx")
    return source, extract.read(source)


@needs_soffice
@pytest.mark.parametrize("fmt, target", [("doc", "doc:MS Word 97"), ("rtf", "rtf"), ("odt", "odt"), ("wps", None)])
def test_legacy_word_formats_read_like_the_docx(word_form, tmp_path, fmt, target):
    source, original = word_form
    if fmt == "wps":  # WPS writes Word 97 files named .wps; LibreOffice cannot write one
        path = tmp_path / "form.wps"
        shutil.copy(soffice_convert(source, "doc:MS Word 97", tmp_path), path)
    else:
        path = soffice_convert(source, target, tmp_path)
    doc = extract.read(path)
    assert (doc.format, doc.source_path) == (fmt, str(path))
    assert [t.text_rows() for t in doc.tables] == [t.text_rows() for t in original.tables]
    assert [spans(t) for t in doc.tables] == [spans(t) for t in original.tables]
    assert [p.text for p in doc.paragraphs if p.text] == [p.text for p in original.paragraphs if p.text]


@needs_soffice
def test_without_libreoffice_legacy_files_need_a_converter(word_form, tmp_path, monkeypatch):
    doc_file = soffice_convert(word_form[0], "doc:MS Word 97", tmp_path)
    monkeypatch.setattr(legacy, "soffice_path", lambda: None)
    row = process(doc_file).reports.iloc[0]
    assert (row["source_format"], row["status"], row["error"]) == (
        "doc", "needs_converter", ".doc file needs LibreOffice to convert: install LibreOffice "
        "(scripts/setup-system.sh: libreoffice-writer-nogui, libreoffice-calc-nogui) and rerun")


def test_conversion_time_limit(tmp_path, monkeypatch):
    """A converter that never finishes is killed at the limit (a stand-in script sleeps forever)."""
    fake = tmp_path / "soffice"
    fake.write_text("#!/bin/sh\nsleep 600\n")
    fake.chmod(0o755)
    monkeypatch.setattr(legacy, "soffice_path", lambda: str(fake))
    source = tmp_path / "a.doc"
    source.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
    with pytest.raises(extract.ReadError) as err:
        with legacy.converted(source, "docx", timeout=1):
            pass
    assert str(err.value) == "LibreOffice conversion timed out after 1 s"


def test_detection_by_content_not_name(word_form, xlsx_form, tmp_path):
    renamed = {"report.pdf": word_form[0].read_bytes(), "sheet.doc": xlsx_form.read_bytes(),
               "noext": tiny_pdf([b"BT /F1 9 Tf 72 700 Td (x) Tj ET"], [HELVETICA]),
               "junk-first.dat": b"\x00" * 200 + tiny_pdf([b"BT /F1 9 Tf 72 700 Td (x) Tj ET"], [HELVETICA]),
               "late.dat": b" " * 1100 + b"%PDF-1.4", "rtf.txt": b"{\\rtf1\\ansi hello}",
               "utf16-no-bom.txt": "项目名称\t预算数\n".encode("utf-16-le") * 20}
    got = {}
    for name, data in renamed.items():
        (tmp_path / name).write_bytes(data)
        got[name] = extract.detect_format(tmp_path / name)
    assert got == {"report.pdf": "docx", "sheet.doc": "xlsx", "noext": "pdf", "junk-first.dat": "pdf",
                   "late.dat": "txt", "rtf.txt": "rtf", "utf16-no-bom.txt": "txt"}


@pytest.mark.parametrize("sample, text", [
    ("项目名称 预算数".encode("utf-8"), True), ("项目名称 预算数".encode("gbk"), True),
    ("项目名称".encode("utf-16"), True), (b"\x00\x01\x02\x03" * 50, False),
    (bytes(range(256)) * 4, False), (b"plain ascii\r\n\tline\x0c", True),
    ("项目名称\t预算数\n".encode("utf-16-be") * 20, True),
    (bytes(b for i in range(512) for b in (i % 256, 0)), False),  # NULs on one side, but no text
])
def test_looks_like_text(sample, text):
    assert looks_like_text(sample) is text


@pytest.mark.parametrize("text, fmt", [
    ("说明\n\n| 指标 | 分值 |\n|---|---|\n| 产出 | 40 |\n", "html"),  # a Markdown pipe table: its rule row
    ("说明\n指标 | 分值\n:--- | ---:\n产出 | 40\n", "html"),  # the rule without outer bars
    ("说明\n------\n指标 | 分值\n", "txt"),  # a line of dashes, no rule of cells
    ("<TABLE><tr><td>产出</td></tr></TABLE>", "html"),
    ("产出指标 ≥95%\n满意度 ≥ 90%\n", "txt"),  # no --- anywhere: the rule is not looked for
])
def test_html_and_markdown_tables_are_told_from_text(tmp_path, text, fmt):
    path = tmp_path / "x.txt"
    path.write_text(text, encoding="utf-8")
    assert extract.detect_format(path) == fmt
