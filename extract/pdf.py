""".pdf reader (pdfplumber): ruled tables per page with merged cells rebuilt from cell boxes, a text-aligned
fallback, tables running on across pages joined, paragraphs rebuilt from the lines outside tables."""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from pathlib import Path

import pdfplumber
from pdfminer.pdfdocument import PDFPasswordIncorrect
from pdfminer.psparser import PSException
from pdfplumber.utils.exceptions import PdfminerException
from pdfplumber.utils.text import chars_to_textmap

from extract import safety
from extract.errors import NeedsOCR, ReadError
from extract.ocr import how_to_enable as ocr_hint, ocr_pdf_page  # `ocr` is read_pdf's flag
from extract.model import Block, Cell, Document, Location, Paragraph, Table

RULED = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}
ALIGNED = {"vertical_strategy": "text", "horizontal_strategy": "text"}
EDGE_TOLERANCE = 2.0  # points: cell edges closer than this are the same grid line
CID = re.compile(r"\(cid:\d+\)")
GARBAGE_SHARE = 0.3  # a page whose characters are mostly (cid:NN) has no usable text layer
MIN_PAGE_CHARS = 5
MARGIN_SHARE = 0.1  # top/bottom tenth of a page: running headers, footers, page numbers
CELL_PADDING_MAX = 8.0  # points; LibreOffice and Word pad cells by ~5pt
WRAP_TOLERANCE = 1.0  # points


@dataclass
class Placed:
    """A block on a page with its vertical position, for interleaving; x edges for joining tables."""

    top: float
    bottom: float
    block: Block
    x_edges: list[float] = field(default_factory=list)


# ---------------------------------------------------------------- text layer


def _page_needs_ocr(page) -> bool:
    """No usable text layer: no characters, or mostly (cid:NN) glyphs without a Unicode mapping."""
    texts = [c["text"] for c in page.chars if c["text"].strip()]
    if len(texts) < MIN_PAGE_CHARS:
        return True
    garbage = sum(1 for t in texts if CID.fullmatch(t))
    return garbage / len(texts) > GARBAGE_SHARE


def _ocr_page(page) -> list[Placed] | None:
    """OCR hook: blocks for a page without a text layer, read by Tesseract (extract/ocr.py)."""
    return [Placed(p.top, p.bottom, p.block) for p in ocr_pdf_page(page.pdf.path, page.page_number)]


# ---------------------------------------------------------------- grid from cell boxes


def _cluster(values: list[float]) -> list[float]:
    """Distinct coordinates, values within EDGE_TOLERANCE of the previous one merged."""
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > EDGE_TOLERANCE:
            out.append(v)
    return out


def _index(edges: list[float], value: float) -> int:
    """The grid line nearest to a coordinate."""
    i = bisect.bisect_left(edges, value)
    candidates = [j for j in (i - 1, i) if 0 <= j < len(edges)]
    return min(candidates, key=lambda j: abs(edges[j] - value))


def lines_of(chars: list[dict]) -> list[dict]:
    """Text lines (text, x0, x1, top, bottom) of some characters, as pdfplumber groups them."""
    if not chars:
        return []
    return chars_to_textmap(chars).extract_text_lines(strip=True, return_chars=True)


def cell_text(chars: list[dict], x0: float, x1: float) -> str:
    """A cell's lines, joining lines the renderer wrapped at the cell's edge: a line is a wrap when
    it and the next line's first character would not fit in the cell's inner width together."""
    lines = [ln for ln in lines_of(chars) if ln["text"]]
    if not lines:
        return ""
    padding = max(min(min(ln["x0"] for ln in lines) - x0, CELL_PADDING_MAX), 0)
    inner = x1 - x0 - 2 * padding
    out = lines[0]["text"]
    for prev, line in zip(lines, lines[1:]):
        first = next(ch for ch in line["chars"] if ch["text"].strip())
        wrapped = prev["x1"] - prev["x0"] + (first["x1"] - first["x0"]) > inner + WRAP_TOLERANCE
        out += ("" if wrapped else "\n") + line["text"]
    return out


