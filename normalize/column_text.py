"""Forms in text laid out in columns, as `pdftotext -layout` writes a PDF table: each cell's words stand at
their column's character offset, a cell wrapped over several lines stays in its column, and a merged cell
(一级 / 二级) is written once, vertically centred on the rows it spans.

The columns come from the header: its words, stacked over a few lines (年初目标值 / （A）), are gathered
by their character offsets (pdftotext gives every character one column, a CJK one too; WIDE counts display
width instead, for a writer that pads by it) and the cut between two columns is the offset the fewest words
cross. A row is anchored on the line holding its
points (or values); the wrapped lines of a cell join the row whose anchor they enclose or stand nearest to;
the level cells are given to the groups of rows they are centred on (a 一级 holding whole 二级 groups).
The rows come out as pipe rows would, and normalize/flat_forms.py lays them out like any other flattened
form. pdftotext squeezes and shifts some lines, so a form where any word's column is a guess, or whose
groups hold more points than their shares while the layout does not rule out a grouping within them (the 二级
groups' edges too), is left out (reported unread), never read with a wrong cell.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import partial

from jixiao.patterns import flat_text as ft
from jixiao.patterns.headers import split_weight

MAX_BAND = 6  # lines a header may stack over (扣分原因 / 和其他说 / 明)
HEADER_WORD = 14  # display columns: a longer word is a cell's text, not a header piece
TAIL = 4  # characters: below a header's words, a longer piece without a header word is a row's text
NEAR = 6  # display columns: a header's bracketed second line stands this near its first
WRAPPED_TAIL = 2  # characters: a header piece this short, of no header word, is the tail of a wrapped cell (标, 明)
WIDE = False  # pdftotext -layout gives every character one column, a CJK one too


@dataclass
class Word:
    x0: int  # first display column
    x1: int  # one past the last
    text: str

    @property
    def mid(self) -> float:
        return (self.x0 + self.x1) / 2


def width(ch: str) -> int:
    return 2 if WIDE and unicodedata.east_asian_width(ch) in ("W", "F") else 1


_WORD = re.compile("[^ \u3000]+")


def words(line: str) -> list[Word]:
    """The line's words (runs without a space) with their display columns."""
    line = line.rstrip("\n")
    if not WIDE and "\u3000" not in line:  # every character one column: a word's columns are its offsets
        return [Word(m.start(), m.end(), m.group()) for m in _WORD.finditer(line)]
    out, x, cur, start = [], 0, "", 0
    for ch in line:
        if ch == " " or ch == "\u3000":
            if cur:
                out.append(Word(start, x, cur))
                cur = ""
            x += 1 if ch == " " else 2
            continue
        if not cur:
            start = x
        cur += ch
        x += width(ch)
    if cur:
        out.append(Word(start, x, cur))
    return out


_SPACE_BY_CJK = re.compile(r"(?<![A-Za-z0-9]) +| +(?![A-Za-z0-9])")


def tidy(text: str) -> str:
    """A cell's text as the document has it: the spaces the layout writer puts at font changes and line
    joins (2021 年度, ≤2 小时, 投 入, B/ A) dropped; a space between two Latin letters or digits kept."""
    return _SPACE_BY_CJK.sub("", " ".join(text.split()))


def chunks(line: str) -> list[str]:
    """A line outside a header's columns cut at runs of two or more spaces, but not after an opened bracket
    or between a number and the Chinese words it starts (2021   年度…: a layout written with wide spacing)."""
    out: list[str] = []
    for part in (tidy(c) for c in re.split(r" {2,}|\u3000+", line.strip()) if c.strip()):
        if out and (_opened(out[-1]) or re.fullmatch(r"\d+", out[-1]) and re.match(r"[\u4e00-\u9fff]", part)):
            out[-1] = tidy(f"{out[-1]} {part}")
        else:
            out.append(part)
    return out


# ---------------------------------------------------------------- the header band and its columns


@dataclass
class Column:
    x0: int
    x1: int
    pieces: list[tuple[int, str]]  # (line, text) of the header words gathered here

    @property
    def text(self) -> str:
        return tidy(" ".join(t for _, t in sorted(self.pieces, key=lambda p: p[0])))

    @property
    def mid(self) -> float:
        return (self.x0 + self.x1) / 2


def _header_piece(word: Word) -> bool:
    key = ft.squeeze(word.text)
    return word.x1 - word.x0 <= HEADER_WORD and not (ft.is_number(key) or ft.is_percent(key))


def gather(lines: list[list[Word]], main: int, grammar) -> list[Column]:
    """Header words of the band gathered into columns: the main line's words first, then each other
    line's words (nearest lines first) into the column they overlap most, or a column of their own."""
    lines = [_phrases(line, grammar) for line in lines]
    columns = [Column(w.x0, w.x1, [(main, w.text)]) for w in lines[main]]
    order = sorted((k for k in range(len(lines)) if k != main), key=lambda k: abs(k - main))
    for k in order:
        for w in lines[k]:
            overlaps = [(min(c.x1, w.x1) - max(c.x0, w.x0), c) for c in columns]
            best = max(overlaps, key=lambda o: o[0], default=(0, None))
            if best[0] <= 0 and (_fragment(w.text) or len(w.text) <= WRAPPED_TAIL and not grammar.field_of(w.text)):
                # （B）, 标 (年度绩效目 / 标): a header's second line, set a few columns off its first (-fixed N)
                near = min(columns, key=lambda c: max(c.x0 - w.x1, w.x0 - c.x1))
                if max(near.x0 - w.x1, w.x0 - near.x1) <= NEAR:
                    best = (1, near)
            if best[1] is not None and best[0] > 0:
                col = best[1]
                col.pieces.append((k, w.text))
                col.x0, col.x1 = min(col.x0, w.x0), max(col.x1, w.x1)
            else:
                columns.append(Column(w.x0, w.x1, [(k, w.text)]))
    return sorted(columns, key=lambda c: c.x0)


