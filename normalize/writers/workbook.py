"""An .xlsx writer for large tables in flat memory (openpyxl write-only mode): bold frozen header, autofilter,
column widths from the first rows, optional fill colour per row."""
from __future__ import annotations

from dataclasses import dataclass
from itertools import chain, islice
from pathlib import Path
from typing import Callable, Iterable

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Font, PatternFill
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from wcwidth import wcswidth

from jixiao.normalize.writers.atomic import atomic_path

MAX_DATA_ROWS = 1_048_576 - 2  # Excel's row limit, less the header and a "more rows" note
MAX_CELL_CHARS = 32_767  # Excel's limit per cell
WIDTH_SAMPLE = 200  # rows looked at to size the columns
MIN_WIDTH, MAX_WIDTH = 6, 60


@dataclass
class Sheet:
    name: str
    header: list[str]
    rows: Iterable[tuple]
    n_rows: int  # known in advance: the autofilter range is written before the rows
    row_fill: Callable[[tuple], str | None] | None = None  # row -> ARGB/RGB hex fill, or None


def write_workbook(target: str | Path, sheets: list[Sheet]) -> None:
    """Write all sheets into one workbook, atomically."""
    workbook = Workbook(write_only=True)
    for sheet in sheets:
        write_sheet(workbook, sheet)
    with atomic_path(target) as tmp:
        workbook.save(tmp)


def write_sheet(workbook: Workbook, sheet: Sheet) -> None:
    ws = workbook.create_sheet(sheet.name[:31])  # Excel's sheet-name limit
    rows = iter(sheet.rows)
    sample = list(islice(rows, WIDTH_SAMPLE))
    for index, width in enumerate(column_widths(sheet.header, sample), start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = "A2"
    shown = min(sheet.n_rows, MAX_DATA_ROWS)
    ws.auto_filter.ref = f"A1:{get_column_letter(max(len(sheet.header), 1))}{shown + 1}"
    ws.append([header_cell(ws, name) for name in sheet.header])
    styles: dict[str, StyleArray] = {}
    for row in islice(chain(sample, rows), MAX_DATA_ROWS):
        colour = sheet.row_fill(row) if sheet.row_fill else None
        style = (styles.get(colour) or styles.setdefault(colour, fill_style(ws, colour))) if colour else None
        ws.append([value_cell(ws, value, style) for value in row])
    if sheet.n_rows > MAX_DATA_ROWS:
        ws.append([f"… {sheet.n_rows - MAX_DATA_ROWS} more rows beyond Excel's limit: see the CSV"])


def header_cell(ws, name: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, name)
    cell.font = Font(bold=True)
    return cell


def fill_style(ws, colour: str) -> StyleArray:
    """The style of a cell filled with colour, registered once: setting .fill on every cell hashes the fill
    against the workbook's list each time (a fifth of the workbook's time)."""
    cell = WriteOnlyCell(ws)
    cell.fill = PatternFill("solid", fgColor=colour)
    return cell._style


def value_cell(ws, value, style: StyleArray | None):
    """A plain value where possible (fast); a styled cell for fills and for text Excel would take as a formula."""
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)[:MAX_CELL_CHARS]
        if value.startswith("="):
            cell = Cell(ws, row=1, column=1, value=value, style_array=style)
            cell.data_type = "s"  # text, never a formula
            return cell
    if style is None:
        return value
    return Cell(ws, row=1, column=1, value=value, style_array=style)  # the cell gets its own copy of the style


def column_widths(header: list[str], sample: list[tuple]) -> list[float]:
    """Display width (CJK counts double) of the widest of header and sampled values, within limits."""
    widths = []
    for index, name in enumerate(header):
        texts = [name] + ["" if row[index] is None else str(row[index]) for row in sample]
        widest = max(max(wcswidth(text), len(text)) for text in texts)
        widths.append(float(min(max(widest + 2, MIN_WIDTH), MAX_WIDTH)))
    return widths
