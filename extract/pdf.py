""".pdf reader (pdfplumber): ruled tables per page with merged cells rebuilt from cell boxes, a text-aligned
fallback, tables running on across pages joined, paragraphs rebuilt from the lines outside tables."""
from __future__ import annotations

import bisect
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pdfplumber
from pdfminer.layout import LTChar, LTContainer
from pdfminer.pdfdocument import PDFPasswordIncorrect
from pdfminer.pdfinterp import PDFPageInterpreter
from pdfminer.psparser import PSException
from pdfplumber.table import TableFinder, cells_to_tables
from pdfplumber.utils.exceptions import PdfminerException
from pdfplumber.page import PDFPageAggregatorWithMarkedContent, fix_fontname_bytes
from pdfplumber.utils.text import chars_to_textmap, extract_words

from jixiao.extract import safety
from jixiao.extract.errors import NeedsOCR, ReadError
from jixiao.extract.pdf_content import FastInterpreter
from jixiao.extract.ocr import how_to_enable as ocr_hint  # `ocr` is read_pdf's engine choice
from jixiao.extract.ocr_engines import resolve as resolve_engine
from jixiao.extract.pdf_unruled import Columns, find_unruled, open_columns, stack_touching, whole_label
from jixiao.extract.grid import Span, build_grid, on_other_columns
from jixiao.extract.model import Block, Cell, Document, Location, Paragraph, Table

RULED = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}
WORD_GAP = 1.5  # points: characters further apart than this are separate words (columns of unruled tables)
EDGE_TOLERANCE = 2.0  # points: cell edges closer than this are the same grid line
CID = re.compile(r"\(cid:\d+\)")
GARBAGE_SHARE = 0.3  # a page whose characters are mostly (cid:NN) has no usable text layer
MIN_PAGE_CHARS = 5
MARGIN_SHARE = 0.1  # top/bottom tenth of a page: running headers, footers, page numbers
CELL_PADDING_MAX = 6.0  # points; LibreOffice and Word pad cells by ~5pt
WRAP_TOLERANCE = 1.0  # points
# No line starts with closing punctuation or ends with an opening bracket (CJK line-breaking rules).
CLOSING = set("，。、；：？！）》」』】〕”’%）,.;:?!)]}％")
OPENING = set("（《「『【〔“‘([{")
ROOM_FOR_LINE = 0.75  # a gap under a cell's last line smaller than this many line heights holds no more text
FULL_GAP = 4.5  # points between a cell's last line and its bottom edge when the text fills it (padding ~3)
# font sizes: a gap this wide between two characters of a line parts two columns (a space is ~0.3; two cells'
# paddings ~0.6); a line so parted is a table row laid out without rules, not a sentence
COLUMN_GAP = 0.55


@dataclass
class Placed:
    """A block on a page with its vertical position, for interleaving; x edges for joining tables."""

    top: float
    bottom: float
    block: Block
    x_edges: list[float] = field(default_factory=list)
    fragment: "Fragment | None" = None  # a table's cells with positions, until joined across pages


# ---------------------------------------------------------------- page objects


def parse_objects(page) -> dict[str, list[dict]]:
    """pdfplumber's `page.objects`, with characters converted cheaply: pdfplumber resolves every attribute
    and colour of every character (a quarter of its parsing time); no reader here looks at colours."""
    objects: dict[str, list[dict]] = {}
    chars = objects.setdefault("char", [])
    frame = (page.height + page.mediabox[1], page.initial_doctop, page.mediabox[0], page.page_number)
    for obj in _leaves(layout(page)._objs):
        if type(obj) is LTChar:
            chars.append(_char(obj, *frame))
        else:
            attr = page.process_object(obj)
            if attr["object_type"] != "anno":
                objects.setdefault(attr["object_type"], []).append(attr)
    if not chars:
        del objects["char"]
    return objects


def layout(page):
    """pdfplumber's `page.layout`, the content read by FastInterpreter (pdfminer's tokeniser is most of
    the parsing time). JIXIAO_PDF_TOKENIZER=pdfminer uses pdfminer's own interpreter: the escape hatch."""
    if not hasattr(page, "_layout"):
        device = PDFPageAggregatorWithMarkedContent(page.pdf.rsrcmgr, pageno=page.page_number,
                                                    laparams=page.pdf.laparams)
        interpreter = PDFPageInterpreter if os.environ.get("JIXIAO_PDF_TOKENIZER") == "pdfminer" else FastInterpreter
        try:
            interpreter(page.pdf.rsrcmgr, device).process_page(page.page_obj)
        except Exception as err:
            raise PdfminerException(err) from err
        page._layout = device.get_result()
    return page._layout


