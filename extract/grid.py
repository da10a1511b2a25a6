"""The one merged-cell grid builder every reader uses (docx, pdf, OCR, html, xlsx, txt).

A reader lists the cells it found as Spans (row, column, text, how many rows and columns they cover); the
builder makes the rectangular grid of the model: each span stored once at its origin, the positions it
covers pointing back to it, empty positions as empty cells. Spans are clipped to the grid; where two overlap
(a damaged file) the first listed keeps the position, so a reader states its priority by its order.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
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


def stacked_pieces(spans: list[Span], n_rows: int) -> list[tuple[int, int]]:
    """Row ranges (end-exclusive) of the pieces a table is stacked from: the page pieces of a converted report,
    each with its own column widths, which LibreOffice merges into one table on the union of their columns
    (.doc, .html). A piece starts where two rows of as many cells (three or more) set most of their inner
    edges on other columns, with no cell running over between them: rows of one table share their columns,
    rows with merges have fewer cells (extract/pdf.py split_stacked, the same for ruled PDFs)."""
    covering: list[list[int]] = [[] for _ in range(n_rows)]  # left edges of the cells over each row
    starting: list[list[int]] = [[] for _ in range(n_rows)]  # left edges of the cells that start in it
    crossed = [False] * n_rows  # a cell runs over from the row above
    for s in spans:  # one pass over the spans, not one per row (a long detail table)
        if 0 <= s.row < n_rows:
            starting[s.row].append(s.col)
        for r in range(max(s.row, 0), min(s.row + s.rowspan, n_rows)):
            covering[r].append(s.col)
            crossed[r] = crossed[r] or r > s.row
    starts = [0] + [r for r in range(1, n_rows) if not crossed[r] and on_other_columns(covering[r - 1], starting[r])]
    return list(zip(starts, starts[1:] + [n_rows]))


def on_other_columns(above: list[float], below: list[float], tolerance: float = 0) -> bool:
    """Two rows of as many cells (three or more), given by their left edges, whose inner edges mostly differ
    (by more than `tolerance`): the lower one starts a table of its own stacked under the upper. Rows of one
    table share their columns, rows with merges have fewer cells, and two-cell label rows never count."""
    if len(above) != len(below) or len(above) < 3:
        return False
    inner_above, inner_below = sorted(above)[1:], sorted(below)[1:]
    moved = sum(1 for a, b in zip(inner_above, inner_below) if abs(a - b) > tolerance)
    return moved * 2 >= len(inner_above)


def build_pieces(spans: list[Span], n_rows: int, n_cols: int) -> list[list[list[Cell]]]:
    """The grids of a table's stacked pieces (stacked_pieces), each on the columns its own cells use: one
    grid, as build_grid makes it, for a table of one piece."""
    pieces = stacked_pieces(spans, n_rows)
    if len(pieces) == 1:
        return [build_grid(spans, n_rows, n_cols)]
    grids = []
    for r0, r1 in pieces:
        mine = [s for s in spans if r0 <= s.row < r1]
        at = {x: i for i, x in enumerate(sorted({s.col for s in mine} | {s.col + s.colspan for s in mine}))}
        moved = [replace(s, row=s.row - r0, col=at[s.col], colspan=at[s.col + s.colspan] - at[s.col]) for s in mine]
        grids.append(build_grid(moved, r1 - r0, len(at) - 1))
    return grids


def grid_from_rows(rows: list[list[str]], lines: list[list[int]] | None = None) -> list[list[Cell]]:
    """A rectangular grid from ragged rows of plain text (no merges known): short rows are padded. `lines`,
    parallel to rows, gives each cell's first line in a text file."""
    width = max((len(r) for r in rows), default=0)
    # what build_grid makes of one-by-one spans, built directly: text dumps make thousands of these cells
    grid = []
    for r, row in enumerate(rows):
        starts = lines[r] if lines else ()
        known = len(starts)
        # every field given in order (text, row, col, rowspan, colspan, origin, nested, page, bbox, line): a
        # keyword argument costs the dataclass's __init__ a fifth of a cell's time
        grid.append([Cell(text, r, c, 1, 1, None, (), None, None, starts[c] if c < known else None)
                     for c, text in enumerate(row)] + [Cell("", r, c) for c in range(len(row), width)])
    return grid