def build_grid(cell_boxes: list[tuple], chars: list[dict]) -> tuple[list[list[Cell]], list[float], list[float]]:
    """A rectangular grid from pdfplumber's cell boxes: distinct x and y edges make the grid, a box
    covering several grid cells becomes a span, covered positions point back to it."""
    xs = _cluster([b[0] for b in cell_boxes] + [b[2] for b in cell_boxes])
    ys = _cluster([b[1] for b in cell_boxes] + [b[3] for b in cell_boxes])
    n_rows, n_cols = max(len(ys) - 1, 1), max(len(xs) - 1, 1)
    boxes = []
    for box in cell_boxes:
        c0, c1 = _index(xs, box[0]), _index(xs, box[2])
        r0, r1 = _index(ys, box[1]), _index(ys, box[3])
        if c1 > c0 and r1 > r0:
            boxes.append((r0, c0, r1, c1, box))
    by_box: dict[tuple, list[dict]] = {id(b[4]): [] for b in boxes}
    spot = {(r, c): id(box) for r0, c0, r1, c1, box in boxes for r in range(r0, r1) for c in range(c0, c1)}
    for ch in chars:
        r = bisect.bisect_right(ys, (ch["top"] + ch["bottom"]) / 2) - 1
        c = bisect.bisect_right(xs, (ch["x0"] + ch["x1"]) / 2) - 1
        key = spot.get((r, c))
        if key is not None:
            by_box[key].append(ch)
    grid: list[list[Cell | None]] = [[None] * n_cols for _ in range(n_rows)]
    for r0, c0, r1, c1, box in boxes:
        if grid[r0][c0] is not None:
            continue  # overlapping boxes: the first wins
        grid[r0][c0] = Cell(cell_text(by_box[id(box)], box[0], box[2]), r0, c0, rowspan=r1 - r0, colspan=c1 - c0)
        for r in range(r0, r1):
            for c in range(c0, c1):
                if (r, c) != (r0, c0) and grid[r][c] is None:
                    grid[r][c] = Cell("", r, c, origin=(r0, c0))
    filled = [[cell or Cell("", r, c) for c, cell in enumerate(row)] for r, row in enumerate(grid)]
    return filled, xs, ys


# ---------------------------------------------------------------- one page


def _clearly_aligned(table) -> bool:
    """A text-strategy table worth keeping: at least 3 columns and 3 rows, most rows filled in 2+ cells."""
    rows = table.extract()
    if len(rows) < 3 or max((len(r) for r in rows), default=0) < 3:
        return False
    full = sum(1 for r in rows if sum(1 for c in r if c and c.strip()) >= 2)
    return full / len(rows) >= 0.8


def find_tables(page) -> list:
    tables = page.find_tables(RULED)
    if tables or page.lines or page.rects:
        return tables
    return [t for t in page.find_tables(ALIGNED) if _clearly_aligned(t)]


def _inside(ch: dict, bbox: tuple) -> bool:
    cx, cy = (ch["x0"] + ch["x1"]) / 2, (ch["top"] + ch["bottom"]) / 2
    return bbox[0] <= cx <= bbox[2] and bbox[1] <= cy <= bbox[3]


def read_page(page) -> list[Placed]:
    """Tables and the text lines outside them, top to bottom. Locations are filled in later."""
    placed = []
    chars = page.chars
    tables = find_tables(page)
    outside = chars
    for index, t in enumerate(sorted(tables, key=lambda t: t.bbox[1])):
        mine = [ch for ch in chars if _inside(ch, t.bbox)]
        grid, xs, _ = build_grid(t.cells, mine)
        location = Location(page=page.page_number, table=index)  # counts fragments joined to an earlier table
        table = Table(grid=grid, location=location, pages=[page.page_number])
        placed.append(Placed(t.bbox[1], t.bbox[3], table, xs))
        outside = [ch for ch in outside if not _inside(ch, t.bbox)]
    for line in lines_of(outside):
        if line["text"]:
            placed.append(Placed(line["top"], line["bottom"], Paragraph(line["text"], Location(page.page_number)),
                                 [line["x0"], line["x1"]]))
    placed.sort(key=lambda p: p.top)
    return _join_lines(placed, page.width)


def _join_lines(placed: list[Placed], page_width: float) -> list[Placed]:
    """Lines into paragraphs: a line joins the one before when that one ran to the right margin and the
    gap between them is under a line's height."""
    lines = [p for p in placed if isinstance(p.block, Paragraph)]
    right = max((p.x_edges[1] for p in lines), default=page_width)
    out: list[Placed] = []
    for p in placed:
        prev = out[-1] if out else None
        if (isinstance(p.block, Paragraph) and prev is not None and isinstance(prev.block, Paragraph)
                and p.top - prev.bottom < (p.bottom - p.top)
                and prev.x_edges[1] >= right - (p.bottom - p.top) * 1.5):
            prev.block.text += p.block.text
            prev.bottom, prev.x_edges = p.bottom, [prev.x_edges[0], p.x_edges[1]]
            continue
        out.append(p)
    return out


