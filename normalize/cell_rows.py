"""One cell per line with the rows not marked, where the stream grammar of normalize/flat_forms.py found no
form: rows cut by the form's columns and written back as bare pipe rows (`a |  | b`) for the pipe grammar.

A third-party scorecard (指标体系评分表) holds long text columns between its 分值 and 得分 and runs over page
pieces, each under its header written again; its level cells carry codes (A决策15分 | A1项目立项5分 |
A101立项依据). A row starts at a level cell (coded or named) unless the row so far holds only shallower
levels of it, at a repeated header, or at a text cell when the row already reaches past the form's last
text column (only points columns are left); empty cells just before a level cell are its row's leading
cells (a converter drops a row's trailing empty cells, never its leading ones). A form is rebuilt only up
to its total row (合计 100 65.00): a form whose total is not in the text is left to the unread detector.
"""
from __future__ import annotations

from jixiao.normalize import flat_forms as ff
from jixiao.patterns import flat_text as ft

HEADER_CELL = 16  # characters: a longer cell is text, whatever words it holds
OPEN_TEXT = 0.25  # share of a form's rows that may open with a text cell (the rest: a level cell, empty cells)
POINTS = ("weight", "score", "budget_weight", "budget_score", "score_rate")  # columns that hold numbers only


def rows_by_columns(lines: list[str], cells: list[str], where: list[int]) -> list[str] | None:
    """The text with each form it finds in the cells (cells[k] starts on line where[k]) written as bare pipe
    rows; None when no form with its total row is found."""
    out: list[str] = []
    cursor = k = 0
    found = False
    while k < len(cells):
        got = form_rows(cells, k) if _header(cells, k) else None
        if got is None:
            k += 1
            continue
        rows, end = got
        out += _without_trailing_blanks(lines[cursor:where[k]])
        out += [" | ".join(" ".join(c.split()) for c in row) for row in rows]
        cursor = where[end] if end < len(cells) else len(lines)
        out.append("")
        k, found = end, True
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
    while i < len(cells):
        cell = cells[i]
        again = _header(cells, i)
        if again:
            rows += [row] if any(row) else []
            rows.append(again[0])
            i = again[1]
            row = []
            continue
        if ff.is_total(cell):
            rows += [row] if any(row) else []
            total, i = _total_row(cells, i, width)
            return (rows + [total], i) if _form_like(rows) else None
        column = _level_column(cell, row, kinds)
        if column is not None:
            lead = _trailing_empties(row, column)
            rows += [row[:len(row) - lead]] if any(row) else []
            row = [""] * lead
        elif len(row) >= width or (_is_text(cell) and len(row) > last_text):
            rows += [row] if any(row) else []
            row = []
        row.append(cell)
        i += 1
    return None


def _form_like(rows: list[list[str]]) -> bool:
    """Most rows open with a level cell or empty cells (a page piece), as a form's rows do: not paragraphs
    and other tables' cells between a header-like run and a 合计."""
    body = [row for row in rows if row and ff.header_kind(row) is None]
    text = [row for row in body if _is_text(row[0]) and _level(row[0]) is None]
    return bool(body) and len(text) <= OPEN_TEXT * len(body)


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