def _leaves(objs):
    """Layout objects without their containers (figures), as pdfplumber lists them without LAParams."""
    for obj in objs:
        if isinstance(obj, LTContainer):
            yield from _leaves(obj._objs)
        else:
            yield obj


def _char(obj: LTChar, top_of: float, doctop: float, x_shift: float, page_number: int) -> dict:
    """A character as pdfplumber describes it, less its colours and colour space."""
    fontname = obj.fontname
    if isinstance(fontname, bytes):  # rare byte-encoded font names
        fontname = fix_fontname_bytes(fontname)
    top, bottom = top_of - obj.y1, top_of - obj.y0
    return {"matrix": obj.matrix, "fontname": fontname, "adv": obj.adv, "upright": obj.upright,
            "x0": obj.x0 + x_shift, "y0": obj.y0, "x1": obj.x1 + x_shift, "y1": obj.y1, "width": obj.width,
            "height": obj.height, "size": obj.size, "mcid": obj.mcid, "tag": obj.tag, "object_type": "char",
            "page_number": page_number, "text": obj._text, "top": top, "bottom": bottom, "doctop": doctop + top}


# ---------------------------------------------------------------- text layer


def _page_needs_ocr(page) -> bool:
    """No usable text layer: no characters, or mostly (cid:NN) glyphs without a Unicode mapping."""
    texts = [c["text"] for c in page.chars if c["text"].strip()]
    if len(texts) < MIN_PAGE_CHARS:
        return True
    garbage = sum(1 for t in texts if CID.fullmatch(t))
    return garbage / len(texts) > GARBAGE_SHARE


def _ocr_pages(path: str | Path, numbers: list[int], choice: str, jobs: int,
               views: dict[int, tuple[int, float]]) -> dict[int, tuple[float, list[Placed]]]:
    """Pages without a text layer read by OCR (extract/ocr.py, extract/pdf_scan.py), `jobs` pages at a time
    (threads: onnxruntime and the tesseract process run outside the GIL): page -> (height, blocks); `views`
    gets each page's turn and deskew (Document.ocr_views)."""
    from concurrent.futures import ThreadPoolExecutor

    from jixiao.extract.ocr import ocr_pdf_page, require
    from jixiao.extract.pdf_scan import read_scanned  # it builds on this module: imported when needed

    require(choice)

    with ThreadPoolExecutor(max_workers=max(min(jobs, len(numbers)), 1)) as pool:
        scanned = dict(zip(numbers, pool.map(lambda number: ocr_pdf_page(path, number, choice), numbers)))
    out, unruled = {}, Unruled()  # in page order: an unruled table's columns run on to the next page
    for number, page in scanned.items():
        if number - 1 not in scanned:
            unruled.reset()
        views[number] = (page.turned, page.deskewed)
        out[number] = (page.height, read_scanned(page, number, unruled))
    return out


# ---------------------------------------------------------------- cells: lines and boxes


