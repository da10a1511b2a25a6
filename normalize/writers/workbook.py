"""An .xlsx writer for large tables in flat memory (XlsxWriter's constant-memory mode): bold frozen header,
autofilter, column widths from the first rows, optional fill colour per row, and a page set-up that prints
(landscape, fit to the page width, the header row repeated on every page).

Rows can be appended to any sheet at any time until the workbook is finished, so a batch can stream rows into
it while files are still being read; the file appears (atomically) only on finish()."""
from __future__ import annotations

import math
import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

import xlsxwriter
from wcwidth import wcswidth
from xlsxwriter.utility import xl_col_to_name

from jixiao.normalize.writers.atomic import new_file_mode

MAX_DATA_ROWS = 1_048_576 - 2  # Excel's row limit, less the header and a "more rows" note
MAX_CELL_CHARS = 32_767  # Excel's limit per cell
WIDTH_SAMPLE = 200  # rows looked at to size the columns
MIN_WIDTH, MAX_WIDTH = 6, 60
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # not allowed in the XML of a sheet
# text XlsxWriter writes in its own way (_xHHHH_ escapes, "<r>…</r>" as rich text), or may cut (past half Excel's
# limit it counts UTF-16 units): such a row is left to XlsxWriter (see row_xml)
XLSXWRITER_TEXT = re.compile(r"[\x00-\x08\x0b-\x1f\ufffe\uffff]|_x[0-9a-fA-F]{4}_|^<r>.*</r>$", re.DOTALL)
XML_TEXT = re.compile(r"[&<>]")  # escaped as XlsxWriter does (a report's ≤ and <5% are common)
PLAIN_TEXT_CHARS = MAX_CELL_CHARS // 2
ROW_INTERNALS = ("_write_single_row", "_check_dimensions", "fh")  # what append() uses of a worksheet beside cells
OPTIONS = {"constant_memory": True,  # each sheet's rows go to a temp file as they come
           "strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False}  # text stays text


@dataclass
class Sheet:
    name: str
    header: list[str]
    rows: Iterable[tuple] = ()
    n_rows: int = 0  # unused since rows stream (kept for callers)
    row_fill: Callable[[tuple], str | None] | None = None  # row -> RGB hex fill, or None
    choices: dict[str, tuple[str, ...]] = field(default_factory=dict)  # column -> its drop-down's values


@dataclass
class _Open:
    sheet: Sheet
    ws: object
    rows: int = 0  # data rows written
    cut: int = 0  # rows beyond Excel's limit
    sample: list[tuple] = field(default_factory=list)
    writers: tuple = ()  # write_blank, write_string, write_number of the sheet (see cell_writers)
    columns: tuple[str, ...] = ()  # the columns' letters (A, B, …): cell references
    whole_rows: bool = False  # rows written as XML strings (row_xml), XlsxWriter's internals being as expected


class WorkbookWriter:
    """Sheets in the order added; append(name, row) in any order across sheets; finish() writes the file."""

    def __init__(self, target: str | Path):
        self.target = Path(target)
        self.target.parent.mkdir(parents=True, exist_ok=True)
        self.scratch = tempfile.mkdtemp(prefix=f".jixiao-xlsx-{self.target.name}-", dir=self.target.parent)  # sheets
        fd, self.tmp = tempfile.mkstemp(prefix=f".{self.target.name}.", suffix=".tmp", dir=self.target.parent)
        os.close(fd)
        self.book = xlsxwriter.Workbook(self.tmp, {**OPTIONS, "tmpdir": self.scratch})
        self.bold = self.book.add_format({"bold": True})
        self.fills: dict[str, object] = {}
        self.sheets: dict[str, _Open] = {}

    def add_sheet(self, sheet: Sheet) -> None:
        ws = self.book.add_worksheet(sheet.name[:31])  # Excel's sheet-name limit
        ws.write_row(0, 0, sheet.header, self.bold)
        ws.freeze_panes(1, 0)
        ws.set_landscape()
        ws.set_paper(9)  # A4
        ws.fit_to_pages(1, 0)  # one page wide, as many pages long as it takes
        ws.repeat_rows(0)  # the header on every printed page
        for column, values in sheet.choices.items():  # a drop-down on every data row of the column
            index = sheet.header.index(column)
            ws.data_validation(1, index, MAX_DATA_ROWS, index, {
                "validate": "list", "source": list(values),
                "error_title": column, "error_message": "one of: " + ", ".join(values)})
        self.sheets[sheet.name] = _Open(sheet, ws, writers=cell_writers(ws),
                                        columns=tuple(map(xl_col_to_name, range(len(sheet.header)))),
                                        whole_rows=OPTIONS["constant_memory"] and all(
                                            hasattr(ws, name) for name in ROW_INTERNALS))
        for row in sheet.rows:
            self.append(sheet.name, row)

    def append(self, name: str, row: tuple) -> None:
        state = self.sheets[name]
        if state.rows >= MAX_DATA_ROWS:
            state.cut += 1
            return
        if len(state.sample) < WIDTH_SAMPLE:
            state.sample.append(row)
        state.rows += 1
        fill = state.sheet.row_fill(row) if state.sheet.row_fill else None
        style = (self.fills.get(fill) or self.fills.setdefault(fill, self.book.add_format({"bg_color": f"#{fill}"}))
                 ) if fill else None
        r = state.rows
        if not state.whole_rows:
            self._append_cells(state, r, row, style)
            return
        ws = state.ws
        ws._write_single_row(r)  # the row XlsxWriter holds (the header, a row left to it) goes out first, in order
        written = row_xml(r, row, state.columns, style)
        if written is None:
            self._append_cells(state, r, row, style)
        elif written[0]:
            xml, first, last = written
            ws.fh.write(xml)
            ws._check_dimensions(r, first)
            ws._check_dimensions(r, last)

    @staticmethod
    def _append_cells(state: _Open, r: int, row: tuple, style) -> None:
        """Row r cell by cell through XlsxWriter (which writes it out when the next row comes)."""
        write_blank, write_string, write_number = state.writers
        for c, value in enumerate(row):
            if value is None:
                if style is not None:
                    write_blank(r, c, None, style)
            elif isinstance(value, str):  # always text, never a formula
                text = value if value.isprintable() else CONTROL_CHARS.sub("", value)  # the regex only when needed
                write_string(r, c, text[:MAX_CELL_CHARS], style)
            else:
                write_number(r, c, value, style)

    def finish(self) -> None:
        """Autofilter, widths and the "more rows" note, then the file, atomically."""
        try:
            for state in self.sheets.values():
                header = state.sheet.header
                for index, width in enumerate(column_widths(header, state.sample)):
                    if header[index] in state.sheet.choices:  # room for the drop-down's longest value
                        width = max(width, max(map(len, state.sheet.choices[header[index]])) + 3)
                    state.ws.set_column(index, index, width)
                state.ws.autofilter(0, 0, state.rows, max(len(header), 1) - 1)
                if state.cut:
                    state.ws.write_string(state.rows + 1, 0,
                                          f"… {state.cut} more rows beyond Excel's limit: see the CSV")
            self.book.close()
            os.chmod(self.tmp, new_file_mode())
            os.replace(self.tmp, self.target)
        finally:
            self.discard()

    def discard(self) -> None:
        """Drop the workbook (on error or interrupt): no file, no temp files left."""
        self.book.fileclosed = True  # never written by a late close()
        for state in self.sheets.values():
            fh = getattr(state.ws, "row_data_fh", None)
            if fh is not None and not fh.closed:
                fh.close()
        shutil.rmtree(self.scratch, ignore_errors=True)
        Path(self.tmp).unlink(missing_ok=True)


def cell_writers(ws) -> tuple:
    """XlsxWriter's write_blank/write_string/write_number without their A1-notation wrapper (the "undecorated
    versions" they call, same cells): ~25 % of the workbook's CPU at a million cells. The public ones if renamed."""
    return tuple(getattr(ws, f"_{name}", getattr(ws, name)) for name in ("write_blank", "write_string", "write_number"))


def row_xml(r: int, row: tuple, columns: tuple[str, ...], style) -> tuple[str, int, int] | None:
    """Row r as the XML XlsxWriter writes for it in constant-memory mode (the cells _append_cells() writes, same
    bytes), with its first and last column; None if a cell needs XlsxWriter (see XLSXWRITER_TEXT, and numbers that
    are not finite). One string a row instead of XlsxWriter's ~7 µs a cell: most of the workbook's CPU."""
    n = r + 1
    s = f' s="{style._get_xf_index()}"' if style is not None else ""
    cells, first, last = [], -1, -1
    for c, value in enumerate(row):
        if value is None:
            if not s:
                continue
            cells.append(f'<c r="{columns[c]}{n}"{s}/>')
        elif type(value) is str:
            text = (value if value.isprintable() else CONTROL_CHARS.sub("", value))[:MAX_CELL_CHARS]
            if len(text) > PLAIN_TEXT_CHARS or XLSXWRITER_TEXT.search(text):
                return None
            space = ' xml:space="preserve"' if text[:1].isspace() or text[-1:].isspace() else ""
            if XML_TEXT.search(text):
                text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            cells.append(f'<c r="{columns[c]}{n}"{s} t="inlineStr"><is><t{space}>{text}</t></is></c>')
        elif type(value) is int or (type(value) is float and math.isfinite(value)):
            cells.append(f'<c r="{columns[c]}{n}"{s}><v>{value:.16G}</v></c>')
        else:
            return None
        if first < 0:
            first = c
        last = c
    if not cells:
        return "", first, last
    return f'<row r="{n}">' + "".join(cells) + "</row>", first, last


def write_workbook(target: str | Path, sheets: list[Sheet]) -> None:
    """Write all sheets into one workbook, atomically."""
    writer = WorkbookWriter(target)
    try:
        for sheet in sheets:
            writer.add_sheet(sheet)
    except BaseException:
        writer.discard()
        raise
    writer.finish()


def column_widths(header: list[str], sample: list[tuple]) -> list[float]:
    """Display width (CJK counts double) of the widest of header and sampled values, within limits."""
    widths = []
    for index, name in enumerate(header):
        texts = [name] + ["" if row[index] is None else str(row[index]) for row in sample]
        widest = max(max(wcswidth(text), len(text)) for text in texts)
        widths.append(float(min(max(widest + 2, MIN_WIDTH), MAX_WIDTH)))
    return widths
