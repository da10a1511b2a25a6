""".docx reader (python-docx): body paragraphs and tables in document order, merged cells resolved into a
rectangular grid with spans and back-pointers, nested tables kept, checkbox glyphs kept as text."""
from __future__ import annotations

import zipfile
import zlib
from dataclasses import dataclass, field, replace
from pathlib import Path

import docx
from docx.opc.exceptions import OpcError
from docx.oxml.ns import qn
from lxml import etree

from jixiao.extract import safety
from jixiao.extract.errors import ReadError
from jixiao.extract.grid import Span, build_grid, build_pieces
from jixiao.extract.model import Document, Location, Paragraph, Table

MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
W_P, W_TBL, W_TR, W_TC, W_R = qn("w:p"), qn("w:tbl"), qn("w:tr"), qn("w:tc"), qn("w:r")
W_SDT, W_SDT_CONTENT, W_CUSTOM_XML = qn("w:sdt"), qn("w:sdtContent"), qn("w:customXml")
# Run children python-docx already renders as text (CT_R.text uses the same set).
RUN_TEXT_TAGS = {qn(t) for t in ("w:t", "w:tab", "w:br", "w:cr", "w:noBreakHyphen", "w:ptab")}
# Paragraph children whose runs are not shown: deleted or moved-away text, the fallback copy of a drawing.
HIDDEN_TAGS = {qn("w:del"), qn("w:moveFrom"), qn("w:pPr"), qn("w:rPr"), qn("w:sdtPr"), MC + "Fallback"}

# Glyphs of symbol-font characters (w:sym): forms draw their check boxes with Wingdings.
SYMBOL_GLYPHS = {
    ("wingdings", 0xA8): "□", ("wingdings", 0x6F): "□", ("wingdings", 0x71): "□",
    ("wingdings", 0xFE): "☑", ("wingdings", 0xFD): "☒", ("wingdings", 0x78): "☒",
    ("wingdings", 0xFC): "√", ("wingdings", 0xFB): "×", ("wingdings", 0x6E): "■",
    ("wingdings 2", 0xA3): "□", ("wingdings 2", 0x52): "☑", ("wingdings 2", 0x54): "☒",
    ("wingdings 2", 0x50): "√", ("wingdings 2", 0x4F): "×", ("wingdings 2", 0x51): "☒",
    ("symbol", 0xD6): "√", ("symbol", 0xB4): "×", ("symbol", 0xB3): "≥", ("symbol", 0xA3): "≤",
}
CHECKED, UNCHECKED = "☑", "□"
# What python-docx and the zip/XML layers raise on a damaged package.
_DAMAGED = (OpcError, zipfile.BadZipFile, zlib.error, KeyError, ValueError, EOFError, etree.XMLSyntaxError)


# ---------------------------------------------------------------- pages


@dataclass
class PageCounter:
    """The current page, advanced at Word's rendered page breaks when the file has them (Word writes
    them on save), else at explicit page breaks."""

    rendered: bool
    page: int = 1

    def on_element(self, el) -> None:
        if self.rendered:
            if el.tag == qn("w:lastRenderedPageBreak"):
                self.page += 1
        elif el.tag == qn("w:br") and el.get(qn("w:type")) == "page":
            self.page += 1


# ---------------------------------------------------------------- paragraph text


@dataclass
class TextState:
    pages: PageCounter
    parts: list[str] = field(default_factory=list)
    first_page: int | None = None  # the page of the paragraph's first character

    def add(self, text: str) -> None:
        if text and self.first_page is None:
            self.first_page = self.pages.page
        self.parts.append(text)


def paragraph_text(p, pages: PageCounter) -> tuple[str, int]:
    """A paragraph's text as shown (line breaks as \\n, symbol glyphs, check boxes) and its page."""
    state = TextState(pages)
    _walk_inline(p, state)
    return "".join(state.parts), state.first_page or pages.page


def _walk_inline(el, state: TextState) -> None:
    for child in el:
        if child.tag in HIDDEN_TAGS or not isinstance(child.tag, str):
            continue
        if child.tag == W_R:
            _run_text(child, state)
        else:
            _walk_inline(child, state)  # hyperlinks, insertions, content controls, simple fields


def _run_text(r, state: TextState) -> None:
    for child in r:
        state.pages.on_element(child)
        tag = child.tag
        if tag in RUN_TEXT_TAGS:
            state.add(str(child))
        elif tag == qn("w:sym"):
            state.add(symbol_glyph(child))
        elif tag == qn("w:fldChar"):
            state.add(form_checkbox_glyph(child))
        elif tag in (qn("w:drawing"), qn("w:pict"), MC + "AlternateContent"):
            state.add(_text_box_text(child, state.pages))


def symbol_glyph(sym) -> str:
    """A w:sym as the character it shows: known check-box glyphs mapped, others kept as their code point."""
    font = (sym.get(qn("w:font")) or "").lower()
    try:
        code = int(sym.get(qn("w:char")) or "", 16)
    except ValueError:
        return ""
    low = code - 0xF000 if code >= 0xF000 else code  # symbol fonts live in the private-use area
    return SYMBOL_GLYPHS.get((font, low), chr(code))


def form_checkbox_glyph(fld_char) -> str:
    """A legacy form-field check box (w:ffData/w:checkBox) as ☑ or □; other fields show no glyph."""
    box = fld_char.find(f"{qn('w:ffData')}/{qn('w:checkBox')}")
    if box is None:
        return ""
    flag = box.find(qn("w:checked"))
    if flag is None:
        flag = box.find(qn("w:default"))
    on = flag is not None and flag.get(qn("w:val"), "1") not in ("0", "false", "off")
    return CHECKED if on else UNCHECKED


