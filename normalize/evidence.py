"""Evidence an auditor can see: for each flag a file showing the cell in its source. A flag with a box on a PDF
or OCR'd page gets a PNG of the page rendered with pypdfium2 around the cell (the cell boxed in red, the header of
its column shown, boxed in blue); any other flag (.docx, .txt, .md, .html, .xlsx, .doc, a PDF's prose) a small HTML
file of the table rows around the cell from the document model, the cell highlighted (normalize/evidence_html.py).
Runs in the worker that read the file."""
from __future__ import annotations

import functools
import io
from pathlib import Path

from jixiao.extract.model import BBox, Document, Table
from jixiao.normalize.evidence_html import evidence_html, header_row
from jixiao.normalize.locate import parse_bbox, row_band, row_cells, union

EVIDENCE_DIR = "evidence"
SCALE = 2.0  # 144 dpi: small print stays legible, a crop stays well under 200 KB
MARGIN = 8.0  # points around the region
ROWS_BEFORE = 4  # rows shown above the cell (besides the header row)
MAX_HEIGHT = 1000  # pixels: a taller picture (a cell as big as a page) is scaled down to this
PNG_LEVEL = 3  # zlib level: half the encoding time of the default 6, files ~14 % larger (seed 004: 34 KB)
PALETTE_BITS = 5  # 28 colours: 24 greys, white, the red and blue marks and the highlight
HEADER_REACH = 420.0  # points: a header further above the cell is shown as a strip of its own
RED, BLUE, HIGHLIGHT = (220, 30, 30), (40, 90, 200), (255, 236, 150)  # highlight: kept in the palette


def report_folder_name(source_path: str, report_id: str | None) -> str:
    """OUT/reports/<this>/ and OUT/evidence/<this>/: the file's stem and the first 8 hex of its report_id."""
    stem = Path(source_path).stem[:80] or "file"
    return f"{stem}-{report_id[:8] if report_id else 'unreadable'}"


def write_evidence(document: Document, flags: list[dict], out: str | Path, folder: str) -> None:
    """OUT/evidence/<folder>/<fingerprint>.png (a flag boxed on a PDF or OCR'd page) or .html (any other) for every
    flag; sets each flag row's `evidence` (relative to OUT). Files of findings that went away are removed."""
    target = Path(out) / EVIDENCE_DIR / folder
    try:
        target.mkdir(parents=True)
        new = True  # made now, so empty: no file to compare with, none left over to remove
    except FileExistsError:
        if not target.is_dir():
            raise
        new = False
    pdf, tables, paragraphs, keep = None, None, None, set()
    try:
        for flag in flags:
            on_page = bool(flag.get("bbox")) and document.format == "pdf"
            name = f"{flag['fingerprint']}.{'png' if on_page else 'html'}"
            if on_page:
                pdf = pdf or _open_pdf(document.source_path)
                data = io.BytesIO()
                to_palette(pdf_evidence(pdf, document, flag)).save(data, format="PNG", bits=PALETTE_BITS,
                                                                   compress_level=PNG_LEVEL)
                content = data.getvalue()
            else:
                if tables is None:  # once per file: Document.tables/.paragraphs build their lists on each call
                    tables = document.tables
                    paragraphs = {str(p.location): p.norm for p in reversed(document.paragraphs)}  # first wins
                content = evidence_html(document, flag, tables, paragraphs).encode("utf-8")
            if new:
                (target / name).write_bytes(content)
            else:
                _write(target / name, content)
            flag["evidence"] = f"{EVIDENCE_DIR}/{folder}/{name}"
            keep.add(name)
    finally:
        if pdf is not None:
            pdf.close()
    for old in [] if new else target.iterdir():
        if old.name not in keep:
            old.unlink(missing_ok=True)


def _write(path: Path, content: bytes) -> None:
    """The file, unless it already holds these bytes (a rerun); an old one removed first, not overwritten nor
    replaced by a renamed temporary: on ext4 both force the data to disk (~0.3 ms of CPU, ~4 ms of wall a file).
    A file cut short by a crash is rewritten by the next run (its bytes differ)."""
    try:
        if path.read_bytes() == content:
            return
        path.unlink()
    except FileNotFoundError:
        pass
    path.write_bytes(content)


@functools.lru_cache(maxsize=1)
def _palette():
    """Greys, white, the marks' colours: a page crop mapped onto them is a third of the RGB PNG's size and
    quicker to write, text and boxes unchanged to the eye."""
    colours = [(v, v, v) for v in range(0, 256, 11)] + [(255, 255, 255), RED, BLUE, HIGHLIGHT]  # 2**PALETTE_BITS at most
    from PIL import Image
    image = Image.new("P", (1, 1))
    image.putpalette([c for rgb in colours for c in rgb])
    return image


