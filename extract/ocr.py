"""OCR of scanned pages: rasterise with pypdfium2, find ruled tables from the image's long pixel runs, erase
the rules, read the page once with the `tesseract` CLI (chi_sim, TSV output) and put each word into its
table cell or paragraph. Out comes the same Paragraph / Table model as from a text layer, marked with
ocr_confidence = mean Tesseract word confidence (0-100)."""
from __future__ import annotations

import csv
import functools
import io
import os
import re
import shutil
import subprocess
from bisect import bisect_right
from dataclasses import dataclass, field
from pathlib import Path
from statistics import median

import numpy as np

from jixiao.extract.errors import NeedsOCR, ReadError
from jixiao.extract.grid import Span, build_grid
from jixiao.extract.model import Block, Location, Paragraph, Table

LANG = "chi_sim"
DIGITS_LANG = "eng"  # second reading of short cells: numbers
DPI = 300
PAGE_TIMEOUT = float(os.environ.get("JIXIAO_OCR_PAGE_TIMEOUT", "180"))  # seconds per page
INSTALL_HINT = "install tesseract-ocr and tesseract-ocr-chi-sim (scripts/setup-system.sh) and rerun with --ocr"
DARK = 160  # grey level below which a pixel is ink
RULE_INCHES = 0.22  # a straight run of ink at least this long is a ruling line, not a stroke of a character
BOUNDARY_TOLERANCE = 6  # pixels around a rule's centre searched for its ink (rules are 1-6 px thick)


# ---------------------------------------------------------------- availability


@functools.lru_cache(maxsize=1)  # asked once per page; the answer does not change within a run
def unavailable_reason() -> str | None:
    """Why OCR cannot run here (one line with the fix), or None when tesseract with chi_sim is installed."""
    tesseract = shutil.which("tesseract")
    if tesseract is None:
        return f"no text layer and Tesseract is not installed: {INSTALL_HINT}"
    try:
        listed = subprocess.run([tesseract, "--list-langs"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError) as err:
        return f"no text layer and Tesseract does not run ({err}): {INSTALL_HINT}"
    if LANG not in listed.stdout.split():
        return f"no text layer and Tesseract has no {LANG} model: {INSTALL_HINT}"
    return None


def how_to_enable() -> str:
    """What a user does to read pages without a text layer."""
    return "rerun with --ocr" if unavailable_reason() is None else INSTALL_HINT


def require_ocr() -> None:
    reason = unavailable_reason()
    if reason:
        raise NeedsOCR(reason)


# ---------------------------------------------------------------- entry points


@dataclass
class Positioned:
    """A block read from a page image, with its vertical extent (PDF points for pages of a PDF)."""

    top: float
    bottom: float
    block: Block


def ocr_pdf_page(path: str | Path, page: int, dpi: int = DPI) -> list[Positioned]:
    """Blocks of one page (1-based) of a PDF read by OCR, top to bottom, positions in PDF points.
    Tables and paragraphs are numbered from 0 within the page; the PDF reader renumbers them."""
    import pypdfium2 as pdfium

    require_ocr()
    pdf = pdfium.PdfDocument(str(path))
    try:
        image = pdf[page - 1].render(scale=dpi / 72, grayscale=True).to_pil()
    finally:
        pdf.close()
    to_points = 72 / dpi
    placed = ocr_image(image, page, dpi)
    for p in placed:
        _scale_boxes(p.block, to_points)
    return [Positioned(p.top * to_points, p.bottom * to_points, p.block) for p in placed]


def _scale_boxes(block: Block, factor: float) -> None:
    """Boxes found in pixels, in PDF points (the unit every bbox of the model is in)."""
    cells = block.iter_cells() if isinstance(block, Table) else [block]
    for item in cells:
        if item.bbox is not None:
            item.bbox = tuple(round(float(v) * factor, 2) for v in item.bbox)


def ocr_image(image, page: int = 1, dpi: int = DPI) -> list[Positioned]:
    """Blocks of one page image (a PIL image), top to bottom, positions in pixels. Two Tesseract runs:
    the cells of every ruled table stacked into one column image (so no line of text runs across a cell
    border), then the page with the tables blanked out, for the paragraphs."""
    pixels = np.asarray(image.convert("L"))
    rules = find_rules(pixels < DARK, min_len=max(int(dpi * RULE_INCHES), 20))
    grids = find_grids(rules)
    cleaned = pixels.copy()
    cleaned[rules.ink] = 255  # rules erased: Tesseract reads cells better without them
    tables = read_cells(cleaned, grids, dpi)
    for grid in grids:
        cleaned[int(grid.ys[0]): int(grid.ys[-1]) + 1, int(grid.xs[0]): int(grid.xs[-1]) + 1] = 255
    words = run_tesseract(cleaned, psm=3) if (cleaned < DARK).any() else []
    return assemble(words, list(zip(grids, tables)), page)


# ---------------------------------------------------------------- tesseract


@dataclass
class Word:
    text: str
    conf: float
    left: int
    top: int
    width: int
    height: int
    line: tuple[int, int, int]  # Tesseract's (block, paragraph, line)

    @property
    def cx(self) -> float:
        return self.left + self.width / 2

    @property
    def cy(self) -> float:
        return self.top + self.height / 2


def run_tesseract(pixels: np.ndarray, psm: int, lang: str = LANG, timeout: float = PAGE_TIMEOUT) -> list[Word]:
    """Words with boxes and confidences from `tesseract stdin stdout -l chi_sim --psm N tsv`."""
    from PIL import Image

    tesseract = shutil.which("tesseract")
    if tesseract is None:
        raise NeedsOCR(f"Tesseract is not installed: {INSTALL_HINT}")
    png = io.BytesIO()
    Image.fromarray(pixels).save(png, format="PNG")
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}  # batch workers already use every core
    try:
        done = subprocess.run([tesseract, "stdin", "stdout", "-l", lang, "--psm", str(psm), "tsv"],
                              input=png.getvalue(), capture_output=True, timeout=timeout, env=env)
    except subprocess.TimeoutExpired:
        raise ReadError(f"OCR of a page took longer than {timeout:.0f} s") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise ReadError(f"Tesseract failed: {message[-1] if message else f'exit {done.returncode}'}")
    return parse_tsv(done.stdout.decode("utf-8", "replace"))