def _opened(text: str) -> bool:
    """A bracket opened and not closed: the header cell goes on (（20   分*)."""
    return text.count("(") + text.count("（") > text.count(")") + text.count("）")


def _fragment(text: str) -> bool:
    """A header cell's bracketed second line (（B）, A）, 执行率）, （20 分*)."""
    return text[:1] in "(（" or text.count(")") + text.count("）") > text.count("(") + text.count("（")


def _phrases(line: list[Word], grammar) -> list[Word]:
    """Words one space apart (or two, or a few after an unclosed bracket; the next not a new bracket) joined:
    one header cell's words (（20 分*), unless both are header words of their own (年初目标值 实际完成值)."""
    out: list[Word] = []
    for w in line:
        gap = w.x0 - out[-1].x1 if out else 0
        still_open = out and _opened(out[-1].text) and gap <= 2 * NEAR and not grammar.field_of(w.text)
        if out and (gap < 2 or gap == 2 and w.text[:1] not in "(（" or still_open and w.text[:1] not in "(（") \
                and not (grammar.field_of(w.text) and grammar.field_of(out[-1].text)):
            out[-1] = Word(out[-1].x0, w.x1, out[-1].text + " " + w.text)
        else:
            out.append(w)
    return out


def cuts(columns: list[Column], body: list[list[Word]]) -> list[float]:
    """Where each column ends: between two header columns, the offset the fewest body words cross, a
    single space inside a phrase counting half (≥48 期); ties: nearest halfway between the header words' middles."""
    out = []
    for a, b in zip(columns, columns[1:]):
        lo, hi = int(a.mid) + 1, int(b.mid)
        gap = (a.mid + b.mid) / 2
        best = None
        for x in range(lo, max(hi, lo) + 1):
            crossed = sum(1 for line in body for w in line if w.x0 < x < w.x1) + sum(
                _space_cost(a_, b_) for line in body for a_, b_ in zip(line, line[1:])
                if b_.x0 - a_.x1 == 1 and a_.x1 <= x <= b_.x0)
            key = (crossed, abs(x - gap))
            if best is None or key < best[0]:
                best = (key, x)
        out.append(best[1] if best else gap)
    return out


def _runs(line: list[Word]) -> list[list[Word]]:
    """The line's words in runs one space apart."""
    out: list[list[Word]] = []
    for w in line:
        if out and w.x0 - out[-1][-1].x1 == 1:
            out[-1].append(w)
        else:
            out.append([w])
    return out


def _ambiguous(run: list[Word], bounds: list[float]) -> bool:
    """Words one space apart across a column cut with more places to cut them than cuts (月度运营数据分析
    次月 10 日: the name ends after 分析 or after 次月): which cell a word belongs to is a guess."""
    if len(run) < 2:
        return False
    crossed = sum(1 for b in bounds if run[0].x0 < b < run[-1].x1)
    gaps = sum(1 for a, b in zip(run, run[1:]) if _space_cost(a, b) < 1)
    return 0 < crossed < gaps


TWIN_KINDS = ("target", "actual")


def _with_twins(body: list[list[Word]], bounds: list[float], kinds: list[str | None]
                ) -> tuple[list[list[Word]], dict[int, int]]:
    """Lines whose words one space apart end in the same cell twice (≤48 小时 ≤48 小时, 按合同执行 按合同执行: a
    target met as written) wider than their columns: each twin one word, its place sure (the cut between the two
    cells is where the text repeats): in the target and actual columns, also when the writer squeezed the line
    so both middles fall in the target column and the actual column holds nothing else on the line.
    Returns the lines and each twin's column by id."""
    twins: dict[int, int] = {}
    out = []
    for line in body:
        new: list[Word] = []
        for run in _runs(line):
            new += _twin_split(run, bounds, kinds, twins, line)
        out.append(new)
    return out, twins


def _twin_split(run: list[Word], bounds: list[float], kinds: list[str | None], twins: dict[int, int],
                line: list[Word]) -> list[Word]:
    if not all(k in kinds for k in TWIN_KINDS) or kinds.index("actual") != kinds.index("target") + 1:
        return run
    target = kinds.index("target")
    for k in range(len(run) - 1):
        size = (len(run) - k) // 2
        if size < 1 or k + 2 * size != len(run):
            continue
        a, b = run[k:k + size], run[k + size:]
        if [w.text for w in a] != [w.text for w in b]:
            continue
        first = Word(a[0].x0, a[-1].x1, " ".join(w.text for w in a))
        second = Word(b[0].x0, b[-1].x1, " ".join(w.text for w in b))
        at = [column_of(first, bounds), column_of(second, bounds)]
        others = [column_of(w, bounds) for w in line if w not in run]
        squeezed = at == [target, target] and target + 1 not in others
        if at == [target, target + 1] or squeezed:
            twins.update({id(first): target, id(second): target + 1})
            return run[:k] + [first, second]
    return run


def _space_cost(left: Word, right: Word) -> float:
    """Cutting at a single space: a number and its unit (≥5000 条) are one cell; other words one space
    apart most likely too (half a word), unless the rest of the column says otherwise."""
    return 1.0 if left.text[-1:].isdigit() and not right.text[:1].isascii() and len(right.text) <= 2 else 0.5


