"""Table rows flattened into text, at the string level: pipe rows (`a | b | |||`), one cell per line, and
cells run together on a line; what kind of value a cell holds (a number, a percentage, a sign, a label).

The form grammar that turns such cells back into a table lives in normalize/flat_forms.py."""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from jixiao.patterns.headers import lone_weight
from jixiao.patterns.numbers import ascii_view

_NUMBER = re.compile(r"^[-+]?\d+(?:,\d{3})*(?:\.\d+)?$")
_AMOUNT = re.compile(r"^[-+]?\d+(?:,\d{3})*(?:\.\d+)?(?:万元|万|元|亿元|亿|千元)$")  # "680万", "6727625.90元"
_PERCENT = re.compile(r"^[-+]?\d+(?:\.\d+)?%$")
DASHES = frozenset({"—", "——", "-", "--", "/", "－", "／", "…", "……", "...", "——/"})
SIGNS = frozenset({"=", "＝", "≥", "≤", ">", "<", "≧", "≦", "＞", "＜", "定性", "定量", "正向", "反向"})


@lru_cache(maxsize=1 << 16)  # the same cells are typed again and again by the form grammar
def squeeze(text: str) -> str:
    """A cell's text with spaces and line breaks removed and digits ASCII (for comparing and typing)."""
    return "".join(ascii_view(text).split())


@lru_cache(maxsize=1 << 16)  # pure function of the cell text: every stage types the same cells again
def is_number(text: str) -> bool:
    return bool(_NUMBER.match(squeeze(text)))


def number(text: str) -> float:
    """The value of a cell is_number accepts, thousands separators dropped (1,000 is 1000.0)."""
    return float(squeeze(text).replace(",", ""))


@lru_cache(maxsize=1 << 16)  # pure function of the cell text: every stage types the same cells again
def is_amount(text: str) -> bool:
    return bool(_AMOUNT.match(squeeze(text)))


@lru_cache(maxsize=1 << 16)  # pure function of the cell text: every stage types the same cells again
def is_percent(text: str) -> bool:
    return bool(_PERCENT.match(squeeze(text).replace("％", "%")))


def is_dash(text: str) -> bool:
    return squeeze(text) in DASHES


def is_sign(text: str) -> bool:
    return squeeze(text) in SIGNS


def is_points_only(text: str) -> bool:
    """"(50分)": a level whose name was lost."""
    return lone_weight(text) is not None


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
    if "|" not in "".join(lines):
        return []  # no bar anywhere (most text): no line to start a run
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
    barred = [line.strip() for line in lines[start:end] if pipe_count(line)]
    counts = [pipe_count(line) for line in barred]
    width = Counter(counts).most_common(1)[0][0]
    leading = sum(line.lstrip().startswith("|") for line in lines[start:end]) * 2 > len(counts)
    trailing = sum(line.endswith("|") for line in barred) * 2 > len(barred)
    if width == 1 and not leading and trailing:
        cells = [line.replace("|", "").strip() for line in lines[start:end] if line.strip()]
        return PipeBlock([[c] for c in cells], start, end, one_cell_per_line=True)
    if not leading and not trailing:  # `a | b | c`: rows not padded to the table's width, so a row is a line
        rows = [split_pipe_row(line, False) for line in lines[start:end] if line.strip()]
        return PipeBlock(rows, start, end, one_cell_per_line=False)
    rows, pending, seen = [], [], 0
    for line in lines[start:end]:
        closed = leading and pending and pending[-1].rstrip().endswith("|")
        if closed and (_opens_row(line) or not pipe_count(line)):
            rows.append(split_pipe_row("\n".join(pending), leading))  # `| a | b |` rows not padded (Markdown)
            pending, seen = [], 0
            if not pipe_count(line):
                rows.append([line.strip()])  # a line of text between two rows (a note under a table)
                continue
        pending.append(line)
        seen += pipe_count(line)
        if seen >= width:
            rows.append(split_pipe_row("\n".join(pending), leading))
            pending, seen = [], 0
    if pending and any(p.strip(" |") for p in pending):
        rows.append(split_pipe_row("\n".join(pending), leading))
    return PipeBlock(rows, start, end, one_cell_per_line=False)


def _opens_row(line: str) -> bool:
    """`| text …`: a bar, then a cell's text (a line of bars alone is the padding of the row before)."""
    text = line.strip()
    return text.startswith("|") and bool(text.strip("| "))