@dataclass
class Line:
    """A text line inside a cell, with what the wrap test needs."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    lead: float  # width of its first unbreakable run: what a wrapped line would have had to take along


def lines_of(chars: list[dict]) -> list[dict]:
    """Text lines (text, x0, x1, top, bottom) of some characters, as pdfplumber groups them."""
    if not chars:
        return []
    return chars_to_textmap(chars).extract_text_lines(strip=True, return_chars=True)


def _lead_width(chars: list[dict]) -> float:
    """Width of a line's first unbreakable run: one CJK character, with an opening bracket before it or
    closing punctuation after it; a run of Latin letters and digits."""
    visible = [ch for ch in chars if ch["text"].strip()]
    if not visible:
        return 0.0
    end = 1
    while end < len(visible):
        prev, ch = visible[end - 1]["text"], visible[end]["text"]
        if not (prev in OPENING or ch in CLOSING or (prev.isascii() and prev.isalnum() and ch.isascii() and ch.isalnum())):
            break
        end += 1
    return visible[end - 1]["x1"] - visible[0]["x0"]


def column_breaks(line: dict) -> tuple[int, ...]:
    """Offsets in a text line (lines_of) where a gap of COLUMN_GAP font sizes parts two characters: the
    columns of a table row without rules."""
    breaks, pos, before = [], 0, None
    for ch in line["chars"]:
        at = line["text"].find(ch["text"], pos)
        if at < 0 or not ch["text"].strip():
            continue
        if before is not None and ch["x0"] - before["x1"] >= COLUMN_GAP * before["size"]:
            breaks.append(at)
        pos, before = at + len(ch["text"]), ch
    return tuple(breaks)


def cell_lines(chars: list[dict]) -> list[Line]:
    out = []
    for ln in lines_of(chars):
        if ln["text"]:
            out.append(Line(ln["text"], ln["x0"], ln["x1"], ln["top"], ln["bottom"], _lead_width(ln["chars"])))
    return out


@dataclass
class Box:
    """A cell of a table fragment: grid position (end-exclusive), place on the page, lines of text."""

    r0: int
    c0: int
    r1: int
    c1: int
    x0: float
    x1: float
    top: float
    bottom: float
    lines: list[Line] = field(default_factory=list)
    page: int | None = None  # where the box was drawn: joining pages moves r0/r1 and bottom, never these
    bbox: tuple[float, float, float, float] | None = None
    estimated: bool = False  # an unruled table's box: a column's width, not the cell's, so wraps are not seen

    def inner_width(self) -> float:
        padding = max(min(min(ln.x0 for ln in self.lines) - self.x0, CELL_PADDING_MAX), 0)
        return self.x1 - self.x0 - 2 * padding

    def wraps(self, line: Line, following: Line) -> bool:
        """The renderer wrapped after `line`: it and the next line's first character would not fit together."""
        return line.x1 - line.x0 + following.lead > self.inner_width() + WRAP_TOLERANCE

    def text(self) -> str:
        """The lines joined, with a line break only where a line ended short of the cell's edge."""
        if not self.lines:
            return ""
        out = self.lines[0].text
        for prev, line in zip(self.lines, self.lines[1:]):
            split_number = self.estimated and prev.text[-1:].isdigit() and line.text[:1].isdigit()
            out += ("" if split_number or self.wraps(prev, line) else "\n") + line.text
        return out

    def runs_to_bottom(self) -> bool:
        """The last line touches the bottom edge (no room for another line below it, padding aside): the
        text may go on past a page break."""
        if not self.lines:
            return False
        last = self.lines[-1]
        return self.bottom - last.bottom <= max(FULL_GAP, ROOM_FOR_LINE * (last.bottom - last.top))

    def ends_full_width(self) -> bool:
        """The last line is as wide as the cell: it was cut, not ended by the writer."""
        return bool(self.lines) and self.wraps(self.lines[-1], self.lines[-1])

    def starts_low(self) -> bool:
        """The first line sits well below the top edge: text centred in a tall (often merged) cell."""
        return bool(self.lines) and self.lines[0].top - self.top > FULL_GAP


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


@dataclass
class Fragment:
    """The part of a table on one page (or several pieces joined): column edges, row count, cells."""

    xs: list[float]
    n_rows: int
    boxes: list[Box]
    row_cut: bool | None = None  # the first row goes on from the previous page's last: None = tell from the boxes
    header_only: bool = False  # an unruled header row whose body (and columns) come on the next page
    row_open: bool = False  # an unruled last row without its number: it goes on on the next page, or it is not a row

    def grid(self) -> list[list[Cell]]:
        """The rectangular grid: a box covering several positions becomes a span, covered positions
        point back to it; overlapping boxes: the first wins."""
        boxes = sorted(self.boxes, key=lambda b: (b.r0, b.c0))
        return build_grid((Span(b.r0, b.c0, b.text(), b.r1 - b.r0, b.c1 - b.c0, page=b.page, bbox=b.bbox)
                           for b in boxes), self.n_rows, max(len(self.xs) - 1, 1))

    def row(self, r: int) -> list[Box]:
        return sorted((b for b in self.boxes if b.r0 == r), key=lambda b: b.c0)

    def ending(self, r: int) -> dict[tuple[int, int], Box]:
        """Boxes whose last row is r, by column extent."""
        return {(b.c0, b.c1): b for b in self.boxes if b.r1 == r + 1}

    def widen(self, xs: list[float]) -> None:
        """Re-index columns onto a finer set of edges that contains this fragment's own."""
        for b in self.boxes:
            b.c0, b.c1 = _index(xs, self.xs[b.c0]), _index(xs, self.xs[b.c1])
        self.xs = xs

    def onto_columns(self, xs: list[float], spans: list[tuple[int, int]] | None = None) -> None:
        """A header row read without its body, its lines re-placed onto the columns the body gives (`spans`:
        the column ranges of the body's first row, whose cells a cut header row goes on in)."""
        lines = [ln for b in self.boxes for ln in b.lines]
        top, bottom, page = min(b.top for b in self.boxes), max(b.bottom for b in self.boxes), self.boxes[0].page
        self.boxes = []
        for c0, c1 in spans or [(c, c + 1) for c in range(len(xs) - 1)]:
            mine = sorted((ln for ln in lines if xs[c0] <= (ln.x0 + ln.x1) / 2 < xs[c1]), key=lambda ln: ln.top)
            self.boxes.append(Box(0, c0, 1, c1, xs[c0], xs[c1], top, bottom, mine, page=page,
                                  bbox=(round(xs[c0], 2), round(top, 2), round(xs[c1], 2), round(bottom, 2))))
        self.xs, self.header_only = xs, False

    def fold_last_row(self) -> None:
        """The last row, read as cut by the page break, does not go on on the next page: its lines are the last
        lines of the cells above (年度维护成本增加 / 率), not a row."""
        r = self.n_rows - 1
        if r < 1 or not all(_continues(b, self.boxes, r) for b in self.boxes if b.r0 == r and b.lines):
            return  # a row of its own (a template's spare row ……): it stays
        for b in [b for b in self.boxes if b.r0 == r]:
            above = next((a for a in self.boxes if a.r0 < r <= a.r1 and a.c0 <= b.c0 < a.c1), None)
            if above is not None:
                above.lines.extend(b.lines)
                above.bottom = b.bottom
        self.boxes = [b for b in self.boxes if b.r0 != r]
        for b in self.boxes:
            b.r1 = min(b.r1, r)
        self.n_rows, self.row_open = r, False

    def drop_first_row(self) -> None:
        self.boxes = [b for b in self.boxes if b.r0 > 0]
        for b in self.boxes:
            b.r0, b.r1 = b.r0 - 1, b.r1 - 1
        self.n_rows -= 1


