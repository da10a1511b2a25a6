"""Plain-text tables for the terminal that line up with Chinese text (a CJK character is two columns wide)."""
from __future__ import annotations

from wcwidth import wcswidth, wcwidth

MAX_CELL = 40  # display columns a cell may take, except the last column (usually a message)


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


def render(header: list[str], rows: list[list[str]], numeric: set[int] = frozenset()) -> str:
    """Columns separated by two spaces; `numeric` column indexes are right-aligned."""
    last = len(header) - 1
    cells = [[" ".join(str(c).split()) for c in row] for row in [header, *rows]]
    cells = [[c if i == last else clip(c, MAX_CELL) for i, c in enumerate(row)] for row in cells]
    widths = [max(display_width(row[i]) for row in cells) for i in range(len(header))]
    lines = []
    for number, row in enumerate(cells):
        parts = [pad(c, widths[i], i in numeric and number > 0) if i < last or i in numeric else c
                 for i, c in enumerate(row)]
        lines.append("  ".join(parts).rstrip())
        if number == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)
