"""The document model as text for people (aligned grids, CJK double width) or as JSON for programs."""
from __future__ import annotations

import json
import unicodedata

from jixiao.extract.model import Cell, Document, Paragraph, Table

MAX_CELL_WIDTH = 24  # display columns; longer cell lines are cut with …
COVERED = "·"  # a position covered by a merged cell


def display_width(text: str) -> int:
    """Terminal columns: wide and full-width characters (CJK) take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def fit(text: str, width: int) -> str:
    """Cut to at most `width` columns (with …), then pad with spaces to exactly `width`."""
    if display_width(text) > width:
        out, used = "", 0
        for ch in text:
            w = display_width(ch)
            if used + w > width - 1:
                break
            out, used = out + ch, used + w
        text = out + "…"
    return text + " " * (width - display_width(text))


def cell_label(cell: Cell) -> str:
    """A cell's text on one line, its spans marked: [r2×c3] before merged text, · on covered spots."""
    if cell.origin is not None:
        return COVERED
    text = cell.norm.replace("\n", "⏎")
    spans = []
    if cell.rowspan > 1:
        spans.append(f"r{cell.rowspan}")
    if cell.colspan > 1:
        spans.append(f"c{cell.colspan}")
    return f"[{'×'.join(spans)}]{text}" if spans else text


def format_table(table: Table, max_cell_width: int = MAX_CELL_WIDTH) -> list[str]:
    labels = [[cell_label(c) for c in row] for row in table.grid]
    widths = [min(max((display_width(row[c]) for row in labels), default=1), max_cell_width) or 1
              for c in range(table.n_cols)]
    lines = []
    for r, row in enumerate(labels):
        cells = " │ ".join(fit(text, widths[c]) for c, text in enumerate(row))
        lines.append(f"  r{r:<3} │ {cells} │".rstrip())
    return lines


def table_heading(table: Table) -> str:
    pages = f" pages {','.join(map(str, table.pages))}" if len(table.pages) > 1 else ""
    ocr = f" ocr {table.ocr_confidence:.2f}" if table.ocr_confidence is not None else ""
    return f"{table.location}  table {table.n_rows}×{table.n_cols}{pages}{ocr}"


def format_document(doc: Document, max_cell_width: int = MAX_CELL_WIDTH) -> str:
    lines = [
        f"path:     {doc.source_path}",
        f"format:   {doc.format}",
        f"encoding: {doc.encoding or '-'}",
        f"pages:    {doc.page_count}",
        f"blocks:   {len(doc.paragraphs)} paragraphs, {len(doc.tables)} tables",
    ]
    if doc.needs_ocr:
        lines.append("needs OCR: yes")
    if doc.ocr_pages:
        lines.append(f"OCR pages: {', '.join(map(str, doc.ocr_pages))}")
    lines.extend(f"warning:  {w}" for w in doc.warnings)
    lines.append("")
    for block in doc.blocks:
        if isinstance(block, Paragraph):
            lines.append(f"{block.location}  {block.text.rstrip()}")
        else:
            lines.append(table_heading(block))
            lines.extend(format_table(block, max_cell_width))
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- JSON


def location_json(location) -> dict:
    return {"page": location.page, "table": location.table, "row": location.row,
            "paragraph": location.paragraph, "label": str(location)}


def cell_json(cell: Cell) -> dict:
    out: dict = {"row": cell.row, "col": cell.col}
    if cell.origin is not None:
        out["origin"] = list(cell.origin)
        return out
    out.update(text=cell.text, norm=cell.norm, rowspan=cell.rowspan, colspan=cell.colspan)
    if cell.nested:
        out["nested"] = [table_json(t) for t in cell.nested]
    return out


def table_json(table: Table) -> dict:
    return {"type": "table", "location": location_json(table.location), "pages": table.pages,
            "n_rows": table.n_rows, "n_cols": table.n_cols, "ocr_confidence": table.ocr_confidence,
            "grid": [[cell_json(c) for c in row] for row in table.grid]}


def document_json(doc: Document) -> dict:
    blocks = []
    for block in doc.blocks:
        if isinstance(block, Paragraph):
            blocks.append({"type": "paragraph", "location": location_json(block.location),
                           "text": block.text, "norm": block.norm, "ocr_confidence": block.ocr_confidence})
        else:
            blocks.append(table_json(block))
    return {"source_path": doc.source_path, "format": doc.format, "encoding": doc.encoding,
            "page_count": doc.page_count, "needs_ocr": doc.needs_ocr, "ocr_pages": doc.ocr_pages,
            "warnings": doc.warnings, "blocks": blocks}


def format_json(doc: Document) -> str:
    return json.dumps(document_json(doc), ensure_ascii=False, indent=1) + "\n"