def _continues(box: Box, boxes: list[Box], r: int) -> bool:
    """The box's first line follows the last line of the cell above it as a cell's next line does."""
    above = next((a for a in boxes if a.r0 < r <= a.r1 and a.c0 <= box.c0 < a.c1 and a.lines), None)
    if above is None:
        return False
    first, last = box.lines[0], above.lines[-1]
    return 0 <= first.top - last.bottom <= ROOM_FOR_LINE * (first.bottom - first.top)


def char_centre(ch: dict) -> tuple[float, float]:
    return (ch["x0"] + ch["x1"]) / 2, (ch["top"] + ch["bottom"]) / 2


def build_fragment(cell_boxes: list[tuple], items: list, page: int | None = None, *, box_class: type[Box] = Box,
                   centre: Callable[[Any], tuple[float, float]] = char_centre,
                   to_lines: Callable[[list], list[Line]] = cell_lines) -> Fragment:
    """A fragment from a table's cell boxes: distinct x and y edges make the grid, each item (a pdfplumber
    character, or an OCR piece: extract/pdf_scan.py) goes to the box under its centre, and each box's items
    become its text lines."""
    xs = _cluster([b[0] for b in cell_boxes] + [b[2] for b in cell_boxes])
    ys = _cluster([b[1] for b in cell_boxes] + [b[3] for b in cell_boxes])
    boxes: list[Box] = []
    for x0, top, x1, bottom in cell_boxes:
        c0, c1 = _index(xs, x0), _index(xs, x1)
        r0, r1 = _index(ys, top), _index(ys, bottom)
        if c1 > c0 and r1 > r0:
            boxes.append(box_class(r0, c0, r1, c1, x0, x1, top, bottom, page=page,
                                   bbox=(round(x0, 2), round(top, 2), round(x1, 2), round(bottom, 2))))
    spot = {(r, c): b for b in boxes for r in range(b.r0, b.r1) for c in range(b.c0, b.c1)}
    mine: dict[int, list] = {id(b): [] for b in boxes}
    for item in items:
        x, y = centre(item)
        box = spot.get((bisect.bisect_right(ys, y) - 1, bisect.bisect_right(xs, x) - 1))
        if box is not None:
            mine[id(box)].append(item)
    for b in boxes:
        b.lines = to_lines(mine[id(b)])
    return Fragment(xs, max(len(ys) - 1, 1), boxes)


# ---------------------------------------------------------------- one page


def _bbox(cells: list[tuple]) -> tuple:
    return (min(c[0] for c in cells), min(c[1] for c in cells), max(c[2] for c in cells), max(c[3] for c in cells))


def _union(a: tuple | None, b: tuple | None) -> tuple | None:
    if a is None or b is None:
        return a or b
    return (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))


def _contains(outer: tuple, inner: tuple) -> bool:
    return outer[0] <= inner[0] and outer[1] <= inner[1] and inner[2] <= outer[2] and inner[3] <= outer[3]


