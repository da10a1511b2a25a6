"""Never silent: what in a document looks like a scorecard, compared with what was read from it.

One generic detector, run after assembly on the document model (paragraphs and table rows, any format):
the scorecard vocabulary of normalize/data/scorecard_vocabulary.toml marks regions; a region from which
nothing was read, or a table holding visibly more indicator rows than were read, becomes one
UNPARSED_TABLE warning saying where and what was recognised. Blank templates (no values after the header)
are not unread scorecards.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from jixiao.extract.model import Document, Paragraph, Table
from jixiao.normalize.flags import Flag, raise_flag
from jixiao.normalize.table_view import compact, label_pattern, labels, own_text
from jixiao.patterns import datafile
from jixiao.patterns import flat_text as ft
from jixiao.patterns.headers import classify_header
from jixiao.patterns.datafile import Optional

VOCABULARY_FILE = Path(__file__).with_name("data") / "scorecard_vocabulary.toml"
_PINYIN = re.compile(r"\([a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùüǘǚǜńňǹ]+\)")  # 項(xiàng)目: pinyin a mirror site inserted
_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)?")
# a target in a flattened indicator row; or a label carrying its weight followed by its score (相关性(5分)5)
_ROW_MARK = re.compile(r"[≥≤＞＜>﹦=]|指标\s*[0-9]+[：:]|[(（][0-9.]+分[)）]\n?[0-9]")
_LOCATION = re.compile(r"^p(\d+) (?:t(\d+)(?: r(\d+))?|¶(\d+))")
MIN_MISSING = 3  # a table is short of rows when at least this many of its visible rows were not read
FURNITURE = 20  # characters: a paragraph between two tables this short is a page number or running head
HEADER_ROWS = 3  # a header found within a table's first rows is that table's own (a title row above it)
TAIL_BEFORE_TOTAL = 1500  # characters before a header-less total searched for its rows


@dataclass
class Region:
    kind: str  # indicators | budget | total
    label: str  # what was recognised: 指标表头, 预算执行表头, 总分行
    title: str | None  # the form's title when one stands just before (评分表, 自评表)
    start: int  # index into the document's lines
    location: str
    offset: int = 0  # where the words were found, in the document's text (spaces removed)
    expected: int | None = None  # indicator rows visible in the region, when they can be counted
    template: bool = False  # no values after the header: a blank form
    headless: bool = False  # a total with rows above it but no header anywhere before: a form's tail
    startless: bool = False  # a header first in the text with no 项目名称 before it: the form's start is cut off
    last: int = 0  # the last of the hits merged into this region
    blocks: tuple[int, ...] = ()  # a table region: its table and the header-less pieces it runs on into
    closed: bool = False  # a table region: its rows end at a total row (合计 / 总分)
    end: int = 0  # a table region: the index of its last line (its last piece's last row)
    pieces: int = 1  # tables of one form counted together (a form continued across pages, header repeated)
    pages: tuple[int, int] | None = None  # the first and last page of those tables


@dataclass
class _Line:
    block: int  # index into document.blocks
    row: int | None  # table row, None for a paragraph
    text: str  # compact text (spaces, line breaks and inserted pinyin removed)
    source: Paragraph | Table  # the block: its location is written only where a region is found

    @property
    def location(self) -> str:
        return str(self.source.location) if self.row is None else self.source.row_location_text(self.row)


SCHEMA = {
    "window": int, "merge": int, "sentence_marks": str,
    "signature": [{"kind": str, "label": str, "all_of": [[str]], "number_after": Optional(bool),
                   "max_value": Optional(float)}],
    "names": {"titles": [str], "level2": [str]},
    "template": {"not_values": [str]},
    "not_report": {"min_cjk_share": float, "min_letters": int, "min_chinese": int, "min_articles": int,
                   "article": str, "min_schema_columns": int},
}


@lru_cache(maxsize=None)
def vocabulary() -> dict:
    return datafile.load(VOCABULARY_FILE, SCHEMA)


def document_lines(document: Document) -> list[_Line]:
    """Paragraphs one line each, tables one line per row (cells joined by |)."""
    lines = []
    for b, block in enumerate(document.blocks):
        if isinstance(block, Paragraph):
            lines.append(_Line(b, None, _clean(block.norm), block))
        else:
            for r, row in enumerate(block.grid):  # nonempty(block, r)'s texts, without its (column, text) pairs
                text = "|".join([t for cell in row if cell.origin is None and (t := cell.norm).strip()])
                lines.append(_Line(b, r, _clean(text), block))
    return lines


def _clean(text: str) -> str:
    return compact(_PINYIN.sub("", text) if "(" in text else text)  # a reading is bracketed: most lines have none


def find_regions(lines: list[_Line], streamed: tuple[str, list[int]] | None = None) -> list[Region]:
    """Every place where a signature's words stand together, hits close to each other merged into one.
    streamed: _stream(lines), when the caller has it already."""
    vocab = vocabulary()
    stream, starts = streamed or _stream(lines)
    regions: list[Region] = []
    for signature in vocab["signature"]:
        last_end = -10 ** 9
        for offset in _hits(stream, signature["all_of"][0]):
            window = stream[offset: offset + vocab["window"]]
            if not all(_close(window, words, vocab["sentence_marks"]) for words in signature["all_of"][1:]):
                continue
            if signature.get("number_after") and not _number_follows(stream, offset, signature["all_of"][0]):
                continue
            if signature.get("max_value") is not None and (_total_value(stream, offset) or 0) > signature["max_value"]:
                continue  # a sum of money or counts, not a score
            if offset - last_end <= vocab["merge"]:
                last_end = offset
                regions[-1].last = offset
                continue
            last_end = offset
            line = _line_at(starts, offset)
            regions.append(Region(signature["kind"], signature["label"], _title(stream, offset), line,
                                  lines[line].location, offset, last=offset))
    regions.sort(key=lambda r: r.offset)
    for region in regions:
        _measure(region, lines, regions, stream, starts)
    return regions


def _close(window: str, words: list[str], marks: str) -> bool:
    """A word of the list in the window, with no sentence punctuation before it: a header, not prose."""
    at = min((window.find(w) for w in words if w in window), default=-1)
    return at >= 0 and not any(mark in window[:at] for mark in marks)


def _stream(lines: list[_Line]) -> tuple[str, list[int]]:
    starts, parts, at = [], [], 0
    for line in lines:
        starts.append(at)
        parts.append(line.text + "\n")
        at += len(line.text) + 1
    return "".join(parts), starts


def _hits(stream: str, words: list[str]) -> list[int]:
    pattern = re.compile("|".join(map(re.escape, sorted(words, key=len, reverse=True))))
    return [m.start() for m in pattern.finditer(stream)]


_TOTAL_VALUE = re.compile(r"(?:[|:：(（分)）]*|\n)[0-9]+(?:\.[0-9]+)?(?:分|\n|\|)?(?P<after>[^\n]{0,4})")


def _number_follows(stream: str, offset: int, words: list[str]) -> bool:
    """总分 | 97.5 or 总分97.5 followed by the next cell, not "自评得分95分，…" in a sentence."""
    for word in words:
        if stream.startswith(word, offset):
            match = _TOTAL_VALUE.match(stream, offset + len(word))
            return bool(match) and not re.search(r"[，。；,;、]", match.group("after"))
    return False


def _total_value(stream: str, offset: int) -> float | None:
    """The number a total's words stand before (总分 | 97.6, 自评总分(分)97.6, 合计 then 2806 on the next line:
    one cell per line)."""
    match = re.match(r"[^0-9\n]{0,12}[|:：(（分)）]*\n?([0-9]+(?:\.[0-9]+)?)", stream[offset:offset + 40])
    return float(match.group(1)) if match else None


def _line_at(starts: list[int], offset: int) -> int:
    lo, hi = 0, len(starts) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if starts[mid] <= offset:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _title(stream: str, offset: int) -> str | None:
    """The form's title when one stands just before the header ("指标体系评分表")."""
    before = stream[max(0, offset - 200): offset + 20]
    return next((title for title in vocabulary()["names"]["titles"] if title in before), None)


