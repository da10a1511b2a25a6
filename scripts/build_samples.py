"""Build the .docx/.pdf renditions in samples/ from the seeds and the Henan Markdown report.

Seeds 004 and 001 are rebuilt as Word holds such forms (real merged cells, one paragraph per line);
the Henan report goes Markdown -> HTML -> LibreOffice .docx; every PDF is LibreOffice's export of a .docx.
Run `python scripts/build_samples.py` (add `--no-pdf` to skip LibreOffice for the seed renditions).
"""
from __future__ import annotations

import argparse
import datetime as dt
import html
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run as a plain script from any directory
sys.path.insert(0, str(Path(__file__).resolve().parent))

import renditions_text  # noqa: E402  (scripts/renditions_text.py: text renditions of the seed forms)
import renditions_scan  # noqa: E402  (beside this script)
from docx import Document as new_docx  # noqa: E402
from docx.enum.section import WD_ORIENT  # noqa: E402
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT  # noqa: E402
from docx.enum.text import WD_ALIGN_PARAGRAPH  # noqa: E402
from docx.oxml import OxmlElement  # noqa: E402
from docx.oxml.ns import qn  # noqa: E402
from docx.shared import Cm, Pt  # noqa: E402

SAMPLES = ROOT / "samples"
REAL = ROOT.parent / "shared" / "real"  # ../shared beside the checkout, as CI lays it out
HENAN = "henan_2021-2024_zhiye_jineng_jingsai_jixiao_pingjia_baogao"
SEEDS = ("004_35c19541f4036631", "001_e7a38e6b87d50f48")

FONT = "SimSun"  # what Chinese Word templates use; LibreOffice renders it with Noto CJK (see FONTS_CONF)
FIXED_TIME = dt.datetime(2024, 1, 1, 0, 0, 0)  # core properties, so rebuilds do not churn the bytes
ZIP_TIME = (2024, 1, 1, 0, 0, 0)
AUTHOR = "jixiao scripts/build_samples.py"
A4 = (Cm(21.0), Cm(29.7))
MARGINS = (Cm(2.54), Cm(2.2))  # top/bottom, left/right: room for a 7-column form

# SimSun is not installed here; map it to the Noto CJK serif so PDFs carry real CJK glyphs.
FONTS_CONF = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <alias binding="same"><family>SimSun</family><prefer><family>Noto Serif CJK SC</family></prefer></alias>
  <alias binding="same"><family>宋体</family><prefer><family>Noto Serif CJK SC</family></prefer></alias>
