"""Text lines as PDF text dumps and OCR previews write them, at the string level: lines hard-wrapped at a right
margin (a paragraph goes on in the next line), rows laid out in columns (cells parted by a run of spaces), and
the numbered lines of a doc-sharing preview (1、… 2、…)."""
from __future__ import annotations

import re
from dataclasses import dataclass

from wcwidth import wcswidth

_PAGE_MARK = re.compile(r"^(\d+)、")
COLUMN_GAP = re.compile(r"\S {3,}\S")  # spaces parting two cells of a row laid out in columns (pdftotext -layout)
_SENTENCE_END = re.compile(r"[。！？!?][”’」』）)]*$")  # a paragraph ends with its sentence; a line may wrap after ；or ：
MARGIN_SHARE = 0.95  # the right margin: the width this share of the lines stays within
REACH = 0.9  # a line this close to the margin reached it (the next word did not fit)
COLUMN_INDENT = 0.25  # of the margin: a paragraph's indent is a few characters, a column's a fair part of the page
PREVIEW_MARKED = 0.9  # share of lines opening with a counting page mark in an OCR preview
WRAPPED_MIN = 20  # lines at the margin needed to call the text hard-wrapped
WRAPPED_ENDS = 0.25  # … of which at most this share end a sentence (lines written as paragraphs nearly all do)


def page_marks_removed(lines: list[str]) -> list[str]:
    """Doc-sharing previews number pages at line starts (1、 … 2、 …): removed when they count up."""
    marks = [(k, m) for k, line in enumerate(lines) if (m := _PAGE_MARK.match(line))]
    if len(marks) < 2:
        return lines
    out, expected = list(lines), int(marks[0][1].group(1))
    for k, m in marks:
        if int(m.group(1)) == expected:  # "1、部门预算项目" at a line start is a cell, not the next page
            out[k], expected = lines[k][m.end():], expected + 1
    return out


def numbered_preview(lines: list[str]) -> bool:
    """Every line opens with its page mark, counting up: a doc-sharing site's OCR preview (its text OCR's)."""
    filled = [line for line in lines if line.strip()]
    marked = sum(a != b for a, b in zip(filled, page_marks_removed(filled)))
    return len(filled) >= 2 and marked >= PREVIEW_MARKED * len(filled)


def width(line: str) -> int:
    """Display width (a Chinese character two columns, as pdftotext -layout and terminals lay them)."""
    return max(wcswidth(line.rstrip()), len(line.rstrip()))


def ends_sentence(line: str) -> bool:
    return bool(_SENTENCE_END.search(line.rstrip()))


def has_column_gap(line: str) -> bool:
    return bool(COLUMN_GAP.search(line.strip()))


@dataclass(frozen=True)
class Margin:
    """Where hard-wrapped lines end: in display columns (a PDF page's width) and in characters (a preview
    cut every N characters, its digits narrower than its Chinese)."""
    columns: int
    chars: int

    def reached(self, line: str) -> bool:
        return width(line) >= REACH * self.columns or len(line.strip()) >= REACH * self.chars

    def in_column(self, line: str) -> bool:
        """A line starting far from the left margin: text of a table's column (a long cell wrapped in it)."""
        return width(line) - width(line.lstrip()) >= COLUMN_INDENT * self.columns


def _high(values: list[int]) -> int:
    return sorted(values)[int(MARGIN_SHARE * (len(values) - 1))]


def wrap_margin(lines: list[str]) -> Margin | None:
    """The right margin the lines were hard-wrapped at, or None when they are not: many lines reach the same
    width and most of those stop mid-sentence (a file written a paragraph a line ends nearly every long line
    with its full stop)."""
    filled = [line for line in lines if line.strip() and not has_column_gap(line)]  # a table's rows run wider
    if not filled:
        return None
    margin = Margin(_high([width(line) for line in filled]), _high([len(line.strip()) for line in filled]))
    reaching = [line for line in filled if margin.reached(line)]
    if len(reaching) < WRAPPED_MIN or sum(map(ends_sentence, reaching)) > WRAPPED_ENDS * len(reaching):
        return None
    return margin


def goes_on(line: str, margin: Margin) -> bool:
    """A line that reached the margin without ending its sentence: its paragraph goes on in the next line."""
    return margin.reached(line) and not ends_sentence(line)