def column_of(word: Word, bounds: list[float]) -> int:
    return sum(1 for b in bounds if word.mid > b)


# ---------------------------------------------------------------- forms: header bands, bodies, rows

_NOT_HEADER = re.compile(r"[、☑□√■:：；;。，,]")


@dataclass
class Band:
    top: int
    bottom: int  # one past its last line
    columns: list[Column]
    kind: str  # budget or indicators


def _band_line(line: list[Word], grammar) -> bool:
    """A line that can be part of a header: short pieces, no value, no list or sentence punctuation."""
    return bool(line) and all(
        grammar.field_of(w.text) or (_header_piece(w) and not _NOT_HEADER.search(w.text)
                                     and not re.search(r"\d", re.sub(r"[(（][^)）]*$|[(（].*?[)）]", "", w.text)))
        for w in line)


def find_band(rows: list[list[Word]], i: int, grammar) -> Band | None:
    """The header band around line i (a line with a header word), if its gathered columns are a header."""
    if not rows[i] or not any(grammar.field_of(w.text) for w in rows[i]) or not _band_line(rows[i], grammar):
        return None
    top = i
    while top > 0 and i - top < MAX_BAND and _band_line(rows[top - 1], grammar):
        top -= 1
    bottom = i + 1
    while bottom < len(rows) and bottom - i < MAX_BAND and _band_line(rows[bottom], grammar) and all(
            grammar.field_of(w.text) or len(w.text) <= TAIL or w.text[:1] in "(（" for w in rows[bottom]):
        bottom += 1
    band = rows[top:bottom]
    if _apart(band) < grammar.MIN_HEADER:
        return None  # fewer columns than a header has, whichever line gather starts from
    mains = sorted(range(len(band)), key=lambda k: (-sum(1 for w in band[k] if grammar.field_of(w.text)), abs(k + top - i)))
    for main in mains:  # the line with the most header words first
        columns = gather(band, main, grammar)
        kind = grammar.header_kind([c.text for c in columns])
        if kind is not None:
            break
    else:
        return None
    for c in columns:
        c.pieces = [(line + top, text) for line, text in c.pieces]
    return Band(top, bottom, columns, kind)


def _apart(band: list[list[Word]]) -> int:
    """The most words of the band no two of which overlap: gather makes no more columns than that (a column
    starts from a word overlapping no column made before it, so the columns' first words are such words)."""
    count, end = 0, -1
    for w in sorted((w for line in band for w in line), key=lambda w: w.x1):
        if w.x0 >= end:
            count, end = count + 1, w.x1
    return count


LEVEL_KINDS = ("level1", "level2")


def _with_side(columns: list[Column], body: list[list[Word]], grammar) -> list[Column]:
    """A column left of the header's first (年度绩效目标, a label merged down the form's side): there when
    body words stand wholly left of the first header column."""
    first = columns[0]
    if grammar.field_of(first.text) is None:
        return columns
    left = [w for line in body for w in line if w.x1 <= first.x0]
    if not left:
        return columns
    return [Column(min(w.x0 for w in left), max(w.x1 for w in left), []), *columns]


VALUE_KINDS = ("target", "actual", "target_adjusted", "unit", "nature")
_INNER_SHARE = re.compile(r"[(（]\d+(?:\.\d+)?分[)）](?=.)")
WHOLE_KINDS = ("target", "actual", "target_adjusted", "weight", "score")
_WHOLE = re.compile(r"[≥≤<>＞＜=]?\d+(?:\.\d+)?(?:%|[^\d\s]{0,2})")  # a value, not a wrapped piece of one


def _cells_by_line(body: list[list[Word]], bounds: list[float], kinds: list[str | None],
                   placed: dict[int, int] | None = None) -> list[list[str]]:
    """Each line's words under their columns (placed: a word's column known otherwise, by id). A line the
    writer squeezed (two cells one space apart in one column, the next column empty: 按合同执行 按合同执行) gives
    its last word to the next column."""
    placed = placed or {}
    out = []
    for line in body:
        cells: list[list[Word]] = [[] for _ in kinds]
        for w in line:
            cells[placed.get(id(w), column_of(w, bounds))].append(w)
        for k in range(len(kinds) - 1):
            here = cells[k]
            if kinds[k + 1] in VALUE_KINDS and not cells[k + 1] and len(here) >= 2 \
                    and here[-1].x0 - here[-2].x1 == 1 and _space_cost(here[-2], here[-1]) < 1 \
                    and (kinds[k] in VALUE_KINDS or len(here) > 2):
                cells[k + 1] = [here.pop()]
        out.append([tidy(" ".join(w.text for w in c)) for c in cells])
    return out


def _anchors(grid: list[list[str]], kinds: list[str | None]) -> list[int]:
    """Lines holding a row's points (a number under 分值 / 得分), else its values; a line holding only a
    template's unfilled mark (……) is a row of its own."""
    points = [k for k, kind in enumerate(kinds) if kind in ("weight", "score")]
    found = [i for i, cells in enumerate(grid) if any(ft.is_number(cells[k]) for k in points)
             or _only_mark(cells, kinds)]
    if found:
        return found
    values = [k for k, kind in enumerate(kinds) if kind in ("target", "actual")]
    return [i for i, cells in enumerate(grid) if any(cells[k] for k in values)]


def _only_mark(cells: list[str], kinds: list[str | None]) -> bool:
    filled = [c for k, c in enumerate(cells) if c and kinds[k] not in LEVEL_KINDS and k]
    return len(filled) == 1 and bool(re.fullmatch(r"[.…。·]{2,}|…", ft.squeeze(filled[0])))


