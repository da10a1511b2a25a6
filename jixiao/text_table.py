"""Plain-text tables for the terminal that line up with Chinese text (a CJK character is two columns wide)."""
from __future__ import annotations

import os
import sys

from wcwidth import wcswidth, wcwidth

MAX_CELL = 40  # display columns a cell may take, except the last column (usually a message)
MIN_CELL = 6  # narrowest a column is cut to when the table must fit the terminal
MIN_LAST = 24  # the last column (a message) wraps at no fewer columns than this


def terminal_width() -> int | None:
    """Columns to fit: $COLUMNS, else the terminal's width; None when stdout is not a terminal (a file or pipe
    gets whole lines)."""
    if os.environ.get("COLUMNS", "").isdigit():
        return int(os.environ["COLUMNS"])
    try:
        return os.get_terminal_size(sys.stdout.fileno()).columns if sys.stdout.isatty() else None
    except (OSError, ValueError, AttributeError):
        return None


def display_width(text: str) -> int:
    width = wcswidth(text)
    return width if width >= 0 else len(text)  # control characters: count them as one


def clip(text: str, limit: int) -> str:
    """Cut to at most `limit` display columns, marking the cut with …."""
    if display_width(text) <= limit:
        return text
    out, used = [], 0
    for char in text:
        w = max(wcwidth(char), 0)
        if used + w > limit - 1:
            break
        out.append(char)
        used += w
    return "".join(out) + "…"


def pad(text: str, width: int, right: bool) -> str:
    space = " " * (width - display_width(text))
    return space + text if right else text + space


def wrap(text: str, limit: int) -> list[str]:
    """Cut into lines of at most `limit` display columns."""
    lines, line, used = [], [], 0
    for char in text:
        w = max(wcwidth(char), 0)
        if used + w > limit and line:
            lines.append("".join(line))
            line, used = [], 0
        line.append(char)
        used += w
    return lines + ["".join(line)]


def fit(widths: list[int], width: int | None, numeric: set[int] = frozenset()) -> tuple[list[int], int | None]:
    """Column widths (all but the last) and the last column's wrap width so that a line fits `width`: the
    widest text columns are narrowed first (numbers last), none below MIN_CELL."""
    if width is None:
        return widths[:-1], None
    fixed = list(widths[:-1])
    room = lambda: width - sum(fixed) - 2 * len(fixed)  # noqa: E731 — what is left for the last column
    while room() < min(MIN_LAST, widths[-1]):
        text = [i for i, w in enumerate(fixed) if w > MIN_CELL and i not in numeric]
        candidates = text or [i for i, w in enumerate(fixed) if w > MIN_CELL]
        if not candidates:
            break
        fixed[max(candidates, key=lambda i: fixed[i])] -= 1
    return fixed, max(room(), 1)


def render(header: list[str], rows: list[list[str]], numeric: set[int] = frozenset(),
           width: int | None | str = "terminal") -> str:
    """Columns separated by two spaces; `numeric` column indexes are right-aligned. Lines fit `width` display
    columns (default: the terminal's; None: no limit): wide columns are cut with …, the last column wraps."""
    width = terminal_width() if width == "terminal" else width
    last = len(header) - 1
    cells = [[" ".join(str(c).split()) for c in row] for row in [header, *rows]]
    cells = [[c if i == last else clip(c, MAX_CELL) for i, c in enumerate(row)] for row in cells]
    natural = [max(display_width(row[i]) for row in cells) for i in range(len(header))]
    fixed, wrap_at = fit(natural, width, numeric)
    widths = fixed + [natural[-1] if wrap_at is None else min(natural[-1], wrap_at)]
    indent = sum(fixed) + 2 * len(fixed)
    lines = []
    for number, row in enumerate(cells):
        parts = [pad(clip(c, widths[i]), widths[i], i in numeric and number > 0) for i, c in enumerate(row[:-1])]
        tail = row[-1]
        if last in numeric:
            tail = pad(tail, widths[-1], number > 0)
        pieces = wrap(tail, wrap_at) if wrap_at is not None and display_width(tail) > wrap_at else [tail]
        lines.append("  ".join(parts + [pieces[0]]).rstrip())
        lines += [" " * indent + piece for piece in pieces[1:]]
        if number == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)
