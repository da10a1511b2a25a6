"""The document model every reader produces: paragraphs and tables in reading order, with provenance."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator, Union

from jixiao.extract.textnorm import normalize_text


@dataclass(frozen=True, init=False)
class Location:
    """Where a block (or a row of it) sits. Pages are 1-based; tables, rows, paragraphs 0-based; `line` is the
    1-based line of a .txt file where the block starts (None for other formats)."""

    page: int = 1
    table: int | None = None
    row: int | None = None
    paragraph: int | None = None
    line: int | None = None

    def __init__(self, page: int = 1, table: int | None = None, row: int | None = None,
                 paragraph: int | None = None, line: int | None = None) -> None:
        # written into the instance's dict: the generated __init__ calls object.__setattr__ once a field (twice
        # the time), and every paragraph and located row makes a Location, a text dump thousands
        fields = self.__dict__
        fields["page"], fields["table"], fields["row"], fields["paragraph"], fields["line"] = \
            page, table, row, paragraph, line

    def with_row(self, row: int) -> "Location":
        return Location(self.page, self.table, row, self.paragraph)  # a row: its cells carry their own lines

    def __str__(self) -> str:
        if self.table is not None:
            text = f"p{self.page} t{self.table}"
            return text if self.row is None else f"{text} r{self.row}"
        if self.paragraph is not None:
            return f"p{self.page} ¶{self.paragraph}"
        return f"p{self.page}"


BBox = tuple[float, float, float, float]  # x0, top, x1, bottom in PDF points, origin top-left (pdfplumber)


@dataclass(slots=True)  # documents hold thousands of cells: no per-cell __dict__
class Cell:
    """One grid position. A merged cell is stored once at its origin; covered positions point back to it."""

    text: str
    row: int
    col: int
    rowspan: int = 1
    colspan: int = 1
    origin: tuple[int, int] | None = None  # set on covered positions: (row, col) of the merged cell
    nested: tuple["Table", ...] = ()  # tables nested inside this cell (docx)
    # geometry where the source has it: the page (1-based) and the box in PDF points, origin top-left, as
    # pdfplumber (PDF text layer, OCR'd page); the 1-based line of a .txt file where the cell's text starts
    page: int | None = None
    bbox: BBox | None = None
    line: int | None = None
    # norm remembered with the text it was made from (every stage asks every cell; the text may be replaced)
    _norm_of: str | None = field(default=None, init=False, repr=False, compare=False)
    _norm: str = field(default="", init=False, repr=False, compare=False)

    @property
    def is_covered(self) -> bool:
        return self.origin is not None

    @property
    def norm(self) -> str:
        text = self.text
        if self._norm_of is not text:
            self._norm, self._norm_of = normalize_text(text), text
        return self._norm


@dataclass
class Table:
    """A rectangular grid of cells. `grid[r][c]` always exists; merged cells span several positions."""

    grid: list[list[Cell]]
    location: Location
    pages: list[int] = field(default_factory=list)  # every page the table touches (PDF tables can run on)
    ocr_confidence: float | None = None
    # rows and columns guessed from the alignment of the text (a PDF table without ruling lines): such a table
    # can be misread, so a form read from it is judged only when its own arithmetic holds (normalize/misread.py)
    from_alignment: bool = False
    # cells a text reader could not tell apart (glued values, a name run into its words): a form read from such
    # a table is not judged, its region is reported unread (normalize/misread.py), never a guessed cell
    doubts: list[str] = field(default_factory=list)

    @property
    def n_rows(self) -> int:
        return len(self.grid)

    @property
    def n_cols(self) -> int:
        return len(self.grid[0]) if self.grid else 0

    def cell(self, r: int, c: int) -> Cell:
        """The cell covering (r, c): the merged cell's origin when (r, c) is covered."""
        cell = self.grid[r][c]
        if cell.origin is not None:
            return self.grid[cell.origin[0]][cell.origin[1]]
        return cell

    def text(self, r: int, c: int) -> str:
        """Normalised text of the cell covering (r, c) — what consumers carry down merged cells."""
        return self.cell(r, c).norm

    def row_location(self, r: int) -> Location:
        return self.location.with_row(r)

    def row_location_text(self, r: int) -> str:
        """str(self.row_location(r)) without building the Location: every row the assembler reads asks."""
        loc = self.location
        return f"p{loc.page} t{loc.table} r{r}" if loc.table is not None else str(loc.with_row(r))

    def text_rows(self, raw: bool = False) -> list[list[str]]:
        """Comparable view shared by all formats: per row, one entry per cell that starts in this row or
        continues a vertical merge from above (empty), horizontal spans collapsed; trailing empties dropped.
        Normalised text, or the text as written with raw=True."""
        rows = []
        for r, row in enumerate(self.grid):
            out = []
            for c, cell in enumerate(row):
                if cell.origin is None:
                    out.append(cell.text if raw else cell.norm)
                elif cell.origin[1] == c and cell.origin[0] != r:
                    out.append("")  # vertical continuation: Word prints it as an empty cell
            while out and not out[-1].strip():
                out.pop()
            rows.append(out)
        return rows

    def iter_cells(self) -> Iterator[Cell]:
        for row in self.grid:
            for cell in row:
                if cell.origin is None:
                    yield cell


@dataclass
class Paragraph:
    text: str
    location: Location
    ocr_confidence: float | None = None
    bbox: BBox | None = None  # on its page (location.page), where the source has geometry (PDF, OCR)
    # offsets in text where a gap wider than a space parts two columns: a table row laid out without rules
    # (PDF), read as text; its cells are not one sentence (prose sums are judged cell by cell)
    column_breaks: tuple[int, ...] = ()

    @property
    def norm(self) -> str:
        return normalize_text(self.text)

    def cells(self) -> list[str]:
        """The text cut at its column breaks: one piece per cell of a row laid out in columns."""
        cuts = (0, *self.column_breaks, len(self.text))
        return [self.text[a:b] for a, b in zip(cuts, cuts[1:])]


Block = Union[Paragraph, Table]


@dataclass
class Document:
    source_path: str
    format: str  # docx, pdf, txt, xlsx, xls, doc …
    page_count: int = 1
    blocks: list[Block] = field(default_factory=list)
    encoding: str | None = None  # detected text encoding (txt)
    needs_ocr: bool = False  # some page had no usable text layer and was not OCR'd
    ocr_pages: list[int] = field(default_factory=list)  # pages whose text came from OCR
    # OCR'd page -> (degrees it was turned anticlockwise, degrees of skew taken out): its boxes are in points of
    # the page stood upright so; a picture of a region (evidence) turns the page the same way first
    ocr_views: dict[int, tuple[int, float]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)  # things skipped while reading (-> status partial)
    text: str | None = None  # the decoded text as read (txt): forms flattened into text are rebuilt from it

    @property
    def paragraphs(self) -> list[Paragraph]:
        return [b for b in self.blocks if isinstance(b, Paragraph)]

    @property
    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]