def _give_to_rows(pieces: list[tuple[int, str]], anchors: list[int]) -> dict[int, list[tuple[int, str]]]:
    """A column's pieces (line, text) given to rows: each line to the nearest anchor line; a line as near
    to two goes to the row above when it is a share alone (单次活动推广曝光 / 量 / （5 分） / 外宣品验收通过率: the
    last line of a cell), else to the one whose own line is empty in this column (a wrapped cell is centred on
    its row's anchor, so its lines stand around it), else to the one with a piece on the mirrored line."""
    have = {line for line, _ in pieces}
    out: dict[int, list[tuple[int, str]]] = {}
    for line, text in pieces:
        d = min(abs(a - line) for a in anchors)
        near = [r for r, a in enumerate(anchors) if abs(a - line) == d]
        if len(near) > 1:  # a share alone ((5 分)) ends its cell: never the first line of the row below
            ends = ft.is_points_only(text)
            near.sort(key=lambda r: (ends and anchors[r] > line, anchors[r] in have, 2 * anchors[r] - line not in have))
        out.setdefault(near[0], []).append((line, text))
    return out


def _level_cells(pieces: list[tuple[int, str]], grammar) -> list[tuple[int, int, str]]:
    """A level column's pieces joined into its merged cells, each with its first and last line: a piece starts a
    new cell when the cell so far is a whole level name and the piece is not its tail (（40 分）, 标,
    a second line of the template's 效益指标（XX分）)."""
    cells: list[list[tuple[int, str]]] = []
    for line, text in pieces:
        if cells:
            so_far = tidy(" ".join(t for _, t in cells[-1]))
            if not _starts_cell(so_far, text, grammar):
                cells[-1].append((line, text))
                continue
        cells.append([(line, text)])
    return [(c[0][0], c[-1][0], _level_text([t for _, t in c])) for c in cells]


_PLACEHOLDER_THEN = re.compile(r"([(（]\s*[XxＸｘ×]+\s*分\s*[)）])(?=\S)")


def _level_text(pieces: list[str]) -> str:
    """A level cell's text; the template's label and the filled one (效益指标（XX分） 效益指标（20分）)
    kept on two lines, as the document has them."""
    return _PLACEHOLDER_THEN.sub("\\1\n", tidy(" ".join(pieces)))


def _starts_cell(so_far: str, piece: str, grammar) -> bool:
    key = ft.squeeze(piece)
    bare = re.sub(r"[(（][^)）]*[)）]?$", "", key)  # 指标（10 / 指标（10分）: a name's tail with its share
    if key[:1] in "(（)）" or ft.is_points_only(piece) or key in grammar.split_tails() or bare in grammar.split_tails():
        return False
    if grammar.level_of(so_far + key) is not None and grammar.level_of(so_far) is None:
        return False
    whole = grammar.level_of(so_far) is not None or grammar.has_points(so_far) or grammar.unknown_level(so_far)
    if whole and grammar.placeholder(so_far) and grammar.level_key(piece) == grammar.level_key(
            grammar.placeholder_free(so_far)):
        return False  # 效益指标（XX分） then 效益指标（20分）: one cell, the template's label and the filled one
    return whole


def _on_page(bottom: int, lo: int, hi: int, breaks: tuple[int, ...]) -> tuple[int, int]:
    """A group's lines as far as its cell's page reaches: a merged cell cut by a page break has its text
    centred on the part before the break (breaks: the first line of each new page)."""
    end = min((b for b in breaks if b > bottom), default=hi + 1)
    return lo, max(lo, min(hi, end - 1))


def _groups(cells: list[tuple[int, int, str]], spans: list[tuple[int, int]],
            starts: set[int] | None = None, mismatch=None, fits=None,
            breaks: tuple[int, ...] = ()) -> tuple[list[int], float]:
    """The first row of each level cell's group: rows cut into consecutive groups, one per cell in order,
    each group's lines holding its cell's lines, starting where an inner level's group starts (a 一级
    holds whole 二级 groups), the cell as near the middle of its group as can be; with its cost. fits(c, start,
    end): whether cell c may hold rows start..end-1 (its share of points)."""
    n, m = len(spans), len(cells)
    if m == 0 or m > n:
        return [], float("inf")
    inf = float("inf")
    best = [[inf] * (n + 1) for _ in range(m + 1)]
    back = [[0] * (n + 1) for _ in range(m + 1)]
    best[0][0] = 0.0
    for c in range(1, m + 1):
        top, bottom, _ = cells[c - 1]
        for end in range(c, n + 1):
            if starts is not None and end < n and end not in starts:
                continue
            for start in range(c - 1, end):
                if best[c - 1][start] == inf or (starts is not None and start not in starts) \
                        or (fits is not None and not fits(c - 1, start, end)):
                    continue
                lo, hi = spans[start][0], spans[end - 1][1]
                outside = max(lo - top - 1, 0) + max(bottom - hi - 1, 0)  # cell lines outside the group (a line of slack)
                lo, hi = _on_page(bottom, lo, hi, breaks)
                cost = best[c - 1][start] + 100 * outside + ((top + bottom) / 2 - (lo + hi) / 2) ** 2
                if mismatch is not None:  # a 二级 the template puts under another 一级: a tie-breaker only
                    cost += 0.5 * sum(mismatch(r, cells[c - 1][2]) for r in range(start, end))
                if cost < best[c][end]:
                    best[c][end], back[c][end] = cost, start
    if best[m][n] == inf:
        return [], inf
    firsts, end = [], n
    for c in range(m, 0, -1):
        start = back[c][end]
        firsts.append(start)
        end = start
    return firsts[::-1], best[m][n]