# ---------------------------------------------------------------- tables running on across pages


def _same_columns(table: list[float], more: list[float]) -> bool:
    """The continuation's column edges are the table's (a fragment may use fewer: merged columns)."""
    def near(x: float, edges: list[float]) -> bool:
        return any(abs(x - e) <= EDGE_TOLERANCE for e in edges)
    return (len(more) >= 2 and abs(table[0] - more[0]) <= EDGE_TOLERANCE
            and abs(table[-1] - more[-1]) <= EDGE_TOLERANCE and all(near(x, table) for x in more))


def _is_margin(p: Placed, height: float) -> bool:
    return isinstance(p.block, Paragraph) and (p.top > height * (1 - MARGIN_SHARE) or p.bottom < height * MARGIN_SHARE)


def join_continued(pages: list[tuple[float, list[Placed]]]) -> list[Placed]:
    """All blocks in order, a table that ends a page and one that starts the next with the same column
    edges joined into one (its repeated header row dropped). Margin lines (page numbers) do not count."""
    out: list[Placed] = []
    open_table: Placed | None = None  # the table that ended the previous page
    for height, placed in pages:
        body = [p for p in placed if not _is_margin(p, height)]
        joined = False
        for p in placed:
            if (body and p is body[0] and open_table is not None and isinstance(p.block, Table)
                    and _same_columns(open_table.x_edges, p.x_edges)):
                _append_rows(open_table.block, p.block)
                joined = True
                continue
            out.append(p)
        if body and isinstance(body[-1].block, Table):
            open_table = open_table if joined and len(body) == 1 else body[-1]
        else:
            open_table = None
    return out


def _append_rows(table: Table, more: Table) -> None:
    rows = more.grid
    if rows and table.grid and [c.norm for c in rows[0]] == [c.norm for c in table.grid[0]]:
        rows = rows[1:]  # the header repeated on the new page
    offset = table.n_rows - (more.n_rows - len(rows))
    for row in rows:
        for cell in row:
            cell.row += offset
            if cell.origin is not None:
                cell.origin = (cell.origin[0] + offset, cell.origin[1])
        table.grid.append(row)
    table.pages.extend(p for p in more.pages if p not in table.pages)


# ---------------------------------------------------------------- entry point


def open_pdf(path: str | Path):
    safety.check_regular_file(path)
    try:
        return pdfplumber.open(str(path))
    except PdfminerException as err:
        cause = err.args[0] if err.args else err
        if isinstance(cause, PDFPasswordIncorrect):
            raise ReadError("password-protected PDF: remove the password and rerun") from None
        raise ReadError(f"damaged PDF: {type(cause).__name__} {cause}".strip()[:200]) from None
    except (PSException, ValueError, KeyError, TypeError) as err:
        raise ReadError(f"damaged PDF: {type(err).__name__} {err}".strip()[:200]) from None


def read_pdf(path: str | Path, ocr: bool = False) -> Document:
    """Read a PDF. Pages without a text layer are OCR'd through _ocr_page when ocr=True; otherwise they are
    reported (Document.needs_ocr and a warning), and a PDF with no text on any page raises NeedsOCR."""
    doc = Document(source_path=str(path), format="pdf")
    pages: list[tuple[float, list[Placed]]] = []
    blank: list[int] = []
    with open_pdf(path) as pdf:
        doc.page_count = len(pdf.pages)
        for page in pdf.pages:
            if _page_needs_ocr(page):
                blocks = _ocr_page(page) if ocr else None
                if blocks is None:
                    blank.append(page.page_number)
                else:
                    doc.ocr_pages.append(page.page_number)
                    pages.append((float(page.height), blocks))
            else:
                pages.append((float(page.height), read_page(page)))
            page.close()  # frees pdfplumber's per-page caches
    if doc.page_count and len(blank) == doc.page_count:
        raise NeedsOCR(f"no text layer on any of {doc.page_count} pages; {ocr_hint()}")
    if blank:
        doc.needs_ocr = True
        doc.warnings.append(f"no text layer on page(s) {', '.join(map(str, blank))}: not read ({ocr_hint()})")
    _number(doc, join_continued(pages))
    return doc


def _number(doc: Document, placed: list[Placed]) -> None:
    """Paragraphs numbered through the document; tables keep their place among the tables of their page."""
    n_paragraphs = 0
    for p in placed:
        if isinstance(p.block, Paragraph):
            p.block.location = Location(page=p.block.location.page, paragraph=n_paragraphs)
            n_paragraphs += 1
        doc.blocks.append(p.block)