def _measure(region: Region, lines: list[_Line], regions: list[Region], stream: str, starts: list[int]) -> None:
    """How many indicator rows the region visibly holds, and whether it is a blank template."""
    if region.kind == "total":  # a number follows it: never a blank template
        if lines[region.start].row is None and not any(r.kind != "total" and r.offset < region.offset
                                                      for r in regions):
            # flattened text, no header before: the rows above the total, each with a target's operator
            before = max((r.offset for r in regions if r.offset < region.offset), default=0)
            text = stream[max(before, region.offset - TAIL_BEFORE_TOTAL): region.last]
            first = _line_at(starts, max(before, region.offset - TAIL_BEFORE_TOTAL))
            marks = max(len(_ROW_MARK.findall(text)), _points_pairs(lines[first: region.start + 1]))
            region.expected = marks if marks >= 2 else None  # one sign is no row count
            region.headless = region.expected is not None  # rows above it, their header nowhere: a form's tail
        return
    nxt = next((r for r in regions if r.offset > region.offset and r.kind == region.kind), None)
    first = lines[region.start]
    # the first thing in the text that looks like a form, with no 项目名称 before it: the text begins inside it
    region.startless = region.kind == "indicators" and not any(r.offset < region.offset for r in regions) \
        and not label_pattern("project_name").search(stream[:region.offset])
    if first.row is not None:  # a table: its rows after the header, up to the total row
        starts = {r.start for r in regions}
        rows, end, closed = _piece_rows(lines, region.start + 1, first.block, nxt.start if nxt else len(lines))
        blocks = [first.block]
        while not closed and (piece := _next_piece(lines, end, starts)) is not None:
            more, end, closed = _piece_rows(lines, piece, lines[piece].block, len(lines))
            rows += more  # a piece without a header of its own: the same table run on across a page break
            blocks.append(lines[piece].block)
        points = _points_columns(first)
        region.expected = sum(_holds_row(ln, points) for ln in rows) if region.kind == "indicators" else None
        region.template = not any(_has_value(ln.text) and "|" in ln.text for ln in rows)
        region.blocks, region.closed, region.end = tuple(blocks), closed, end
        region.pieces, region.pages = len(blocks), (_page(first.location), _page(lines[end].location))
        return
    table = next((i for i in range(region.start + 1, len(lines)) if lines[i].row is not None), None)
    end = min(nxt.offset if nxt else len(stream), region.offset + 4000, starts[table] if table else len(stream))
    text = stream[region.offset: end]  # up to the next header of its kind or the next table (another form)
    text = text[min(len(text), 12):]  # the header words themselves
    region.template = not _has_value(text)
    if region.kind == "indicators":  # each row has a target with an operator, each group at least one row
        region.expected = max(len(_ROW_MARK.findall(text)), len(_level2().findall(text))) or None


