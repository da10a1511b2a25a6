"""Text drawing for the evidence pictures at a cost that does not grow with the text: a Pillow font that
remembers the glyph masks and widths of the strings it has drawn (table headers and neighbouring rows recur
from one flag's picture to the next), and line wrapping that measures a line a few times, not once per
character. Pictures come out pixel for pixel as with the plain font and the per-character loop."""
from __future__ import annotations

from PIL import ImageFont

MEMO_LIMIT = 20_000  # strings remembered per font (masks are a few KB); forgotten all at once past it


class MemoFont(ImageFont.FreeTypeFont):
    """FreeTypeFont whose getmask2 (what ImageDraw.text draws) and getlength results are remembered by their
    arguments: the same string drawn again costs a dictionary look-up instead of a shaping and a rendering."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._masks: dict = {}
        self._lengths: dict = {}

    def getlength(self, text, mode="", direction=None, features=None, language=None) -> float:
        if direction or features or language:
            return super().getlength(text, mode, direction, features, language)
        key = (text, mode)
        length = self._lengths.get(key)
        if length is None:
            if len(self._lengths) >= MEMO_LIMIT:
                self._lengths.clear()
            length = self._lengths[key] = super().getlength(text, mode)
        return length

    def getmask2(self, text, mode="", *args, **kwargs):
        try:
            key = (text, mode, args, tuple(sorted(kwargs.items())))
            hash(key)
        except TypeError:  # a list of features: not remembered
            return super().getmask2(text, mode, *args, **kwargs)
        found = self._masks.get(key)
        if found is None:
            if len(self._masks) >= MEMO_LIMIT:
                self._masks.clear()
            found = self._masks[key] = super().getmask2(text, mode, *args, **kwargs)
        return found


def wrap_lines(text: str, font, width: float, max_lines: int) -> list[str]:
    """The lines of the loop `for ch in text: if font.getlength(line + ch) > width: lines.append(line);
    line = ""; line += ch`, at most max_lines of them, each line's end found by a doubling then a binary
    search on its length (widths only grow as characters are added)."""
    lines: list[str] = []
    start, n = 0, len(text)
    while start < n and len(lines) < max_lines:
        low = 1 if not lines else 2  # a line after the first starts with the character that did not fit
        if font.getlength(text[start:start + low]) > width and low <= n - start:
            end = start + low - 1  # prefix length low - 1 fits, low does not
        else:
            fits, step = low, low  # text[start:start + fits] fits (or is the rest of the text)
            while start + fits < n:
                probe = min(fits + step, n - start)
                if font.getlength(text[start:start + probe]) > width:
                    break
                fits, step = probe, step * 2
            else:
                lines.append(text[start:])
                return lines[:max_lines]
            high = min(fits + step, n - start)  # does not fit
            while high - fits > 1:
                mid = (fits + high) // 2
                if font.getlength(text[start:start + mid]) > width:
                    high = mid
                else:
                    fits = mid
            end = start + fits
        lines.append(text[start:end])
        start = end
    if start >= n and not lines:
        lines.append("")
    return lines[:max_lines]
