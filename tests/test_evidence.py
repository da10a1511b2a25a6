"""Evidence: `jixiao run` writes one file per flag into OUT/evidence/<report folder>/, named by the flag's
fingerprint: a PDF flag with a box gets a PNG of the page region around it; any other flag a small self-contained
HTML page of the table rows around its cell (the column's header row first, the cell highlighted, every document
text escaped)."""
from __future__ import annotations

import csv
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from jixiao.batch import Options, run_batch
from jixiao.extract.grid import Span, build_grid
from jixiao.extract.model import Document, Location, Paragraph, Table
from jixiao.normalize.evidence import write_evidence
from jixiao.normalize.evidence_html import CELL_CHARS, POST_HEIGHT

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
INPUTS = "in"
BATCH = ["004_35c19541f4036631.pdf", "004_35c19541f4036631.docx", "004_35c19541f4036631.txt",
         "002_8355fd70a3086172.txt", "000_b521ea4f1433165c.txt"]


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    base = tmp_path_factory.mktemp("evidence")
    (base / INPUTS).mkdir()
    for name in BATCH:
        shutil.copy(SAMPLES / name, base / INPUTS / name)
    run_batch(Options(paths=[str(base / INPUTS)], out=str(base / "out"), jobs=2))
    return base / "out"


def flags(out: Path) -> list[dict]:
    with open(out / "flags.csv", encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


class Page(HTMLParser):
    """An evidence page as the browser would read it: the cells' texts per row, with their classes."""

    def __init__(self, text: str):
        super().__init__()
        self.rows: list[list[tuple[str, str]]] = []  # (class, text) per cell
        self.tags: list[tuple[str, dict]] = []
        self.cell: list | None = None
        self.marked_paragraph = ""
        self.in_paragraph = False
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if tag == "tr":
            self.rows.append([])
            self.row_class = attrs.get("class") or ""
        elif tag == "td":
            self.cell = [attrs.get("class") or self.row_class, ""]
        elif tag == "p" and attrs.get("class") == "hit":
            self.in_paragraph = True

    def handle_endtag(self, tag):
        if tag == "td":
            self.rows[-1].append(tuple(self.cell))
            self.cell = None
        elif tag == "p":
            self.in_paragraph = False

    def handle_data(self, data):
        if self.cell is not None:
            self.cell[1] += data
        elif self.in_paragraph:
            self.marked_paragraph += data

    def marked(self) -> list[str]:
        return [text for row in self.rows for cls, text in row if cls == "hit"]


def assert_self_contained(text: str, page: Page) -> None:
    """No link, nothing fetched, no script but the constant one posting the page's height to report.html: the page
    shows as it is, from disk."""
    assert text.startswith("<!DOCTYPE html>") and '<meta charset="utf-8">' in text
    assert text.count("<script") == 1 and text.count(POST_HEIGHT) == 1  # the constant script, nothing else
    assert {tag for tag, _ in page.tags} <= {"html", "head", "meta", "title", "style", "body", "p", "table", "tr",
                                             "td", "script"}
    assert not [a for _, a in page.tags if {"src", "href"} & set(a) or any(k.startswith("on") for k in a)]
    assert not re.search(r"url\(|@import", text)


def test_every_flag_has_an_evidence_file(out):
    rows = flags(out)
    assert len(rows) == 27 * 3 + 2  # seed 004 in three formats (27: issue 11 6a); 002 its prose sum, 000 NO_SCORECARD
    kinds = {"png": 0, "html": 0}
    for row in rows:
        boxed = row["source_path"].endswith(".pdf") and bool(row["bbox"])
        kind = "png" if boxed else "html"
        kinds[kind] += 1
        assert row["evidence"] == f"evidence/{Path(row['evidence']).parent.name}/{row['fingerprint']}.{kind}"
        path = out / row["evidence"]
        assert path.is_file(), row
        if kind == "png":
            with Image.open(path) as image:
                assert image.format == "PNG" and image.width >= 200 and image.height >= 40
            continue
        text = path.read_text(encoding="utf-8")
        page = Page(text)
        assert_self_contained(text, page)
        if row["table"] and row["row"]:  # the claimed cell (or row) is marked, and its number is in it
            assert page.marked(), row
            if row["claimed"] and row["col"]:
                assert float(row["claimed"]) == float(re.sub(r"[^\d.]", "", page.marked()[0])), (row, page.marked())
        else:
            assert page.marked_paragraph.strip(), row
    assert kinds == {"png": 27, "html": 27 * 2 + 2}
    folders = {p.name for p in (out / "evidence").iterdir()}
    assert folders == {p.name for p in (out / "reports").iterdir() if p.name in folders}


def test_html_evidence_shows_the_cell_under_its_column_header(out):
    """Seed 004's total claimed as 85 (.txt): the 总分 row marked at its number, the header row of the table
    first (blue), rows above it shown, a gap mark between them."""
    (row,) = [r for r in flags(out) if r["source_path"].endswith(".txt") and r["code"] == "TOTAL_MISMATCH"
              and "004_" in r["source_path"]]
    page = Page((out / row["evidence"]).read_text(encoding="utf-8"))
    assert page.marked() == ["85"]
    head = [text for cls, text in page.rows[0]]
    assert "一级指标" in head and "得分" in head and page.rows[0][int(row["col"]) - 1][0] == "headcell"
    assert page.rows[1] == [("gap", "⋯")]  # the rows between the header and the window left out
    assert [text for _, text in page.rows[-2]][0] == "总分"  # the claimed cell's row, its label first
    assert len(page.rows) == 2 + 3 + 1  # header, gap, two rows above, the row, one below
    caption = (out / row["evidence"]).read_text(encoding="utf-8").split('<p class="cap">')[1].split("</p>")[0]
    assert caption == f"004_35c19541f4036631.txt  TOTAL_MISMATCH  表{row['table']}  行{row['row']}  列{row['col']}  " \
                      f"第{row['line_no']}行(文本)"


def test_html_evidence_escapes_document_text_and_spans_merged_cells(tmp_path):
    hostile = '<script>alert(1)</script>"><img src=x onerror=alert(2)>'
    spans = [Span(0, 0, "指标"), Span(0, 1, "分值"), Span(0, 2, "得分"),
             Span(1, 0, hostile, rowspan=2), Span(1, 1, "10"), Span(1, 2, "9"),
             Span(2, 1, "5"), Span(2, 2, "7"),
             Span(3, 0, "合计 & 备注", colspan=2), Span(3, 2, "16")]
    table = Table(build_grid(spans), Location(table=0))
    document = Document(source_path=str(tmp_path / "a<b>.txt"), format="txt",
                        blocks=[Paragraph("说明：<b>粗体</b> & 其他", Location(paragraph=0)), table])
    flags = [{"fingerprint": "00000000000000a1", "code": "SCORE_OVER_WEIGHT", "table": 1, "row": 3, "col": 3},
             {"fingerprint": "00000000000000a2", "code": "TOTAL_MISMATCH", "table": 1, "row": 4, "col": None},
             {"fingerprint": "00000000000000a3", "code": "PROSE", "location": "p1 ¶0"}]
    write_evidence(document, flags, tmp_path, "folder")
    texts = [(tmp_path / f["evidence"]).read_text(encoding="utf-8") for f in flags]
    for text in texts:
        assert "<script>" not in text.replace(POST_HEIGHT, "") and "<img" not in text and "<b>" not in text
        assert_self_contained(text, Page(text))
    cell, row, paragraph = (Page(t) for t in texts)
    assert cell.marked() == ["7"] and cell.rows[0][2] == ("headcell", "得分")
    assert cell.rows[1][0] == ("", hostile[:CELL_CHARS - 1] + "…")  # escaped in the file, the text on screen, cut
    assert cell.rows[2][0] == ("", "")  # the merged cell continued from the row above
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;img" in texts[0]
    assert [c for c in row.rows[-1]] == [("hit", "合计 & 备注"), ("hit", "16")]  # one cell spanning two columns
    assert 'colspan="2"' in texts[1] and 'class="hit"' in texts[1]
    assert paragraph.marked_paragraph == "说明：<b>粗体</b> & 其他"
    assert "a&lt;b&gt;.txt" in texts[0]


def test_evidence_into_a_new_folder_is_written_without_comparing(tmp_path, monkeypatch):
    # a folder made now is empty: its files are written straight (no read of an old file first, no sweep of
    # left-overs); an existing folder keeps the compare-and-sweep (unchanged bytes kept, findings gone removed)
    import jixiao.normalize.evidence as evidence
    document = Document(source_path="a.txt", format="txt", blocks=[Paragraph("说明", Location(paragraph=0))])
    flags = [{"fingerprint": "00000000000000a1", "code": "PROSE", "location": "p1 ¶0"}]
    compared = []
    real_write = evidence._write
    monkeypatch.setattr(evidence, "_write", lambda path, content: (compared.append(path.name),
                                                                   real_write(path, content)))
    write_evidence(document, flags, tmp_path, "folder")
    assert compared == [] and [p.name for p in (tmp_path / "evidence" / "folder").iterdir()] == [
        "00000000000000a1.html"]
    (tmp_path / "evidence" / "folder" / "00000000000000b2.html").write_text("gone")
    write_evidence(document, [dict(flags[0])], tmp_path, "folder")
    assert compared == ["00000000000000a1.html"]
    assert [p.name for p in (tmp_path / "evidence" / "folder").iterdir()] == ["00000000000000a1.html"]


def test_pdf_evidence_is_the_rendered_page_region(out):
    pdf = [r for r in flags(out) if r["source_path"].endswith(".pdf") and r["code"] == "TOTAL_MISMATCH"]
    assert len(pdf) == 1
    with Image.open(out / pdf[0]["evidence"]) as image:
        x0, y0, x1, y1 = (float(v) for v in pdf[0]["bbox"].split(","))
        # at 144 dpi the region is at least the cell, and carries the red frame drawn around it
        assert image.width >= (x1 - x0) * 2 and image.height >= (y1 - y0) * 2
        pixels = np.asarray(image.convert("RGB")).astype(int)
        reds = int(((pixels[..., 0] > 200) & (pixels[..., 1] < 60) & (pixels[..., 2] < 60)).sum())
        assert reds > 100


def test_a_rerun_removes_pictures_of_findings_gone(out):
    folder = next((out / "evidence").iterdir())
    stale = [folder / "0000000000000000.png", folder / "0000000000000000.html"]
    for path in stale:
        path.write_bytes(b"old")
    damaged = out / next(r["evidence"] for r in flags(out) if r["evidence"].endswith(".html"))
    good = damaged.read_bytes()
    damaged.write_bytes(good[:100])  # a file cut short (a crash while writing): rewritten, not taken as done
    run_batch(Options(paths=[str(out / ".." / INPUTS)], out=str(out), jobs=1, force=True))
    assert not [path for path in stale if path.exists()]
    assert damaged.read_bytes() == good
    assert all((out / row["evidence"]).is_file() for row in flags(out))