def _points_columns(header: _Line) -> list[int]:
    """The 分值/权重 and 得分 columns of a table's header, from the header's row or the one below it (a header
    in two rows): an indicator row has a number there, the tail of a row a page break cut (评价意见 running on)
    has none."""
    table = header.source
    for row in (header.row, header.row + 1)[:table.n_rows - header.row]:
        fields = [classify_header(own_text(table, row, c)) for c in range(table.n_cols)]
        columns = [c for c, f in enumerate(fields) if f in ("weight", "score")]
        if columns:
            return columns
    return []


def _holds_row(line: _Line, points: list[int]) -> bool:
    """An indicator row: a number in the table's first points column, or a number elsewhere with its name
    before the points columns (a piece laid on another grid, a weight left blank); a number under an empty
    name is the row above's, slid past a page break, and the tail of a cut row (评价意见 running on) has none.
    Without points columns known: a row of several cells holding a value."""
    table, row = line.source, line.row
    if not points or table.n_cols <= max(points):
        return _has_value(line.text) and "|" in line.text  # a row of one cell: the rest of a cell a piece carries on
    cells = [own_text(table, row, c).strip() for c in range(table.n_cols)]
    numeric = [c for c, text in enumerate(cells) if ft.is_number(text)]
    if not numeric:
        return False
    return ft.is_number(cells[points[0]]) or any(cells[:min(points[0], numeric[0])])


_PAIR = re.compile(r"^\s*([0-9]+(?:\.[0-9]+)?)\s+([0-9]+(?:\.[0-9]+)?)(?=\s|$)")


def _points_pairs(lines: list[_Line]) -> int:
    """Lines of flattened text opening with a weight and a score ("5 4 完成质量", "10 10 总分": PDF text that
    puts a row's numbers before its name): each is a row (a score over its weight, or over 100, is not)."""
    pairs = [m for ln in lines if ln.row is None and (m := _PAIR.match(ln.source.text))]
    return sum(float(m.group(2)) <= float(m.group(1)) <= 100 for m in pairs)


