"""Table rows flattened into text, at the string level: pipe rows (`a | b | |||`), one cell per line, and
cells run together on a line; what kind of value a cell holds (a number, a percentage, a sign, a label).

The form grammar that turns such cells back into a table lives in normalize/flat_forms.py."""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from jixiao.patterns.numbers import ascii_view

_NUMBER = re.compile(r"^[-+]?\d+(?:,\d{3})*(?:\.\d+)?$")
_AMOUNT = re.compile(r"^[-+]?\d+(?:,\d{3})*(?:\.\d+)?(?:万元|万|元|亿元|亿|千元)$")  # "680万", "6727625.90元"
_PERCENT = re.compile(r"^[-+]?\d+(?:\.\d+)?%$")
_POINTS_ONLY = re.compile(r"^[(（]\s*\d+(?:\.\d+)?\s*分\s*[)）]$")  # "(50分)": a level whose name was lost
DASHES = frozenset({"—", "——", "-", "--", "/", "－", "／", "…", "……", "...", "——/"})
SIGNS = frozenset({"=", "＝", "≥", "≤", ">", "<", "≧", "≦", "＞", "＜", "定性", "定量", "正向", "反向"})


def squeeze(text: str) -> str:
    """A cell's text with spaces and line breaks removed and digits ASCII (for comparing and typing)."""
    return "".join(ascii_view(text).split())


def is_number(text: str) -> bool:
    return bool(_NUMBER.match(squeeze(text)))


def is_amount(text: str) -> bool:
    return bool(_AMOUNT.match(squeeze(text)))


def is_percent(text: str) -> bool:
    return bool(_PERCENT.match(squeeze(text).replace("％", "%")))


def is_dash(text: str) -> bool:
    return squeeze(text) in DASHES


def is_sign(text: str) -> bool:
    return squeeze(text) in SIGNS


def is_points_only(text: str) -> bool:
    return bool(_POINTS_ONLY.match(squeeze(text)))


def is_value(text: str) -> bool:
    """A budget cell's content: a number, a percentage, a dash, or nothing."""
    key = squeeze(text)
    return not key or is_number(key) or is_percent(key) or is_amount(key) or key in DASHES


# ---------------------------------------------------------------- pipe rows


@dataclass
class PipeBlock:
    """Consecutive lines of a pipe table: their rows of cells and the line range they came from."""

    rows: list[list[str]]
    start: int  # first line index
    end: int  # one past the last line index
    one_cell_per_line: bool  # every line one cell and its bar: the rows are not marked


def pipe_count(line: str) -> int:
    return line.count("|")


def pipe_blocks(lines: list[str], min_lines: int = 3) -> list[PipeBlock]:
    """Runs of lines holding `|`; a line without one between them belongs to the cell it continues."""
    blocks, i, n = [], 0, len(lines)
    while i < n:
        if pipe_count(lines[i]) == 0:
            i += 1
            continue
        j = i
        while j < n and (pipe_count(lines[j]) or (j + 1 < n and pipe_count(lines[j + 1]) and lines[j].strip())):
            j += 1
        if sum(1 for k in range(i, j) if pipe_count(lines[k])) >= min_lines:
            blocks.append(_block(lines, i, j))
        i = j
    return blocks


def _block(lines: list[str], start: int, end: int) -> PipeBlock:
    counts = [pipe_count(line) for line in lines[start:end] if pipe_count(line)]
    width = Counter(counts).most_common(1)[0][0]
    leading = sum(line.lstrip().startswith("|") for line in lines[start:end]) * 2 > len(counts)
    if width == 1 and not leading:
        cells = [line.replace("|", "").strip() for line in lines[start:end] if line.strip()]
        return PipeBlock([[c] for c in cells], start, end, one_cell_per_line=True)
    rows, pending, seen = [], [], 0
    for line in lines[start:end]:
        pending.append(line)
        seen += pipe_count(line)
        if seen >= width:
            rows.append(split_pipe_row("\n".join(pending), leading))
            pending, seen = [], 0
    if pending and any(p.strip(" |") for p in pending):
        rows.append(split_pipe_row("\n".join(pending), leading))
    return PipeBlock(rows, start, end, one_cell_per_line=False)


def split_pipe_row(text: str, leading: bool) -> list[str]:
    """Cells of one pipe row: a leading bar opens the row; trailing empty cells are padding."""
    if leading and text.lstrip().startswith("|"):
        text = text.lstrip()[1:]
    cells = [" ".join(part.split()) for part in text.split("|")]
    while cells and not cells[-1]:
        cells.pop()
    return cells


# ---------------------------------------------------------------- cells run together


def tokens(text: str) -> list[str]:
    """Whitespace-separated pieces of a line whose cells were joined with spaces."""
    return text.split()
