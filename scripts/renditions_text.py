"""Text renditions of the seed forms, as web pages, doc-sharing sites and PDF text layers flatten them
(issue 11 item 3): pipe rows, cells run together, one cell per line in three converters' variants, and
pdftotext's -layout and -raw dumps of the PDF renditions, and every seed's .txt in traditional characters
(as mirror sites convert form pages). Each is held to the .docx rendition's output in
tests/test_flat_renditions.py. Called from scripts/build_samples.py; `python scripts/renditions_text.py` alone
rebuilds just these."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SAMPLES = ROOT / "samples"
SEEDS = ("004_35c19541f4036631", "001_e7a38e6b87d50f48")
VARIANTS = ("pipe", "runon", "cells", "cellrows", "cellrows2")  # file suffixes, see docs/samples.md
# other converters' shapes, written by tests/test_flat_renditions.py only (never committed): rows as Markdown
# (| a | b |), bare bars (a | b) or tabs, each row only its own cells; cells run together with full-width
# spaces; one cell per line with empty cells as empty lines, or with no blank line at all
CONVERTERS = ("md", "bare", "tsv", "fwrunon", "cellsblank", "cellsdense")
# renditions kept in samples/ (golden outputs guard them): those that read as the .docx; the rest: --all
COMMITTED = {"004_35c19541f4036631": (*VARIANTS, "hant"), "001_e7a38e6b87d50f48": ("pipe", "hant")}
TEXTS = ("000_b521ea4f1433165c", "001_e7a38e6b87d50f48", "002_8355fd70a3086172", "003_4634e4d09f39b8e4",
         "004_35c19541f4036631")  # the seeds' .txt, each rendered in traditional characters


def own_cells(table) -> list[list[str]]:
    """Each row's cells that start in it, as a web page's table has them (a merged cell once, where it starts)."""
    rows = []
    for r, row in enumerate(table.grid):
        cells = [cell.text for cell in row if cell.origin is None]
        while cells and not cells[-1].strip():
            cells.pop()
        rows.append(cells)
    return rows


def squeeze(text: str) -> str:
    """A cell's text on one line: line breaks and the spaces of spaced-out labels (投 入) dropped."""
    return "".join(text.split())


def pipe(blocks) -> str:
    """`a | b | |||`: every row as wide as the table, the cells a merge covers left out (padding at the end)."""
    out = []
    for kind, value in blocks:
        if kind == "p":
            out.append(value)
            continue
        width = max(len(row) for row in value.grid)
        for cells in own_cells(value):
            line = " | ".join(" ".join(c.split()) for c in cells)
            out.append(f"{line} |" + "|" * max(width - len(cells) - 1, 0))
    return "\n".join(out) + "\n"


def own_rows(blocks, row) -> str:
    """Each table row as row(cells) gives it, only the cells that start in it (a web table copied as text:
    no padding, so a row's cells do not line up with the header's columns)."""
    out = []
    for kind, value in blocks:
        out += [value] if kind == "p" else [row([" ".join(c.split()) for c in cells]) for cells in own_cells(value)]
    return "\n".join(out) + "\n"


def runon(blocks, sep: str = " ") -> str:
    """Cells run together with spaces, one line per table (a .doc attachment's text)."""
    out = []
    for kind, value in blocks:
        if kind == "p":
            out.append(value)
        else:
            out.append(sep.join(squeeze(c) for cells in own_cells(value) for c in cells if c.strip()))
    return "\n".join(out) + "\n"


def cells_per_line(blocks, *, rows_apart: bool, double_after: bool) -> str:
    """One cell per line, an empty cell as a line holding one space. Either every cell followed by a blank
    line (rows not marked), or the cells of a row on consecutive lines with a blank line between rows;
    optionally a double blank line after each table."""
    out = []
    for kind, value in blocks:
        if kind == "p":
            out += [value, ""]
            continue
        for cells in own_cells(value):
            for cell in cells:
                text = squeeze(cell) if rows_apart else "\n".join(x.strip() for x in cell.split("\n") if x.strip())
                out.append(text or " ")
                if not rows_apart:
                    out.append("")
            if rows_apart:
                out.append("")
        if double_after:
            out.append("")
    return "\n".join(out) + "\n"


def cells_loose(blocks, *, blank_rows: bool) -> str:
    """One cell per line, squeezed. blank_rows: an empty cell as an empty line and two empty lines after each
    row; else no empty line at all (empty cells dropped, rows not marked: a browser's copy of the page)."""
    out = []
    for kind, value in blocks:
        if kind == "p":
            out += [value, ""] if blank_rows else [value]
            continue
        for cells in own_cells(value):
            out += [squeeze(c) for c in cells] + ["", ""] if blank_rows else [squeeze(c) for c in cells if c.strip()]
    return "\n".join(out) + "\n"


def traditional(text: str) -> str:
    """Characters to traditional one by one (zhconv's zh-hant table: no regional vocabulary swapped, so
    报道 stays 報道 and reads back as 报道, as a character-converting mirror site writes it)."""
    import zhconv

    return zhconv.convert(text, "zh-hant")


# What the OCR of a doc-sharing preview does to the labels (the Ningxia and Chongqing excerpts): a character
# misread (算 -> 匏, 数 -> 效), two characters swapped, 目 read as Fl; and 10 before a word read as IO.
OCR_DAMAGE = (("预算数", "预匏数"), ("执行数", "执行效"), ("实际完成值", "实际完值成"), ("项目名称", "项Fl名称"))
OCR_LINE = 160  # characters per numbered line of the preview