@dataclass
class Unruled:
    """Across pages: the columns of the unruled table that ran to the end of the previous page."""

    columns: Columns | None = None
    cut_first: dict[tuple, bool] = field(default_factory=dict)  # this page's tables by bbox: first row cut?
    cut_last: set[tuple] = field(default_factory=set)  # this page's tables whose last row has no number, by bbox
    header_only: set[tuple] = field(default_factory=set)  # this page's bodiless header rows, by bbox

    def mark(self, fragment: Fragment, bbox: tuple) -> None:
        """What the unruled reader knows of a region's fragment: its first row cut, a header alone, a last row
        without its number; its boxes have a column's width, not the cell's."""
        if bbox in self.cut_first:
            fragment.row_cut = self.cut_first[bbox]
            fragment.header_only = bbox in self.header_only
            fragment.row_open = bbox in self.cut_last
            for box in fragment.boxes:
                box.estimated = True

    def reset(self) -> None:
        """A page with ruled tables (or not read by alignment): no unruled table runs on over it."""
        self.columns, self.cut_first, self.header_only, self.cut_last = None, {}, set(), set()


def unruled_regions(page, state: Unruled) -> list[tuple[tuple, list[tuple]]]:
    """Tables of a page without any rule, from its words (extract/pdf_unruled.py)."""
    return regions_of_words(extract_words(page.chars, x_tolerance=WORD_GAP, keep_blank_chars=False),
                            float(page.width), state)


def regions_of_words(words: list[dict], width: float, state: Unruled) -> list[tuple[tuple, list[tuple]]]:
    """(bbox, cell boxes) of the unruled tables of a page's words (dicts x0, x1, top, bottom, text in points:
    a text layer's words or OCR'd pieces, extract/pdf_scan.py), touching tables stacked into one region;
    `state` carries the open columns to the next page and marks regions whose first row is cut."""
    left = min((w["x0"] for w in words), default=0.0)
    right = max((w["x1"] for w in words), default=width)
    tables = find_unruled(words, left, right, state.columns)
    state.columns = open_columns(tables, words)
    regions = [(_bbox(cells), cells) for cells in stack_touching(tables)]
    state.cut_first = {bbox: any(t.cut_first and _bbox(t.cells)[1] == bbox[1] for t in tables) for bbox, _ in regions}
    state.header_only = {bbox for bbox, cells in regions if any(t.header_only and t.cells == cells for t in tables)}
    state.cut_last = {bbox for bbox, _ in regions if tables[-1].cut_last and bbox[3] == _bbox(tables[-1].cells)[3]}
    return regions


def find_regions(page, unruled: Unruled | None = None) -> list[tuple[tuple, list[tuple]]]:
    """(bbox, cell boxes) of each table on a page, top to bottom: ruled tables, and single ruled boxes
    with text in them (a framed block is a one-cell table in Word; so is the last row of a table running
    on); on a page without rules, tables from the alignment of the words."""
    finder = TableFinder(page, RULED)
    groups = cells_to_tables(finder.cells)
    grouped = {cell for g in groups for cell in g}
    bboxes = [_bbox(g) for g in groups]
    singles = [[c] for c in finder.cells if c not in grouped and not any(_contains(c, b) for b in bboxes)
               and any(_inside(ch, c) for ch in page.chars)]
    regions = [(_bbox(g), g) for g in groups + singles]
    if not regions and not page.lines and not page.rects:
        regions = unruled_regions(page, unruled if unruled is not None else Unruled())
    elif unruled is not None:
        unruled.reset()
    return sorted(regions, key=lambda r: r[0][1])


def _inside(ch: dict, bbox: tuple) -> bool:
    cx, cy = (ch["x0"] + ch["x1"]) / 2, (ch["top"] + ch["bottom"]) / 2
    return bbox[0] <= cx <= bbox[2] and bbox[1] <= cy <= bbox[3]


def _row_text(cells: list[tuple], chars: list[dict]) -> tuple[str, ...]:
    """The texts of one band of cells, left to right, without spaces: enough to recognise a header row."""
    return tuple("".join(ch["text"] for ch in chars if _inside(ch, c)).replace(" ", "")
                 for c in sorted(cells, key=lambda c: c[0]))