CLEAR = 50  # DP cost: another grouping this much worse has a level cell's line outside its group


def _points(rows: list[list[str]], kinds: list[str | None]) -> list[float]:
    """Each row's points: its weight, else the share its 三级 name ends in (报告材料（12分）), else its score (0
    for a template's …… row)."""
    at = [k for k, kind in enumerate(kinds) if kind == "weight"]
    name = kinds.index("level3") if "level3" in kinds else None
    score = [k for k, kind in enumerate(kinds) if kind == "score"]
    return [next((ft.number(row[k]) for k in at if ft.is_number(row[k])), None)
            or (split_weight(row[name])[1] if name is not None else None)
            or next((ft.number(row[k]) for k in score if ft.is_number(row[k])), 0.0) for row in rows]


def _share(text: str) -> float | None:
    return split_weight(text.split("\n")[-1])[1]


def _fits(cells: list[tuple[int, int, str]], points: list[float], c: int, start: int, end: int) -> bool:
    share = _share(cells[c][2])
    return share is None or sum(points[start:end]) <= share + 1e-6


def _over_share(cells: list[tuple[int, int, str]], firsts: list[int], rows: list[list[str]],
                kinds: list[str | None]) -> bool:
    points = _points(rows, kinds)
    ends = [*firsts[1:], len(rows)]
    return not all(_fits(cells, points, c, a, b) for c, (a, b) in enumerate(zip(firsts, ends)))


def _overflow(cells: list[tuple[int, int, str]], firsts: list[int] | tuple[int, ...], points: list[float]) -> float:
    """Points over their shares, summed over the groups."""
    ends = [*firsts[1:], len(points)]
    return sum(max(0.0, sum(points[a:b]) - share) for (*_, text), a, b in zip(cells, firsts, ends)
               if (share := _share(text)) is not None)


def _least_over(cells: list[tuple[int, int, str]], firsts: list[int], points: list[float],
                starts: set[int] | None) -> bool:
    """Whether these groups overflow their shares less than any other grouping of the rows (each group
    starting where an inner level's group starts)."""
    from itertools import combinations

    allowed = sorted(r for r in range(1, len(points)) if starts is None or r in starts)
    mine = _overflow(cells, firsts, points)
    return all(_overflow(cells, (0, *other), points) > mine + 1e-6
               for other in combinations(allowed, len(cells) - 1) if [0, *other] != list(firsts))


def _foreign(children: list[str], grammar, r: int, level1: str) -> bool:
    """Whether row r's 二级 name usually sits under another 一级 than this one."""
    parent = grammar.parent_of(children[r]) if children[r] else None
    own = grammar.level_key(level1.split("\n")[-1])
    return parent is not None and own in grammar.level1_names() and parent != own


def indicator_rows(body: list[list[Word]], band: Band, grammar,
                   breaks: tuple[int, ...] = ()) -> tuple[list[str], list[list[str]], bool]:
    """The header row, the indicator rows of the body lines under an indicator header, and whether a word's
    column was a guess (a word across a column cut, or words one space apart with more places to cut).
    breaks: the body lines that start a new page."""
    columns = _with_side(band.columns, body, grammar)
    bounds = cuts(columns, body)
    kinds = [grammar.field_of(c.text) for c in columns]
    body, twins = _with_twins(body, bounds, kinds)
    grid = _cells_by_line(body, bounds, kinds, twins)
    anchors = _anchors(grid, kinds)
    header = [c.text for c in columns]
    if not anchors:
        return header, [], True
    guessed = any(w.x0 < b < w.x1 and id(w) not in twins for line in body for w in line for b in bounds) or any(
        _ambiguous([w for w in phrase if id(w) not in twins], bounds) for line in body for phrase in _runs(line))
    rows = [[""] * len(columns) for _ in anchors]
    lines_of: list[list[int]] = [[a] for a in anchors]
    levels = [k for k, kind in enumerate(kinds) if kind in LEVEL_KINDS or (kind is None and k == 0)]
    for k in range(len(columns)):
        if k in levels:
            continue
        pieces = [(i, cells[k]) for i, cells in enumerate(grid) if cells[k]]
        for r, got in _give_to_rows(pieces, anchors).items():
            rows[r][k] = join_lines([t for _, t in sorted(got)])
            lines_of[r] += [i for i, _ in got]
            # two whole values in one value cell (95% / 0.5 小时): a row's anchor was missed, its cells joined
            guessed |= kinds[k] in WHOLE_KINDS and sum(bool(_WHOLE.fullmatch(ft.squeeze(t))) for _, t in got) > 1
            # a name holding a share not at its end ((5分) 外宣品验收通过率 (3分)): a piece of the row above's name
            guessed |= kinds[k] == "level3" and bool(_INNER_SHARE.search(ft.squeeze(rows[r][k])))
    if "level3" in kinds:
        at3 = kinds.index("level3")
        for r, a in enumerate(anchors):
            marks = [c for k, c in enumerate(rows[r]) if c and k != at3 and _only_mark(grid[a], kinds)]
            if marks and not rows[r][at3]:
                rows[r] = [c if k == at3 or kinds[k] in LEVEL_KINDS else "" for k, c in enumerate(rows[r])]
                rows[r][at3] = marks[0]  # the template's unfilled row, its mark under 三级 as the form has it
    spans = [(min(ls), max(ls)) for ls in lines_of]
    spans[0], spans[-1] = (0, spans[0][1]), (spans[-1][0], max(len(body) - 1, spans[-1][1]))  # to header, total
    starts: set[int] | None = None
    unnamed = False  # a level cell that is no level name (可持续影响 / 指标 cut in two): its groups are not sure
    for k in sorted(levels, key=lambda k: -k):  # 二级 first: a 一级 group holds whole 二级 groups
        pieces = [(i, cells[k]) for i, cells in enumerate(grid) if cells[k]]
        cells = _level_cells(pieces, grammar)
        unnamed |= kinds[k] in LEVEL_KINDS and any(grammar.level_of(text) is None and grammar.parent_of(text) is None
                                                   for *_, text in cells)  # 可持续影指标: a typo, still a name
        if k == 0 and kinds[0] is None:
            header[0] = tidy(" ".join([header[0], *(t for *_, t in cells)]))  # the form's side label
            continue
        mismatch = None
        if kinds[k] == "level1" and "level2" in kinds:
            at2 = kinds.index("level2")
            mismatch = partial(_foreign, [row[at2] for row in rows], grammar)
        firsts, cost = _groups(cells, spans, starts, mismatch)
        if not firsts:
            firsts, cost = _groups(cells, spans, None, mismatch)
        if kinds[k] == "level1" and firsts and _over_share(cells, firsts, rows, kinds):
            fitting = partial(_fits, cells, _points(rows, kinds))
            _, other = _groups(cells, spans, starts, mismatch, fitting)
            # over its share: read as laid out only when groups within their shares exist and the layout rules
            # them out (a level cell's line outside its group: the form's own misplaced row), or when none
            # exist and the layout's groups overflow their shares least (the form's arithmetic agrees); else unread
            if other == float("inf") and starts is not None:  # none within the 二级 groups: are those a guess?
                other = _groups(cells, spans, None, mismatch, fitting)[1]
            if other < float("inf"):
                guessed |= not cost + CLEAR <= other
            else:
                guessed |= not _least_over(cells, firsts, _points(rows, kinds), starts)
        if breaks and firsts:  # a cell cut by a page break: centred on its own page's part (judged above as laid out)
            firsts = _groups(cells, spans, starts, mismatch, breaks=breaks)[0] or firsts
        for c, (first, (top, bottom, text)) in enumerate(zip(firsts, cells)):
            rows[first][k] = text
            last = (firsts[c + 1] if c + 1 < len(firsts) else len(rows)) - 1
            spans[first] = (min(spans[first][0], top), spans[first][1])  # the group's lines take in its cell's
            spans[last] = (spans[last][0], max(spans[last][1], bottom))
        if firsts:
            starts = set(firsts)
    lost = "level2" in kinds and not any(row[kinds.index("level2")] for row in rows)  # its cells run into others
    return header, rows, guessed or unnamed or lost