def ocr_preview(blocks, width: int = OCR_LINE) -> str:
    """A doc-sharing site's OCR preview: every cell and paragraph run together without a space (numbers
    glued: 2019.7598.7519.75), cut into numbered lines ("1、…"), labels damaged as OCR damages them."""
    parts = []
    for kind, value in blocks:
        if kind == "p":
            parts.append(squeeze(value))
        else:
            parts += [squeeze(c) for cells in own_cells(value) for c in cells if c.strip()]
    text = "".join(parts)
    for right, wrong in OCR_DAMAGE:
        text = text.replace(right, wrong)
    text = re.sub(r"(?<![\d.])10(?=[\u4e00-\u9fff])", "IO", text)
    lines = [text[k:k + width] for k in range(0, len(text), width)]
    return "\n".join(f"{n}、{line}" for n, line in enumerate(lines, 1)) + "\n"


# a 一级 cell holding its name and share (产出指标（40分）, the template's 效益指标（XX分） before it kept in it);
# not the end of a 二级 name (社会效益指标（20分）)
_LEVEL1_CELL = re.compile(r"(?<![\u4e00-\u9fff])(?:(?:产出|效益|满意度)\s*指标\s*（\s*XX\s*分\s*）\s*)?(?<![\u4e00-\u9fff])(?:产出|效益|满意度)\s*指标\s*（\s*(\d+(?:\.\d+)?)\s*分\s*）")


def names_lost(text: str) -> str:
    """The 一级 names lost, only their shares left (（40分）), as the Shandong page's merged cells came out."""
    return _LEVEL1_CELL.sub(r"（\1分）", text)


def document_blocks(path: Path) -> list[tuple[str, object]]:
    from jixiao import extract
    from jixiao.extract.model import Table

    doc = extract.read(path)
    blocks = []
    for block in doc.blocks:
        if isinstance(block, Table):
            blocks.append(("t", block))
        else:
            blocks += [("p", line) for line in block.text.split("\n") if line.strip()]
    return blocks


def build(out_dir: Path = SAMPLES, stems: tuple[str, ...] = SEEDS, every: bool = False,
          source: Path | None = None) -> list[Path]:
    """Write the text renditions of each seed's .docx (every one, and the pdftotext dumps of its .pdf,
    with every=True). source: where the .docx/.pdf are (default out_dir)."""
    source = source or out_dir
    written = []
    for stem in stems:
        if stem in TEXTS and ("hant" in COMMITTED.get(stem, ()) or every):
            path = out_dir / f"{stem}.hant.txt"
            path.write_text(traditional((source / f"{stem}.txt").read_text(encoding="utf-8")), encoding="utf-8")
            written.append(path)
    for stem in stems:
        if not (source / f"{stem}.docx").exists():
            continue  # a seed with a .txt only (its traditional rendition above)
        blocks = document_blocks(source / f"{stem}.docx")
        texts = {
            "pipe": pipe(blocks),
            "runon": runon(blocks),
            "cells": cells_per_line(blocks, rows_apart=False, double_after=False),
            "cellrows": cells_per_line(blocks, rows_apart=True, double_after=False),
            "cellrows2": cells_per_line(blocks, rows_apart=True, double_after=True),
            "ocr": ocr_preview(blocks),  # not committed: tests/test_label_grammar.py writes it
            "md": own_rows(blocks, lambda cells: "| " + " | ".join(cells) + " |"),
            "bare": own_rows(blocks, " | ".join),
            "tsv": own_rows(blocks, "\t".join),
            "fwrunon": runon(blocks, "\u3000"),
            "cellsblank": cells_loose(blocks, blank_rows=True),
            "cellsdense": cells_loose(blocks, blank_rows=False),
        }
        texts.update({f"{suffix}.nameless": names_lost(texts[suffix]) for suffix in ("pipe", "runon", "cells")})
        for suffix, text in texts.items():
            if suffix not in COMMITTED.get(stem, ()) and not every:
                continue
            path = out_dir / f"{stem}.{suffix}.txt"
            path.write_text(text, encoding="utf-8")
            written.append(path)
        if every and shutil.which("pdftotext"):
            written += pdftotext_dumps(source, stem, out_dir)
    return written


def pdftotext_dumps(source: Path, stem: str, out_dir: Path) -> list[Path]:
    """Every PDF rendition of a seed (ruled, unruled, rows bottom-up, runs shuffled, …) as pdftotext's -layout
    and -raw write it: {pdf stem}.layout.txt, {pdf stem}.raw.txt."""
    written = []
    for pdf in sorted([*source.glob(f"{stem}.pdf"), *source.glob(f"{stem}_*.pdf"), *source.glob(f"{stem}.*.pdf")]):
        for mode in ("layout", "raw"):
            path = out_dir / f"{pdf.stem}.{mode}.txt"
            subprocess.run(["pdftotext", f"-{mode}", "-enc", "UTF-8", str(pdf), str(path)], check=True)
            written.append(path)
    return written


if __name__ == "__main__":
    for p in build(every="--all" in sys.argv):
        print(f"wrote {p.relative_to(ROOT)} ({p.stat().st_size:,} bytes)")
