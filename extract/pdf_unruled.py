"""Tables without ruling lines, from words with boxes (dicts with x0, x1, top, bottom, text): a PDF table
typeset without borders, or an OCR'd scan of one. Returns cell boxes, as pdfplumber gives them for ruled
tables, so the ruled reader's machinery (text of cells with wraps joined, tables running on across pages,
repeated headers dropped) reads them the same way.

Columns come from the header row (a line of short labels carrying scorecard header words) and from the
white rivers of the body: words of a header cell wrapped over several lines are one column; a boundary
lies where the fewest body words cross. Rows are anchored on the numbers: each number of a numeric
column (分值, 权重, 得分 …) on its own baseline is one row, so rows are found without ruling lines and
without gaps between them. Every other text line joins a row in its column: the lines of a column are cut
into groups, each centred on (or starting at) its row's number, whichever of the two alignments fits the
table better. The leading level columns (一级/二级指标, unlabelled) hold merged cells: a label covers the
run of rows it is centred on (or starts), up to the next label. pdfplumber's own text strategy gives one
row per text line and merges no wrapped or merged cell, so it is not used for this.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

NUMBER_CHARS = set("0123456789.,%-+")
HEADER_WORD_MAX = 9  # characters: header cells are short labels (一级指标, 评分标准和评分规则); a longer word is body
HEADER_MIN_WORDS = 3
HEADER_MIN_VOCABULARY = 2  # header labels carrying a scorecard header word: what makes a line a table header
HEADER_SPREAD = 0.3  # a header row runs over at least this share of the text width
# Words of scorecard and budget table headers (一级指标, 分值, 得分, 年初目标值, 预算数 …): a line of short
# labels with two of them heads a table. Kept here, not in a TOML file: extract/ reads no data files.
HEADER_WORDS = ("指标", "分值", "权重", "得分", "评分", "标准", "目标", "完成", "预算", "执行", "实际",
                "说明", "解释", "意见", "偏差", "原因", "要点", "一级", "二级", "三级",
                "名称", "金额", "占比", "备注")
LEVEL_WORDS = ("一级", "二级")
LEVEL_NAMES = ("指标", "效益", "产出", "满意")  # a level label's name: a bracket holding one is no bare tail  # header words of level columns, whose cells are merged over rows
INTRA_GAP_SHARE = 0.45  # the gap between two lines of one cell, in line heights, at most (single spacing)
SAME_WORD_GAP = 0.5  # line heights: words closer than this on one header line are one label
RIVER_MIN = 3.0  # points: an empty vertical strip this wide through the body separates two columns
GAP_PENALTY = 2.0  # cost per point of an oversized gap inside one cell's lines
UNCOVERED = 4.0  # cost of a row no level label covers (only a total row is so): above a label 5 pt off centre
ANCHOR_SLACK = 2.0  # points: a top-aligned cell's first line may sit this much above its row's number
UNFIT = 1000.0  # cost of a column whose lines fit no cut into rows of that alignment
FRAGMENT_MAX = 3  # characters: a header label's wrapped tail without a header word is this short
MERGE_COST = 0.5  # per extra row a level label covers: of two equal fits, the label over fewer rows
TOUCHING = 8.0  # points: a table starting this close under another one continues it (one form)
TAIL_MAX = 2  # characters: a level label's line this short (指标, 标) ends the label above it
VIRTUAL_LINE = 0.25  # line heights: the cost of a line given to a row cut by the page break
EDGE_SLACK = 0.3  # line heights: how far a level label may sit off its rows' middle for free
EMPTY_CELL = 0.5  # line heights: the cost of a row left without text in a column (of equal fits, the fuller)
SPANNING_END = 3  # a word over this many columns is running text: the table has ended
SPARE_MARKS = set("…．.·")  # the text of a template's spare row (……, ...): a row to fill in, left empty
TOTAL_WORDS = ("总分", "合计", "总计")  # a row starting so is the table's total: no level label runs over it
LABEL_JOIN = 0.3  # line heights: reading two whole level labels (…指标, …（20分）) as one, or one cut in two
# a 三级指标 code (A101, B203): a column whose cells start so starts a row with each (rows of any height)
CODE = re.compile(r"[A-Z]\d{3}(?!\d)")
TALL_ROW = 4  # text lines per code, at least: rows so tall are anchored on their codes


@dataclass
class Line:
    words: list[dict]
    top: float
    bottom: float

    @property
    def x0(self) -> float:
        return min(w["x0"] for w in self.words)

    @property
    def x1(self) -> float:
        return max(w["x1"] for w in self.words)

    @property
    def height(self) -> float:
        return self.bottom - self.top

    @property
    def centre(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass
class Columns:
    """A table's column boundaries (left edge … right edge) and how many leading columns are level
    columns: what a table running on to the next page keeps."""

    xs: list[float]
    levels: int
    header: list[Line] | None = None  # a header row whose body starts on the next page: columns wait for it
    code: int | None = None  # the column whose cells start with indicator codes: rows anchored on them


@dataclass
class UnruledTable:
    """The columns, rows as horizontal edges (top of the first … bottom of the last) and the cell boxes."""

    columns: Columns
    edges: list[float] = field(default_factory=list)
    cells: list[tuple[float, float, float, float]] = field(default_factory=list)
    cut_first: bool = False  # the first row is the rest of a row cut by the page break
    cut_last: bool = False  # the last row has no number on this page: cut by the page break, or a cell's last line
    header_only: bool = False  # a header row at the foot of a page, its body on the next
    own_columns: bool = False  # a piece under another with its own column widths: a table of its own

    @property
    def xs(self) -> list[float]:
        return self.columns.xs

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        return (self.xs[0], self.edges[0], self.xs[-1], self.edges[-1])


# ---------------------------------------------------------------- lines and labels


def group_lines(words: list[dict]) -> list[Line]:
    """Words into text lines: a word joins the line whose vertical extent holds its centre."""
    lines: list[Line] = []
    for w in sorted(words, key=lambda w: (w["top"], w["x0"])):
        centre = (w["top"] + w["bottom"]) / 2
        line = next((ln for ln in reversed(lines[-3:]) if ln.top <= centre <= ln.bottom), None)
        if line is None:
            lines.append(Line([w], w["top"], w["bottom"]))
        else:
            line.words.append(w)
            line.top, line.bottom = min(line.top, w["top"]), max(line.bottom, w["bottom"])
    for line in lines:
        line.words.sort(key=lambda w: w["x0"])
    return lines


def is_number(text: str) -> bool:
    return bool(text) and any(ch.isdigit() for ch in text) and all(ch in NUMBER_CHARS for ch in text)


def labels(line: Line) -> list[dict]:
    """A line's words with those closer than half a line height joined (one label typed with a space)."""
    out: list[dict] = []
    for w in line.words:
        if out and w["x0"] - out[-1]["x1"] < SAME_WORD_GAP * line.height:
            out[-1] = dict(out[-1], x1=w["x1"], text=out[-1]["text"] + w["text"])
        else:
            out.append(dict(w))
    return out


def _is_label(text: str) -> bool:
    return len(text) <= HEADER_WORD_MAX and not is_number(text)


def _vocabulary(text: str) -> bool:
    return any(word in text for word in HEADER_WORDS)


def _header_words(labels_: list[dict]) -> bool:
    """Labels carrying at least HEADER_MIN_VOCABULARY different header words: a header names several kinds
    of column (指标 … 得分); body rows of level labels (效益指标, 指标) repeat one."""
    return len({word for w in labels_ for word in HEADER_WORDS if word in w["text"]}) >= HEADER_MIN_VOCABULARY


