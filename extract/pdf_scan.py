"""A page read by OCR (extract/ocr.py's ScannedPage) turned into the PDF reader's placed blocks: each table's
cell boxes become a Fragment whose boxes hold the text lines read inside them, the rest becomes paragraph
lines; from there the text layer's own rules apply (line wrapping inside cells, tables running on across
pages, lines joined into paragraphs). OCR'd lines never break a number: '1,250,0' over '00元' is one value."""
from __future__ import annotations

import re
from statistics import median

from jixiao.extract.model import Location, Paragraph, Table
from jixiao.extract.ocr import ScannedPage
from jixiao.extract.ocr_engines import Piece
from jixiao.extract.pdf import (Box, Line, Placed, Unruled, _bbox, _join_lines, build_fragment,
                                 regions_of_words)

_NUMBER_END = re.compile(r"[\d][\d,.]*$|[\d][,.]$")
_NUMBER_START = re.compile(r"^[\d,.]*\d")


def _wide(ch: str) -> bool:
    """CJK characters and full-width punctuation take two columns."""
    return ord(ch) >= 0x2E80


class ScanBox(Box):
    """A cell box of an OCR'd table. Positions come from pixels, not from font metrics: a line counts as
    wrapped when it reaches within a character of the cell's edge, and a number cut over two lines (the
    line ends in a digit, comma or point and the next starts with a digit) is always joined back."""

    def wraps(self, line: Line, following: Line) -> bool:
        if _NUMBER_END.search(line.text) and _NUMBER_START.match(following.text):
            return line.x1 >= self.x0 + (self.x1 - self.x0) / 2  # a cut number, not a short value over another
        slack = line.bottom - line.top  # about one character
        return line.x1 - line.x0 + following.lead > self.inner_width() - slack


def _units(text: str) -> int:
    return sum(2 if _wide(ch) else 1 for ch in text)


def to_line(pieces: list[Piece]) -> Line:
    """Pieces on one line, left to right, as one Line: CJK text runs together; other pieces get a space
    where the gap between them is wider than a third of the line's height."""
    pieces = sorted(pieces, key=lambda p: p.x0)
    height = median(p.bottom - p.top for p in pieces)
    text, right = "", None
    for p in pieces:
        if text and right is not None and p.x0 - right > height / 3 and not (_wide(text[-1]) or _wide(p.text[0])):
            text += " "
        text += p.text
        right = p.x1
    x0, x1 = pieces[0].x0, max(p.x1 for p in pieces)
    unit = (x1 - x0) / max(_units(text), 1)
    lead = _units(re.match(r"[A-Za-z0-9]+|.", text).group()) * unit
    return Line(text, x0, x1, min(p.top for p in pieces), max(p.bottom for p in pieces), lead)


def group_lines(pieces: list[Piece]) -> list[Line]:
    """Pieces grouped into lines, top to bottom: a piece joins a line when its middle lies within the line's
    height."""
    rows: list[list[Piece]] = []
    for p in sorted(pieces, key=lambda p: p.cy):
        row = rows[-1] if rows else None
        if row and min(q.top for q in row) <= p.cy <= max(q.bottom for q in row):
            row.append(p)
        else:
            rows.append([p])
    return [to_line(row) for row in rows]


def _piece_centre(p: Piece) -> tuple[float, float]:
    return p.cx, p.cy


def _inside(p: Piece, bbox: tuple) -> bool:
    return bbox[0] <= p.cx <= bbox[2] and bbox[1] <= p.cy <= bbox[3]


def mean_conf(pieces: list[Piece]) -> float | None:
    confs = [p.conf for p in pieces if p.conf >= 0]
    return round(sum(confs) / len(confs), 1) if confs else None


def as_word(p: Piece) -> dict:
    """A piece as the unruled reader's word (extract/pdf_unruled.py): its text and box in points."""
    return {"text": p.text, "x0": p.x0, "x1": p.x1, "top": p.top, "bottom": p.bottom}


def regions(page: ScannedPage, unruled: Unruled) -> list[tuple[tuple, list[tuple]]]:
    """(bbox, cell boxes) of each table: from the image's ruling lines, or on a page without any, from the
    alignment of the text pieces as the text layer's unruled tables are read (pdf.regions_of_words)."""
    if page.tables:
        unruled.reset()
        return [(_bbox(cells), cells) for cells in page.tables]
    return regions_of_words([as_word(p) for p in page.pieces], page.width, unruled)


def read_scanned(page: ScannedPage, page_number: int, unruled: Unruled | None = None) -> list[Placed]:
    """Tables and the text lines outside them, top to bottom, as read_page gives them for a text layer.
    `unruled` carries an unruled table's columns from page to page."""
    unruled = unruled if unruled is not None else Unruled()
    placed = []
    outside = page.pieces
    for index, (bbox, cells) in enumerate(regions(page, unruled)):
        mine = [p for p in page.pieces if _inside(p, bbox)]
        fragment = build_fragment(cells, mine, page_number, box_class=ScanBox, centre=_piece_centre,
                                  to_lines=group_lines)
        unruled.mark(fragment, bbox)
        table = Table(grid=fragment.grid(), location=Location(page=page_number, table=index), pages=[page_number],
                      ocr_confidence=mean_conf(mine), from_alignment=bbox in unruled.cut_first)
        placed.append(Placed(bbox[1], bbox[3], table, fragment.xs, fragment))
        outside = [p for p in outside if not _inside(p, bbox)]
    for line in group_lines(outside):
        box = (round(line.x0, 2), round(line.top, 2), round(line.x1, 2), round(line.bottom, 2))
        placed.append(Placed(line.top, line.bottom, Paragraph(line.text, Location(page_number), bbox=box),
                             [line.x0, line.x1]))
    placed.sort(key=lambda p: p.top)
    joined = _join_lines(placed, page.width)
    for p in joined:
        if isinstance(p.block, Paragraph):
            p.block.ocr_confidence = page.confidence
    return joined
