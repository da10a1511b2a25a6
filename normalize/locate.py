"""Where each row's claim sits in the source, to the cell: the `page`, `bbox`, `table`, `row`, `col`, `line_no`
columns of docs/schema.md, resolved from a row's `location` against the document model; and each flag's
`fingerprint`, the key its review marks are kept under."""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from jixiao.extract.model import BBox, Cell, Document, Paragraph, Table


PAGELESS_FORMATS = frozenset({"txt", "html", "md"})  # no pages: `page` is NULL, `line` says where in a .txt
# flags whose claimed number is a sum of several cells: they point at the row, never at a cell that happens
# to hold the same number
SUMMED_CODES = frozenset({"GROUP_OVER_WEIGHT", "WEIGHT_SUM_MISMATCH"})
_TABLE_LOC = re.compile(r"^p(\d+) t(\d+)(?: r(\d+))?")
_PARAGRAPH_LOC = re.compile(r"^p(\d+) ¶(\d+)")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")


@dataclass(frozen=True, init=False)
class Where:
    """A place in the source. Every index is 1-based (docs/schema.md); None where the source has no such thing."""

    page: int | None = None
    bbox: BBox | None = None
    table: int | None = None
    row: int | None = None
    col: int | None = None
    line: int | None = None

    def __init__(self, page: int | None = None, bbox: BBox | None = None, table: int | None = None,
                 row: int | None = None, col: int | None = None, line: int | None = None) -> None:
        # written into the instance's dict, as extract.model.Location: every located row makes one
        fields = self.__dict__
        fields["page"], fields["bbox"], fields["table"], fields["row"], fields["col"], fields["line"] = \
            page, bbox, table, row, col, line

    def columns(self) -> dict:
        return {"page": self.page, "bbox": bbox_text(self.bbox), "table": self.table, "row": self.row,
                "col": self.col, "line_no": self.line}


def bbox_text(box: BBox | None) -> str | None:
    """"x0,y0,x1,y1" in PDF points, 2 decimals."""
    return None if box is None else ",".join(f"{v:.2f}" for v in box)


def parse_bbox(text: str | None) -> BBox | None:
    if not text:
        return None
    x0, y0, x1, y1 = (float(v) for v in text.split(","))
    return x0, y0, x1, y1


def union(boxes: list[BBox]) -> BBox | None:
    if not boxes:
        return None
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


def holds(text: str, claimed: float) -> bool:
    """The cell's text states the number: as written, or as a percentage of a fraction (98.75% for 0.9875)."""
    for match in _NUMBER.finditer(text.replace(",", "").replace("，", "")):
        value = float(match.group(0))
        if abs(value - claimed) <= 1e-6 * max(1.0, abs(claimed)):
            return True
        if abs(claimed) <= 1.5 and abs(value / 100 - claimed) <= 1e-9 + 5e-7:
            return True
    return False


class Locator:
    """Resolves `location` strings ("p3 t2 r7", "p2 ¶14") of one document to cells and boxes."""

    def __init__(self, document: Document):
        self.document = document
        self.pageless = document.format in PAGELESS_FORMATS
        self.tables: dict[tuple[int, int], tuple[int, Table]] = {}
        for index, table in enumerate(document.tables, 1):
            loc = table.location
            self.tables.setdefault((loc.page, loc.table), (index, table))
        self.paragraphs: dict[tuple[int, int], Paragraph] = {}
        for paragraph in document.paragraphs:
            loc = paragraph.location
            self.paragraphs.setdefault((loc.page, loc.paragraph), paragraph)

    def find(self, location: str | None, claimed: float | None = None, row_level: bool = False) -> Where:
        """The cell of the row at `location` holding `claimed` (the rightmost such cell: scores sit right of
        weights and targets), else the whole row; a paragraph's box and line."""
        if not location:
            return Where()
        match = _TABLE_LOC.match(location)
        if match and match.group(3) is not None:
            found = self.tables.get((int(match.group(1)), int(match.group(2))))
            if found is not None and int(match.group(3)) < found[1].n_rows:
                return self._row(found[0], found[1], int(match.group(3)), None if row_level else claimed)
        match = _PARAGRAPH_LOC.match(location)
        if match:
            paragraph = self.paragraphs.get((int(match.group(1)), int(match.group(2))))
            if paragraph is not None:
                return Where(page=self._page(paragraph.location.page), bbox=paragraph.bbox,
                             line=paragraph.location.line)
        match = _TABLE_LOC.match(location)
        if match:
            found = self.tables.get((int(match.group(1)), int(match.group(2))))
            if found is not None:
                return Where(page=self._page(found[1].location.page), table=found[0])
        return Where()

    def _page(self, page: int | None) -> int | None:
        return None if self.pageless else page

    def _row(self, index: int, table: Table, r: int, claimed: float | None) -> Where:
        cells = row_cells(table, r)
        if claimed is not None:
            cell = _rightmost_holding(cells, r, claimed)
            if cell is not None:
                return Where(page=self._page(cell.page or table.location.page), bbox=cell.bbox, table=index,
                             row=r + 1, col=cell.col + 1, line=cell.line)
        own = [c for c in cells if c.row == r] or cells
        page = next((c.page for c in own if c.page is not None), table.location.page)
        lines = [c.line for c in own if c.line is not None]
        return Where(page=self._page(page), bbox=row_band([c for c in own if c.bbox and c.page == page]),
                     table=index, row=r + 1, line=min(lines) if lines else None)


