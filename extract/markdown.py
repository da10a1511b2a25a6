"""Markdown pipe tables (what GitHub, pandoc, docling and marker write: `| a | b |` rows under a header row and
a `|---|---|` separator row) -> Tables, through the grid builder every reader uses.

A pipe table has no merges: converters repeat a merged cell's text in every position it covers, or write it
once and leave the others empty; both are kept as written (the form assembler reads either, as it reads a
web page's or a text dump's rows). Line breaks inside a cell are `<br>`; a bar inside a cell is `\\|`.
"""
from __future__ import annotations

import re

from jixiao.extract.grid import Span, build_grid
from jixiao.extract.model import Location, Table

_SEPARATOR_CELL = re.compile(r"^:?-{3,}:?$")
_BAR = re.compile(r"(?<!\\)\|")  # a cell boundary: a bar not escaped
_BREAK = re.compile(r"<br\s*/?>", re.I)


def is_separator(line: str) -> bool:
    """`|---|:---:|`: the line under a pipe table's header row."""
    if "|" not in line:
        return False
    cells = split_row(line)
    return bool(cells) and all(_SEPARATOR_CELL.match(c.replace(" ", "")) for c in cells)


def split_row(line: str) -> list[str]:
    """Cells of a pipe row: the outer bars opened and closed the row, `\\|` is a bar in a cell."""
    text = line.strip()
    text = text[1:] if text.startswith("|") else text
    text = text[:-1] if text.endswith("|") and not text.endswith("\\|") else text
    return [_cell(part) for part in _BAR.split(text)]


def _cell(part: str) -> str:
    lines = _BREAK.split(part.replace("\\|", "|"))
    return "\n".join(line.strip() for line in lines if line.strip())


def pieces(text: str) -> list[tuple[bool, str | list[list[str]]]]:
    """(is_table, text or rows) in order: each pipe table (header row, separator, body rows up to the first
    line without a bar) as its rows of cells, the text between as text."""
    lines = text.split("\n")
    out: list[tuple[bool, str | list[list[str]]]] = []
    start = i = 0
    while i < len(lines):
        if i > start and is_separator(lines[i]) and "|" in lines[i - 1] and lines[i - 1].strip():
            end = i + 1
            while end < len(lines) and "|" in lines[end] and lines[end].strip():
                end += 1
            out.append((False, "\n".join(lines[start:i - 1])))
            header = split_row(lines[i - 1])
            body = [split_row(line) for line in lines[i + 1:end]]
            out.append((True, ([header] if any(header) else []) + body))  # an empty header row is no row
            start = i = end
            continue
        i += 1
    out.append((False, "\n".join(lines[start:])))
    return [(is_table, value) for is_table, value in out if is_table or value.strip()]


def pipe_table(rows: list[list[str]], index: int) -> Table | None:
    """The rows of a pipe table as a Table: one cell per position, no merges."""
    rows = [row for row in rows if row]
    if not rows:
        return None
    spans = [Span(r, c, text) for r, row in enumerate(rows) for c, text in enumerate(row)]
    grid = build_grid(spans, len(rows), max(len(row) for row in rows))
    return Table(grid=grid, location=Location(page=1, table=index), pages=[1])
