"""Evidence for a flag without a box on a page (.txt, .md, .html, .docx, .xlsx, .doc; a PDF's prose flag): a small
self-contained HTML file of the table rows around the claimed cell, its column's header row first, the cell
highlighted — or the paragraph the flag was raised on. Text, not a picture: writing it costs microseconds where
drawing a PNG cost ~10 ms, and the browser draws the Chinese. Every document string is escaped; no link, nothing
fetched; one constant script (no document text in it) tells the page that frames it (report.html) its height."""
from __future__ import annotations

import html
from pathlib import Path

from jixiao.extract.model import Document, Table
from jixiao.patterns.headers import classify_header

ROWS_BEFORE, ROWS_AFTER = 2, 1  # rows shown around the cell (besides the header row): fits a 300 px frame
CELL_CHARS = 40  # a longer cell is cut (its text is in the source)
PARAGRAPH_CHARS = 600  # a long paragraph: its start is enough to find it
STYLE = ("body{font:12px 'Noto Sans CJK SC','Noto Sans SC','Microsoft YaHei',sans-serif;margin:4px;color:#111}"
         "p.cap{color:#555;margin:0 0 4px;font-size:12px}table{border-collapse:collapse}"
         "td{border:1px solid #999;padding:1px 4px;min-width:2em}tr.head td{background:#e1ebfa}"
         "td.headcell{outline:3px solid #2858c8;outline-offset:-2px}tr.gap td{border:none;color:#888}"
         "td.hit{background:#ffec96;outline:3px solid #dc1e1e;outline-offset:-2px}"
         "tr.hit td{background:#ffec96;border-top:3px solid #dc1e1e;border-bottom:3px solid #dc1e1e}"
         "p.hit{border:3px solid #dc1e1e;padding:4px;white-space:pre-wrap;max-width:760px}")


def e(text: str) -> str:
    return html.escape(text, quote=True)


def _clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def evidence_html(document: Document, flag: dict, tables: list[Table], paragraphs: dict[str, str]) -> str:
    """The page for one flag: the rows around its cell when it names a table row, else its paragraph (found by
    `location` in `paragraphs`, location -> text), else its message."""
    caption = _caption(document, flag)
    if flag.get("table") and flag.get("row") and flag["table"] <= len(tables):
        table = tables[flag["table"] - 1]
        r, c = flag["row"] - 1, (flag["col"] - 1 if flag.get("col") else None)
        if 0 <= r < table.n_rows:
            body = _rows(table, r, c, header_row(table, r, c))
            return _page(caption, f"<table>{body}</table>")
    text = paragraphs.get(flag.get("location") or "") or flag.get("message") or ""
    return _page(caption, f'<p class="hit">{e(_clip(text, PARAGRAPH_CHARS))}</p>')


def header_row(table: Table, r: int, c: int | None) -> int | None:
    """The nearest row above r whose cell in column c (any column for a row) is a header: its label."""
    for above in range(r - 1, -1, -1):
        columns = [c] if c is not None else range(table.n_cols)
        if any(classify_header(table.text(above, col)) for col in columns if table.text(above, col).strip()):
            return above
    return None


# the page's height (a horizontal scrollbar's included) to the page framing it, once drawn and again whenever the
# frame is narrowed or widened (the report's tables reflow to the window); nothing when opened alone
POST_HEIGHT = ("<script>function postHeight(){if(parent===window)return;var d=document.documentElement;"
               "parent.postMessage({evidenceHeight:d.getBoundingClientRect().height+innerHeight-d.clientHeight},'*')}"
               "addEventListener('load',postHeight);addEventListener('resize',postHeight)</script>")


def _page(caption: str, body: str) -> str:
    return (f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{e(caption)}</title>'
            f'<style>{STYLE}</style></head><body><p class="cap">{e(caption)}</p>{body}{POST_HEIGHT}</body></html>\n')


def _rows(table: Table, r: int, c: int | None, h: int | None) -> str:
    """<tr>s of the window around row r (0-based), the header row h first; a merged cell is one <td> spanning
    its columns, and a cell continued from a row above an empty one."""
    window = list(range(max(r - ROWS_BEFORE, 0), min(r + ROWS_AFTER, table.n_rows - 1) + 1))
    out = []
    if h is not None and h not in window:
        out.append(_row(table, h, "head", c, "headcell"))
        if h + 1 < window[0]:
            out.append(f'<tr class="gap"><td colspan="{table.n_cols}">⋯</td></tr>')
    for i in window:
        if i == r:  # the claimed cell, or the whole row for a flag on a row
            out.append(_row(table, i, "" if c is not None else "hit", c, "hit"))
        elif i == h:
            out.append(_row(table, i, "head", c, "headcell"))
        else:
            out.append(_row(table, i, "", None, ""))
    return "".join(out)


def _row(table: Table, i: int, row_class: str, c: int | None, mark: str) -> str:
    """One row; `mark` is the class of the cell covering column c (no cell's when c is None)."""
    row = table.grid[i]
    cells, j, n = [], 0, len(row)
    while j < n:
        key = row[j].origin or (i, j)
        span = 1
        while j + span < n and (row[j + span].origin or (i, j + span)) == key:
            span += 1
        text = e(_clip(row[j].norm, CELL_CHARS)) if key[0] == i else ""  # continued from above: left empty
        attrs = (f' colspan="{span}"' if span > 1 else "") + \
            (f' class="{mark}"' if mark and c is not None and j <= c < j + span else "")
        cells.append(f"<td{attrs}>{text}</td>")
        j += span
    return (f'<tr class="{row_class}">' if row_class else "<tr>") + "".join(cells) + "</tr>"


def _caption(document: Document, flag: dict) -> str:
    """File, code and where: table, row, column (1-based) and the .txt line; the reader's location otherwise."""
    parts = [Path(document.source_path).name, flag.get("code") or ""]
    for key, label in (("table", "表"), ("row", "行"), ("col", "列")):
        if flag.get(key):
            parts.append(f"{label}{flag[key]}")
    if flag.get("line_no"):
        parts.append(f"第{flag['line_no']}行(文本)")
    if not flag.get("table"):
        parts.append(flag.get("location") or "")
    return "  ".join(p for p in parts if p)