</fontconfig>
"""


# ---------------------------------------------------------------- layout of a table from its text rows


@dataclass
class Placed:
    """One cell as Word holds it: origin (row, col), its spans and its text."""

    text: str
    row: int
    col: int
    rowspan: int = 1
    colspan: int = 1


def is_wrapped_label(text: str) -> bool:
    """A narrow first-column label broken over short lines (偏差大或/目标未完成/原因分析)."""
    lines = [line.strip() for line in text.strip().split("\n") if line.strip()]
    return len(lines) > 1 and all(len(line) <= 8 for line in lines)


# A row ending in a bare number is a data row: its missing cells are empty columns, not one wide cell.
_NUMBER = re.compile(r"^[-+]?[\d,]*\.?\d+%?$")


def spans_for_row(cells: list[str], width: int, overrides: dict[str, list[int]]) -> list[int]:
    """Column span of each cell: a known form row keeps its Word layout, a data row is padded by the caller,
    otherwise the last cell spans the rest (项目名称 | name across the form)."""
    first = next((t.strip() for t in cells if t.strip()), "")
    for label, spans in overrides.items():
        if first.startswith(label) and len(spans) == len(cells) and sum(spans) == width:
            return list(spans)
    spans = [1] * len(cells)
    if cells and not _NUMBER.match(cells[-1].strip()):
        spans[-1] += width - len(cells)
    return spans


def layout_table(rows: list[list[str]], overrides: dict[str, list[int]]) -> tuple[int, list[Placed]]:
    """Word merges for ragged dump rows: leading empty cells continue the level cell above them vertically."""
    width = max((len(r) for r in rows), default=1)
    placed: list[Placed] = []
    above: dict[int, Placed] = {}  # grid column -> cell whose bottom edge is the previous row
    for r, cells in enumerate(rows):
        if len(cells) == 1 and is_wrapped_label(cells[0]) and width > 1:
            cells = [cells[0], ""]  # label with an empty value cell beside it
        if not cells:
            cells = [""]
        spans = spans_for_row(cells, width, overrides)
        if sum(spans) < width:
            cells = cells + [""] * (width - sum(spans))  # data row: pad with empty cells
            spans = spans + [1] * (width - sum(spans))
        has_content_right = [any(t.strip() for t in cells[i + 1:]) for i in range(len(cells))]
        current: dict[int, Placed] = {}
        col = 0
        leading = True
        for i, (text, span) in enumerate(zip(cells, spans)):
            prev = above.get(col)
            continues = (
                leading and not text.strip() and has_content_right[i]
                and prev is not None and prev.colspan == span
            )
            if continues:
                prev.rowspan += 1
                current[col] = prev
            else:
                leading = False  # the merged prefix ends at the first cell that starts here
                cell = Placed(text, r, col, 1, span)
                placed.append(cell)
                current[col] = cell
            col += span
        above = current
    return width, placed


# ---------------------------------------------------------------- writing .docx with python-docx


def new_document():
    """An empty A4 document whose Normal style is the CJK font at 五号 (10.5pt)."""
    doc = new_docx()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = A4
    section.top_margin = section.bottom_margin = MARGINS[0]
    section.left_margin = section.right_margin = MARGINS[1]
    style = doc.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(10.5)
    style.paragraph_format.space_after = Pt(0)  # the template's 10pt after each paragraph bloats form cells
    style.paragraph_format.line_spacing = 1.0
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    set_chinese_language(doc)
    return doc


def set_chinese_language(doc) -> None:
    """Mark the text zh-CN (the template says en-US), so renderers pick simplified Chinese glyph forms."""
    for lang in doc.styles.element.iter(qn("w:lang")):
        lang.set(qn("w:val"), "zh-CN")
        lang.set(qn("w:eastAsia"), "zh-CN")


def set_core_properties(doc, title: str) -> None:
    """Fixed metadata so a rebuild only changes bytes when content changes."""
    props = doc.core_properties
    props.author = AUTHOR
    props.last_modified_by = AUTHOR
    props.title = title
    props.created = FIXED_TIME
    props.modified = FIXED_TIME
    props.last_printed = FIXED_TIME
    props.revision = 1
    props.comments = "built by scripts/build_samples.py"


# tblPr children that must come after tblBorders (ECMA-376 order)
_AFTER_BORDERS = ("w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption", "w:tblDescription")


def set_borders(table) -> None:
    """Explicit single-line borders on every edge, so the form is ruled in any renderer."""
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "single")
        el.set(qn("w:sz"), "4")
        el.set(qn("w:space"), "0")
        el.set(qn("w:color"), "000000")
        borders.append(el)
    later = next((c for c in tbl_pr if c.tag in {qn(t) for t in _AFTER_BORDERS}), None)
    if later is not None:
        later.addprevious(borders)
    else:
        tbl_pr.append(borders)


def set_widths(table, widths_cm: list[float]) -> None:
    """Grid and cell widths (Word reads tcW, LibreOffice the grid)."""
    for i, column in enumerate(table.columns):
        column.width = Cm(widths_cm[i])
        for cell in column.cells:
            cell.width = Cm(widths_cm[i])


SHORT_CELL = 20  # characters: labels and numbers are centred in forms, prose stays left


def write_cell(cell, text: str) -> None:
    """Each line of the cell text becomes its own paragraph, as typed in Word."""
    lines = text.split("\n")
    paragraphs = cell.paragraphs
    for extra in paragraphs[1:]:
        extra._element.getparent().remove(extra._element)
    paragraphs[0].text = lines[0]
    for line in lines[1:]:
        cell.add_paragraph(line)
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    if len(text.strip()) <= SHORT_CELL:
        for paragraph in cell.paragraphs:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER


def add_table(doc, width: int, placed: list[Placed], widths_cm: list[float]):
    """A ruled table with the planned merges; text is written after merging so merges move nothing."""
    n_rows = max(p.row + p.rowspan for p in placed)
    table = doc.add_table(rows=n_rows, cols=width)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    set_widths(table, widths_cm)
    for p in placed:
        cell = table.cell(p.row, p.col)
        if p.rowspan > 1 or p.colspan > 1:
            cell = cell.merge(table.cell(p.row + p.rowspan - 1, p.col + p.colspan - 1))
        write_cell(cell, p.text)
    set_borders(table)
    return table


def add_paragraph(doc, text: str) -> None:
    """A plain body paragraph; line breaks inside a block become separate paragraphs."""
    for line in text.split("\n"):
        doc.add_paragraph(line)


# ---------------------------------------------------------------- deterministic zip and LibreOffice


def normalize_zip(path: Path) -> None:
    """Rewrite a .docx with fixed member timestamps so identical content gives identical bytes."""
    with zipfile.ZipFile(path) as src:
        members = [(info.filename, src.read(info.filename)) for info in src.infolist()]
    tmp = path.with_suffix(path.suffix + ".tmp")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            dst.writestr(info, data)
    tmp.replace(path)


def soffice_convert(src: Path, target: str, outdir: Path, infilter: str | None = None) -> Path:
    """Convert with LibreOffice headless in a private profile (other users' soffice cannot grab the job)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise SystemExit("soffice not found: install LibreOffice or use --no-pdf")
    with tempfile.TemporaryDirectory(prefix="build_samples_") as tmp:
        fonts_conf = Path(tmp) / "fonts.conf"
        fonts_conf.write_text(FONTS_CONF, encoding="utf-8")
        env = dict(os.environ, FONTCONFIG_FILE=str(fonts_conf), HOME=tmp)
        cmd = [soffice, f"-env:UserInstallation=file://{tmp}/profile", "--headless", "--norestore"]
        if infilter:
            cmd.append(f"--infilter={infilter}")
        cmd += ["--convert-to", target, "--outdir", str(outdir), str(src)]
        subprocess.run(cmd, check=True, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=600)
    out = outdir / (src.stem + "." + target.split(":")[0])
    if not out.exists():
        raise SystemExit(f"LibreOffice did not write {out}")
    return out


_PDF_DATE = re.compile(rb"/CreationDate\(D:\d{14}")
_PDF_CHECKSUM = re.compile(rb"/DocChecksum /[0-9A-Fa-f]{32}")
_PDF_ID = re.compile(rb"/ID \[ <[0-9A-Fa-f]{32}>\s*<[0-9A-Fa-f]{32}>")


def pin_pdf_metadata(path: Path) -> None:
    """Fixed creation date, file ID and checksum, substituted byte for byte so the xref offsets stay valid."""
    data = path.read_bytes()
    data = _PDF_DATE.sub(b"/CreationDate(D:" + FIXED_TIME.strftime("%Y%m%d%H%M%S").encode(), data)
    data = _PDF_ID.sub(lambda m: re.sub(rb"[0-9A-Fa-f]{32}", b"0" * 32, m.group(0)), data)
    data = _PDF_CHECKSUM.sub(b"/DocChecksum /" + b"0" * 32, data)  # LibreOffice hashes the dated content
    path.write_bytes(data)


def docx_to_pdf(docx_path: Path) -> Path:
    pdf = soffice_convert(docx_path, "pdf", docx_path.parent)
    pin_pdf_metadata(pdf)
    return pdf


# ---------------------------------------------------------------- Henan: Markdown (MinerU) -> HTML -> .docx

_LATEX = {r"\%": "%", r"\geq": "≥", r"\leq": "≤", r"\times": "×", r"\sim": "~"}
_MATH = re.compile(r"\s*\$([^$\n]+)\$\s*")


def latex_to_text(expr: str) -> str:
    """MinerU writes percentages and ≥ as inline LaTeX; the original PDF had plain text."""
    for tex, plain in _LATEX.items():
        expr = expr.replace(tex, plain)
    return expr.replace(" ", "")


def inline_html(text: str) -> str:
    """Escape a Markdown text line but keep the <sup> tags MinerU emits and turn math into text."""
    text = _MATH.sub(lambda m: latex_to_text(m.group(1)), text)
    text = html.escape(text, quote=False)
    return text.replace("&lt;sup&gt;", "<sup>").replace("&lt;/sup&gt;", "</sup>")


def table_html(block: str) -> str:
    """A MinerU table as is, ruled, with line breaks inside cells kept as <br>."""
    block = block.strip().replace("\n", "<br/>")
    return block.replace("<table>", '<table border="1" cellspacing="0" cellpadding="3">')


def markdown_blocks(md: str) -> list[tuple[str, str]]:
    """(kind, text) blocks: heading, table (may span lines: cells hold newlines) or paragraph."""
    blocks: list[tuple[str, str]] = []
    lines = md.split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.lstrip().startswith("<table"):
            start = i
            while "</table>" not in lines[i]:
                i += 1
            blocks.append(("table", "\n".join(lines[start:i + 1])))
        elif line.startswith("#"):
            blocks.append(("heading", line.lstrip("#").strip()))
        elif line.strip():
            blocks.append(("paragraph", line.strip()))
        i += 1
    return blocks


def henan_html(md: str) -> str:
    """One HTML page: MinerU headings as <h1> (it flattens levels), paragraphs as <p>, tables verbatim."""
    body = []
    for kind, text in markdown_blocks(md):
        if kind == "table":
            body.append(table_html(text))
        elif kind == "heading":
            body.append(f"<h1>{inline_html(text)}</h1>")
        else:
            body.append(f"<p>{inline_html(text)}</p>")
    style = (f"body {{ font-family: '{FONT}'; font-size: 10.5pt; }} "
             f"h1 {{ font-family: '{FONT}'; font-size: 14pt; }} td {{ font-size: 9pt; }}")
    return ("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"/>"
            f"<title>{HENAN}</title><style>{style}</style></head>\n<body>\n"
            + "\n".join(body) + "\n</body></html>\n")


def finish_libreoffice_docx(path: Path, title: str) -> None:
    """A4 pages and fixed metadata on a LibreOffice-written .docx."""
    doc = new_docx(str(path))
    for section in doc.sections:
        section.page_width, section.page_height = A4
        section.top_margin = section.bottom_margin = MARGINS[0]
        section.left_margin = section.right_margin = MARGINS[1]
    set_core_properties(doc, title)
    doc.save(str(path))
    normalize_zip(path)


def build_henan(real_dir: Path, out_dir: Path) -> list[Path]:
    """Henan report -> samples/henan_….docx through LibreOffice's HTML import (rowspan/colspan -> merges)."""
    md = (real_dir / f"{HENAN}.md").read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory(prefix="henan_") as tmp:
        src = Path(tmp) / f"{HENAN}.html"
        src.write_text(henan_html(md), encoding="utf-8")
        built = soffice_convert(src, "docx:MS Word 2007 XML", Path(tmp),
                                infilter="HTML (StarWriter)")
        out = out_dir / f"{HENAN}.docx"
        shutil.copyfile(built, out)
    finish_libreoffice_docx(out, "2021-2024年省级职业技能竞赛经费项目绩效评价报告")
    return [out]


# ---------------------------------------------------------------- seeds: text dump -> Word form

# Rows of the 项目支出绩效自评表 whose Word layout differs from "last cell spans the rest".
FORM_SPANS = {
    "主管部门": [1, 3, 1, 2],  # value under the three level columns, 项目实施单位 beside it
    "预算执行": [1, 2, 1, 1, 1, 1],  # the empty cell above 年度财政资金总额 is as wide as it
    "年度财政资金总额": [1, 2, 1, 1, 1, 1],
    "总分": [6, 1],  # the total sits in the 得分 column
}
# Column widths (cm, 16.6 = A4 minus margins) by the table's first cell.
WIDTHS = {
    "项目名称": [2.3, 2.0, 2.4, 3.4, 2.3, 2.3, 1.9],
    "一级指标": [2.0, 2.0, 2.2, 5.6, 1.2, 1.4, 2.2],
}
TEXT_WIDTH_CM = 16.6


def table_widths(first_cell: str, width: int) -> list[float]:
    widths = WIDTHS.get(first_cell.strip())
    if widths and len(widths) == width:
        return widths
    return [round(TEXT_WIDTH_CM / width, 2)] * width


def build_seed(stem: str, out_dir: Path) -> Path:
    """A seed's paragraphs and tables, read by extract.txt, written back as the Word file it was dumped from."""
    from jixiao.extract.model import Table
    from jixiao.extract.txt import read_txt

    source = read_txt(SAMPLES / f"{stem}.txt")
    doc = new_document()
    previous = None
    for block in source.blocks:
        if isinstance(block, Table):
            if isinstance(previous, Table):
                doc.add_paragraph("")  # Word joins adjacent tables without a paragraph between them
            rows = block.text_rows(raw=True)
            width, placed = layout_table(rows, FORM_SPANS)
            add_table(doc, width, placed, table_widths(rows[0][0] if rows and rows[0] else "", width))
        else:
            add_paragraph(doc, block.text)
        previous = block
    set_core_properties(doc, stem)
    out = out_dir / f"{stem}.docx"
    doc.save(str(out))
    normalize_zip(out)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-pdf", action="store_true",
                        help="skip everything that needs LibreOffice (the PDFs and the Henan .docx)")
    parser.add_argument("--only", choices=["004", "001", "henan", "pdfs"], action="append",
                        help="build only these (repeatable)")
    parser.add_argument("--real", type=Path, default=REAL, help="folder holding the Henan .md")
    parser.add_argument("--out", type=Path, default=SAMPLES, help="output folder")
    args = parser.parse_args(argv)
    wanted = set(args.only or ["004", "001", "henan", "pdfs"])
    args.out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for stem in SEEDS:
        if stem[:3] in wanted:
            docx_path = build_seed(stem, args.out)
            written.append(docx_path)
            if not args.no_pdf:
                written.append(docx_to_pdf(docx_path))
    if "henan" in wanted and args.no_pdf:
        print(f"kept samples/{HENAN}.docx (made by LibreOffice; run without --no-pdf to rebuild)")
    elif "henan" in wanted:
        written += build_henan(args.real, args.out)
    if "pdfs" in wanted and not args.no_pdf:  # ruled/unruled PDF renditions of the .docx files
        import renditions_pdf
        written += renditions_pdf.build(args.out, docx_to_pdf)
    if "pdfs" in wanted:  # out-of-order text layers of the committed PDFs (pikepdf, no LibreOffice)
        import renditions_reorder
        written += renditions_reorder.build(args.out, args.out)
    written += renditions_text.build(args.out) if {"004", "001"} & wanted else []  # pipe-row text renditions
    if not args.only:
        written += renditions_scan.build_all()  # scanned renditions of the seed PDFs (samples/scans/)
    for path in written:
        print(f"wrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path} ({path.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
