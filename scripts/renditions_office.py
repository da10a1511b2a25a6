"""Office renditions of the sample forms: .xlsx (as a finance office keeps such forms: one sheet per form,
its title lines as merged rows above its table), .html and legacy .doc (LibreOffice's exports of the .docx).

They are held to the .docx they were made from (tests/test_renditions_office.py, which builds them): the
same fiscal year, unit, title, scorecards and rows. Run `python scripts/renditions_office.py OUTDIR` to see
them; none is committed (the .doc and .html are 0.3 MB each). The .xlsx is made for seed 004 (a workbook of
16 forms) and for the two long reports with a .docx (seed 001, the Henan report: their tables in order, the
report's heading lines on the first sheet, the form split over 21 page pieces a sheet each).
"""
from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
SEEDS = ("004_35c19541f4036631", "001_e7a38e6b87d50f48")
HENAN = "henan_2021-2024_zhiye_jineng_jingsai_jixiao_pingjia_baogao"
XLSX = ("004_35c19541f4036631", "001_e7a38e6b87d50f48", HENAN)
TITLE_LINES = 6  # the lines kept above a table; the first sheet also keeps the report's first lines (its title)
FIXED_TIME = "2024-01-01T00:00:00"  # workbook properties, so rebuilds do not churn the bytes


def sheets_of(path: Path) -> list[tuple[list[str], object]]:
    """(title lines, table) per table of the .docx: the paragraphs before a table are its sheet's title rows."""
    from jixiao import extract
    from jixiao.extract.model import Table

    doc = extract.read(path)
    out, lines = [], []
    for block in doc.blocks:
        if isinstance(block, Table):
            out.append((lines, block))
            lines = []
        else:
            lines += [line.strip() for line in block.text.split("\n") if line.strip()]
    if lines and out:
        out.append((lines, None))  # the text after the last table: a sheet of notes
    return out


def kept_lines(lines: list[str], first: bool) -> list[str]:
    """The title lines just above a table; above the first, the report's heading too (title, unit, year)."""
    if not first:
        return lines[-TITLE_LINES:]
    return lines[:TITLE_LINES] + lines[max(TITLE_LINES, len(lines) - TITLE_LINES):]


def write_xlsx(source: Path, target: Path, merged: bool = True) -> Path:
    """One sheet per table; the lines before it as rows merged across the table's width (merged=False: typed
    into the first column only, as a title centred across the selection is stored)."""
    book = _workbook()
    for n, (lines, table) in enumerate(sheets_of(source), 1):
        ws = book.create_sheet(f"表{n}")
        width = table.n_cols if table is not None and merged else 1
        top = put_lines(ws, kept_lines(lines, n == 1), 1, width)
        if table is not None:
            put_table(ws, table, top)
    return _save(book, target)


def form_pieces(source: Path) -> tuple[list[str], range]:
    """The first form of a .docx: the title lines above it and which of the document's tables it spans (the
    pieces a page break cut it into, from its first indicator row's table to its last's)."""
    import re

    import jixiao

    rows = jixiao.read(source).indicators
    rows = rows[rows.scorecard_id == rows.scorecard_id.iloc[0]]
    numbers = [int(re.search(r" t(\d+)", loc).group(1)) for loc in rows.location]
    return sheets_of(source)[min(numbers)][0][-TITLE_LINES:], range(min(numbers), max(numbers) + 1)


def write_form_xlsx(source: Path, target: Path, stacked: bool) -> Path:
    """The .docx's first form as a finance office copies it: its title lines merged above, its pieces (each with
    the header Word repeated) one under the other on one sheet (stacked) or a sheet each."""
    title, pieces = form_pieces(source)
    tables = [table for _, table in sheets_of(source)]
    book = _workbook()
    ws, top = None, 1
    for n in pieces:
        if ws is None or not stacked:
            ws, top = book.create_sheet(f"表{n - pieces.start + 1}"), 1
        top = put_lines(ws, title if n == pieces.start else [], top, tables[n].n_cols)
        top = put_table(ws, tables[n], top)
    return _save(book, target)


def write_form_docx(source: Path, target: Path) -> Path:
    """The .docx cut down to its first form (the paragraph above it and its pieces), as Word has them: what
    the form-only workbooks are held to."""
    import docx

    book = docx.Document(str(source))
    body = book.element.body
    tables = [el for el in body if el.tag.endswith("}tbl")]
    _, pieces = form_pieces(source)
    keep = {tables[pieces.start].getprevious(), *(tables[n] for n in pieces)}
    for el in list(body):
        if el not in keep and not el.tag.endswith("}sectPr"):
            body.remove(el)
    book.save(str(target))
    return target


def put_lines(ws, lines: list[str], top: int, width: int) -> int:
    """Each line a row from `top`, merged across `width` columns; returns the next free row."""
    for r, line in enumerate(lines, top):
        ws.cell(r, 1, line)
        if width > 1:
            ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=width)
    return top + len(lines)


def put_table(ws, table, top: int) -> int:
    """The table's cells from row `top`, merged cells merged; returns the next free row."""
    from openpyxl.styles import Alignment

    for r in range(table.n_rows):
        for c in range(table.n_cols):
            cell = table.grid[r][c]
            if cell.is_covered:
                continue
            ws.cell(top + r, 1 + c, cell.text).alignment = Alignment(wrap_text=True, vertical="center")
            if cell.rowspan > 1 or cell.colspan > 1:
                ws.merge_cells(start_row=top + r, start_column=1 + c, end_row=top + r + cell.rowspan - 1,
                               end_column=c + cell.colspan)
    return top + table.n_rows


def _workbook():
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    return book


def _save(book, target: Path) -> Path:
    import datetime as dt

    book.properties.created = book.properties.modified = dt.datetime.fromisoformat(FIXED_TIME)
    book.properties.creator = "jixiao scripts/renditions_office.py"
    book.save(target)
    return target


def office_installed() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def libreoffice(source: Path, target: Path, to: str) -> Path | None:
    """LibreOffice's export of the .docx (`to`: html, doc); None when LibreOffice is not installed."""
    office = office_installed()
    if office is None:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        profile = Path(tmp) / "profile"
        subprocess.run([office, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", to,
                        "--outdir", tmp, str(source)], check=True, capture_output=True, timeout=300)
        shutil.move(Path(tmp) / f"{source.stem}.{to}", target)
    return target


def build(out_dir: Path, stems: tuple[str, ...] = SEEDS, office: bool = True) -> list[Path]:
    written = []
    for stem in stems:
        source = SAMPLES / f"{stem}.docx"
        if stem in XLSX:
            written.append(write_xlsx(source, out_dir / f"{stem}.xlsx"))
        for to in ("html", "doc") if office else ():
            path = libreoffice(source, out_dir / f"{stem}.{to}", to)
            written += [path] if path else []
    return written


if __name__ == "__main__":
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else SAMPLES
    for p in build(out):
        print(f"wrote {p} ({p.stat().st_size:,} bytes)")
