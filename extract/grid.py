"""The one merged-cell grid builder every reader uses (docx, pdf, OCR, html, xlsx, txt).

A reader lists the cells it found as Spans (row, column, text, how many rows and columns they cover); the
builder makes the rectangular grid of the model: each span stored once at its origin, the positions it
covers pointing back to it, empty positions as empty cells. Spans are clipped to the grid; where two overlap
(a damaged file) the first listed keeps the position, so a reader states its priority by its order.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from jixiao.extract.model import BBox, Cell, Table


@dataclass
class Span:
    """One cell as a reader found it, before the grid is built."""

    row: int
    col: int
    text: str
    rowspan: int = 1
    colspan: int = 1
    nested: tuple[Table, ...] = ()  # tables nested inside the cell (docx)
    page: int | None = None  # geometry where the source has it (Cell.page, Cell.bbox, Cell.line)
    bbox: BBox | None = None
    line: int | None = None


def build_grid(spans: Iterable[Span], n_rows: int | None = None, n_cols: int | None = None) -> list[list[Cell]]:
    """The rectangular grid of the spans; its size is n_rows × n_cols, or just large enough for every span."""
    spans = list(spans)
    if n_rows is None:
        n_rows = max((s.row + max(s.rowspan, 1) for s in spans), default=0)
    if n_cols is None:
        n_cols = max((s.col + max(s.colspan, 1) for s in spans), default=0)
    grid: list[list[Cell | None]] = [[None] * n_cols for _ in range(n_rows)]
    for s in spans:
        if not (0 <= s.row < n_rows and 0 <= s.col < n_cols) or grid[s.row][s.col] is not None:
            continue
        rowspan, colspan = max(1, min(s.rowspan, n_rows - s.row)), max(1, min(s.colspan, n_cols - s.col))
        grid[s.row][s.col] = Cell(s.text, s.row, s.col, rowspan=rowspan, colspan=colspan, nested=tuple(s.nested),
                                  page=s.page, bbox=s.bbox, line=s.line)
        for r in range(s.row, s.row + rowspan):
            for c in range(s.col, s.col + colspan):
                if grid[r][c] is None:
                    grid[r][c] = Cell("", r, c, origin=(s.row, s.col))
    return [[cell or Cell("", r, c) for c, cell in enumerate(row)] for r, row in enumerate(grid)]


def grid_from_rows(rows: list[list[str]], lines: list[list[int]] | None = None) -> list[list[Cell]]:
    """A rectangular grid from ragged rows of plain text (no merges known): short rows are padded. `lines`,
    parallel to rows, gives each cell's first line in a text file."""
    width = max((len(r) for r in rows), default=0)
    # what build_grid makes of one-by-one spans, built directly: text dumps make thousands of these cells
    return [[Cell(text, r, c, line=lines[r][c] if lines and c < len(lines[r]) else None)
             for c, text in enumerate(row)] + [Cell("", r, c) for c in range(len(row), width)]
            for r, row in enumerate(rows)]