def _value_word(w: Word) -> bool:
    return ft.is_value(w.text) and bool(ft.squeeze(w.text))


def budget_rows(body: list[list[Word]], band: Band, grammar) -> tuple[list[str], list[list[str]], bool]:
    """The header row and the rows of a budget block: a line with values is a row, its label the text
    before them (a side label's piece such as （20 分） left out), its values under the value columns; a
    value wrapped over lines (6727625.9 / 0元 around its row's line) joined in its column."""
    header = [c.text for c in band.columns]
    if grammar.field_of(header[0]) not in grammar.BUDGET_VALUE_FIELDS:
        header.insert(1, "")  # the row labels' column, headed by the block's title cell
    values = [c for c in band.columns if grammar.field_of(c.text) in grammar.BUDGET_VALUE_FIELDS]
    anchors = [i for i, line in enumerate(body) if 0 < _first_value(line) < len(line)
               or sum(1 for w in line if _value_word(w)) >= 2]  # a label and values, or values
    if not values or not anchors:
        return header, [], False
    edge = max(max((w.x1 for w in body[i][:_first_value(body[i])]), default=0) for i in anchors)
    mids = [c.mid for c in values]
    cells: list[list[list[tuple[int, str]]]] = [[[] for _ in values] for _ in anchors]
    labels = []
    for i, line in enumerate(body):
        phrases = _with_units(_runs([w for w in line if w.x0 >= edge]))
        if i in anchors:
            labels.append(next((g for g in reversed(_split_at_gaps(line[:_first_value(line)]))
                                if not ft.is_points_only(g)), ""))
        if not phrases:
            continue
        r = min(range(len(anchors)), key=lambda r: abs(anchors[r] - i))
        ks = range(len(values)) if i in anchors and len(phrases) == len(values) else _nearest(phrases, mids)
        for k, run in zip(ks, phrases):
            cells[r][k].append((i, " ".join(w.text for w in run)))
    rows = []
    for label, row in zip(labels, cells):
        texts = [join_lines([t for _, t in sorted(cell)]) for cell in row]
        last = max((k for k, t in enumerate(texts) if t), default=-1)
        rows.append([label, *texts[:last + 1]])
    return header, rows, False


def _with_units(phrases: list[list[Word]]) -> list[list[Word]]:
    """A unit set apart from its number by a wide pitch (680       万, 0  元: -layout -fixed N) joined to it."""
    out: list[list[Word]] = []
    for run in phrases:
        text = "".join(w.text for w in run)
        if out and ft.is_number("".join(w.text for w in out[-1])) and not ft.is_value(text) \
                and ft.is_amount("".join(w.text for w in out[-1]) + text):
            out[-1] = out[-1] + run
        else:
            out.append(run)
    return out


