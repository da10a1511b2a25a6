"""The .pdf reader on the LibreOffice rendition of seed 004 and on tiny PDFs written here byte by byte."""
from __future__ import annotations

from pathlib import Path

import pytest

from extract.errors import NeedsOCR, ReadError
from extract.pdf import read_pdf
from extract.txt import read_txt

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
SEED4 = SAMPLES / "004_35c19541f4036631"


@pytest.fixture(scope="module")
def seed4():
    if not SEED4.with_suffix(".pdf").exists():
        pytest.skip("samples/004….pdf not built (scripts/build_samples.py)")
    return read_pdf(SEED4.with_suffix(".pdf"))


def _flat(rows: list[list[str]]) -> list[list[str]]:
    """Rows without line breaks: a PDF wraps cell text where the cell is narrow."""
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


def test_seed_004_pdf_forms_match_the_txt(seed4):
    txt = read_txt(SEED4.with_suffix(".txt"))
    for i in range(5):  # the first five forms; see the report for the rows LibreOffice splits across pages
        assert _flat(seed4.tables[i].text_rows()) == _flat(txt.tables[i].text_rows()), i


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
    with pytest.raises(NeedsOCR, match="no text layer on any of 2 pages; rerun with --ocr"):
        read_pdf(path)


def test_pdf_with_some_pages_without_text_is_flagged(tmp_path):
    path = tmp_path / "mixed.pdf"
    path.write_bytes(_pdf([TEXT_PAGE, ""]))
    doc = read_pdf(path)
    assert doc.needs_ocr and doc.page_count == 2
    assert doc.warnings == ["no text layer on page(s) 2: not read (rerun with --ocr)"]
    assert [(p.text, str(p.location)) for p in doc.paragraphs] == [("Total score 95", "p1 ¶0")]


def test_damaged_pdf_is_a_read_error(tmp_path):
    path = tmp_path / "bad.pdf"
    path.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> garbage")
    with pytest.raises(ReadError):
        read_pdf(path)


def test_missing_pdf_is_a_read_error(tmp_path):
    with pytest.raises(ReadError, match="not found"):
        read_pdf(tmp_path / "none.pdf")
