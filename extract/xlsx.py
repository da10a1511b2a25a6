"""Spreadsheet forms (.xlsx with openpyxl, .xls with xlrd) -> Document: per sheet, its name as a paragraph
and its used range as a Table, merged cells stored once at their origin exactly like the docx model.
A sheet is a page (p1 = first sheet); tables and paragraphs are numbered through the document."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from jixiao.extract.grid import Span, build_grid
from jixiao.extract.model import Document, Location, Paragraph, Table

MAX_ROWS = 10_000  # a 自评表 has tens of rows; a sheet styled down to row 1,048,576 must not become a grid
MAX_COLS = 256


@dataclass
class SheetCells:
    """What a sheet holds, library-neutral: non-empty texts and merged ranges, both 0-based."""

    name: str
    texts: dict[tuple[int, int], str] = field(default_factory=dict)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # (row0, col0, row1, col1) inclusive


def read_xlsx(path: str | Path) -> Document:
    import openpyxl

    # data_only: formulas come out as the values last computed (what the form shows)
    book = openpyxl.load_workbook(path, data_only=True)
    try:
        sheets = [_openpyxl_sheet(ws) for ws in book.worksheets]
    finally:
        book.close()
    return document_from_sheets(path, "xlsx", sheets)


def read_xls(path: str | Path) -> Document:
    import xlrd

    try:
        book = xlrd.open_workbook(path, formatting_info=True, on_demand=True)  # merges need formatting_info
    except NotImplementedError:
        book = xlrd.open_workbook(path, on_demand=True)
    try:
        sheets = [_xlrd_sheet(book, book.sheet_by_index(i)) for i in range(book.nsheets)]
    finally:
        book.release_resources()
    return document_from_sheets(path, "xls", sheets)


def document_from_sheets(path: str | Path, fmt: str, sheets: list[SheetCells]) -> Document:
    document = Document(source_path=str(path), format=fmt, page_count=max(len(sheets), 1))
    n_tables = 0
    for page, sheet in enumerate(sheets, start=1):
        document.blocks.append(Paragraph(sheet.name, Location(page=page, paragraph=len(document.paragraphs))))
        table = table_from_cells(sheet, Location(page=page, table=n_tables), document.warnings)
        if table is not None:
            table.pages = [page]
            document.blocks.append(table)
            n_tables += 1
    return document


def table_from_cells(sheet: SheetCells, location: Location, warnings: list[str]) -> Table | None:
    """The sheet's used range (non-empty cells and the merges they head) as a grid."""
    if not sheet.texts:
        return None
    # a merged cell with text counts in full: its lower rows are often otherwise empty
    spans = [(r0, c0, r1, c1) for r0, c0, r1, c1 in sheet.merges if (r0, c0) in sheet.texts]
    spans += [(r, c, r, c) for r, c in sheet.texts]
    top, left = min(s[0] for s in spans), min(s[1] for s in spans)
    bottom, right = max(s[2] for s in spans), max(s[3] for s in spans)
    if bottom - top >= MAX_ROWS or right - left >= MAX_COLS:
        warnings.append(f"sheet {sheet.name}: used range {bottom - top + 1}x{right - left + 1} cut to "
                        f"{MAX_ROWS}x{MAX_COLS}")
        bottom, right = min(bottom, top + MAX_ROWS - 1), min(right, left + MAX_COLS - 1)
    # merges first (a value Excel hides under a merge is dropped; overlapping merges: the first wins), then cells
    spans = []
    for r0, c0, r1, c1 in sheet.merges:
        r0, c0, r1, c1 = max(r0, top), max(c0, left), min(r1, bottom), min(c1, right)
        if r0 <= r1 and c0 <= c1 and (r0, c0) != (r1, c1):
            spans.append(Span(r0 - top, c0 - left, sheet.texts.get((r0, c0), ""), r1 - r0 + 1, c1 - c0 + 1))
    spans += [Span(r - top, c - left, text) for (r, c), text in sheet.texts.items()
              if top <= r <= bottom and left <= c <= right]
    return Table(grid=build_grid(spans, bottom - top + 1, right - left + 1), location=location)


def _openpyxl_sheet(ws) -> SheetCells:
    sheet = SheetCells(name=ws.title)
    # ws._cells holds only the cells the file stores; iter_rows() would create every cell of the range
    for (row, col), cell in ws._cells.items():
        text = cell_text(cell.value, cell.number_format)
        if text:
            sheet.texts[(row - 1, col - 1)] = text
    for rng in ws.merged_cells.ranges:
        sheet.merges.append((rng.min_row - 1, rng.min_col - 1, rng.max_row - 1, rng.max_col - 1))
    return sheet


def _xlrd_sheet(book, sh) -> SheetCells:
    import xlrd

    sheet = SheetCells(name=sh.name)
    for r in range(sh.nrows):
        for c, cell in enumerate(sh.row(r)):
            if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                continue
            value = cell.value
            if cell.ctype == xlrd.XL_CELL_DATE:
                value = xlrd.xldate.xldate_as_datetime(value, book.datemode)
            elif cell.ctype == xlrd.XL_CELL_BOOLEAN:
                value = bool(value)
            elif cell.ctype == xlrd.XL_CELL_ERROR:
                value = xlrd.error_text_from_code.get(value, "#ERR")
            text = cell_text(value, _xlrd_number_format(book, cell))
            if text:
                sheet.texts[(r, c)] = text
    for rlo, rhi, clo, chi in sh.merged_cells:  # half-open ranges
        sheet.merges.append((rlo, clo, rhi - 1, chi - 1))
    return sheet


def _xlrd_number_format(book, cell) -> str:
    if not book.formatting_info or cell.xf_index is None:
        return "General"
    fmt = book.format_map.get(book.xf_list[cell.xf_index].format_key)
    return fmt.format_str if fmt is not None else "General"


_DECIMALS = re.compile(r"0\.(0+)")


def cell_text(value, number_format: str = "General") -> str:
    """A cell's value as the form shows it: 0.5885 formatted 0.00% -> "58.85%", 55.0 -> "55"."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        return number_text(value, number_format or "General")
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return str(value).strip()


def number_text(value: float, number_format: str) -> str:
    decimals = _DECIMALS.search(number_format)
    if "%" in number_format:
        value *= 100
    if decimals:
        text = f"{value:.{len(decimals.group(1))}f}"
    elif number_format in ("0", "#,##0", "0%"):
        text = f"{value:.0f}"
    else:
        text = _plain(value)
    return text + "%" if "%" in number_format else text


def _plain(value: float) -> str:
    """Shortest plain decimal, no exponent, float noise rounded off (0.1+0.2 -> 0.3)."""
    if value != value or value in (float("inf"), float("-inf")):
        return str(value)
    text = f"{round(value, 10):.10f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text
