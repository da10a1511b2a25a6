"""One cell per line with the rows not marked, or cells run together, where the stream grammars of
normalize/flat_forms.py found no form: rows cut by the form's columns and written back as bare pipe rows
(`a |  | b`) for the pipe grammar.

A third-party scorecard (指标体系评分表) holds long text columns between its 分值 and 得分 and runs over page
pieces, each under its header written again; its level cells carry codes (A决策15分 | A1项目立项5分 |
A101立项依据). A row starts at a level cell (coded or named) unless the row so far holds only shallower
levels of it, at a repeated header, or at a text cell when the row already reaches past the form's last
text column (only points columns are left); empty cells just before a level cell are its row's leading
cells (a converter drops a row's trailing empty cells, never its leading ones); a page piece whose empty
cells were not written is laid out by what its cells are (a level's points, a name's end, text tails). A
form is rebuilt only up to its total row (合计 100 65.00): a form whose total is not in the text is left to
the unread detector.
"""
from __future__ import annotations

import re

from jixiao.normalize import flat_forms as ff
from jixiao.patterns import flat_text as ft
from jixiao.patterns.headers import points_only, split_weight

HEADER_CELL = 16  # characters: a longer cell is text, whatever words it holds
OPEN_TEXT = 0.25  # share of a form's rows that may open with a text cell (the rest: a level cell, empty cells)
FULL_POINTS = 100.0  # a scorecard's points: its weights (or its 一级 groups' points) add up to this
POINTS = ("weight", "score", "budget_weight", "budget_score", "score_rate")  # columns that hold numbers only


def rows_by_columns(lines: list[str], cells: list[str], where: list[int]) -> list[str] | None:
    """The text with each form it finds in the cells (cells[k] starts on line where[k]) written as bare pipe
    rows, the text on the form's first and last lines before and after it kept as lines of their own; None
    when no form whose points make 100 is found with its total row (tables restating a form's groups,
    合计 25.00 11.47, are rebuilt beside their form, never alone)."""
    out: list[str] = []
    cursor = k = 0
    found = False
    while k < len(cells):
        got = form_rows(cells, k) if _header(cells, k) else None
        if got is None:
            k += 1
            continue
        rows, end = got
        lead = [c for c, w in zip(cells[:k], where[:k]) if w == where[k]]
        tail = [c for c, w in zip(cells[end:], where[end:]) if w == where[end - 1]]
        out += _without_trailing_blanks(lines[cursor:where[k]]) + [" ".join(lead)] * bool(lead)
        out += [" | ".join(" ".join(c.split()) for c in row) for row in rows]
        out += [" ".join(tail), ""] if tail else [""]
        end += len(tail)
        cursor = where[end] if end < len(cells) and where[end] > where[end - 1] else where[end - 1] + 1
        cursor = cursor if end < len(cells) else len(lines)
        k, found = end, found or _full_points(rows[:-1], rows[-1])
    return out + lines[cursor:] if found else None


def _without_trailing_blanks(lines: list[str]) -> list[str]:
    """Lines before a form, the blank ones before it dropped: a title line stays the form's first row."""
    while lines and not lines[-1].strip():
        lines = lines[:-1]
    return lines


def _header(cells: list[str], k: int) -> tuple[list[str], int] | None:
    """The indicator header starting at cell k and the cell after it: short header words in a row (a sentence
    naming 完成 or 权重 is a cell of text, not a header word)."""
    j = k
    while j < len(cells) and len(ft.squeeze(cells[j])) <= HEADER_CELL and ff.field_of(cells[j]) is not None:
        j += 1
    return (cells[k:j], j) if ff.header_kind(cells[k:j]) == "indicators" else None


def form_rows(cells: list[str], start: int) -> tuple[list[list[str]], int] | None:
    """A form's rows from its header at cells[start] to its total row, and the cell after that row."""
    header, i = _header(cells, start)
    kinds = ff.header_fields_of(header)
    width = len(header)
    last_text = max((k for k, kind in enumerate(kinds) if kind not in POINTS), default=width - 1)
    rows: list[list[str]] = [header]
    row: list[str] = []
    levels: dict[int, str] = {}  # depth -> the last level cell of that depth (a page piece may hold its points)

    def flush(cells_of_row: list[str]) -> None:
        if not any(cells_of_row):
            return
        if ff.header_kind(rows[-1]) and _piece_like(cells_of_row):
            cells_of_row = _piece(cells_of_row, kinds, last_text, levels)
        levels.update({level[1]: c for c in cells_of_row if (level := _level(c))})
        rows.append(cells_of_row)

    while i < len(cells):
        cell = cells[i]
        again = _header(cells, i)
        if again:
            flush(row)
            rows.append(again[0])
            i = again[1]
            row = []
            continue
        if ff.is_total(cell):
            flush(row)
            total, i = _total_row(cells, i, width)
            return (rows + [total], i) if _form_like(rows) else None
        column = _level_column(cell, row, kinds)
        if column is not None:
            lead = _trailing_empties(row, column)
            flush(row[:len(row) - lead])
            row = [""] * lead
        elif len(row) >= width or (_is_text(cell) and len(row) > last_text):
            flush(row)
            row = []
        row.append(cell)
        i += 1
    return None


