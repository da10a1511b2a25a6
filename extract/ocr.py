"""OCR of scanned pages. A page image is straightened (extract/scan_image.py), its ruled tables are found
from the image's ruling lines, and an engine (extract/ocr_engines.py: RapidOCR by default, Tesseract
selectable) reads its text as pieces with boxes. Out comes a ScannedPage in PDF points (origin top-left of
the upright page): the cell boxes of each table and the text pieces; extract/pdf_scan.py turns it into the
same tables and paragraphs a text layer gives, through the PDF reader's own cell and paragraph rules."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from jixiao.extract import ocr_engines
from jixiao.extract.errors import NeedsOCR
from jixiao.extract.ocr_engines import Piece

DPI = 200  # pages are rendered at their scan's resolution, at most MAX_DPI; vector pages at DPI
MAX_DPI = 300
BOUNDARY_TOLERANCE = 6  # pixels around a rule's centre searched for its ink (rules are 1-6 px thick)
PAD = 3  # pixels of paper kept around a text piece cut out for recognition
MISSED_HEIGHT = (0.5, 1.5)  # line heights: ink outside detected lines this high is read too (a lone digit)
DOT = 0.3  # line heights: a row of at least 3 marks this small outside detected lines is read too (a "……" cell)
AREA_MARGIN = 0.5  # inches of paper kept around the text for detection
COLUMN_GAP = 1.0  # line heights of white inside a detected line that part two columns of an unruled table


def how_to_enable(choice: str = "auto") -> str:
    """What a user does to read pages without a text layer (the fix part of a needs_ocr message)."""
    return ocr_engines.why_not(choice)


def require(choice: str) -> str:
    """The engine for `choice`, or NeedsOCR saying why there is none."""
    name = ocr_engines.resolve(choice)
    if name is None:
        raise NeedsOCR(f"no text layer and {ocr_engines.why_not(choice)}")
    return name


# ---------------------------------------------------------------- entry points


@dataclass
class ScannedPage:
    """What OCR read on one page, in PDF points of the upright page (origin top-left)."""

    width: float
    height: float
    tables: list[list[tuple[float, float, float, float]]]  # each table's cell boxes (x0, top, x1, bottom)
    pieces: list[Piece]
    engine: str
    turned: int = 0  # degrees the page was turned anticlockwise to stand upright
    deskewed: float = 0.0  # degrees of skew taken out
    seconds: float = 0.0  # time spent reading the page (bench)
    confidence: float | None = None  # mean piece confidence, 0-100


def page_image(path: str | Path, page: int):
    """A PDF page as an image, and its resolution: a page that is one scanned image renders at that image's
    resolution (capped at MAX_DPI), any other at DPI; in colour, so a red seal can be told from text."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        p = pdf[page - 1]
        images = [o for o in p.get_objects() if o.type == pdfium.raw.FPDF_PAGEOBJ_IMAGE]
        dpi = DPI
        if len(images) == 1:
            left, bottom, right, top = images[0].get_bounds()
            shown = max(right - left, top - bottom) / 72  # inches along the image's longer side
            if shown:
                dpi = min(max(max(images[0].get_px_size()) / shown, 100), MAX_DPI)
        image = p.render(scale=dpi / 72, grayscale=False).to_pil()
    finally:
        pdf.close()
    return image, dpi


def ocr_pdf_page(path: str | Path, page: int, choice: str = "auto") -> ScannedPage:
    """One page (1-based) of a PDF read by OCR with the engine `choice` stands for."""
    name = require(choice)
    image, dpi = page_image(path, page)
    return ocr_image(image, dpi, name)