def _piece_rows(lines: list[_Line], start: int, block: int, stop: int) -> tuple[list[_Line], int, bool]:
    """The rows of one table from line `start` up to its total row (or `stop`, or 400 rows on): the rows,
    the index of the last line taken, and whether a total row ended them."""
    rows, last = [], start - 1
    for k in range(start, min(stop, start + 400, len(lines))):
        line = lines[k]
        if line.block != block:
            break
        last = k
        if line.text.split("|", 1)[0] in labels()["total"]:
            return rows, last, True
        rows.append(line)
    return rows, last, False


def _next_piece(lines: list[_Line], end: int, starts: set[int]) -> int | None:
    """The first line of the table that carries on the one ending at line `end` (nothing between them but a
    page's furniture: a page number, a running head), when it opens with no header of its own."""
    k = _after_furniture(lines, end)
    if k is None or any(s in starts and lines[s].block == lines[k].block for s in range(k, k + HEADER_ROWS)):
        return None  # a header of its own: a region (the same form's repeated header, or another form)
    return k


def _after_furniture(lines: list[_Line], end: int) -> int | None:
    """The first table row after line `end` when only short paragraphs stand between, else None."""
    k = end + 1
    while k < len(lines) and lines[k].row is None and len(lines[k].text) <= FURNITURE:
        k += 1
    return k if k < len(lines) and lines[k].row == 0 and lines[k].block != lines[end].block else None


@lru_cache(maxsize=None)
def _level2() -> re.Pattern[str]:
    return re.compile("|".join(map(re.escape, vocabulary()["names"]["level2"])))


@lru_cache(maxsize=None)
def _not_values() -> re.Pattern[str]:
    return re.compile("|".join(vocabulary()["template"]["not_values"]))


def _has_value(text: str) -> bool:
    return bool(_NUMBER.search(_not_values().sub("", text)))


def unread_regions(document: Document, read_locations: list[str],
                   read_totals: frozenset[float] = frozenset()) -> list[tuple[Region, int]]:
    """(region, rows read) for each region left unread or read short. `read_locations`: where every budget
    line, indicator, group, total and restated row that was read sits; `read_totals`: the totals of the forms
    read (a line stating one of them again, 自评总分 97.6 above the form, is that form's, not another)."""
    lines = document_lines(document)
    streamed = _stream(lines)
    stream = streamed[0]
    # a 合计/总分 row of a table is any table's sum; only in flattened text does it mark a form by itself
    regions = [r for r in find_regions(lines, streamed) if not r.template
               and not (r.kind == "total" and lines[r.start].row is not None)
               and not (r.kind == "total" and _total_value(stream, r.offset) in read_totals)]
    if not regions:
        return []
    read = [_key(loc) for loc in read_locations]
    index = {(ln.block, ln.row): i for i, ln in enumerate(lines)}
    blocks = {_key(str(block.location)): b for b, block in enumerate(document.blocks)}
    positions = sorted(_position(k, index, blocks) for k in read if k is not None)
    positions = [p for p in positions if p is not None]
    out = []
    for group in _forms(regions, lines):
        region = _as_one(group, lines)
        end = next((r.start for r in regions if r.start > group[-1].start), len(lines))
        got = max(0, bisect_left(positions, end) - bisect_left(positions, region.start))  # positions: sorted
        # a header a few lines after what was read is the same form's next block, not a region of its own
        near = bisect_left(positions, region.start) > bisect_left(positions, region.start - 40) \
            and region.kind != "indicators"
        if got == 0 and not near:
            out.append((region, 0))
        elif region.kind == "indicators" and region.expected and lines[region.start].row is not None:
            rows = _rows_read(group, lines, positions, end)
            if region.expected - rows >= MIN_MISSING and rows < 0.75 * region.expected:
                out.append((region, rows))
    return out


def _forms(regions: list[Region], lines: list[_Line]) -> list[list[Region]]:
    """Regions grouped by form: an indicator header in a table that carries on the table of the one before
    (no total row closed it, nothing but a page's furniture between: the header repeated on the next page)
    counts with it; every other region is a form of its own."""
    groups: list[list[Region]] = []
    for region in regions:
        last = groups[-1][-1] if groups else None
        if last is not None and _continues(last, region, lines):
            groups[-1].append(region)
        else:
            groups.append([region])
    return groups