def is_header_line(line: Line, left: float, right: float) -> bool:
    """Several short labels, two with a header word, no bare number, spread over much of the text width."""
    words = labels(line)
    return (len(words) >= HEADER_MIN_WORDS and all(_is_label(w["text"]) for w in words)
            and sum(1 for w in words if _vocabulary(w["text"])) >= HEADER_MIN_VOCABULARY and _header_words(words)
            and line.x1 - line.x0 >= HEADER_SPREAD * (right - left))


def pitch(lines: list[Line]) -> tuple[float, float]:
    """(largest gap between two lines of one cell, median line height)."""
    height = sorted(ln.height for ln in lines)[len(lines) // 2] if lines else 10.0
    return INTRA_GAP_SHARE * height, height


def _fragment(text: str) -> bool:
    """A piece of a wrapped header label: with a bracket (（A）, 情况（万, 执行率）) or a few characters (位);
    not a number's wrapped tail (0元 of 6727625.90元 in the row above)."""
    return not text[:1].isdigit() and (any(ch in "（()）" for ch in text) or len(text) <= FRAGMENT_MAX)


def _overlaps(a: tuple[float, float], b: tuple[float, float]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _between(w: dict, taken: list[tuple[float, float]]) -> bool:
    """A label between two labels with header words on its line: a column named without one (子项目 between
    项目名称 and 年度); a level label beside the header stands left of them all."""
    return any(t[1] <= w["x0"] for t in taken) and any(w["x1"] <= t[0] for t in taken)


def header_row(lines: list[Line], i: int) -> tuple[list[Line], list[dict], int]:
    """The header row holding line i: the lines overlapping it and those just above and below (a header
    cell wrapped or centred over several lines). A label joins when it carries a header word, or is a
    wrapped label's fragment under or over a label already taken; other words on those lines (a level
    label centred beside the header) are returned apart, for the body. Returns (header lines, words
    left to the body, index of the first line past the header)."""
    gap, height = pitch(lines)
    limit = gap + height  # wrapped header cells may leave a line empty beside a shorter neighbour
    taken: list[tuple[float, float]] = []
    kept: dict[int, list[dict]] = {}
    apart: list[dict] = []

    def accept(k: int, strict: bool) -> bool:
        """Take line k's header labels (in the band: any label under or over one taken; above or below it:
        only fragments); strict: only when all its labels are header labels, or fragments under a word left
        apart (标 under 年度绩效目, a level label beside the header: left apart too)."""
        ok, other = [], []
        named = [(w["x0"], w["x1"]) for w in labels(lines[k]) if _vocabulary(w["text"])]
        for w in labels(lines[k]):
            good = _is_label(w["text"]) and (_vocabulary(w["text"]) or ((_fragment(w["text"]) or not strict) and any(
                _overlaps((w["x0"], w["x1"]), t) for t in taken)) or (not strict and _between(w, named)))
            beside = strict and not good and _fragment(w["text"]) and any(
                _overlaps((w["x0"], w["x1"]), (o["x0"], o["x1"])) for o in apart)
            (ok if good else [] if beside else other).append(w)
        if strict and other or not ok:
            return False
        taken.extend((w["x0"], w["x1"]) for w in ok)
        kept[k] = [w for w in lines[k].words if any(o["x0"] <= w["x0"] and w["x1"] <= o["x1"] for o in ok)]
        apart.extend(w for w in lines[k].words if w not in kept[k])
        return True

    band_end = i + 1  # lines overlapping line i, chained: the same header cells
    while band_end < len(lines) and lines[band_end].top < lines[band_end - 1].bottom \
            and all(_is_label(w["text"]) for w in labels(lines[band_end])):
        band_end += 1
    band = list(range(i, band_end))
    for k in band:  # header words first, then the fragments under or over them, until none is left to take
        if any(_vocabulary(w["text"]) for w in labels(lines[k])):
            taken.extend((w["x0"], w["x1"]) for w in labels(lines[k]) if _vocabulary(w["text"]))
    # a level column's label wrapped inside the band with 指标 cut in two (三级指 / 标): its pieces read together
    stacked = [w for k in band for w in labels(lines[k])]
    for w in stacked:
        pieces = sorted((o for o in stacked if _overlaps((w["x0"], w["x1"]), (o["x0"], o["x1"]))), key=lambda o: o["top"])
        if "指标" in "".join(o["text"] for o in pieces) and not any("指标" in o["text"] for o in pieces):
            taken.append((w["x0"], w["x1"]))
    for _ in band:
        for k in band:
            if k not in kept or len(kept[k]) < len(lines[k].words):
                kept.pop(k, None)
                apart[:] = [w for w in apart if w not in lines[k].words]
                accept(k, strict=False)
    start = i
    above = gap + 0.2 * height  # a header label's first lines over the band are single-spaced; wider is a row's
    while start > 0 and lines[start].top - lines[start - 1].bottom <= above and accept(start - 1, strict=True):
        start -= 1
    end = band_end
    while end < len(lines) and lines[end].top - lines[end - 1].bottom <= limit and not _beside_number(lines, end) \
            and accept(end, strict=True):
        end += 1
    header = [Line(ws, min(w["top"] for w in ws), max(w["bottom"] for w in ws)) for k, ws in sorted(kept.items()) if ws]
    return header, apart, end


# ---------------------------------------------------------------- columns


def _beside_number(lines: list[Line], k: int) -> bool:
    """Line k overlaps a following line holding a number: it is a body row's wrapped cell (业务完成率 / 高 beside
    the row's score), not a header's last line."""
    for line in lines[k + 1:]:
        if line.top >= lines[k].bottom:
            return False
        if any(is_number(w["text"]) for w in line.words):
            return True
    return False


def header_columns(header: list[Line]) -> list[tuple[float, float, str]]:
    """Column extents of a header row with their text: labels of all its lines, those overlapping in x
    merged."""
    spans = sorted((w["x0"], w["x1"], w["text"]) for line in header for w in labels(line))
    out: list[list] = []
    for x0, x1, text in spans:
        if out and x0 < out[-1][1]:
            out[-1][1] = max(out[-1][1], x1)
            out[-1][2] += text
        else:
            out.append([x0, x1, text])
    return [(x0, x1, text) for x0, x1, text in out]


def _least_crossed(a: float, b: float, body: list[dict]) -> float:
    """The middle of the widest stretch between a and b that the fewest body words cross."""
    steps = max(int((b - a) * 2), 1)
    candidates = [a + (b - a) * i / steps for i in range(steps + 1)]
    crossings = [sum(1 for w in body if w["x0"] < x < w["x1"]) for x in candidates]
    least = min(crossings)
    runs: list[list[float]] = []
    for i, (x, n) in enumerate(zip(candidates, crossings)):
        if n == least:
            if runs and runs[-1][1] == candidates[i - 1]:
                runs[-1][1] = x
            else:
                runs.append([x, x])
    widest = max(runs, key=lambda r: r[1] - r[0])
    return (widest[0] + widest[1]) / 2


def rivers(body: list[dict], left: float, right: float) -> list[float]:
    """Middles of the vertical strips at least RIVER_MIN wide that no body word touches, with words on
    both sides."""
    spans = sorted((w["x0"], w["x1"]) for w in body)
    out = []
    reach = None
    for x0, x1 in spans:
        if reach is not None and x0 - reach >= RIVER_MIN:
            out.append((reach + x0) / 2)
        reach = x1 if reach is None else max(reach, x1)
    return [x for x in out if left < x < right]


def columns_for(header: list[Line], body: list[dict], left: float, right: float) -> Columns:
    """Boundaries between the header's columns where the fewest body words cross, plus the body's rivers
    that no header label spans (an unlabelled column, such as a form's outer label column); level columns:
    the leading ones whose header says 一级/二级, or that have no header label."""
    heads = header_columns(header)
    xs = [min([left, heads[0][0]] + [w["x0"] for w in body]) - 1]
    for (_, a1, _), (b0, _, _) in zip(heads, heads[1:]):
        xs.append(_least_crossed(a1, b0, body))
    xs.append(max([right, heads[-1][1]] + [w["x1"] for w in body]) + 1)
    for x in rivers(body, xs[0], xs[-1]):
        if not any(h0 - 1 <= x <= h1 + 1 for h0, h1, _ in heads) and not any(abs(x - e) < RIVER_MIN for e in xs):
            xs.append(x)
    xs.sort()
    levels = 0
    for c in range(len(xs) - 1):
        texts = [t for h0, h1, t in heads if xs[c] <= (h0 + h1) / 2 < xs[c + 1]]
        if texts and not any(word in t for t in texts for word in LEVEL_WORDS):
            break
        levels = c + 1
    return Columns(xs, levels)


def _column(x: float, xs: list[float]) -> int:
    for i in range(len(xs) - 1):
        if x < xs[i + 1]:
            return i
    return len(xs) - 2


def word_columns(w: dict, xs: list[float]) -> tuple[int, int]:
    """First and last column a word covers: a word spilling a little over a boundary stays in its column."""
    slack = min((w["bottom"] - w["top"]) * 0.5, (w["x1"] - w["x0"]) * 0.4)
    return _column(w["x0"] + slack, xs), _column(max(w["x1"] - slack, w["x0"] + slack), xs)


def _spans_wide(line: Line, xs: list[float]) -> bool:
    """A line with a label running over SPANNING_END or more columns: running text, not a table row."""
    for w in labels(line):
        c0, c1 = word_columns(w, xs)
        if c1 - c0 + 1 >= SPANNING_END:
            return True
    return False


# ---------------------------------------------------------------- rows


@dataclass
class Anchor:
    top: float
    bottom: float
    virtual: bool = False  # a row cut by the page break, without its number on this page
    total: bool = False  # a total row (合计 …) whose label stands in a level column

    @property
    def centre(self) -> float:
        return (self.top + self.bottom) / 2


def numeric_columns(body: list[Line], cols: Columns) -> list[int]:
    """Columns past the level columns whose words are mostly bare numbers (分值, 得分 …)."""
    n = len(cols.xs) - 1
    numbers, others = [0] * n, [0] * n
    for line in body:
        for w in line.words:
            c0, c1 = word_columns(w, cols.xs)
            if c0 == c1 and c0 >= cols.levels:
                (numbers if is_number(w["text"]) else others)[c0] += 1
    return [c for c in range(n) if numbers[c] >= 1 and numbers[c] >= others[c]]


def merged_columns(body: list[Line], cols: Columns, numeric: list[int]) -> Columns:
    """The level columns extended over the leading columns (left of every numeric one) holding at most one
    text line for two rows: cells merged over runs of rows (项目名称, 子项目 of a budget table), though their
    header names no level."""
    rows = len(anchors_of(body, cols, numeric))
    levels = cols.levels
    while levels < min(numeric) and 2 * len(column_lines(body, cols.xs, levels)) <= rows:
        levels += 1
    return cols if levels == cols.levels else Columns(cols.xs, levels, cols.header, cols.code)


def anchors_of(body: list[Line], cols: Columns, numeric: list[int]) -> list[Anchor]:
    """One anchor per baseline carrying a number in a numeric column."""
    out: list[Anchor] = []
    for line in body:
        hits = [w for w in line.words if word_columns(w, cols.xs)[0] in numeric
                and word_columns(w, cols.xs)[0] == word_columns(w, cols.xs)[1] and is_number(w["text"])]
        if hits:
            top, bottom = min(w["top"] for w in hits), max(w["bottom"] for w in hits)
            if out and top < out[-1].bottom:
                out[-1].bottom = max(out[-1].bottom, bottom)
            else:
                out.append(Anchor(top, bottom))
    return out


def coded_columns(body: list[Line], cols: Columns) -> Columns | None:
    """The columns with `code` set when a column's cells start with indicator codes (A101 …): such rows run
    over any height (评价意见 of a page), so they are anchored on their codes, not on their numbers. A
    column of codes is no merged level column."""
    hits: dict[int, int] = {}
    for line in body:
        seen: set[int] = set()
        for w in line.words:
            c = word_columns(w, cols.xs)[0]
            if c not in seen and CODE.match(w["text"]):
                hits[c] = hits.get(c, 0) + 1
            seen.add(c)
    if not hits:
        return None
    c = max(hits, key=lambda k: (hits[k], -k))
    if len(body) < TALL_ROW * hits[c]:  # rows of a line or two: their numbers anchor them (a restated table)
        return None
    return Columns(cols.xs, min(cols.levels, c), cols.header, code=c)


def _ink_gaps(body: list[Line], cols: Columns) -> list[tuple[float, float]]:
    """Vertical strips no text of the row columns touches: between two rows lies the cells' padding."""
    spans = sorted((w["top"], w["bottom"]) for ln in body for w in ln.words
                   if word_columns(w, cols.xs)[0] >= cols.levels)
    gaps, reach = [], None
    for top, bottom in spans:
        if reach is not None and top > reach:
            gaps.append((reach, top))
        reach = bottom if reach is None else max(reach, bottom)
    return gaps


def code_rows(body: list[Line], cols: Columns, gap_limit: float, follows: bool,
              cut: bool = True) -> tuple[list[Anchor], list[float]] | None:
    """Rows of a coded table (cols.code set): one per code in the code column (and per total row: 合计 in a
    level column), each running from the blank strip above it to the one above the next; text above the
    first code's row goes on from the previous row (`follows`: the table before ran on to here). Returns
    the anchors and the cuts between rows, or None when two codes have no blank strip between them."""
    anchors: list[Anchor] = []
    for line in body:
        here = [w for w in line.words if word_columns(w, cols.xs)[0] == cols.code]
        if here and CODE.match(here[0]["text"]):
            anchors.append(Anchor(here[0]["top"], here[0]["bottom"]))
        elif word_columns(line.words[0], cols.xs)[0] <= cols.code and line.words[0]["text"].startswith(TOTAL_WORDS):
            anchors.append(Anchor(line.top, line.bottom, total=True))
    gaps = [g for g in _ink_gaps(body, cols) if g[1] - g[0] > gap_limit]
    top = body[0].top
    if not anchors:
        return ([Anchor(top, top + 0.1, virtual=cut)], []) if follows else None
    cuts = []
    above = [g for g in gaps if g[1] <= anchors[0].top]
    if above:  # text before the first code's row: the rest of a row begun before
        anchors.insert(0, Anchor(top, top + 0.1, virtual=follows and cut))
        cuts.append(sum(max(above, key=lambda g: g[1] - g[0])) / 2)
    for a, b in zip(anchors[len(cuts):], anchors[len(cuts) + 1:]):
        between = [g for g in gaps if g[0] >= a.bottom and g[1] <= b.top]
        if not between:
            return None
        cuts.append(sum(max(between, key=lambda g: g[1] - g[0])) / 2)
    return anchors, cuts


def _group_cost(lines: list[Line], k: int, anchors: list[Anchor], centred: bool, gap_limit: float) -> float:
    """How badly lines fit as one cell of row k: off-centre (or off the top), gaps too wide. Impossible:
    a line on another row's number baseline; a line past the middle of a neighbouring row's number
    (centred), or above its own row's number or not above the next one's (top-aligned)."""
    anchor = anchors[k]
    prev = anchors[k - 1] if k > 0 else None
    after = anchors[k + 1] if k + 1 < len(anchors) else None
    inf = float("inf")
    for ln in lines:
        if any(a is not anchor and not a.virtual and a.top <= ln.centre <= a.bottom for a in anchors):
            return inf
        if centred:
            if (prev is not None and ln.centre <= prev.centre) or (after is not None and ln.centre >= after.centre):
                return inf
        elif not anchor.virtual and (ln.top < anchor.top - ANCHOR_SLACK
                                     or (after is not None and ln.centre >= after.top)):
            return inf
    top, bottom = lines[0].top, max(ln.bottom for ln in lines)
    if anchor.virtual:  # each line it takes costs something: lines go there only when they fit no real row
        cost = VIRTUAL_LINE * sum(ln.height for ln in lines)
    elif centred:
        cost = abs((top + bottom) / 2 - anchor.centre)
    else:
        cost = abs(top - anchor.top)
    for a, b in zip(lines, lines[1:]):
        cost += GAP_PENALTY * max(b.top - a.bottom - gap_limit, 0)
    return cost


def assign(lines: list[Line], anchors: list[Anchor], centred: bool, gap_limit: float) -> tuple[float, list[int]]:
    """The lines of one column (top to bottom) cut into consecutive groups, one per row at most, rows in
    order: the cut that fits the alignment best. Returns (cost, row of each line)."""
    n, m = len(lines), len(anchors)
    if n == 0:
        return 0.0, []
    inf = float("inf")
    empty = EMPTY_CELL * pitch(lines)[1]
    # best[i][r]: cost of placing lines[:i] with the last group in a row before r
    best = [[inf] * (m + 1) for _ in range(n + 1)]
    back: dict[tuple[int, int], tuple[int, int, int]] = {}
    best[0][0] = 0.0
    for r in range(1, m + 1):
        best[0][r] = best[0][r - 1] + (0.0 if anchors[r - 1].virtual else empty)
    for i in range(1, n + 1):
        for r in range(1, m + 1):
            best[i][r] = best[i][r - 1] + (0.0 if anchors[r - 1].virtual else empty)  # row r-1 left empty
            if (i, r - 1) in back:
                back[(i, r)] = back[(i, r - 1)]
            for j in range(i):  # lines[j:i] to row r-1
                if best[j][r - 1] == inf:
                    continue
                cost = best[j][r - 1] + _group_cost(lines[j:i], r - 1, anchors, centred, gap_limit)
                if cost < best[i][r]:
                    best[i][r] = cost
                    back[(i, r)] = (j, r - 1, r - 1)
    if best[n][m] == inf:  # no cut fits: each line to the nearest number
        return UNFIT, [min(range(m), key=lambda k: abs(anchors[k].centre - ln.centre)) for ln in lines]
    rows = [0] * n
    i, r = n, m
    while i > 0:
        j, prev, row = back[(i, r)]
        for k in range(j, i):
            rows[k] = row
        i, r = j, prev
    return best[n][m], rows


def column_lines(body: list[Line], xs: list[float], c: int) -> list[Line]:
    return group_lines([w for ln in body for w in ln.words if word_columns(w, xs)[0] == c])


def rows_for(body: list[Line], cols: Columns, anchors: list[Anchor], gap_limit: float, open_end: bool = False):
    """Each row column's lines assigned to rows, with the alignment (centred or top) that fits best; with
    `open_end`, judged without the row at the page foot (laid out from its top whatever the table's alignment)."""
    n = len(cols.xs) - 1
    per_column = {c: column_lines(body, cols.xs, c) for c in range(cols.levels, n)}
    results = {}
    foot = max((r for r, a in enumerate(anchors) if not a.virtual), default=0)
    if open_end and foot > 0:
        middle = (anchors[foot - 1].centre + anchors[foot].centre) / 2
        costs = {centred: sum(assign([ln for ln in lines if ln.centre < middle], anchors[:foot], centred, gap_limit)[0]
                              for lines in per_column.values()) for centred in (True, False)}
        centred = costs[True] <= costs[False]
        results[centred] = {c: assign(lines, anchors, centred, gap_limit) for c, lines in per_column.items()}
    else:
        for centred in (True, False):
            results[centred] = {c: assign(lines, anchors, centred, gap_limit) for c, lines in per_column.items()}
        centred = sum(cost for cost, _ in results[True].values()) <= sum(cost for cost, _ in results[False].values())
    return centred, {c: list(zip(per_column[c], results[centred][c][1])) for c in per_column}


def row_edges(assigned: dict[int, list[tuple[Line, int]]], anchors: list[Anchor]) -> list[float]:
    """Horizontal edges: above the first row, between rows (midway between the last line of one and the
    first of the next), below the last."""
    m = len(anchors)
    tops = [a.top for a in anchors]
    bottoms = [a.bottom for a in anchors]
    for pairs in assigned.values():
        for line, r in pairs:
            tops[r], bottoms[r] = min(tops[r], line.top), max(bottoms[r], line.bottom)
    edges = [tops[0] - 1]
    for r in range(m - 1):
        upper = max(bottoms[: r + 1])
        lower = min(tops[r + 1:])
        edges.append((upper + lower) / 2)
    return edges + [max(bottoms) + 1]


def _tail(text: str) -> bool:
    """The end of a wrapped label: a bracketed part (（20分）) or a character or two (标, 指标)."""
    return bool(text) and (text[0] in "（(" or len(text) <= TAIL_MAX)


def _tails_joined(lines: list[Line], gap_limit: float) -> list[Line]:
    """A level column's lines with the tails of wrapped labels (（20分）, 指标, 标, or after an open bracket)
    joined to the line above."""
    out: list[Line] = []
    for line in lines:
        text = "".join(w["text"] for w in line.words)
        before = "".join(w["text"] for w in out[-1].words) if out else ""
        open_bracket = before.count("（") + before.count("(") > before.count("）") + before.count(")")
        if out and line.top - out[-1].bottom <= gap_limit and (_tail(text) or open_bracket):
            out[-1] = Line(out[-1].words + line.words, out[-1].top, max(out[-1].bottom, line.bottom))
        else:
            out.append(line)
    return out


def _blocks(lines: list[Line], gap_limit: float) -> list[Line]:
    """A column's lines joined where they follow each other as one cell's lines do (single spacing)."""
    out: list[Line] = []
    for line in lines:
        if out and line.top - out[-1].bottom <= gap_limit:
            out[-1] = Line(out[-1].words + line.words, out[-1].top, max(out[-1].bottom, line.bottom))
        else:
            out.append(line)
    return out


def _whole_label(line: Line) -> bool:
    return whole_label("".join(w["text"] for w in line.words))


def _completes(line: Line, following: Line, gap_limit: float) -> bool:
    """`following` is the next line of `line`'s label: right under it, and the two make a whole label where
    `line` alone is not one (服务对象满 / 意度指标)."""
    text = "".join(w["text"] for w in line.words)
    return (0 <= following.top - line.bottom <= gap_limit and not whole_label(text)
            and whole_label(text + "".join(w["text"] for w in following.words)))


def whole_label(text: str) -> bool:
    """A level label that is complete: 产出指标, 满意度指标（20分） — not 服务对象满 (wrapped) nor （XX分）."""
    return text.endswith("指标") or (text[-1:] in "）)" and any(ch.isdigit() for ch in text))


def level_spans(lines: list[Line], edges: list[float], anchors: list[Anchor], centred: bool, gap_limit: float,
                continued: bool, open_end: bool = False, height: float | None = None,
                totals: frozenset[int] = frozenset(),
                extents: list[tuple[tuple[int, int], float, float]] | None = None) -> list[tuple[int, int]]:
    """Row ranges (end-exclusive) of a level column's labels: the lines cut into labels, each covering
    the run of rows it is centred on (or starts), runs in order; rows before the first label belong to a
    label on the previous page when the table `continued`; `totals` (total rows) are under no label.
    `extents` receives each span with its label lines' top and bottom."""
    m = len(edges) - 1
    n = len(lines)
    if n == 0 or m == 0:
        return []
    inf = float("inf")
    height = height or pitch(lines)[1]  # of a text line: joined labels are taller
    tolerance = EDGE_SLACK * height
    # best[(i, r)]: lines[:i] placed, rows[:r] decided
    best = {(0, 0): 0.0}
    back: dict[tuple[int, int], tuple[int, int, tuple[int, int] | None]] = {}
    for i in range(n + 1):
        for r in range(m + 1):
            here = best.get((i, r), inf)
            if here == inf:
                continue
            if r < m:  # row r left to no label (free at the top of a continued table, and for a total row)
                skip = 0.0 if (continued and i == 0) or r in totals else UNCOVERED
                if here + skip < best.get((i, r + 1), inf):
                    best[(i, r + 1)], back[(i, r + 1)] = here + skip, (i, r, None)
            for j in range(i + 1, n + 1):  # lines[i:j] as one label over rows r..r1
                group = lines[i:j]
                top, bottom = group[0].top, max(ln.bottom for ln in group)
                inner = sum(GAP_PENALTY * max(b.top - a.bottom - gap_limit, 0) + LABEL_JOIN * height * _whole_label(a)
                            for a, b in zip(group, group[1:]))
                if j < n and _completes(lines[j - 1], lines[j], gap_limit):  # 服务对象满 | 意度指标 cut apart
                    inner += LABEL_JOIN * height
                for r1 in range(r + 1, m + 1):
                    if edges[r] > bottom or r1 - 1 in totals:
                        break
                    off = abs((top + bottom) / 2 - (edges[r] + edges[r1]) / 2) if centred else abs(top - edges[r])
                    if open_end and j == n and r1 == m:  # a merged cell the page break cuts: text at its top
                        off = min(off, abs(top - edges[r]))
                    off = max(off - tolerance, 0.0)  # row edges are estimates: small offsets are no evidence
                    cost = here + inner + off + MERGE_COST * (r1 - r - 1)
                    if cost < best.get((j, r1), inf):
                        best[(j, r1)], back[(j, r1)] = cost, (i, r, (r, r1))
    if (n, m) not in best:
        return []
    spans = []
    state = (n, m)
    while state != (0, 0):
        i, r, span = back[state]
        if span is not None:
            spans.append(span)
            if extents is not None:
                extents.append((span, lines[i].top, max(ln.bottom for ln in lines[i:state[0]])))
        state = (i, r)
    return sorted(spans)


def hold_labels(edges: list[float], extents: list[tuple[tuple[int, int], float, float]],
                assigned: dict[int, list[tuple[Line, int]]]) -> None:
    """Row edges moved so that each level label's lines lie inside the rows it covers (an edge midway
    between two rows may cut a label's last line off), never into another row's lines."""
    m = len(edges) - 1
    tops, bottoms = [float("inf")] * m, [float("-inf")] * m
    for pairs in assigned.values():
        for line, r in pairs:
            tops[r], bottoms[r] = min(tops[r], line.top), max(bottoms[r], line.bottom)
    for (r0, r1), top, bottom in sorted(extents):
        if 0 < r1 < m and edges[r1] < bottom + 0.5 < tops[r1]:
            edges[r1] = bottom + 0.5
        if 0 < r0 < m and edges[r0] > top - 0.5 > bottoms[r0 - 1]:
            edges[r0] = top - 0.5


# ---------------------------------------------------------------- a table


def build_table(header: list[Line], body: list[Line], cols: Columns, numeric: list[int], open_end: bool,
                continued: bool, all_lines: list[Line], anchors: list[Anchor] | None = None,
                cuts: list[float] | None = None) -> UnruledTable | None:
    """Cell boxes of one table: the header row (if any), then one row per anchor (the numbers of the
    numeric columns unless given); a row cut by the page break at the top (`continued`) or the bottom
    (`open_end`) gets a virtual anchor. With `cuts` (a coded table, code_rows), the rows lie between them."""
    gap_limit, height = pitch(all_lines)
    gap_limit += 0.2 * height
    anchors = anchors if anchors is not None else anchors_of(body, cols, numeric)
    if not anchors:
        return None
    if cuts is not None:  # every line to the row between the cuts around it
        centred, continued = True, continued or anchors[0].virtual  # merged level cells: labels centred in them
        assigned = {c: [(ln, sum(1 for x in cuts if x < ln.centre)) for ln in column_lines(body, cols.xs, c)]
                    for c in range(cols.levels, len(cols.xs) - 1)}
    else:
        first_body = body[0].top if body else anchors[0].top
        if continued and first_body < anchors[0].top - height:
            anchors.insert(0, Anchor(first_body, first_body + 0.1, virtual=True))
        last_body = max(ln.bottom for ln in body)
        if open_end and last_body > anchors[-1].bottom + height:
            anchors.append(Anchor(last_body - 0.1, last_body, virtual=True))
        centred, assigned = rows_for(body, cols, anchors, gap_limit, open_end)
        used = {r for pairs in assigned.values() for _, r in pairs}
        if anchors[0].virtual and _level_block_above(body, cols, anchors[1:], gap_limit):
            used.add(0)  # a level label's tail (指标 of 可持续影响) ends the row the page break cut
        if any(a.virtual and r not in used for r, a in enumerate(anchors)):  # a cut row that got no line: none
            anchors = [a for r, a in enumerate(anchors) if not a.virtual or r in used]
            centred, assigned = rows_for(body, cols, anchors, gap_limit, open_end)
        if anchors[0].virtual and _spare_row(assigned, 0):  # a template's spare row …… at the page top: its own
            anchors[0] = Anchor(anchors[0].top, anchors[0].bottom)
    totals = _total_rows(assigned) | {r for r, a in enumerate(anchors) if a.total}
    if cuts is None:
        for t in sorted(totals, reverse=True):
            anchors, assigned = _spare_row_above(t, anchors, assigned)
        totals = _total_rows(assigned)
    edges = row_edges(assigned, anchors)
    level_words = [w for ln in body for w in ln.words if word_columns(w, cols.xs)[0] < cols.levels]
    if level_words and not header:  # a continued table's level label may start above its rows' lines
        edges[0] = min(edges[0], min(w["top"] for w in level_words) - 1)
    n = len(cols.xs) - 1
    table = UnruledTable(cols, cut_first=anchors[0].virtual, cut_last=len(anchors) > 1 and anchors[-1].virtual)
    if header:
        top = min(ln.top for ln in header) - 1
        edges[0] = (max(ln.bottom for ln in header) + edges[0]) / 2
        table.cells += _header_cells(header, cols, top, edges[0])
        table.edges = [top] + edges
    else:
        table.edges = edges
    if open_end and not anchors[-1].virtual:  # the last row is whole: room under it, so it is not read as cut
        edges[-1] += height
        table.edges[-1] = edges[-1]
    join = _blocks if cuts is not None else _tails_joined  # coded rows are tall: a level cell is one block of lines
    level_lines = {c: join(column_lines(body, cols.xs, c), gap_limit) for c in range(cols.levels)}
    extents: dict[int, list[tuple[tuple[int, int], float, float]]] = {c: [] for c in level_lines}
    spans = {c: level_spans(lines, edges, anchors, centred, gap_limit, continued, open_end, height, totals,
                            extents[c]) for c, lines in level_lines.items()}
    if continued and not header:
        for c, lines in level_lines.items():
            _tail_from_top(spans[c], extents[c], lines)
    hold_labels(edges, [e for c in extents for e in extents[c]], assigned)
    if header:  # a level label beside the header (年度绩效目标 centred over header and rows) takes its cell
        for c, lines in level_lines.items():
            unlabelled = not any(word_columns(w, cols.xs)[0] == c for ln in header for w in ln.words)
            if unlabelled and len(spans[c]) == 1:  # one label in a column the header leaves empty: the whole block's
                end = min(list(totals) + [len(edges) - 1])
                (r0, _), top, bottom = extents[c][0]
                spans[c], extents[c] = [(r0, end)], [((r0, end), top, bottom)]
            if lines and spans[c] and spans[c][0][0] == 0 and (lines[0].top < edges[0] or (
                    unlabelled and _centred_with_header(extents[c], table.edges[0], edges))):
                box = (cols.xs[c], table.edges[0], cols.xs[c + 1], edges[0])
                if box in table.cells:
                    table.cells.remove(box)
                    spans[c][0] = (-1, spans[c][0][1])
    tails = _header_tails(header, assigned, cols, gap_limit) if header else set()
    for c in tails:  # a header cell running into the first row (预算执行情况（万元） over its （20分）): one cell
        box = next((b for b in table.cells if b[0] == cols.xs[c] and b[2] == cols.xs[c + 1] and b[3] == edges[0]), None)
        if box is not None:
            table.cells.remove(box)
            spans.setdefault(c, []).insert(0, (-1, 1))
    if not header and len(anchors) > 1 and anchors[0].virtual:  # the same for a header cut by the page break
        for c in _cut_header_tails(assigned, gap_limit):
            spans.setdefault(c, []).insert(0, (0, 2))
    for r in range(len(anchors)):
        joined = list(range(n))  # joined[c]: first column of the box holding column c
        for pairs in assigned.values():
            for line, row in pairs:
                if row == r:
                    for w in line.words:
                        c0, c1 = word_columns(w, cols.xs)
                        for c in range(c0 + 1, c1 + 1):
                            if c >= cols.levels:
                                joined[c] = joined[c0]
        for line in body:  # a row's words reaching over columns (a total row's label) join its boxes
            if edges[r] <= line.centre <= edges[r + 1]:
                for w in line.words:
                    c0, c1 = word_columns(w, cols.xs)
                    if c0 >= cols.levels:
                        for c in range(c0 + 1, c1 + 1):
                            joined[c] = joined[c0]
        if r in totals:  # the total's label cell runs from the left edge, as in the ruled form
            first = cols.code if cols.code is not None else \
                min(c for c, pairs in assigned.items() for line, row in pairs if row == r)
            for c in range(first + 1):
                joined[c] = 0
        start = 0
        for c in range(1, n + 1):
            if c == n or joined[c] != joined[start]:
                span = next(((r0, r1) for r0, r1 in spans.get(start, []) if r0 <= r < r1), None)
                if span is None:
                    table.cells.append((cols.xs[start], edges[r], cols.xs[c], edges[r + 1]))
                elif span[0] == r:
                    table.cells.append((cols.xs[start], edges[r], cols.xs[c], edges[span[1]]))
                elif span[0] == -1 and r == 0:  # merged with the header cell above
                    table.cells.append((cols.xs[start], table.edges[0], cols.xs[c], edges[span[1]]))
                start = c
    return table


def _centred_with_header(extents: list[tuple[tuple[int, int], float, float]], top: float, edges: list[float]) -> bool:
    """The first label of a level column is centred on the header and its rows together (a merged cell
    年度绩效目标（80分） beside the header), not on its rows alone."""
    first = min(extents, default=None)
    if first is None:
        return False
    (_, r1), label_top, label_bottom = first
    centre = (label_top + label_bottom) / 2
    return abs(centre - (top + edges[r1]) / 2) < abs(centre - (edges[0] + edges[r1]) / 2)


def _total_rows(assigned: dict[int, list[tuple[Line, int]]]) -> frozenset[int]:
    return frozenset(r for pairs in assigned.values() for line, r in pairs
                     if "".join(w["text"] for w in line.words).startswith(TOTAL_WORDS))


def _tail_from_top(spans: list[tuple[int, int]], extents: list[tuple[tuple[int, int], float, float]],
                   lines: list[Line]) -> None:
    """A continued page's first level label that is only a bracketed tail (（20分）) is the rest of the label the
    page break cut: its cell runs from the page's first row (the cell above it is that label's)."""
    first = min(extents, default=None)
    if first is None or first[0][0] == 0:
        return
    (r0, r1), top, bottom = first
    text = "".join(w["text"] for ln in lines if top <= ln.top and ln.bottom <= bottom for w in ln.words)
    if text[:1] in "（(" and not any(word in text for word in LEVEL_NAMES):
        spans[spans.index((r0, r1))] = (0, r1)
        extents[extents.index(first)] = ((0, r1), top, bottom)


def _level_block_above(body: list[Line], cols: Columns, anchors: list[Anchor], gap_limit: float) -> bool:
    """A level column's lines that end, with a gap under them, above the first row's number: the rest of a
    label of the row the page break cut (a label of the first rows would run on down to them)."""
    if not anchors:
        return False
    for c in range(cols.levels):
        blocks = _blocks(column_lines(body, cols.xs, c), gap_limit)
        if blocks and blocks[0].bottom < anchors[0].top:
            return True
    return False


def _spare_row(assigned: dict[int, list[tuple[Line, int]]], r: int) -> bool:
    """Row r holds nothing but a template's spare marks (……) in its value columns: a row of its own, not the
    rest of a row the page break cut (a cut cell goes on in words or numbers, not in a lone ……)."""
    texts = ["".join(w["text"] for w in line.words) for pairs in assigned.values() for line, row in pairs if row == r]
    return bool(texts) and all(text and set(text) <= SPARE_MARKS for text in texts)


def _spare_row_above(t: int, anchors: list[Anchor], assigned: dict[int, list[tuple[Line, int]]]):
    """Lines given to total row t that end above its number: a row of their own without a number (a
    template's spare row ……, a level label's tail), not part of the total."""
    above = [line for pairs in assigned.values() for line, r in pairs if r == t and line.bottom < anchors[t].top]
    if not above:
        return anchors, assigned
    row = Anchor(min(ln.top for ln in above), max(ln.bottom for ln in above))
    ids = {id(ln) for ln in above}
    moved = {c: [(ln, r if r < t or (r == t and id(ln) in ids) else r + 1) for ln, r in pairs]
             for c, pairs in assigned.items()}
    return anchors[:t] + [row] + anchors[t:], moved


def _header_tails(header: list[Line], assigned: dict[int, list[tuple[Line, int]]], cols: Columns,
                  gap_limit: float) -> set[int]:
    """Columns whose first-row text is the bracketed tail of the header label right above it."""
    out = set()
    for c, pairs in assigned.items():
        first = [ln for ln, r in pairs if r == 0]
        above = [w for ln in header for w in ln.words if word_columns(w, cols.xs)[0] == c]
        if first and above and all(ln.words[0]["text"][0] in "（(" for ln in first) \
                and first[0].top - max(w["bottom"] for w in above) <= gap_limit:
            out.add(c)
    return out


def _cut_header_tails(assigned: dict[int, list[tuple[Line, int]]], gap_limit: float) -> set[int]:
    """Columns whose second-row text is the bracketed tail of the first row's (the end of a header row the
    page break cut: 元） over （20分）)."""
    out = set()
    for c, pairs in assigned.items():
        first = [ln for ln, r in pairs if r == 0]
        second = [ln for ln, r in pairs if r == 1]
        if first and second and second[0].words[0]["text"][0] in "（(" \
                and second[0].top - max(ln.bottom for ln in first) <= gap_limit:
            out.add(c)
    return out


def _header_cells(header: list[Line], cols: Columns, top: float, bottom: float) -> list[tuple]:
    """The header row's boxes: one per column, joined where a label runs over a boundary."""
    n = len(cols.xs) - 1
    joined = list(range(n))
    for line in header:
        for w in labels(line):
            c0, c1 = word_columns(w, cols.xs)
            for c in range(c0 + 1, c1 + 1):
                joined[c] = joined[c0]
    out = []
    start = 0
    for c in range(1, n + 1):
        if c == n or joined[c] != joined[start]:
            out.append((cols.xs[start], top, cols.xs[c], bottom))
            start = c
    return out


def _trim(body: list[Line], cols: Columns, numeric: list[int], gap_limit: float) -> list[Line]:
    """The body without what follows its last number and is not a cell's next line: lines after the last
    anchor stay when they follow closely and keep out of the level columns."""
    last = max((k for k, ln in enumerate(body) if any(
        word_columns(w, cols.xs)[0] in numeric and is_number(w["text"]) for w in ln.words)), default=-1)
    if last < 0:
        return []
    keep = body[: last + 1]
    for line in body[last + 1:]:
        if line.top - keep[-1].bottom > gap_limit:
            break
        if any(word_columns(w, cols.xs)[0] < cols.levels and not _tail(w["text"])
               and not _goes_on(w, keep, cols, gap_limit) for w in line.words):
            break  # a new label in a level column: the form goes on below the table
        keep.append(line)
    return keep


def _goes_on(word: dict, lines: list[Line], cols: Columns, gap_limit: float) -> bool:
    """A word right under the last line of its own column: the next line of a wrapped label (服务对象满 /
    意度指标), not a new label."""
    c = word_columns(word, cols.xs)[0]
    above = [w["bottom"] for ln in lines for w in ln.words if word_columns(w, cols.xs)[0] == c]
    return bool(above) and 0 <= word["top"] - max(above) <= gap_limit


def _band(lines: list[Line], i: int) -> Line:
    """Line i with the lines after it that overlap it vertically, chained (a header whose cells are
    centred over several lines), as one line; a single line when none does."""
    words = list(lines[i].words)
    end = i + 1
    while end < len(lines) and lines[end].top < lines[end - 1].bottom and all(
            _is_label(w["text"]) for w in labels(lines[end])):
        words += lines[end].words
        end += 1
    band = Line(sorted(words, key=lambda w: w["x0"]), lines[i].top, max(ln.bottom for ln in lines[i:end]))
    return band


def _band_labels(band: Line) -> list[dict]:
    return [dict(x0=x0, x1=x1, text=t, top=band.top, bottom=band.bottom) for x0, x1, t in header_columns([band])]


def is_header_band(lines: list[Line], i: int, left: float, right: float) -> bool:
    """Line i heads a table: on its own, or with the lines overlapping it (labels stacked in cells); never a
    line beside a number (（80分） 产出指标 业务完成率 业务完成率 over its row's score: a body row)."""
    if _beside_number(lines, i):
        return False
    if is_header_line(lines[i], left, right):
        return True
    band = _band(lines, i)
    if len(band.words) == len(lines[i].words) or not all(_is_label(w["text"]) for w in labels(lines[i])):
        return False
    merged = _band_labels(band)
    return (len(merged) >= HEADER_MIN_WORDS and sum(1 for w in merged if _vocabulary(w["text"])) >= HEADER_MIN_VOCABULARY
            and _header_words(merged) and band.x1 - band.x0 >= HEADER_SPREAD * (right - left))


def header_rows(lines: list[Line], left: float, right: float) -> list[tuple[int, int, list[Line], list[dict]]]:
    """Each header row on the page: (first line, first line past it, its header lines, words beside it)."""
    out: list[tuple[int, int, list[Line], list[dict]]] = []
    i = 0
    while i < len(lines):
        if is_header_band(lines, i, left, right):
            header, apart, end = header_row(lines, i)
            if len(header_columns(header)) < HEADER_MIN_WORDS:  # words of a long cell's text, not a header
                i += 1
                continue
            first = next(k for k, ln in enumerate(lines) if ln.bottom >= header[0].top and k >= (out[-1][1] if out else 0))
            out.append((first, end, header, apart))
            i = end
        else:
            i += 1
    return out


def _body_end(lines: list[Line], start: int, stop: int, cols: Columns) -> int:
    """Index of the first line past the table whose body begins at `start`: running text, or `stop` (the
    next header row)."""
    i = start
    while i < stop and not _spans_wide(lines[i], cols.xs):
        i += 1
    return i


def find_unruled(words: list[dict], left: float, right: float, carried: Columns | None = None) -> list[UnruledTable]:
    """Tables on a page without rules, top to bottom: each starts at a header row (its columns from it
    and from its body) or, with `carried` (the columns of a table that ran to the end of the previous
    page), at the page's first lines; each ends at the next header or at running text."""
    lines = group_lines(words)
    if not lines:
        return []
    gap_limit, height = pitch(lines)
    gap_limit += 0.2 * height
    heads = header_rows(lines, left, right)
    # (header first line, body first line, columns, header lines, words beside the header)
    starts: list[tuple[int, int, Columns | None, list[Line], list[dict]]] = []
    follows = carried is not None and carried.code is not None  # a coded table ran on to here
    tails: list[Line] = []  # the rest of a header row the page break cut: the header row of this page's piece
    if follows and carried.header and heads and heads[0][0] == 0:
        tails = lines[:heads[0][1]]
        heads[0] = (heads[0][1], heads[0][1], [], [])
    if carried is not None and (not heads or heads[0][0] > 0 or not heads[0][2]):
        starts.append((0, heads[0][1] if heads and not heads[0][2] else 0, carried, [], []))
        heads = [h for h in heads if h[2]]
    starts += [(first, end, None, header, apart) for first, end, header, apart in heads]
    tables: list[UnruledTable] = []
    for k, (first, j, cols, header, apart) in enumerate(starts):
        stop = starts[k + 1][0] if k + 1 < len(starts) else len(lines)
        while follows and k == 0 and cols is not None and cols.header and j < stop and all(  # a cut header's tails (指标 指标 指标)
                _is_label(w["text"]) and (_vocabulary(w["text"]) or _fragment(w["text"])) for w in labels(lines[j])):
            tails.append(lines[j])
            j += 1
        if cols is None or cols.header:  # columns from a header (this page's, or one left bodiless on the last)
            heading = header or cols.header
            rough = j  # the body before its columns are known: up to a line as wide as half the header
            width = max(ln.x1 for ln in heading) - min(ln.x0 for ln in heading)
            while rough < stop and max(w["x1"] - w["x0"] for w in labels(lines[rough])) < width / 2:
                rough += 1
            cols = columns_for(heading, [w for ln in lines[j:rough] for w in ln.words], left, right)
        end = _body_end(lines, j, stop, cols)
        body = sorted(group_lines(apart) + lines[j:end], key=lambda ln: ln.top)
        coded = coded_columns(body, cols) if body else None
        if coded is None and follows and body:  # a page piece holding the rest of a coded row only
            coded = Columns(cols.xs, cols.levels, cols.header, code=cols.levels)
        under_header = k == 0 and carried is not None and carried.header is not None  # a header ends the page before
        rows = code_rows(body, coded, gap_limit, follows, cut=not under_header) if coded is not None else None
        follows = rows is not None if body else follows
        if rows is not None:
            cut_header = tails if k == 0 and under_header else []
            table = build_table(header or cut_header, body, coded, [], False, continued=not (header or cut_header),
                                all_lines=lines, anchors=rows[0], cuts=rows[1])
            if table is not None and cut_header:  # its header row goes on from the header ending the page before
                table.cut_first = True
            tables += [table] if table is not None else []
            continue
        numeric = numeric_columns(body, cols)
        cols = merged_columns(body, cols, numeric) if numeric else cols
        body = _trim(body, cols, numeric, gap_limit) if numeric else []
        if not body:
            if header and j == len(lines):  # a header at the foot of the page: its body is on the next one
                form = form_rows(lines, first, cols, tables[-1].edges[-1] if tables else None, gap_limit)
                tables += [form] if form is not None else []
                tables.append(_header_only(header, _beside(cols, header, apart)))
                tables[-1].columns.code = cols.levels if follows else None  # a coded table goes on under it
            continue  # else a header without numbers under it: left to the text (never-silent checks report it)
        open_end = body[-1] is lines[-1]
        (body, cols), *more = pieces(body, cols, gap_limit)
        table = build_table(header, body, cols, numeric, open_end and not more, continued=not header, all_lines=lines)
        if table is not None:
            form = form_rows(lines, first, cols, tables[-1].edges[-1] if tables else None, gap_limit)
            if form is not None:
                tables.append(form)
            tables.append(table)
        for n, (part, own) in enumerate(more, 1):  # rows of another piece, on columns of their own
            table = build_table([], part, own, numeric, open_end and n == len(more), continued=False, all_lines=lines)
            if table is not None:
                table.own_columns = True
                tables.append(table)
    if tables and not tables[-1].header_only:  # a form's first rows at the foot of the page, the rest on the next
        tail = form_rows(lines, len(lines), tables[-1].columns, tables[-1].edges[-1], gap_limit)
        tables += [tail] if tail is not None else []
    return tables


def _misfit(line: Line, xs: list[float]) -> bool:
    """A number of the line has characters on both sides of a column boundary (cells take characters by their
    centres): numbers sit inside their column, so the row belongs to a piece typeset with other widths."""
    for w in line.words:
        if is_number(w["text"]):
            half = (w["x1"] - w["x0"]) / len(w["text"]) / 2
            if any(w["x0"] + half < x < w["x1"] - half for x in xs[1:-1]):
                return True
    return False


def refit(lines: list[Line], xs: list[float]) -> list[float] | None:
    """The same columns moved onto these lines: each boundary a word crosses goes to the nearest blank strip
    of the lines (in order); None when some boundary finds none or a number still crosses one."""
    words = [w for ln in lines for w in ln.words]
    free = rivers(words, xs[0], xs[-1])
    out = [xs[0]]
    for x in xs[1:-1]:
        if any(w["x0"] < x < w["x1"] for w in words):
            x = min((r for r in free if r > out[-1]), key=lambda r: abs(r - x), default=None)
            if x is None:
                return None
        out.append(x)
    out.append(xs[-1])
    if any(b <= a for a, b in zip(out, out[1:])) or any(_misfit(ln, out) for ln in lines):
        return None
    return out


def pieces(body: list[Line], cols: Columns, gap_limit: float) -> list[tuple[list[Line], Columns]]:
    """The body cut where its rows stop fitting the columns (a table stacked from pieces each typeset with its
    own column widths, as MinerU's tables of a long report): each piece with the columns moved onto it. A
    piece starts at the row whose number crosses a boundary, with the lines of its wrapped first cell above."""
    out: list[tuple[list[Line], Columns]] = []
    while True:
        s = next((k for k, ln in enumerate(body) if k > 0 and _misfit(ln, cols.xs)), None)
        if s is None:
            break
        while s > 0 and body[s].top - body[s - 1].bottom <= gap_limit \
                and not any(is_number(w["text"]) for w in body[s - 1].words):
            s -= 1
        xs = refit(body[s:], cols.xs) if s > 0 else None
        if xs is None:
            break
        out.append((body[:s], cols))
        body, cols = body[s:], Columns(xs, cols.levels)
    return out + [(body, cols)]


def form_rows(lines: list[Line], first: int, cols: Columns, floor: float | None, gap_limit: float) -> UnruledTable | None:
    """The key-value rows of a form right above a table's header (项目名称 …, 主管部门 …): lines following
    each other closely, each row starting with a label in the first column, up to a line starting there
    and running on past it (the form's title) or a line with a colon (单位名称：, above the form). One row per
    first-column label; the other lines join the label they are centred on. `first` may be the number of
    lines: the rows ending the page (a form whose header comes on the next page)."""
    kv = Columns(cols.xs, 0)
    k = first
    while k > 0:
        line = lines[k - 1]
        lead = labels(line)[0]
        if ((k < len(lines) and lines[k].top - line.bottom > gap_limit) or (floor is not None and line.top < floor)
                or word_columns(lead, kv.xs)[0] == 0 and lead["x1"] > kv.xs[1]  # a title from the margin
                or any("：" in w["text"] or ":" in w["text"] for w in line.words)):
            break
        k -= 1
    body = lines[k:first]
    words = [w for ln in body for w in ln.words]
    inner = [x for x in rivers(words, kv.xs[0], kv.xs[1]) if any(x < (w["x0"] + w["x1"]) / 2 < kv.xs[1] for w in words)]
    if inner:  # the labels end before the table's first column does, values in it (its columns from a header alone)
        kv = Columns([kv.xs[0], inner[0]] + kv.xs[1:], 0)
    anchors = [Anchor(ln.top, ln.bottom) for ln in body if any(word_columns(w, kv.xs) == (0, 0) for w in ln.words)]
    if len(anchors) < 2:
        return None
    return build_table([], body, kv, [], False, continued=False, all_lines=lines, anchors=anchors)


def _beside(cols: Columns, header: list[Line], apart: list[dict]) -> Columns:
    """A bodiless header's columns with a column of its own for a label standing left of its first label
    (年度绩效目标 beside 一级指标): without body lines no river shows it."""
    first = min(w["x0"] for ln in header for w in ln.words)
    left = [w for w in apart if w["x1"] < first]
    if not left:
        return cols
    cut = (max(w["x1"] for w in left) + first) / 2
    return Columns(sorted(cols.xs + [cut]), cols.levels + 1)


def _header_only(header: list[Line], cols: Columns) -> UnruledTable:
    top, bottom = min(ln.top for ln in header) - 1, max(ln.bottom for ln in header) + 1
    return UnruledTable(Columns(cols.xs, cols.levels, header), [top, bottom],
                        _header_cells(header, cols, top, bottom), header_only=True)


def open_columns(tables: list[UnruledTable], words: list[dict]) -> Columns | None:
    """The columns of the page's last table when no text line starts below it (it may go on): its last row's
    lines may reach a little under its bottom edge (a wrapped level label's 指标 at the page foot)."""
    if not tables or not words:
        return None
    bottom = tables[-1].bbox[3]
    return tables[-1].columns if all(w["top"] < bottom for w in words) else None  # a header-only one carries its header


def stack_touching(tables: list[UnruledTable]) -> list[list[tuple[float, float, float, float]]]:
    """Cell boxes of the page's tables, those that touch (one's header right under the other's last row,
    as a form's budget block over its indicator block) as one table: a ruled form is one table too. A header
    row left without its body at the foot of the page stays apart: it joins its body on the next page."""
    out: list[list[tuple[float, float, float, float]]] = []
    last: UnruledTable | None = None
    for table in tables:
        if last is not None and table.edges and table.edges[0] - last.edges[-1] <= TOUCHING \
                and not table.header_only and not table.own_columns \
                and table.columns.code is None and last.columns.code is None:  # coded: page pieces, each its own columns
            shift = (table.edges[0] + last.edges[-1]) / 2
            out[-1] = [c if c[3] < last.edges[-1] - 0.01 else (c[0], c[1], c[2], shift) for c in out[-1]]
            out[-1] += [c if c[1] > table.edges[0] + 0.01 else (c[0], shift, c[2], c[3]) for c in table.cells]
        else:
            out.append(list(table.cells))
        last = table
    return out
