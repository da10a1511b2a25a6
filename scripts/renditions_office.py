"""Office renditions of the sample forms: .xlsx (as a finance office keeps such forms: one sheet per form,
its title lines as merged rows above its table), .html and legacy .doc (LibreOffice's exports of the .docx).

They are held to the .docx they were made from (tests/test_renditions_office.py, which builds them): the
same fiscal year, unit, title, scorecards and rows. Run `python scripts/renditions_office.py OUTDIR` to see
them; none is committed (the .doc and .html are 0.3 MB each). The .xlsx is made for seed 004 (a workbook of
16 forms); seed 001 is a long prose report, which nobody keeps as a spreadsheet.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
SEEDS = ("004_35c19541f4036631", "001_e7a38e6b87d50f48")
XLSX = ("004_35c19541f4036631",)  # forms only
FIXED_TIME = "2024-01-01T00:00:00"  # workbook properties, so rebuilds do not churn the bytes


def sheets_of(path: Path) -> list[tuple[list[str], object]]:
    """(title lines, table) per table of the .docx: the paragraphs before a table are its sheet's title rows."""
    from jixiao import extract
    from jixiao.extract.model import Table

    doc = extract.read(path)
    out, lines = [], []
    for block in doc.blocks:
        if isinstance(block, Table):
            out.append((lines, block))
            lines = []
        else:
            lines += [line.strip() for line in block.text.split("\n") if line.strip()]
    if lines and out:
        out.append((lines, None))  # the text after the last table: a sheet of notes
    return out


def write_xlsx(source: Path, target: Path) -> Path:
    """One sheet per table; the lines before it as rows merged across the table's width."""
    import datetime as dt

    import openpyxl
    from openpyxl.styles import Alignment

    book = openpyxl.Workbook()
    book.remove(book.active)
    for n, (lines, table) in enumerate(sheets_of(source), 1):
        ws = book.create_sheet(f"表{n}")
        width = table.n_cols if table is not None else 1
        for r, line in enumerate(lines[-6:], 1):  # the title lines just above the form
            ws.cell(r, 1, line)
            if width > 1:
                ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=width)
        top = min(len(lines), 6) + 1
        if table is None:
            continue
        for r in range(table.n_rows):
            for c in range(table.n_cols):
                cell = table.grid[r][c]
                if cell.is_covered:
                    continue
                ws.cell(top + r, 1 + c, cell.text).alignment = Alignment(wrap_text=True, vertical="center")
                if cell.rowspan > 1 or cell.colspan > 1:
                    ws.merge_cells(start_row=top + r, start_column=1 + c, end_row=top + r + cell.rowspan - 1,
                                   end_column=c + cell.colspan)
    book.properties.created = book.properties.modified = dt.datetime.fromisoformat(FIXED_TIME)
    book.properties.creator = "jixiao scripts/renditions_office.py"
    book.save(target)
    return target


def office_installed() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def libreoffice(source: Path, target: Path, to: str) -> Path | None:
    """LibreOffice's export of the .docx (`to`: html, doc); None when LibreOffice is not installed."""
    office = office_installed()
    if office is None:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        profile = Path(tmp) / "profile"
        subprocess.run([office, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", to,
                        "--outdir", tmp, str(source)], check=True, capture_output=True, timeout=300)
        shutil.move(Path(tmp) / f"{source.stem}.{to}", target)
    return target


def build(out_dir: Path, stems: tuple[str, ...] = SEEDS, office: bool = True) -> list[Path]:
    written = []
    for stem in stems:
        source = SAMPLES / f"{stem}.docx"
        if stem in XLSX:
            written.append(write_xlsx(source, out_dir / f"{stem}.xlsx"))
        for to in ("html", "doc") if office else ():
            path = libreoffice(source, out_dir / f"{stem}.{to}", to)
            written += [path] if path else []
    return written


if __name__ == "__main__":
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else SAMPLES
    for p in build(out):
        print(f"wrote {p} ({p.stat().st_size:,} bytes)")