def _nearest(phrases: list[list[Word]], mids: list[float]) -> list[int]:
    """Each phrase's column: the columns in order (a later phrase never in an earlier column) whose headers'
    middles are nearest in sum, so a value shifted towards the next column (98.94% under 得分's edge, 19
    after it) does not push the values after it into one column."""
    n, m = len(phrases), len(mids)
    if not 0 < n <= m:
        return _nearest_greedy(phrases, mids)
    at = [(run[0].x0 + run[-1].x1) / 2 for run in phrases]
    inf = float("inf")
    best = [[inf] * (m + 1) for _ in range(n + 1)]  # best[i][k]: phrases[:i] in columns[:k]
    best[0] = [0.0] * (m + 1)
    for i in range(1, n + 1):
        for k in range(i, m + 1):
            best[i][k] = min(best[i][k - 1], best[i - 1][k - 1] + abs(mids[k - 1] - at[i - 1]))
    out, k = [], m
    for i in range(n, 0, -1):
        while best[i][k] == best[i][k - 1] and k > i:
            k -= 1
        out.append(k - 1)
        k -= 1
    return out[::-1]


def _nearest_greedy(phrases: list[list[Word]], mids: list[float]) -> list[int]:
    """More phrases than columns: each phrase's nearest column from the previous one's on."""
    out, low = [], 0
    for run in phrases:
        mid = (run[0].x0 + run[-1].x1) / 2
        k = min(range(low, len(mids)), key=lambda k: abs(mids[k] - mid), default=len(mids) - 1)
        out.append(k)
        low = min(k + 1, len(mids) - 1)
    return out


def _first_value(line: list[Word]) -> int:
    return next((k for k, w in enumerate(line) if _value_word(w)), len(line))


def join_lines(parts: list[str]) -> str:
    """A cell's lines joined: without a space (Chinese text, a number wrapped: 6727625.9 / 0元), with one
    between two Latin words."""
    out = ""
    for part in parts:
        part = tidy(part)
        out += (" " if out and out[-1].isascii() and out[-1].isalpha() and part[:1].isascii()
                and part[:1].isalpha() else "") + part
    return out


def _split_at_gaps(ws: list[Word]) -> list[str]:
    """Words apart by two or more columns are different cells."""
    out: list[list[Word]] = []
    for w in ws:
        if out and w.x0 - out[-1][-1].x1 < 2:
            out[-1].append(w)
        else:
            out.append([w])
    return [tidy(" ".join(w.text for w in g)) for g in out]


def _line_words(lines: list[str], grammar) -> tuple[list[list[Word]], list[bool]]:
    """words() of each line (form feeds dropped), and the lines find_band may find a header band around:
    within its reach (MAX_BAND lines up, MAX_BAND - 1 down) of a line with a space between or before its
    words. A line without one is one word from column 0, so the words of a band without such a line all
    overlap: one column, fewer than a header has (exact; most lines of one-cell-per-line text)."""
    rows_w, near = [], [grammar.MIN_HEADER < 2] * len(lines)
    for k, line in enumerate(lines):
        line = line.replace("\f", "")
        body = line.rstrip("\n").rstrip(" \u3000")  # spaces after the last word start no word
        if WIDE or " " in body or "\u3000" in body:
            rows_w.append(words(line))
            for i in range(max(0, k - MAX_BAND + 1), min(len(lines), k + MAX_BAND + 1)):
                near[i] = True  # band lines run from i - MAX_BAND to i + MAX_BAND - 1
        else:
            rows_w.append([Word(0, len(body), body)] if body else [])  # what words() gives, built directly
    return rows_w, near


def read_forms(lines: list[str], grammar) -> list[tuple[int, int, list[list[str]]]]:
    """The forms in column-laid text: (first line, one past the last, rows as pipe rows would give them).
    A form runs from its 项目名称 or title line (a few lines before its first header) to its total row.
    A form with a guessed cell is left out: the unread-table detector then reports it (UNPARSED_TABLE)."""
    rows_w, may_band = _line_words(lines, grammar)
    forms: list[tuple[int, int, list[list[str]]]] = []
    i, done, start, sure = 0, 0, 0, True
    current: list[list[str]] | None = None
    while i < len(lines):
        band = find_band(rows_w, i, grammar) if may_band[i] else None
        if band is None:
            text = chunks(lines[i].replace("\f", "")) if current is not None else []
            if text:
                current.append(text)
                if grammar.is_total(text[0]):
                    forms += [(start, i + 1, current)] if sure and _total_holds(current, text, grammar) else []
                    current, done = None, i + 1
            i += 1
            continue
        if current is None:
            start, sure = _form_start(lines, band.top, done, grammar), True
            current = head_rows(lines[start:band.top], grammar)
        end = _body_end(rows_w, lines, band.bottom, grammar, may_band)
        if band.kind == "budget":
            header, rows, guessed = budget_rows(rows_w[band.bottom:end], band, grammar)
        else:
            breaks = tuple(k - band.bottom for k in range(band.bottom, end) if lines[k].startswith("\f"))
            header, rows, guessed = indicator_rows(rows_w[band.bottom:end], band, grammar, breaks)
        if band.kind == "indicators" and (guessed or not _rows_whole(header, rows, grammar)) \
                or band.kind == "budget" and not _budget_whole(header, rows, grammar):
            sure = False
        current += [header, *rows]
        i = end
    return forms


