"""An .xlsx writer for large tables in flat memory (XlsxWriter's constant-memory mode): bold frozen header,
autofilter, column widths from the first rows, optional fill colour per row, and a page set-up that prints
(landscape, fit to the page width, the header row repeated on every page).

Rows can be appended to any sheet at any time until the workbook is finished, so a batch can stream rows into
it while files are still being read; the file appears (atomically) only on finish()."""
from __future__ import annotations

import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

import xlsxwriter
from wcwidth import wcswidth

from jixiao.normalize.writers.atomic import new_file_mode

MAX_DATA_ROWS = 1_048_576 - 2  # Excel's row limit, less the header and a "more rows" note
MAX_CELL_CHARS = 32_767  # Excel's limit per cell
WIDTH_SAMPLE = 200  # rows looked at to size the columns
MIN_WIDTH, MAX_WIDTH = 6, 60
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # not allowed in the XML of a sheet
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
        self.sheets[sheet.name] = _Open(sheet, ws, writers=cell_writers(ws))
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