def split_pipe_row(text: str, leading: bool) -> list[str]:
    """Cells of one pipe row: a leading bar opens the row; trailing empty cells are padding."""
    if leading and text.lstrip().startswith("|"):
        text = text.lstrip()[1:]
    cells = [" ".join(part.split()) for part in text.split("|")]
    while cells and not cells[-1]:
        cells.pop()
    return cells


# ---------------------------------------------------------------- one cell per line, rows apart

MIN_ROW_LINES = 3  # lines in one run: fewer is a paragraph or a cell's wrapped lines, not a row


def rows_apart(lines: list[str]) -> list[str] | None:
    """One cell per line, a row's cells on consecutive lines and a blank line between rows, an empty cell a
    line of spaces (a converter that writes each row as a paragraph of cells): the rows as bare pipe rows
    (`a |  | b`), which the pipe grammar reads; None when no run of lines holds an empty cell (nothing
    tells such rows from wrapped paragraphs)."""
    runs: list[list[str]] = [[]]
    for line in lines:
        if line:
            runs[-1].append(line.strip())
        elif runs[-1]:
            runs.append([])
    rows = [run for run in runs if run]
    if not any(len(run) >= MIN_ROW_LINES and "" in run for run in rows):
        return None
    return [" | ".join(run) if len(run) > 1 else run[0] for run in rows]


# ---------------------------------------------------------------- cells run together


def tokens(text: str) -> list[str]:
    """Whitespace-separated pieces of a line whose cells were joined with spaces."""
    return text.split()


# ---------------------------------------------------------------- cells run together without a space

GLUED_MAX = 60  # characters: a longer token is a sentence, not a row
_NUMBER_AT = re.compile(r"\d+(?:\.\d+)?")
_TWICE = re.compile(r"(.{2,})\1", re.S)  # a run of two or more characters written twice in a row


def _readings(token: str) -> list[tuple[str, str | None, str, str | None]]:
    """Every way to read a token as name, weight, target, actual (= target), score."""
    out = []
    n = len(token)
    for start in range(n):  # where the weight (or the doubled text) starts
        name = token[:start]
        weights: list[str | None] = [None]
        m = _NUMBER_AT.match(token, start)
        if m and name:
            weights += [m.group()[:k] for k in range(1, len(m.group()) + 1) if m.group()[k - 1:k] != "."]
        for weight in weights:
            p = start + (len(weight) if weight else 0)
            for size in range(2, (n - p) // 2 + 1):
                value = token[p:p + size]
                if token[p + size:p + 2 * size] != value:
                    continue
                rest = token[p + 2 * size:]
                if rest and not _NUMBER.match(rest):
                    continue
                out.append((name, weight, value, rest or None))
    return out


def _fits(weight: str | None, score: str | None, value: str) -> bool:
    if not re.search(r"[^\d.,%]", value) or (weight and (weight.startswith("0") or float(weight) > 100)):
        return False  # a repeated run of digits (1010, 2020) is not a target; weights are 1-100 points
    return not (weight and score and float(score) > float(weight))


def split_glued(token: str) -> list[str]:
    """A row's cells run together without a space ("安装坡面水标尺10≥266米≥266米10"), read where its target
    and actual are the same text: [name, weight, target, actual, score] with the parts that are there. Of the
    readings whose score is not over its weight, the most complete one is taken when it is the only one so
    complete ("335万元35万元3": weight 3, 35万元, score 3 — not weight 33); else the token is left whole."""
    return list(_split_glued(token))


@lru_cache(maxsize=1 << 16)  # tries every reading of the token: a page repeats its tokens (units, targets)
def _split_glued(token: str) -> tuple[str, ...]:
    if len(token) > GLUED_MAX or not _TWICE.search(token):
        return (token,)  # every reading has its target twice in a row (target = actual): none here
    readings = [r for r in _readings(token) if _fits(r[1], r[3], r[2]) and not r[0][-1:].isdigit()]
    if not readings:
        return (token,)
    best = max(sum(part is not None for part in r[1::2]) for r in readings)
    top = [r for r in readings if sum(part is not None for part in r[1::2]) == best]
    if len(top) != 1:
        return (token,)
    name, weight, value, score = top[0]
    return tuple(part for part in (name, weight, value, value, score) if part)