def split_stacked(cells: list[tuple], chars: list[dict]) -> list[list[tuple]]:
    """One ruled region cut where another table starts: tables stacked without a gap (the page pieces of a
    converted report, each with its own column widths) touch, and pdfplumber sees one table whose columns
    are the union of all. A cut is made only at a line no cell crosses, where the row below repeats the
    region's first row (a header) or sets its cells on other columns than the row above."""
    tops = _cluster([c[1] for c in cells])
    bands = [[c for c in cells if abs(c[1] - top) <= EDGE_TOLERANCE] for top in tops]
    first = _row_text(bands[0], chars) if bands else ()
    parts: list[list[tuple]] = [[]]
    for top, band in zip(tops, bands):
        clean = all(c[3] <= top + EDGE_TOLERANCE or c[1] >= top - EDGE_TOLERANCE for c in cells)
        above = [c[0] for c in parts[-1] if abs(c[3] - top) <= EDGE_TOLERANCE]  # left edges of the row above
        if parts[-1] and clean and (on_other_columns(above, [c[0] for c in band], EDGE_TOLERANCE) or (
                sum(1 for t in first if t) >= 3 and _row_text(band, chars) == first)):
            parts.append([])
        parts[-1].extend(band)
    return parts


def read_page(page, unruled: Unruled | None = None) -> list[Placed]:
    """Tables and the text lines outside them, top to bottom. Locations are filled in later. `unruled`
    carries an unruled table's columns from page to page."""
    placed = []
    chars = page.chars
    outside = chars
    index = 0
    for bbox, region in find_regions(page, unruled):
        mine = [ch for ch in chars if _inside(ch, bbox)]
        aligned = unruled is not None and bbox in unruled.cut_first  # tables the unruled reader built and stacked
        for cells in [region] if aligned else split_stacked(region, mine):
            box = _bbox(cells)
            fragment = build_fragment(cells, [ch for ch in mine if _inside(ch, box)], page.page_number)
            if aligned:  # the unruled reader knows where rows are cut
                unruled.mark(fragment, bbox)
            location = Location(page=page.page_number, table=index)  # counts fragments joined to an earlier table
            table = Table(grid=fragment.grid(), location=location, pages=[page.page_number], from_alignment=aligned)
            placed.append(Placed(box[1], box[3], table, fragment.xs, fragment))
            index += 1
        outside = [ch for ch in outside if not _inside(ch, bbox)]
    for line in lines_of(outside):
        if line["text"]:
            box = (round(line["x0"], 2), round(line["top"], 2), round(line["x1"], 2), round(line["bottom"], 2))
            placed.append(Placed(line["top"], line["bottom"],
                                 Paragraph(line["text"], Location(page.page_number), bbox=box,
                                           column_breaks=column_breaks(line)),
                                 [line["x0"], line["x1"]]))
    placed.sort(key=lambda p: p.top)
    return _join_lines(placed, page.width)


def _join_lines(placed: list[Placed], page_width: float) -> list[Placed]:
    """Lines into paragraphs: a line joins the one before when that one ran to the right margin and the
    gap between them is under a line's height. The right margin mirrors the left one (or is the widest
    line's end): on a page of short lines, none of them reaches it."""
    lines = [p for p in placed if isinstance(p.block, Paragraph)]
    left = min((p.x_edges[0] for p in lines), default=0.0)
    right: dict[float, float] = {}  # by line height: text in another size (a table's, unread) has its own width
    for p in lines:
        size = _size(p)
        right[size] = max(right.get(size, page_width - left), p.x_edges[1])
    out: list[Placed] = []
    last_size = 0.0  # of the last line of out[-1]
    for p in placed:
        prev = out[-1] if out else None
        size = _size(p) if isinstance(p.block, Paragraph) else 0.0
        if (size and prev is not None and isinstance(prev.block, Paragraph)
                and p.top - prev.bottom < (p.bottom - p.top)
                and prev.x_edges[1] >= right[last_size] - (p.bottom - p.top) * 1.5):
            prev.block.column_breaks += tuple(len(prev.block.text) + at for at in p.block.column_breaks)
            prev.block.text += p.block.text
            prev.block.bbox = _union(prev.block.bbox, p.block.bbox)
            prev.bottom, prev.x_edges = p.bottom, [prev.x_edges[0], p.x_edges[1]]
        else:
            out.append(p)
        last_size = size
    return out


def _size(p: Placed) -> float:
    """A text line's height to the half point: lines of one font size."""
    return round((p.bottom - p.top) * 2) / 2


# ---------------------------------------------------------------- tables running on across pages


def _near(x: float, edges: list[float]) -> bool:
    return any(abs(x - e) <= EDGE_TOLERANCE for e in edges)