def _continues(before: Region, region: Region, lines: list[_Line]) -> bool:
    if not (before.kind == region.kind == "indicators" and before.blocks and region.blocks) or before.closed:
        return False
    if lines[region.start].block == lines[before.end].block:
        return region.start == before.end + 1  # the header repeated inside one table (pieces stacked)
    k = _after_furniture(lines, before.end)
    return k is not None and lines[k].block == region.blocks[0] and region.start - k < HEADER_ROWS


def _as_one(group: list[Region], lines: list[_Line]) -> Region:
    """The form's regions as one: the first header's place, the visible rows of every piece."""
    if len(group) == 1:
        return group[0]
    counts = [r.expected for r in group if r.expected]
    first, last = (_page(lines[k].location) for k in (group[0].start, group[-1].end))
    return replace(group[0], expected=sum(counts) or None, pieces=sum(r.pieces for r in group), pages=(first, last))


def _page(location: str) -> int:
    match = _LOCATION.match(location)
    return int(match.group(1)) if match else 0


def _rows_read(group: list[Region], lines: list[_Line], positions: list[int], end: int) -> int:
    blocks = {b for r in group for b in r.blocks} or {lines[group[0].start].block}
    inside = positions[bisect_right(positions, group[0].start):bisect_left(positions, end)]  # positions are sorted
    return len({p for p in inside if lines[p].block in blocks})


def _key(location: str | None) -> tuple | None:
    match = _LOCATION.match(location or "")
    if not match:
        return None
    page, table, row, paragraph = match.groups()
    if table is not None:
        return ("t", int(page), int(table), int(row) if row is not None else None)
    return ("p", int(page), int(paragraph), None)


def _position(key: tuple, index: dict, blocks: dict) -> int | None:
    """The line a read location points at: a table row, or a paragraph."""
    block = blocks.get(key[:3] + (None,))
    if block is None:
        return None
    return index.get((block, key[3])) if key[0] == "t" and key[3] is not None else index.get((block, None), 
                                                                                            index.get((block, 0)))


def unread_flag(regions: list[Region], rows: int) -> Flag:
    """"p15 ¶3: 评分表 指标表头 found, 0 of ~28 rows read": where, what was recognised, how much was read."""
    expected = next((r.expected for r in regions if r.expected), None)
    labels_ = "、".join(dict.fromkeys(r.label for r in regions))
    title = next((r.title for r in regions if r.title), None)
    read = f"{rows} of ~{expected} rows read" if expected else f"{rows} rows read"
    spread = next((r for r in regions if r.pieces > 1), None)
    if spread is not None and expected:  # one form over several tables: the count is the whole form's
        first, last = spread.pages
        pages = f"p{first}" if first == last else f"p{first}–p{last}"
        read += f" (one form over {spread.pieces} tables, {pages})"
    if any(r.headless for r in regions):
        read += "; no header before it (the form's start is not in the text): which column each number is, unknown"
    elif any(r.startless for r in regions):
        read += "; no 项目名称 or budget rows before it: the text begins inside the form (its start is not in the text)"
    return raise_flag("UNPARSED_TABLE", variant="region", location=regions[0].location, where=regions[0].location,
                      what=f"{title + ' ' if title else ''}{labels_}", read=read)


def read_locations(assembled) -> list[str]:
    """Where everything the assembler read sits: lines, groups, totals, and rows it consumed without a line."""
    out = list(assembled.read_rows)
    for form in assembled.forms + assembled.budget_tables:
        out += [line.location for line in form.budget_lines] + [line.location for line in form.indicators]
        out += [group.location for group in form.groups] + [form.location]
        out += [form.total_location] if form.total_location else []
    return out + [r.location for r in assembled.restatements]


def unread_flags(document: Document, assembled, reported: set[str] = frozenset()) -> list[Flag]:
    """One UNPARSED_TABLE per region left unread, beside the assembler's own (tables it gave up on) and the
    tables `reported` already ("p14 t0": forms not judged, normalize/misread.py)."""
    known = {loc.split(" r")[0] for loc in (u.location for u in assembled.unparsed)} | set(reported)
    by_place: dict[str, list[tuple[Region, int]]] = {}  # regions found on one line are one flag
    totals = frozenset(form.total for form in assembled.forms if form.total is not None)
    for region, rows in unread_regions(document, read_locations(assembled), totals):
        if region.location.split(" r")[0] not in known:
            by_place.setdefault(region.location, []).append((region, rows))
    return [unread_flag([r for r, _ in found], max(n for _, n in found)) for found in by_place.values()]