def ocr_image(image, dpi: float, name: str) -> ScannedPage:
    """A page image (PIL) read by engine `name`: straightened, tables found, text read, boxes in points."""
    import time

    import cv2

    from jixiao.extract import scan_image

    started = time.perf_counter()
    engine = ocr_engines.engine(name)
    up = scan_image.straighten(scan_image.grey_of(image), dpi,
                               lambda grey, ink, masks: engine.upside_down(grey, line_boxes(ink, dpi, masks)))
    horizontal, vertical = up.horizontal, up.vertical
    grids = find_grids(Rules(_bands(horizontal > 0), _bands((vertical > 0).T)))
    rules = cv2.dilate(cv2.bitwise_or(horizontal, vertical), np.ones((3, 3), np.uint8))
    clean = up.grey.copy()
    clean[rules > 0] = 255  # rules erased: engines read cells better without them
    text_ink = cv2.subtract(up.ink, rules)
    if name == "rapidocr":
        lines = engine.lines(up.grey, dpi, inked_area(text_ink, dpi))
        boxes = [b for box in lines for b in split_at_rules(box, vertical, text_ink)]
        if not grids:  # columns by alignment (extract/pdf_unruled.py): a line detected across two columns is cut
            boxes = [b for box in boxes for b in split_at_gaps(box, text_ink)]
        boxes += missed_ink(boxes, text_ink)
        pieces = engine.pieces(clean, dpi, boxes)
    else:
        cells = [b for grid in grids for b in ink_boxes(cell_boxes(grid), text_ink)]
        outside = clean.copy()
        for grid in grids:
            outside[int(grid.ys[0]):int(grid.ys[-1]) + 1, int(grid.xs[0]):int(grid.xs[-1]) + 1] = 255
        pieces = engine.read_cells(clean, cells, gap=max(int(dpi) // 6, 10))
        pieces += [p for p in engine.words(outside) if _has_ink(p, text_ink)]
    to_points = 72 / dpi
    h, w = up.grey.shape
    tables = [[tuple(v * to_points for v in box) for box in cell_boxes(grid)] for grid in grids]
    pad = PAD if name == "rapidocr" else 0  # its pieces were cut out with paper around their ink: boxes of the ink,
    # as a text layer's glyphs (line gaps and cell fill are measured on them)
    scaled = [Piece(p.text, p.conf, (p.x0 + pad) * to_points, (p.top + pad) * to_points, (p.x1 - pad) * to_points,
                    (p.bottom - pad) * to_points) for p in pieces]
    confs = [p.conf for p in pieces if p.conf >= 0]
    return ScannedPage(w * to_points, h * to_points, tables, scaled, name, up.turned, up.deskewed,
                       time.perf_counter() - started, round(sum(confs) / len(confs), 1) if confs else None)


# ---------------------------------------------------------------- text pieces


def line_boxes(ink: np.ndarray, dpi: float, masks=None) -> list[tuple[int, int, int, int]]:
    """Boxes (x0, top, x1, bottom) of long text lines, for telling which way up the page is."""
    import cv2

    from jixiao.extract.scan_image import text_lines

    n, _, stats, _ = cv2.connectedComponentsWithStats(text_lines(ink, dpi, masks=masks), connectivity=8)
    boxes = [(x, y, x + w, y + h) for x, y, w, h, _ in stats[1:n] if w >= 3 * h and w >= dpi * 0.4 and h >= dpi * 0.06]
    return sorted(boxes, key=lambda b: -(b[2] - b[0]))


def split_at_rules(box, vertical: np.ndarray, text_ink: np.ndarray) -> list[tuple[int, int, int, int]]:
    """A detected text line cut where a vertical rule crosses it (text of neighbouring cells read as one line),
    each part shrunk to its ink and padded by PAD; parts without ink are dropped."""
    h, w = text_ink.shape
    x0, top, x1, bottom = (int(round(v)) for v in box)
    x0, top, x1, bottom = max(x0, 0), max(top, 0), min(x1, w), min(bottom, h)
    if x1 - x0 < 2 or bottom - top < 2:
        return []
    crossing = (vertical[top:bottom, x0:x1] > 0).mean(axis=0) > 0.6
    cuts = [x0 + i for i in np.flatnonzero(crossing)]
    parts, start = [], x0
    for cut in cuts + [x1]:
        if cut - start >= 2:
            parts.append((start, cut))
        start = cut + 1
    out = []
    for a, b in parts:
        ink = text_ink[top:bottom, a:b] > 0
        if not ink.any():
            continue
        cols, rows = np.flatnonzero(ink.any(axis=0)), np.flatnonzero(ink.any(axis=1))
        out.append((max(a + cols[0] - PAD, 0), max(top + rows[0] - PAD, 0),
                    min(a + cols[-1] + 1 + PAD, w), min(top + rows[-1] + 1 + PAD, h)))
    return out


def inked_area(text_ink: np.ndarray, dpi: float) -> tuple[int, int, int, int] | None:
    """The part of the page that holds text (x0, top, x1, bottom; pixels), with a margin of AREA_MARGIN; None
    for a page without any."""
    rows, cols = np.flatnonzero(text_ink.any(axis=1)), np.flatnonzero(text_ink.any(axis=0))
    if rows.size == 0:
        return None
    margin = int(AREA_MARGIN * dpi)
    h, w = text_ink.shape
    return (max(int(cols[0]) - margin, 0), max(int(rows[0]) - margin, 0),
            min(int(cols[-1]) + 1 + margin, w), min(int(rows[-1]) + 1 + margin, h))


def split_at_gaps(box: tuple[int, int, int, int], text_ink: np.ndarray) -> list[tuple[int, int, int, int]]:
    """A text line cut where white at least COLUMN_GAP of its ink's height wide parts it: text of two columns
    of an unruled table that detection read as one line ("一级指标  二级指标"); each part shrunk to its ink."""
    x0, top, x1, bottom = box
    ink = text_ink[top:bottom, x0:x1] > 0
    rows = np.flatnonzero(ink.any(axis=1))
    if rows.size == 0:
        return []
    gap = max(COLUMN_GAP * (rows[-1] + 1 - rows[0]), 2)
    cols = np.flatnonzero(ink.any(axis=0))
    breaks = np.flatnonzero(np.diff(cols) > gap)
    if breaks.size == 0:
        return [box]
    h, w = text_ink.shape
    out = []
    for run in np.split(cols, breaks + 1):
        part = ink[:, run[0]:run[-1] + 1]
        r = np.flatnonzero(part.any(axis=1))
        out.append((max(x0 + run[0] - PAD, 0), max(top + r[0] - PAD, 0),
                    min(x0 + run[-1] + 1 + PAD, w), min(top + r[-1] + 1 + PAD, h)))
    return out


def missed_ink(boxes: list[tuple[int, int, int, int]], text_ink: np.ndarray) -> list[tuple[int, int, int, int]]:
    """Boxes of text the detector passed over: ink outside every detected line, its characters joined into
    words, of a text line's height (detection on the page scaled down misses some lone digits, "3"), or a row
    of dots."""
    import cv2

    if not boxes:
        return []
    typical = float(np.median([b - t for _, t, _, b in boxes])) - 2 * PAD  # a line's ink height
    rest = text_ink.copy()
    for x0, top, x1, bottom in boxes:
        rest[top:bottom, x0:x1] = 0
    joined = cv2.dilate(rest, np.ones((1, max(int(typical * 0.5), 1)), np.uint8))
    n, _, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    h, w = text_ink.shape
    out = []
    for x, y, bw, bh, _ in stats[1:n]:
        ink = rest[y:y + bh, x:x + bw] > 0  # the dilation widened it: back to the ink
        if (MISSED_HEIGHT[0] * typical <= bh <= MISSED_HEIGHT[1] * typical and bw >= 0.25 * typical
                or dot_row(ink, typical)):
            cols = np.flatnonzero(ink.any(axis=0))
            out.append((max(x + cols[0] - PAD, 0), max(y - PAD, 0), min(x + cols[-1] + 1 + PAD, w), min(y + bh + PAD, h)))
    return out


def dot_row(ink: np.ndarray, typical: float) -> bool:
    """Ink that is a row of at least 3 small marks a line height long or more: a "……" placeholder or a dot
    leader, which detection on the page scaled down finds or passes over by chance."""
    import cv2

    if ink.shape[0] > DOT * typical or ink.shape[1] < typical:
        return False
    n, _, stats, _ = cv2.connectedComponentsWithStats(ink.astype(np.uint8), connectivity=8)
    return n - 1 >= 3 and all(w <= DOT * typical and h <= DOT * typical for _, _, w, h, _ in stats[1:n])


def ink_boxes(boxes, text_ink: np.ndarray) -> list[tuple[int, int, int, int]]:
    """Each cell box (pixels) shrunk to the ink inside it, padded by PAD; cells without ink left out."""
    out = []
    for x0, top, x1, bottom in boxes:
        x0, top, x1, bottom = int(x0) + BOUNDARY_TOLERANCE, int(top) + BOUNDARY_TOLERANCE, int(x1) - BOUNDARY_TOLERANCE, int(bottom) - BOUNDARY_TOLERANCE
        ink = text_ink[top:max(bottom, top), x0:max(x1, x0)] > 0
        if ink.any():
            cols, rows = np.flatnonzero(ink.any(axis=0)), np.flatnonzero(ink.any(axis=1))
            out.append((x0 + cols[0] - PAD, top + rows[0] - PAD, x0 + cols[-1] + 1 + PAD, top + rows[-1] + 1 + PAD))
    return out


def _has_ink(piece: Piece, text_ink: np.ndarray) -> bool:
    """Tesseract reads erased rules' leftovers and speckles as '|' or '_': keep words over real ink."""
    region = text_ink[int(piece.top):int(piece.bottom) + 1, int(piece.x0):int(piece.x1) + 1]
    return bool(region.size) and region.mean() > 255 * 0.03


def cell_boxes(grid: "Grid") -> list[tuple[float, float, float, float]]:
    """(x0, top, x1, bottom) in pixels of every cell of a grid, merged cells as one box."""
    out = []
    for (r, c), origin in sorted(grid.origin.items()):
        if origin == (r, c):
            r1, c1 = grid.extent(r, c)
            out.append((grid.xs[c], grid.ys[r], grid.xs[c1 + 1], grid.ys[r1 + 1]))
    return out


# ---------------------------------------------------------------- ruling lines


@dataclass
class Rule:
    """A ruling line: `at` is its centre across, `spans` the stretches along it that carry ink."""

    at: float
    spans: list[tuple[int, int]]

    def covers(self, position: float, slack: int = 2) -> bool:
        return any(a - slack <= position <= b + slack for a, b in self.spans)


@dataclass
class Rules:
    horizontal: list[Rule]
    vertical: list[Rule]


def _bands(mask: np.ndarray) -> list[Rule]:
    """Adjacent rows of a run mask merged into bands (a rule is several pixels thick), each stretch of
    ink along a band its own rule: two tables one above the other share a column but no rule."""
    rows = np.flatnonzero(mask.any(axis=1))
    if rows.size == 0:
        return []
    rules = []
    for group in np.split(rows, np.flatnonzero(np.diff(rows) > 1) + 1):
        along = mask[group[0]: group[-1] + 1].any(axis=0)
        rules += [Rule(at=float(group.mean()), spans=[span]) for span in _spans(along)]
    return rules


def _spans(line: np.ndarray) -> list[tuple[int, int]]:
    padded = np.concatenate(([0], line.astype(np.int8), [0]))
    steps = np.diff(padded)
    return list(zip(np.flatnonzero(steps == 1).tolist(), (np.flatnonzero(steps == -1) - 1).tolist()))


# ---------------------------------------------------------------- grids from rules


@dataclass
class Grid:
    """A ruled table: row boundaries ys, column boundaries xs, and each grid position's merged origin."""

    ys: list[float]
    xs: list[float]
    origin: dict[tuple[int, int], tuple[int, int]] = field(default_factory=dict)

    @property
    def n_rows(self) -> int:
        return len(self.ys) - 1

    @property
    def n_cols(self) -> int:
        return len(self.xs) - 1

    def extent(self, r: int, c: int) -> tuple[int, int]:
        """Last row and column of the merged cell whose origin is (r, c)."""
        covered = [p for p, o in self.origin.items() if o == (r, c)]
        return max(p[0] for p in covered), max(p[1] for p in covered)


def find_grids(rules: Rules) -> list[Grid]:
    """Tables: groups of horizontal and vertical rules that cross each other, at least 2 of each."""
    h, v = rules.horizontal, rules.vertical
    parent = list(range(len(h) + len(v)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, hr in enumerate(h):
        for j, vr in enumerate(v):
            if hr.covers(vr.at, BOUNDARY_TOLERANCE) and vr.covers(hr.at, BOUNDARY_TOLERANCE):
                parent[find(i)] = find(len(h) + j)
    groups: dict[int, tuple[list[Rule], list[Rule]]] = {}
    for i, hr in enumerate(h):
        groups.setdefault(find(i), ([], []))[0].append(hr)
    for j, vr in enumerate(v):
        groups.setdefault(find(len(h) + j), ([], []))[1].append(vr)
    grids = [_grid(hs, vs) for hs, vs in groups.values() if len(hs) >= 2 and len(vs) >= 2]
    return sorted(grids, key=lambda g: g.ys[0])


def _merge_rules(rules: list[Rule]) -> list[Rule]:
    """Stretches of one table's rule (broken where cells merge) joined back into one rule."""
    merged: list[Rule] = []
    for rule in sorted(rules, key=lambda r: r.at):
        if merged and rule.at - merged[-1].at <= BOUNDARY_TOLERANCE:
            merged[-1].spans += rule.spans
        else:
            merged.append(Rule(rule.at, list(rule.spans)))
    return merged


def _grid(hs: list[Rule], vs: list[Rule]) -> Grid:
    hs, vs = _merge_rules(hs), _merge_rules(vs)
    grid = Grid(ys=[r.at for r in hs], xs=[r.at for r in vs])
    parent = {(r, c): (r, c) for r in range(grid.n_rows) for c in range(grid.n_cols)}

    def find(p: tuple[int, int]) -> tuple[int, int]:
        while parent[p] != p:
            p = parent[p]
        return p

    def join(a: tuple[int, int], b: tuple[int, int]) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)  # the top-left position stays the root

    for r in range(grid.n_rows):
        y_mid = (grid.ys[r] + grid.ys[r + 1]) / 2
        for c in range(grid.n_cols):
            x_mid = (grid.xs[c] + grid.xs[c + 1]) / 2
            if c + 1 < grid.n_cols and not vs[c + 1].covers(y_mid):
                join((r, c), (r, c + 1))  # no rule between: one merged cell
            if r + 1 < grid.n_rows and not hs[r + 1].covers(x_mid):
                join((r, c), (r + 1, c))
    grid.origin = {p: find(p) for p in parent}
    return grid