def _piece_like(row: list[str]) -> bool:
    """The first row under a repeated header that opens with neither a level cell nor the empty cells before
    its columns and holds no number: the tails of the cells a page break cut (their empty cells not written)."""
    return bool(row[0].strip()) and _level(row[0]) is None and not any(ft.is_number(c) for c in row)


def _piece(row: list[str], kinds: list[str | None], last_text: int, levels: dict[int, str]) -> list[str]:
    """A page piece laid out: its points (8分) under the level column whose cell above lacks them (D1经济效益), a
    name's tail (性, 行有效性) under 三级, the other cells the tails of the longest cells, up to the last text
    column. Unchanged when they do not fit."""
    out = [""] * len(kinds)
    k, at = 0, -1
    lacking = [d for d in (2, 1) if d in levels and not ff.has_points(levels[d]) and f"level{d}" in kinds]
    if points_only(row[0]) is not None and lacking:  # "8分": a level's points cut from its name
        at = kinds.index(f"level{lacking[0]}")
        out[at], k = row[0], 1
    if k < len(row) and "level3" in kinds and kinds.index("level3") > at and _name_tail(row[k]):
        at = kinds.index("level3")
        out[at], k = row[k], k + 1
    rest = row[k:]
    start = max(at + 1, last_text - len(rest) + 1)
    if start + len(rest) > len(kinds):
        return row
    out[start:start + len(rest)] = rest
    while out and not out[-1]:
        out.pop()
    return out


def _name_tail(cell: str) -> bool:
    """A short label with no sentence mark: the end of a 三级 name a page break cut (性, 行有效性)."""
    key = ft.squeeze(cell)
    return bool(key) and _is_text(cell) and len(key) <= ff.LONG_TEXT and not re.search(r"[。；;：:，,]", key)


def _form_like(rows: list[list[str]]) -> bool:
    """Most rows open with a level cell or empty cells (a page piece), as a form's rows do: not paragraphs
    and other tables' cells between a header-like run and a 合计."""
    body = [row for row in rows if row and ff.header_kind(row) is None]
    text = [row for row in body if _is_text(row[0]) and _level(row[0]) is None]
    return bool(body) and len(text) <= OPEN_TEXT * len(body)


def _full_points(rows: list[list[str]], total: list[str]) -> bool:
    """The form's points make 100: its total row's weight (合计 100 65.00), else its 一级 cells' points
    (A决策15分 … D效益35分). A table restating one group's rows (合计 25.00 11.47) is no form of its own."""
    numbers = [ft.number(c) for c in total[1:] if ft.is_number(c)]
    if len(numbers) >= 2:
        return FULL_POINTS in numbers
    level1 = [split_weight(c)[1] for row in rows for c in row if (_level(c) or ("", 0))[1] == 1]
    return abs(sum(p or 0 for p in level1) - FULL_POINTS) < 1e-6


def _total_row(cells: list[str], i: int, width: int) -> tuple[list[str], int]:
    """合计 and the numbers and empty cells after it, at most to the form's width."""
    row, j = [cells[i]], i + 1
    while j < len(cells) and len(row) < width and (ft.is_number(cells[j]) or not cells[j].strip()):
        row.append(cells[j])
        j += 1
    while row and not row[-1].strip():
        row.pop()
        j -= 1
    return row, j


def _is_text(cell: str) -> bool:
    return bool(cell.strip()) and not ft.is_value(cell)


def _trailing_empties(row: list[str], most: int) -> int:
    n = 0
    while n < min(most, len(row)) and not row[len(row) - 1 - n].strip():
        n += 1
    return n


def _level_column(cell: str, row: list[str], kinds: list[str | None]) -> int | None:
    """The header column of a level cell that starts a new row (None: no level cell, or one that goes on the
    row: A1项目立项5分 after A决策15分)."""
    level = _level(cell)
    if level is None:
        return None
    before = [_level(c) for c in row if c.strip()]
    if before and all(b is not None and b[1] < level[1] and b[0] in ("", level[0]) for b in before):
        return None  # the row so far is this cell's parent levels
    kind = ("level1", "level2", "level3")[level[1] - 1]
    return kinds.index(kind) if kind in kinds else 0


def _level(cell: str) -> tuple[str, int] | None:
    """(code letter, depth) of a level cell: A决策15分 (A, 1), A1项目立项5分 (A, 2), A101立项依据 (A, 3); a
    named level (产出指标) has no letter."""
    coded = ff.code_of(cell) if cell.strip() else None
    if coded:
        return coded
    level = ff.level_of(cell) if cell.strip() and not ft.is_points_only(cell) else None
    return ("", level) if level else None