def to_palette(image):
    """The picture on the palette above; one taller than MAX_HEIGHT (a cell the size of a page) scaled down."""
    from PIL import Image
    image = image.convert("RGB")
    if image.height > MAX_HEIGHT:
        image = image.resize((max(image.width * MAX_HEIGHT // image.height, 1), MAX_HEIGHT), Image.Resampling.BOX)
    return image.quantize(palette=_palette(), dither=Image.Dither.NONE)


def _open_pdf(path: str):
    import pypdfium2 as pdfium
    return pdfium.PdfDocument(path)


# ---------------------------------------------------------------- PDF and OCR'd pages


def _band(table: Table, r: int) -> tuple[int | None, BBox | None]:
    cells = [c for c in row_cells(table, r) if c.bbox is not None and c.row == r]
    page = cells[0].page if cells else None
    return page, row_band([c for c in cells if c.page == page])


def pdf_evidence(pdf, document: Document, flag: dict):
    """The page region around the flag's box: from the column's header (or a few rows up) to a row below,
    across the table; the box in red, the header cell in blue; a header further up on its own strip."""
    page_no, box = int(flag["page"]), parse_bbox(flag["bbox"])
    table = document.tables[flag["table"] - 1] if flag.get("table") else None
    top, bottom, x0, x1 = box[1] - 3 * 16, box[3] + 16, box[0], box[2]
    header = None
    if table is not None and flag.get("row"):
        r, c = flag["row"] - 1, (flag["col"] - 1 if flag.get("col") else None)
        same_page = union([cell.bbox for cell in table.iter_cells() if cell.bbox and cell.page == page_no])
        if same_page:
            x0, x1 = same_page[0], same_page[2]
        for above in range(r - 1, max(r - 1 - ROWS_BEFORE, -1), -1):
            p, band = _band(table, above)
            if p == page_no and band:
                top = min(top, band[1])
        h = header_row(table, r, c)
        if h is not None:
            header_cell = table.cell(h, c) if c is not None else None
            p, band = _band(table, h)
            hbox = header_cell.bbox if header_cell is not None and header_cell.bbox else band
            hpage = header_cell.page if header_cell is not None and header_cell.page else p
            if hpage == page_no and hbox and 0 <= box[1] - hbox[1] <= HEADER_REACH:
                top = min(top, hbox[1])
                header = (None, hbox)
            elif hbox and hpage:
                header = (hpage, hbox, band)
    page, view = pdf[page_no - 1], document.ocr_views.get(page_no)
    width, height = _upright_size(page, view)
    region = (max(x0 - MARGIN, 0), max(top - MARGIN, 0), min(x1 + MARGIN, width), min(bottom + MARGIN, height))
    image = _render(page, region, view)
    marks = [(box, RED)] + ([(header[1], BLUE)] if header and header[0] is None else [])
    _draw_marks(image, region, marks)
    if header and header[0] is not None:  # the header on an earlier page or far above: a strip on top
        hpage_no, hbox, band = header
        hpage, hview = pdf[hpage_no - 1], document.ocr_views.get(hpage_no)
        hw, hh = _upright_size(hpage, hview)
        strip_box = band or hbox
        strip = (max(x0 - MARGIN, 0), max(strip_box[1] - 2, 0), min(x1 + MARGIN, hw), min(strip_box[3] + 2, hh))
        strip_image = _render(hpage, strip, hview)
        _draw_marks(strip_image, strip, [(hbox, BLUE)])
        image = _stack(strip_image, image)
    return image


def _upright_size(page, view: tuple[int, float] | None) -> tuple[float, float]:
    width, height = page.get_size()
    return (height, width) if view and view[0] % 180 else (width, height)


def _render(page, region: tuple[float, float, float, float], view: tuple[int, float] | None = None):
    """The region (points, origin top-left) of the page; an OCR'd page's region is in the frame OCR stood the
    page upright in (Document.ocr_views): the page is turned and deskewed the same way, then cropped."""
    if view and (view[0] or view[1]):
        turned, deskewed = view
        image = page.render(scale=SCALE, rotation=(360 - turned) % 360).to_pil().convert("RGB")  # pdfium: clockwise
        if deskewed:  # OCR turned the image about its centre, clockwise by the skew: PIL's angle is anticlockwise
            from PIL import Image
            image = image.rotate(-deskewed, resample=Image.Resampling.BILINEAR, fillcolor=(255, 255, 255))
        return image.crop(tuple(round(v * SCALE) for v in region))
    width, height = page.get_size()
    crop = (region[0], height - region[3], width - region[2], region[1])  # left, bottom, right, top margins
    return page.render(scale=SCALE, crop=crop).to_pil().convert("RGB")


def _draw_marks(image, region, marks) -> None:
    from PIL import ImageDraw
    draw = ImageDraw.Draw(image)
    for box, colour in marks:
        xy = [(box[0] - region[0]) * SCALE - 2, (box[1] - region[1]) * SCALE - 2,
              (box[2] - region[0]) * SCALE + 2, (box[3] - region[1]) * SCALE + 2]
        draw.rectangle(xy, outline=colour, width=3)


def _stack(top, bottom):
    from PIL import Image
    gap = 10
    image = Image.new("RGB", (max(top.width, bottom.width), top.height + gap + bottom.height), (200, 200, 200))
    image.paste(top, (0, 0))
    image.paste(bottom, (0, top.height + gap))
    return image