def parse_tsv(tsv: str) -> list[Word]:
    words = []
    for row in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        text = (row.get("text") or "").strip()
        if row.get("level") != "5" or not text:
            continue
        words.append(Word(text=text, conf=float(row["conf"]), left=int(row["left"]), top=int(row["top"]),
                          width=int(row["width"]), height=int(row["height"]),
                          line=(int(row["block_num"]), int(row["par_num"]), int(row["line_num"]))))
    return words


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
    ink: np.ndarray  # the rules' pixels, to erase before OCR


def find_rules(dark: np.ndarray, min_len: int) -> Rules:
    """Horizontal and vertical ruling lines: runs of ink at least min_len long, grouped into bands."""
    h_mask = _long_runs(dark, min_len)
    v_mask = _long_runs(dark.T, min_len).T
    ink = _grow(h_mask | v_mask)
    return Rules(_bands(h_mask), _bands(v_mask.T), ink)


def _long_runs(dark: np.ndarray, min_len: int) -> np.ndarray:
    """Mask of the pixels lying in a horizontal run of ink at least min_len long."""
    padded = np.zeros((dark.shape[0], dark.shape[1] + 2), dtype=np.int8)
    padded[:, 1:-1] = dark
    steps = np.diff(padded, axis=1)
    starts = np.argwhere(steps == 1)  # row-major: the n-th start pairs with the n-th end
    ends = np.argwhere(steps == -1)
    mask = np.zeros(dark.shape, dtype=bool)
    for (y, x0), (_, x1) in zip(starts, ends):
        if x1 - x0 >= min_len:
            mask[y, x0:x1] = True
    return mask


def _grow(mask: np.ndarray) -> np.ndarray:
    """The mask widened by one pixel each way: the anti-aliased edge of a rule is ink too."""
    grown = mask.copy()
    grown[1:, :] |= mask[:-1, :]
    grown[:-1, :] |= mask[1:, :]
    grown[:, 1:] |= mask[:, :-1]
    grown[:, :-1] |= mask[:, 1:]
    return grown


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


# ---------------------------------------------------------------- cells


CELL_PAD = 6  # pixels inside a rule's centre left out of a cell: what remains of the erased rule


@dataclass
class Crop:
    grid: int
    origin: tuple[int, int]
    pixels: np.ndarray