def same_columns(table: list[float], more: list[float]) -> bool:
    """Same outer edges, and one fragment's column edges are among the other's: a fragment may lack
    the edges its rows do not need (a merged first column, a row spanning the middle columns)."""
    return (len(table) >= 2 and len(more) >= 2
            and abs(table[0] - more[0]) <= EDGE_TOLERANCE and abs(table[-1] - more[-1]) <= EDGE_TOLERANCE
            and (all(_near(x, table) for x in more) or all(_near(x, more) for x in table)))


def _is_margin(p: Placed, height: float) -> bool:
    return isinstance(p.block, Paragraph) and (p.top > height * (1 - MARGIN_SHARE) or p.bottom < height * MARGIN_SHARE)


def _joinable(table: Placed | None, more: Placed) -> bool:
    return (table is not None and table.fragment is not None and more.fragment is not None
            and (same_columns(table.fragment.xs, more.fragment.xs) or table.fragment.header_only))


def join_continued(pages: list[tuple[float, list[Placed]]]) -> list[Placed]:
    """All blocks in order, a table that ends a page and one that starts the next with compatible column
    edges joined into one (a repeated header row dropped, a row cut by the page break put back together).
    Margin lines (page numbers) between them do not count."""
    out: list[Placed] = []
    open_table: Placed | None = None  # the table that ended the previous page
    for height, placed in pages:
        body = [p for p in placed if not _is_margin(p, height)]
        first = body[0] if body else None
        joined = first is not None and _joinable(open_table, first)
        if open_table is not None and open_table.fragment.row_open:  # folded, a cut first row goes on the row above
            open_table.fragment.fold_last_row()
        if joined:
            join_fragments(open_table, first)
        out.extend(p for p in placed if not (joined and p is first))
        if body and body[-1].fragment is not None:
            open_table = open_table if joined and len(body) == 1 else body[-1]
        else:
            open_table = None
    if open_table is not None and open_table.fragment.row_open:
        open_table.fragment.fold_last_row()
    for p in out:
        if p.fragment is not None:
            p.block.grid = p.fragment.grid()
    return out


def join_fragments(table: Placed, more: Placed) -> None:
    """Append the next page's fragment to a table: columns brought onto common edges, a repeated header
    dropped, the first row merged into the last when the page break cut it, merged cells carried on."""
    a, b = table.fragment, more.fragment
    header = a.header_only  # a header row alone: its cells end there (a cut one's tails come as a row of their own)
    if a.header_only:
        a.onto_columns(b.xs, [(box.c0, box.c1) for box in b.row(0)] if b.row_cut else
                       _first_row_spans(a, b) if b.row_cut is not None else None)
    xs = _cluster(a.xs + b.xs)
    a.widen(xs)
    b.widen(xs)
    if _row_texts(b, 0) == _row_texts(a, 0):
        b.drop_first_row()  # the header repeated on the new page
    cut = b.row_cut if b.row_cut is not None else row_runs_on(a, b)
    offset = a.n_rows - 1 if cut else a.n_rows
    last = a.ending(a.n_rows - 1)
    first = {id(box) for box in b.row(0)}
    for box in b.boxes:
        above = last.get((box.c0, box.c1)) if id(box) in first else None
        box.r0, box.r1 = box.r0 + offset, box.r1 + offset
        if above is not None and (cut or (not header and cell_runs_on(above, box))
                                  or (b.row_cut is not None and label_runs_on(above, box))):
            above.r1, above.bottom = box.r1, box.bottom
            above.lines.extend(box.lines)
            continue
        a.boxes.append(box)
    a.n_rows, a.row_open = offset + b.n_rows, b.row_open
    table.block.pages.extend(p for p in more.block.pages if p not in table.block.pages)


def _first_row_spans(a: Fragment, b: Fragment) -> list[tuple[int, int]] | None:
    """Column ranges for a header row read alone at a page foot (`a`): those of the body's first row, whose
    cells span the columns their text needs (77.87% over two of the finer columns a stacked page gives,
    （20分） under 预算执行情况（万元）, label_runs_on), split where two header labels stand in one of them."""
    xs = b.xs
    centres = [(ln.x0 + ln.x1) / 2 for box in a.boxes for ln in box.lines]
    spans = []
    for box in b.row(0):
        inside = {bisect.bisect_right(xs, x) for x in centres if xs[box.c0] <= x < xs[box.c1]}
        spans += [(c, c + 1) for c in range(box.c0, box.c1)] if len(inside) > 1 else [(box.c0, box.c1)]
    tiled = [c0 for c0, _ in spans] == [0] + [c1 for _, c1 in spans[:-1]] and spans[-1][1] == len(xs) - 1
    return spans if spans and tiled else None


