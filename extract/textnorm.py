"""The normalised text form kept beside the text as written."""
from __future__ import annotations

import re
from functools import lru_cache

# Full-width digits, percent and decimal point to ASCII; the rest of the text stays as written.
_FULLWIDTH = str.maketrans({**{chr(0xFF10 + i): str(i) for i in range(10)}, "％": "%", "．": "."})
_SPACES = re.compile(r"[ \t\u00a0\u3000\u2002\u2003\u2009\u200b\ufeff]+")
_BLANK_AROUND_NEWLINE = re.compile(r" *\n *")


@lru_cache(maxsize=8192)  # readers ask for the same cell again and again (Cell.norm is a property)
def normalize_text(text: str) -> str:
    """Full-width digits and ％ to ASCII, runs of whitespace to one space, line breaks kept as \\n."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(_FULLWIDTH)
    text = _SPACES.sub(" ", text)
    text = _BLANK_AROUND_NEWLINE.sub("\n", text)
    text = re.sub(r"\n{2,}", "\n", text)
    return text.strip()