def _text_box_text(el, pages: PageCounter) -> str:
    lines = []
    for box in el.iter(qn("w:txbxContent")):
        if any(a.tag == MC + "Fallback" for a in box.iterancestors()):
            continue
        lines.extend(t for t in (paragraph_text(p, pages)[0] for p in box.iter(W_P)) if t.strip())
    return "\n".join(lines)


# ---------------------------------------------------------------- blocks


def iter_blocks(container):
    """w:p and w:tbl children in order, looking through content controls and custom-XML wrappers."""
    for child in container:
        if child.tag in (W_P, W_TBL):
            yield child
        elif child.tag == W_SDT:
            content = child.find(W_SDT_CONTENT)
            if content is not None:
                yield from iter_blocks(content)
        elif child.tag == W_CUSTOM_XML:
            yield from iter_blocks(child)


@dataclass
class Placement:
    """A w:tc as placed on the layout grid."""

    row: int
    col: int
    span: int
    continues: bool  # vMerge="continue": the cell above goes on into this row
    tc: object


def place_cells(tbl) -> tuple[list[Placement], int, int]:
    """Every w:tc with its grid row and column, and the grid's size (rows may start late or end early)."""
    placements, width = [], 0
    rows = [tr for tr in tbl if tr.tag == W_TR]
    for r, tr in enumerate(rows):
        col = tr.grid_before
        for tc in tr.tc_lst:
            span = max(tc.grid_span, 1)
            placements.append(Placement(r, col, span, tc.vMerge == "continue", tc))
            col += span
        width = max(width, col + tr.grid_after)
    return placements, len(rows), width


@dataclass
class TableBuilder:
    pages: PageCounter

    def build(self, tbl, location: Location) -> Table:
        """A table as one grid (a nested table)."""
        return self.build_pieces(tbl, location, pieces=False)[0]

    def build_pieces(self, tbl, location: Location, pieces: bool = True) -> list[Table]:
        """A table of the body: one Table per piece it is stacked from (grid.build_pieces), numbered on from
        location.table."""
        first_page = self.pages.page
        placements, n_rows, n_cols = place_cells(tbl)
        spans: list[Span] = []
        owner: dict[tuple[int, int], Span] = {}  # grid position -> the span covering it
        for pl in placements:
            text, nested = self.cell_content(pl.tc, location)
            above = owner.get((pl.row - 1, pl.col))
            if pl.continues and above is not None and above.row + above.rowspan == pl.row:
                above.rowspan += 1  # vMerge="continue": the cell above runs on into this row
                above.text = "\n".join(t for t in (above.text, text) if t)  # Word hides it; keep it
                above.nested = (*above.nested, *nested)
                owner.update({(pl.row, c): above for c in range(above.col, above.col + above.colspan)})
                continue
            span = Span(pl.row, pl.col, text, colspan=min(pl.span, n_cols - pl.col), nested=tuple(nested))
            spans.append(span)
            owner.update({(pl.row, c): span for c in range(pl.col, pl.col + span.colspan)})
        pages = list(range(first_page, self.pages.page + 1))
        grids = build_pieces(spans, n_rows, n_cols) if pieces else [build_grid(spans, n_rows, n_cols)]
        return [Table(grid=grid, location=replace(location, table=location.table + k) if k else location, pages=pages)
                for k, grid in enumerate(grids)]

    def cell_content(self, tc, location: Location) -> tuple[str, list[Table]]:
        """A cell's paragraphs joined with \\n (empty ones skipped), nested tables' rows after them."""
        lines, nested = [], []
        for el in iter_blocks(tc):
            if el.tag == W_P:
                text = paragraph_text(el, self.pages)[0]
                if text.strip():
                    lines.append(text)
            else:
                inner = self.build(el, location)
                nested.append(inner)
                lines.extend("\t".join(c.text for c in row if c.origin is None) for row in inner.grid)
        return "\n".join(lines), nested


# ---------------------------------------------------------------- entry point


def open_docx(path: str | Path):
    safety.check_regular_file(path)
    try:
        return docx.Document(str(path))
    except _DAMAGED as err:
        reason = str(err).strip().splitlines()[0][:160] if str(err).strip() else type(err).__name__
        raise ReadError(f"damaged .docx: {reason}") from None


def read_docx(path: str | Path) -> Document:
    """Read a .docx. Headers, footers and empty paragraphs are skipped. Zip-bomb and DOCTYPE checks are
    extract.reader's (it runs them before calling this). Raises ReadError for a damaged file."""
    body = open_docx(path).element.body
    pages = PageCounter(rendered=next(body.iter(qn("w:lastRenderedPageBreak")), None) is not None)
    doc = Document(source_path=str(path), format="docx")
    builder = TableBuilder(pages)
    n_paragraphs = n_tables = 0
    for el in iter_blocks(body):
        if el.tag == W_P:
            text, page = paragraph_text(el, pages)
            if text.strip():
                doc.blocks.append(Paragraph(text, Location(page=page, paragraph=n_paragraphs)))
                n_paragraphs += 1
        else:
            tables = builder.build_pieces(el, Location(page=pages.page, table=n_tables))
            doc.blocks += tables
            n_tables += len(tables)
    doc.page_count = pages.page
    return doc