def _rightmost_holding(cells: list[Cell], r: int, claimed: float) -> Cell | None:
    """The rightmost cell starting in row r that states the number, else the rightmost of the cells a merge
    brings into the row; cells in column order (row_cells), looked at from the right: scores sit right."""
    above = None
    for cell in reversed(cells):
        if holds(cell.norm, claimed):
            if cell.row == r:
                return cell
            if above is None:
                above = cell
    return above


def row_band(cells: list[Cell]) -> BBox | None:
    """The box of a row: its cells' width, and the height of its one-row cells (a merged level label running
    down the next rows would stretch it)."""
    box = union([c.bbox for c in cells])
    single = [c.bbox for c in cells if c.rowspan == 1]
    if box is None or not single:
        return box
    return box[0], min(b[1] for b in single), box[2], min(b[3] for b in single)


def row_cells(table: Table, r: int) -> list[Cell]:
    """The distinct cells covering row r, merged ones once (at their origin), left to right."""
    out, seen = [], set()
    grid = table.grid
    for cell in grid[r]:  # table.cell(r, c) for each column, inline: every located row asks
        if cell.origin is not None:
            cell = grid[cell.origin[0]][cell.origin[1]]
        if id(cell) not in seen:
            seen.add(id(cell))
            out.append(cell)
    return out


def fingerprint(report_id: str | None, code: str, location: str | None, col: int | None,
                claimed: float | None, occurrence: int = 1) -> str:
    """The same finding on the same bytes -> the same key, on every run and machine, whatever else the batch
    holds: the report's id (its bytes), the code, where, and the claimed number; a second identical finding
    in one report is told apart by its rank."""
    parts = [report_id or "", code, location or "", "" if col is None else str(col),
             "" if claimed is None else f"{claimed:.9g}"]
    if occurrence > 1:
        parts.append(str(occurrence))
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


def add_locations(document: Document, tables: dict[str, list[dict]], source_path: str) -> None:
    """Fill the geometry columns of scorecards, budget lines, indicators and flags (rows, in place), and the
    flags' source_path and fingerprint."""
    locator = Locator(document)
    for row in tables.get("scorecards", []):
        row.update(locator.find(row.get("location")).columns())
    for row in tables.get("budget_lines", []):
        claimed = row.get("claimed_score") if row.get("claimed_score") is not None else row.get("claimed_rate")
        row.update(locator.find(row.get("location"), claimed).columns())
    for row in tables.get("indicators", []):
        row.update(locator.find(row.get("location"), row.get("claimed_score")).columns())
    seen: dict[str, int] = {}
    for row in tables.get("flags", []):
        where = locator.find(row.get("location"), row.get("claimed"), row_level=row["code"] in SUMMED_CODES)
        row.update(where.columns())
        row["source_path"] = source_path
        key = fingerprint(row.get("report_id"), row["code"], row.get("location"), where.col, row.get("claimed"))
        seen[key] = seen.get(key, 0) + 1
        if seen[key] > 1:
            key = fingerprint(row.get("report_id"), row["code"], row.get("location"), where.col,
                              row.get("claimed"), seen[key])
        row["fingerprint"] = key