def _total_holds(rows: list[list[str]], total: list[str], grammar) -> bool:
    """A total row stating the weights and the scores (合计 15.00 10.40 69.33%) holds the weights of the rows
    read under the last indicator header, within a misreading's margin: else those rows are not the form's (a
    coded table's group rows, A1项目立项 5.00 over A101 2.00 and A102 3.00, read beside their own rows)."""
    from jixiao.normalize.misread import MARGIN  # the gate's margin: beyond it a failed sum is a misreading

    stated = [ft.number(c) for c in total[1:] if ft.is_number(c)]
    top = max((k for k, row in enumerate(rows) if grammar.header_kind(row) == "indicators"), default=None)
    if len(stated) < 2 or top is None:
        return True
    kinds = [grammar.field_of(c) for c in rows[top]]
    at = kinds.index("weight") if "weight" in kinds else None
    weights = [ft.number(r[at]) for r in rows[top + 1:-1] if at is not None and len(r) > at
               and ft.is_number(r[at])]
    return not weights or any(abs(sum(weights) - n) <= MARGIN * n for n in stated)


def head_rows(lines: list[str], grammar) -> list[list[str]]:
    """The key-value lines above a form's first header, each cut into its cells, with the cells the layout
    wrapped over lines put back: a cell centred on its row (项目实施单 / 位, or 区融媒体 / 中心, above and below
    主管部门 …) into that row, before the first cell right of where it starts; a label's last line under its
    row (项目实施单 then 位 below it) onto the label."""
    filled = [line for line in lines if line.strip()]
    out: list[list[str]] = []
    n = 0
    while n < len(filled):
        row = chunks(filled[n])
        if n + 2 < len(filled) and _wrapped_around(filled[n], filled[n + 1], filled[n + 2], grammar):
            around = chunks(filled[n])[0] + chunks(filled[n + 2])[0]
            row = chunks(filled[n + 1])
            k = next((k for k, x in enumerate(_chunk_starts(filled[n + 1], row)) if x > _indent(filled[n])), len(row))
            out.append(row[:k] + [around] + row[k:])
            n += 3
            continue
        if n + 1 < len(filled) and len(chunks(filled[n + 1])) == 1:
            tail = chunks(filled[n + 1])[0]
            starts = _chunk_starts(filled[n], row)
            k = next((k for k in range(len(row)) if not grammar.head_label(row[k])
                      and grammar.head_label(row[k] + tail) and _below(filled[n][starts[k]:], filled[n + 1][starts[k]:])
                      and (k + 1 == len(row) or _indent(filled[n + 1]) < starts[k + 1])), None)
            if k is not None:
                out.append(row[:k] + [row[k] + tail] + row[k + 1:])
                n += 2
                continue
        out.append(row)
        n += 1
    return out


def _wrapped_around(top: str, middle: str, bottom: str, grammar) -> bool:
    """One cell's lines above and below a row of the form's head, in one column: a label (项目实施单 / 位), or
    the value of a row whose other cells fit on one line (区融媒体 / 中心 beside 主管部门 … 项目实施单位)."""
    upper, lower, row = chunks(top), chunks(bottom), chunks(middle)
    if len(upper) != 1 or len(lower) != 1 or not row or not _below(top, bottom):
        return False
    joined = upper[0] + lower[0]
    if grammar.head_label(joined):
        return not grammar.head_label(upper[0])
    return grammar.head_label(row[0]) and not any(grammar.head_label(c) or re.search("[:：]", c)
                                                  for c in (upper[0], lower[0]))


def _below(top: str, bottom: str) -> bool:
    """bottom's text starts under top's (a wider pitch gives a character up to two columns: -layout -fixed)."""
    return -2 <= _indent(bottom) - _indent(top) <= 2 * len(top.strip()) + 2


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def _chunk_starts(line: str, cells: list[str]) -> list[int]:
    """Where each of the line's cells (as chunks() gives them) starts."""
    starts, at = [], 0
    for cell in cells:
        at = line.find(cell[0], at)
        starts.append(at)
        at += 1
    return starts


def _budget_whole(header: list[str], rows: list[list[str]], grammar) -> bool:
    """Every column right of the labels names a budget field, and no row has more values than columns."""
    fields = [grammar.field_of(c) for c in header if c]
    values = [f for f in fields if f in grammar.BUDGET_VALUE_FIELDS]
    return bool(rows) and len(values) == len(fields) - 1 and all(len(r) - 1 <= len(values) for r in rows)


def _rows_whole(header: list[str], rows: list[list[str]], grammar) -> bool:
    """Every row has its 三级 name (not only a name's wrapped （5分）) and one number of points: else the columns or rows were not found right
    and the form is better left unread than misread. (A 一级 group over its share is judged where the
    groups are made: indicator_rows.)"""
    kinds = [grammar.field_of(c) for c in header]
    if "level3" not in kinds or not any(k in ("score", "weight") for k in kinds):
        return False
    at3 = kinds.index("level3")
    points = [k for k, kind in enumerate(kinds) if kind in ("score", "weight")]
    for row in rows:
        if _only_mark(row, kinds) or re.fullmatch(r"[.…。·]{2,}|…", ft.squeeze(row[at3])):
            continue
        if not row[at3] or ft.is_points_only(row[at3]) or any(row[k] and not ft.is_number(row[k]) for k in points) \
                or not any(ft.is_number(row[k]) for k in points):
            return False
    return True


def _form_start(lines: list[str], top: int, done: int, grammar) -> int:
    for k in range(max(done, top - 15), top):
        first = (chunks(lines[k]) or [""])[0]
        if grammar.starts_form(first):
            return k
    return top


def _body_end(rows_w: list[list[Word]], lines: list[str], k: int, grammar, may_band: list[bool]) -> int:
    """The body runs to the next header band, the total row, or a row label of the form (偏差大或…)."""
    while k < len(lines):
        text = chunks(lines[k].replace("\f", ""))
        if text and (grammar.is_total(text[0]) or grammar.is_kv(text[0])):
            return k
        if may_band[k] and find_band(rows_w, k, grammar) is not None:
            return k
        k += 1
    return k
