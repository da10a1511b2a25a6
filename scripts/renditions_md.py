"""Markdown renditions of the sample reports, as PDF/Word-to-Markdown converters write them: tables as HTML with
rowspan/colspan (MinerU: `.mineru.md`), or as pipe tables under a `|---|` separator — a merged cell's text
repeated in every position it covers (docling: `.gfm.md`), or written once with the covered positions empty and
line breaks as `<br>` (marker, pandoc: `.gfm-once.md`). Paragraphs one a line, a blank line between.

Held to the .docx by the rendition matrix (scripts/rendition_matrix.py, tests/test_rendition_matrix.py); none is
committed. `python scripts/renditions_md.py OUTDIR` writes them.
"""
from __future__ import annotations

import html
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import renditions_text  # noqa: E402  (beside this script: the .docx as blocks)

SAMPLES = ROOT / "samples"
VARIANTS = ("mineru", "gfm", "gfm-once")
_CJK_EDGE = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")


def joined(text: str) -> str:
    """A cell's lines on one line, as a converter reflows them: no space between Chinese, one elsewhere."""
    out = ""
    for line in (x.strip() for x in text.split("\n") if x.strip()):
        glue = "" if not out or (_CJK_EDGE.match(out[-1]) and _CJK_EDGE.match(line[0])) else " "
        out += glue + line
    return out


def html_table(table) -> str:
    """MinerU's table: one line of HTML, merged cells as rowspan/colspan."""
    rows = []
    for row in table.grid:
        cells = []
        for cell in row:
            if cell.origin is not None:
                continue
            spans = "".join(f' {k}="{v}"' for k, v in (("rowspan", cell.rowspan), ("colspan", cell.colspan)) if v > 1)
            cells.append(f"<td{spans}>{html.escape(joined(cell.text))}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return "<table>" + "".join(rows) + "</table>"


def pipe_table(table, repeat: bool) -> str:
    """A pipe table: the first row as its header row; a merged cell repeated (repeat) or once, then empty."""
    width = len(table.grid[0]) if table.grid else 0
    lines = []
    for row in table.grid:
        cells = []
        for cell in row:
            origin = table.grid[cell.origin[0]][cell.origin[1]] if cell.origin is not None else cell
            if cell.origin is not None and not repeat:
                cells.append("")
            elif repeat:
                cells.append(joined(origin.text))
            else:
                cells.append("<br>".join(x.strip() for x in origin.text.split("\n") if x.strip()))
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    lines.insert(1, "|" + "---|" * width)
    return "\n".join(lines)


def markdown(blocks, variant: str) -> str:
    out = []
    for kind, value in blocks:
        if kind == "p":
            out.append(value.strip())
        elif variant == "mineru":
            out.append(html_table(value))
        else:
            out.append(pipe_table(value, repeat=variant == "gfm"))
    return "\n\n".join(out) + "\n"


def build(out_dir: Path, stems: tuple[str, ...] = renditions_text.SEEDS, source: Path = SAMPLES) -> list[Path]:
    written = []
    for stem in stems:
        blocks = renditions_text.document_blocks(source / f"{stem}.docx")
        for variant in VARIANTS:
            path = out_dir / f"{stem}.{variant}.md"
            path.write_text(markdown(blocks, variant), encoding="utf-8")
            written.append(path)
    return written


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(".")
    target.mkdir(parents=True, exist_ok=True)
    for p in build(target):
        print(f"wrote {p} ({p.stat().st_size:,} bytes)")