def _row_texts(fragment: Fragment, r: int) -> list[tuple[int, int, str]]:
    return [(b.c0, b.c1, b.text()) for b in fragment.row(r)]


def row_runs_on(a: Fragment, b: Fragment) -> bool:
    """The page break cut the last row of `a` in two: every cell that goes on in `b`'s first row sits
    under a cell whose text ran to the bottom of the page, and either both rows are one cell across the
    table, or some cell finished on the previous page (its continuation is empty) and the cut shows (a last
    line as wide as its cell, or a single cell going on)."""
    last = a.ending(a.n_rows - 1)
    pairs = [(last.get((box.c0, box.c1)), box) for box in b.row(0)]
    if not pairs or any(above is None for above, _ in pairs):
        return False
    going_on = [(above, box) for above, box in pairs if box.lines]
    if not going_on or not all(above.runs_to_bottom() for above, _ in going_on):
        return False
    if len(pairs) == 1 and pairs[0][1].c1 - pairs[0][1].c0 == len(b.xs) - 1:
        return True  # one cell across the table on both sides: nothing else to tell, and rows do split
    finished = any(not box.lines and above.lines and above.r1 - above.r0 == 1 for above, box in pairs)
    cut = len(going_on) == 1 or any(above.ends_full_width() for above, _ in going_on)
    return finished and cut


def label_runs_on(above: Box, box: Box) -> bool:
    """Unruled tables: a cell starting with a bracketed tail (（15分）) under a label ends that label; so does a
    cell that completes a label (指标（16分）, 意度指标) under one the page break cut (满意度, 服务对象满 in the last
    row of the page before: a box's bottom there is an estimate, so where its text ends tells nothing)."""
    if not (box.lines and above.lines):
        return False
    return box.lines[0].text[:1] in ("（", "(") or (not whole_label(above.text()) and whole_label(box.text()))


def cell_runs_on(above: Box, box: Box) -> bool:
    """A merged cell carried over the page break: an empty cell under a merged one, or text that goes on
    from a cell cut at full width into a cell that is merged or has its text centred lower down."""
    if not box.lines:
        return above.r1 - above.r0 > 1
    return (above.runs_to_bottom() and above.ends_full_width()
            and (box.r1 - box.r0 > 1 or box.starts_low()))


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


def read_pdf(path: str | Path, ocr: str = "auto", ocr_jobs: int = 1) -> Document:
    """Read a PDF. Pages without a usable text layer are OCR'd by the engine `ocr` names (auto: the best one
    installed; off: none), `ocr_jobs` at a time; without an engine they are reported (Document.needs_ocr and
    a warning), and a PDF with no text on any page raises NeedsOCR."""
    doc = Document(source_path=str(path), format="pdf")
    pages: list[tuple[float, list[Placed]] | int] = []  # a page number stands for a page still to OCR
    unruled = Unruled()
    with open_pdf(path) as pdf:
        doc.page_count = len(pdf.pages)
        for page in pdf.pages:
            page._objects = parse_objects(page)  # before anything reads page.chars
            if _page_needs_ocr(page):
                pages.append(page.page_number)
            else:
                pages.append((float(page.height), read_page(page, unruled)))
            page.close()  # frees pdfplumber's per-page caches
    blank = [p for p in pages if isinstance(p, int)]
    if blank and resolve_engine(ocr) is not None:
        read = _ocr_pages(path, blank, ocr, ocr_jobs, doc.ocr_views)
        if len(blank) == doc.page_count and not any(blocks for _, blocks in read.values()):
            raise ReadError(f"no text on any of {doc.page_count} pages, also after OCR ({resolve_engine(ocr)})")
        doc.ocr_pages = blank
        pages, blank = [read[p] if isinstance(p, int) else p for p in pages], []
    if doc.page_count and len(blank) == doc.page_count:
        raise NeedsOCR(f"no text layer on any of {doc.page_count} pages; {ocr_hint(ocr)}")
    if blank:
        doc.needs_ocr = True
        doc.warnings.append(f"no text layer on page(s) {', '.join(map(str, blank))}: not read ({ocr_hint(ocr)})")
    _number(doc, join_continued([p for p in pages if not isinstance(p, int)]))
    return doc


def _number(doc: Document, placed: list[Placed]) -> None:
    """Paragraphs numbered through the document; tables keep their place among the tables of their page."""
    n_paragraphs = 0
    for p in placed:
        if isinstance(p.block, Paragraph):
            p.block.location = Location(page=p.block.location.page, paragraph=n_paragraphs)
            n_paragraphs += 1
        doc.blocks.append(p.block)
