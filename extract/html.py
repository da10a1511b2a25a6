""".html reports (web pages) and Markdown carrying HTML tables (what MinerU writes for a PDF) or pipe tables
(extract/markdown.py) -> Document.

Tables keep their rowspan/colspan as real merges (origin + span); the text between tables becomes paragraphs,
one per line or block element.
"""
from __future__ import annotations

import re
from pathlib import Path

import lxml.html

from jixiao.extract.errors import ReadError
from jixiao.extract.grid import Span, build_pieces
from jixiao.extract.markdown import pieces, pipe_table
from jixiao.extract.model import Document, Location, Paragraph, Table
from jixiao.extract.txt import decode

_TABLE_TAG = re.compile(r"<(/?)table\b[^>]*>", re.I)
_BLOCK_TAGS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article",
               "blockquote", "pre", "dt", "dd", "caption", "title"}
_MD_HEADING = re.compile(r"^#{1,6}\s+")
_MD_MATH = re.compile(r"\$\s*([^$\n]{0,40}?)\s*\$")  # "$69.33\%$" from a PDF-to-Markdown converter
_DIGITS = re.compile(r"\d+")
MAX_SPAN = 1000  # a rowspan/colspan beyond this is damage, not layout
_PARSER = lxml.html.HTMLParser(no_network=True, remove_comments=True)


def looks_like_html(text: str) -> bool:
    """A web page, or text that carries HTML tables anywhere (Markdown from MinerU)."""
    return bool(re.search(r"<(?:table|html|body)\b|<!doctype\s+html", text, re.I))


def read_html(path: str | Path) -> Document:
    try:
        data = Path(path).read_bytes()
    except OSError as err:
        raise ReadError(f"cannot read {path}: {err.strerror or err}") from None
    decoded = decode(data)
    document = read_html_text(decoded.text, str(path), decoded.encoding)
    document.warnings.extend(decoded.warnings)
    return document


def read_html_text(text: str, source_path: str = "", encoding: str | None = None) -> Document:
    document = Document(source_path=source_path, format="html", page_count=1, encoding=encoding)
    n_tables = n_paragraphs = 0  # counted here: document.tables / .paragraphs scan every block (quadratic)
    for kind, chunk in _blocks(text):
        if kind == "text":
            for line in text_lines(chunk):
                document.blocks.append(Paragraph(line, Location(page=1, paragraph=n_paragraphs)))
                n_paragraphs += 1
            continue
        tables = html_tables(chunk, n_tables) if kind == "html" else [pipe_table(chunk, n_tables)]
        for table in filter(None, tables):
            document.blocks.append(table)
            n_tables += 1
    return document


def _blocks(text: str) -> list[tuple[str, object]]:
    """("html", a <table>), ("pipe", a Markdown pipe table's rows) or ("text", text) in document order."""
    out: list[tuple[str, object]] = []
    for is_table, chunk in segments(text):
        if is_table:
            out.append(("html", chunk))
        else:  # Markdown's pipe tables between the HTML ones
            out += [("pipe" if in_table else "text", piece) for in_table, piece in pieces(chunk)]
    return out


def segments(text: str) -> list[tuple[bool, str]]:
    """(is_table, chunk) in document order; a table nested in a table stays inside its outer table."""
    out, depth, start, last = [], 0, 0, 0
    for match in _TABLE_TAG.finditer(text):
        closing = match.group(1) == "/"
        if not closing:
            if depth == 0:
                out.append((False, text[last:match.start()]))
                start = match.start()
            depth += 1
        elif depth:
            depth -= 1
            if depth == 0:
                out.append((True, text[start:match.end()]))
                last = match.end()
    out.append((False, text[start if depth else last:]))  # an unclosed table reads as text
    return [(t, c) for t, c in out if c.strip()]


def text_lines(chunk: str) -> list[str]:
    """Paragraph texts of a stretch of HTML or Markdown: block elements and line breaks end a paragraph."""
    if "<" in chunk:
        root = lxml.html.fragment_fromstring(chunk, create_parent="div", parser=_PARSER)
        for bad in root.xpath("//script|//style"):
            bad.drop_tree()
        chunk = _text_with_breaks(root)
    lines = []
    for line in chunk.split("\n"):
        line = _MD_MATH.sub(lambda m: m.group(1).replace("\\%", "%"), _MD_HEADING.sub("", line)).strip()
        if line:
            lines.append(line)
    return lines


def _text_with_breaks(element) -> str:
    for node in element.iter():
        if isinstance(node.tag, str) and node.tag.lower() in _BLOCK_TAGS:
            node.tail = "\n" + (node.tail or "")
    return element.text_content()


def _span(value: str | None) -> int:
    match = _DIGITS.search(value or "")
    return min(max(int(match.group()), 1), MAX_SPAN) if match else 1


def html_tables(chunk: str, index: int) -> list[Table]:
    """A <table> as rectangular grids: rowspan/colspan become spans, covered positions point to the origin;
    one grid per piece it is stacked from (grid.build_pieces), numbered on from `index`."""
    root = lxml.html.fragment_fromstring(chunk, parser=_PARSER)
    rows = [tr for tr in root.xpath("./tr|./thead/tr|./tbody/tr|./tfoot/tr")]
    spans: list[Span] = []
    covered: set[tuple[int, int]] = set()
    for r, tr in enumerate(rows):
        c = 0
        for td in tr.xpath("./td|./th"):
            while (r, c) in covered:  # a rowspan from above sits here: the row's next cell goes right of it
                c += 1
            rowspan, colspan = min(_span(td.get("rowspan")), len(rows) - r), _span(td.get("colspan"))
            spans.append(Span(r, c, _cell_text(td), rowspan, colspan))
            covered.update((r + dr, c + dc) for dr in range(rowspan) for dc in range(colspan))
            c += colspan
    if not covered:
        return []
    grids = build_pieces(spans, len(rows), max(c for _, c in covered) + 1)
    return [Table(grid=grid, location=Location(page=1, table=index + k), pages=[1]) for k, grid in enumerate(grids)]


def _cell_text(td) -> str:
    text = _text_with_breaks(td)
    return "\n".join(line.strip() for line in text.split("\n") if line.strip())
