"""PDF renditions with and without ruling lines, made by LibreOffice from the .docx renditions in samples/.

The Henan report as a ruled PDF (its .docx as LibreOffice prints it) and as an unruled one; seeds 001 and 004
as unruled PDFs (their ruled PDFs are built by build_samples.py). "Unruled" is the same .docx with every
table and cell border set to nil before printing: the text sits where it sat, only the lines are gone, as
in reports typeset with borderless tables. build_samples.py (`--only pdfs`) writes the ruled Henan PDF and
the unruled renditions into samples/ (seeds 001 and 004 read as their .docx, Henan's 附件1 as its .docx), and
seeds 004 and 001 unruled with every table pushed down (SHIFTED: the page breaks land elsewhere);
`python scripts/renditions_pdf.py OUTDIR` builds the unruled ones elsewhere.
"""
from __future__ import annotations

import shutil
import tempfile
import zipfile
from pathlib import Path

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
BORDERS = (f"{{{W}}}tblBorders", f"{{{W}}}tcBorders", f"{{{W}}}pBdr")
UNRULED = "_unruled"  # file name suffix: 004_35c19541f4036631_unruled.pdf is 004's .docx printed without lines
HENAN = "henan_2021-2024_zhiye_jineng_jingsai_jixiao_pingjia_baogao"
UNRULED_SOURCES = (HENAN, "004_35c19541f4036631", "001_e7a38e6b87d50f48")  # .docx stems in samples/
UNRULED_COMMITTED = UNRULED_SOURCES  # built into samples/ (Henan's: held to "reported unread, never misjudged")
RULED_SOURCES = (HENAN,)  # the seeds' ruled PDFs come from build_samples.py itself
# unruled renditions with the text pushed down before every table (points): the page breaks land elsewhere,
# inside rows and under headers ending a page; seed 004 by 40, 60, 70, 90, 120 and 130 points, seed 001 by 20 and 50:
# 004_35c19541f4036631_unruled_shift40.pdf (every shift 0..150: scripts/unruled_sweep.py)
SHIFTED = tuple(("004_35c19541f4036631", points) for points in (40, 60, 70, 90, 120, 130)) + (
    ("001_e7a38e6b87d50f48", 20), ("001_e7a38e6b87d50f48", 50))  # 001 by 50: reported unread


def without_borders(document_xml: bytes) -> bytes:
    """word/document.xml with every table, cell and paragraph border set to nil (explicit, so no table
    style can draw them again)."""
    root = etree.fromstring(document_xml)
    for borders in root.iter(*BORDERS):
        for edge in borders:
            edge.set(f"{{{W}}}val", "nil")
    for tbl_pr in root.iter(f"{{{W}}}tblPr"):
        if tbl_pr.find(f"{{{W}}}tblBorders") is None:  # borders a table style would give
            borders = etree.SubElement(tbl_pr, f"{{{W}}}tblBorders")
            for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
                etree.SubElement(borders, f"{{{W}}}{edge}").set(f"{{{W}}}val", "nil")
            _place_borders(tbl_pr, borders)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


# tblPr children that come after tblBorders (ECMA-376 order)
_AFTER = {f"{{{W}}}{t}" for t in ("shd", "tblLayout", "tblCellMar", "tblLook", "tblCaption", "tblDescription")}


def _place_borders(tbl_pr, borders) -> None:
    later = next((c for c in tbl_pr if c.tag in _AFTER), None)
    if later is not None:
        later.addprevious(borders)


def pushed_down(document_xml: bytes, points: float) -> bytes:
    """word/document.xml with an empty line of exactly `points` height before every table of the body: each
    table starts that much lower, so its page breaks fall elsewhere (a spacing before at a page top would be
    dropped, an exact line height is not)."""
    root = etree.fromstring(document_xml)
    body = root.find(f"{{{W}}}body")
    for table in [t for t in body if t.tag == f"{{{W}}}tbl"]:
        p = etree.Element(f"{{{W}}}p")
        spacing = etree.SubElement(etree.SubElement(p, f"{{{W}}}pPr"), f"{{{W}}}spacing")
        for key, value in (("line", str(round(points * 20))), ("lineRule", "exact"), ("before", "0"), ("after", "0")):
            spacing.set(f"{{{W}}}{key}", value)
        etree.SubElement(etree.SubElement(p, f"{{{W}}}r"), f"{{{W}}}t").text = "\u3000"
        table.addprevious(p)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def unruled_docx(src: Path, dst: Path, shift: float = 0) -> Path:
    """A copy of a .docx whose tables have no lines (and start `shift` points lower); every other part byte
    for byte."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "word/document.xml":
                data = without_borders(data)
                data = pushed_down(data, shift) if shift else data
            zout.writestr(info, data)
    return dst


def build(samples: Path, docx_to_pdf, unruled_out: Path | None = None) -> list[Path]:
    """Write the ruled PDF renditions and the committed unruled ones into samples/ and, given `unruled_out`,
    every unruled one there instead; `docx_to_pdf` is build_samples' LibreOffice export (private profile,
    CJK font mapping, pinned metadata)."""
    written = [docx_to_pdf(samples / f"{stem}.docx") for stem in RULED_SOURCES]
    out = unruled_out or samples
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="unruled_") as tmp:
        sources = [(stem, 0) for stem in (UNRULED_SOURCES if unruled_out else UNRULED_COMMITTED)] + list(SHIFTED)
        for stem, shift in sources:
            name = f"{stem}{UNRULED}" + (f"_shift{shift}" if shift else "")
            docx = unruled_docx(samples / f"{stem}.docx", Path(tmp) / f"{name}.docx", shift)
            pdf = docx_to_pdf(docx)
            written.append(Path(shutil.move(pdf, out / pdf.name)))
    return written


if __name__ == "__main__":  # python scripts/renditions_pdf.py OUTDIR: all unruled renditions, outside samples/
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import build_samples

    for path in build(build_samples.SAMPLES, build_samples.docx_to_pdf, Path(sys.argv[1]))[1:]:
        print(f"wrote {path} ({path.stat().st_size:,} bytes)")