def read_cells(pixels: np.ndarray, grids: list[Grid], dpi: int) -> list[Table]:
    """Every cell's text: cells cut out (trimmed to their ink), stacked one under another with blank
    space between, read by one Tesseract run as a single block, each word sent back to its cell.
    Cells with at most two Chinese characters are read again with the English model, which knows digits
    far better (chi_sim reads a lone "55" as "5D95" and "5" as "导"); a reading that is a number wins."""
    crops = [crop for i, grid in enumerate(grids) for crop in _cell_crops(pixels, grid, i)]
    gap = max(dpi // 6, 10)
    words = read_stack(crops, LANG, gap)
    short = [i for i, ws in enumerate(words) if _n_wide(ws) <= 2]
    try:
        retries = read_stack([crops[i] for i in short], DIGITS_LANG, gap)
    except ReadError:
        retries = []  # no English model installed: keep the first reading
    for i, retry in zip(short, retries):
        if _better_number(retry, words[i]):
            for word in retry:
                word.text = word.text.translate(_DIGIT_LOOKALIKES)
            words[i] = retry
    by_cell = {(crop.grid, crop.origin): ws for crop, ws in zip(crops, words)}
    return [_table(grid, {o: ws for (g, o), ws in by_cell.items() if g == i}) for i, grid in enumerate(grids)]


_NUMBER = re.compile(r"[-+<>=≥≤]?\d[\d.,]*%?")
_DIGIT_LOOKALIKES = str.maketrans("IlL|Oo", "111100")  # the English model's usual misreadings of digits
SURE = 80.0  # mean word confidence of an English reading that overrides Chinese digits


def _n_wide(words: list[Word]) -> int:
    return sum(1 for w in words for ch in w.text if _is_wide(ch))


def _better_number(english: list[Word], chinese: list[Word]) -> bool:
    """The English reading is a number ("IL.77" for 11.77) and the Chinese one is not: Latin letters
    ("D9" for 55), no digits at all ("也.到"), or digits read less surely ("岂.77" against 91.77 at 95%). A Chinese reading with digits
    and a unit or operator ("过5年" for ≥5年) stands against an unsure one ("25 1" at 45%)."""
    text = "".join(w.text for w in english).translate(_DIGIT_LOOKALIKES)
    if not english or not _NUMBER.fullmatch(text):
        return False
    chinese_text = "".join(w.text for w in chinese)
    if _NUMBER.fullmatch(chinese_text):
        return (mean_conf(english) or 0) > (mean_conf(chinese) or 0)
    if not _n_wide(chinese) or not any(ch.isdigit() for ch in chinese_text):
        return True  # "D9" for 55, "也.到" for 11.77
    return (mean_conf(english) or 0) >= SURE


def read_stack(crops: list[Crop], lang: str, gap: int) -> list[list[Word]]:
    """The words of each crop, from one Tesseract run over the crops stacked into one column."""
    if not crops:
        return []
    canvas = np.full((sum(c.pixels.shape[0] + gap for c in crops) + gap,
                      max(c.pixels.shape[1] for c in crops) + 2 * gap), 255, dtype=np.uint8)
    tops, y = [], gap
    for crop in crops:
        h, w = crop.pixels.shape
        canvas[y: y + h, gap: gap + w] = crop.pixels
        tops.append(y - gap // 2)
        y += h + gap
    words: list[list[Word]] = [[] for _ in crops]
    for word in run_tesseract(canvas, psm=6, lang=lang):
        words[max(bisect_right(tops, word.cy) - 1, 0)].append(word)
    return words


def _cell_crops(pixels: np.ndarray, grid: Grid, index: int) -> list[Crop]:
    crops = []
    for (r, c), origin in sorted(grid.origin.items()):
        if origin != (r, c):
            continue
        r1, c1 = grid.extent(r, c)
        y0, y1 = int(grid.ys[r]) + CELL_PAD, int(grid.ys[r1 + 1]) - CELL_PAD
        x0, x1 = int(grid.xs[c]) + CELL_PAD, int(grid.xs[c1 + 1]) - CELL_PAD
        cell = pixels[y0:max(y0, y1), x0:max(x0, x1)]
        ink = cell < DARK
        if not ink.any():
            continue
        rows, cols = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
        crops.append(Crop(index, (r, c), cell[rows[0]: rows[-1] + 1, cols[0]: cols[-1] + 1]))
    return crops


def _table(grid: Grid, words: dict[tuple[int, int], list[Word]]) -> Table:
    spans = [Span(r, c, join_lines(words.get((r, c), []), "\n"), r1 - r + 1, c1 - c + 1,
                  bbox=(grid.xs[c], grid.ys[r], grid.xs[c1 + 1], grid.ys[r1 + 1]))
             for (r, c), origin in sorted(grid.origin.items()) if origin == (r, c)
             for r1, c1 in [grid.extent(r, c)]]
    every_word = [w for ws in words.values() for w in ws]
    return Table(grid=build_grid(spans, grid.n_rows, grid.n_cols), location=Location(),
                 ocr_confidence=mean_conf(every_word))


# ---------------------------------------------------------------- words -> blocks


def assemble(words: list[Word], tables: list[tuple[Grid, Table]], page: int) -> list[Positioned]:
    """Tables and paragraphs top to bottom, numbered from 0 on the page."""
    placed = [Positioned(grid.ys[0], grid.ys[-1], table) for grid, table in tables]
    for group in paragraphs(words):
        box = (min(w.left for w in group), min(w.top for w in group),
               max(w.left + w.width for w in group), max(w.top + w.height for w in group))
        placed.append(Positioned(box[1], box[3], Paragraph(join_lines(group), Location(page=page),
                                                           ocr_confidence=mean_conf(group), bbox=box)))
    placed.sort(key=lambda p: p.top)
    n_tables = n_paragraphs = 0
    for p in placed:
        if isinstance(p.block, Table):
            p.block.location = Location(page=page, table=n_tables)
            p.block.pages = [page]
            for cell in p.block.iter_cells():
                cell.page = page
            n_tables += 1
        else:
            p.block.location = Location(page=page, paragraph=n_paragraphs)
            n_paragraphs += 1
    return placed


def paragraphs(words: list[Word]) -> list[list[Word]]:
    """Tesseract's paragraphs, split further after a line that stops well short of the paragraph's right
    edge (a heading, or the last line of a paragraph): wrapped lines run to the margin."""
    groups: dict[tuple[int, int], dict[int, list[Word]]] = {}
    for word in words:
        groups.setdefault(word.line[:2], {}).setdefault(word.line[2], []).append(word)
    out = []
    for lines in groups.values():
        ordered = [lines[k] for k in sorted(lines)]
        right_edge = max(w.left + w.width for line in ordered for w in line)
        height = median(w.height for line in ordered for w in line)
        current: list[Word] = []
        for line in ordered:
            current.extend(line)
            if max(w.left + w.width for w in line) < right_edge - 2 * height:
                out.append(current)
                current = []
        if current:
            out.append(current)
    return out


def mean_conf(words: list[Word]) -> float | None:
    confs = [w.conf for w in words if w.conf >= 0]
    return round(sum(confs) / len(confs), 1) if confs else None


def join_lines(words: list[Word], separator: str | None = None) -> str:
    """Words in reading order: lines top to bottom, words left to right. Lines are joined by
    `separator`, or as running text (no space between CJK characters) when it is None."""
    lines: dict[tuple[int, int, int], list[Word]] = {}
    for word in words:
        lines.setdefault(word.line, []).append(word)
    texts = [_line_text(sorted(line, key=lambda w: w.left)) for line in
             sorted(lines.values(), key=lambda ws: min(w.top for w in ws))]
    if separator is not None:
        return separator.join(texts)
    out = ""
    for text in texts:
        out = _glue(out, text, spaced=True)
    return out


def _line_text(words: list[Word]) -> str:
    """A line's words. Between words that are not CJK a space only where the gap is one (Tesseract splits
    "32.37" into "32" ".37"); a gap wider than 2.5 character heights is a column break, kept as a tab."""
    height = median(w.height for w in words)
    out, right = "", None
    for word in words:
        gap = word.left - right if right is not None else 0
        if right is not None and gap > 2.5 * height:
            out += "\t" + word.text
        else:
            out = _glue(out, word.text, spaced=gap > 0.3 * height)
        right = word.left + word.width
    return out


def _glue(left: str, right: str, spaced: bool) -> str:
    if not left:
        return right
    if not spaced or _is_wide(left[-1]) or _is_wide(right[0]):
        return left + right
    return left + " " + right


def _is_wide(ch: str) -> bool:
    """CJK characters and full-width punctuation: written without spaces between them."""
    return ord(ch) >= 0x2E80
