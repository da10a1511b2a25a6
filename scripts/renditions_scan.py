"""Scanned renditions of the seed PDFs in samples/scans/: pages of samples/<seed>.pdf rasterised as an office
scanner would leave them (150-200 dpi, grey or colour, a slight skew, JPEG noise, a red 公章 across text, a page
turned by 90° or 180°) and put back into an image-only PDF (JPEG inside). The tests hold each one's forms,
budget rows, indicator rows and totals to the text layer of the same pages (tests/test_ocr_scans.py).
Called from scripts/build_samples.py; `python scripts/renditions_scan.py` builds only these."""
from __future__ import annotations

import io
import math
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
SCANS = SAMPLES / "scans"
STAMP_FONT = Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc")  # fonts-noto-cjk; a ring alone without it
RED = (214, 38, 38)


@dataclass(frozen=True)
class Scan:
    """How one rendition is made: which pages of which seed PDF, and what the scanner did to them."""

    name: str
    seed: str
    pages: tuple[int, ...]  # 1-based pages of samples/<seed>.pdf
    dpi: int = 200
    colour: bool = False
    skew: float = 0.0  # degrees, anticlockwise
    turns: tuple[int, ...] = ()  # per page: degrees the sheet went in turned (90, 180), 0 for upright
    noise: float = 0.0  # standard deviation of grey-level noise
    quality: int = 75  # JPEG quality
    stamp: tuple[int, ...] = ()  # pages with a red 公章 across their text
    stamp_at: tuple[float, float] = (0.55, 0.55)  # its top-left corner, as shares of the page's width and height

    @property
    def path(self) -> Path:
        return SCANS / f"{self.seed}.{self.name}.pdf"

    def text_layer(self, folder: Path) -> Path:
        """The pages this rendition was scanned from, copied with their text layer into a PDF of their own in
        folder: what the OCR'd rendition is held to (tests/test_ocr_scans.py, bench/ocr_bench.py)."""
        source = pdfium.PdfDocument(str(SAMPLES / f"{self.seed}.pdf"))
        target = pdfium.PdfDocument.new()
        target.import_pages(source, [p - 1 for p in self.pages])
        path = folder / f"{self.seed}.{self.name}.text.pdf"
        target.save(str(path))
        return path


SEED_004, SEED_001 = "004_35c19541f4036631", "001_e7a38e6b87d50f48"
RENDITIONS = (
    Scan("scan-200dpi", SEED_004, (1, 2), quality=60),
    Scan("scan-150dpi-skewed", SEED_004, (4,), dpi=150, skew=0.7, noise=6.0, quality=40),
    Scan("scan-turned", SEED_004, (2, 3), turns=(180, 90), quality=60),
    # the 评分表 (pages 7-10), in colour, the seal over the last rows and the 总分 on its last page
    Scan("scan-200dpi-stamped", SEED_001, (7, 8, 9, 10), colour=True, stamp=(10,), stamp_at=(0.62, 0.2),
         skew=-0.4, quality=55),
    # the same 评分表 typeset without ruling lines (samples/<seed>_unruled.pdf): columns and rows by alignment
    Scan("scan-200dpi", SEED_001 + "_unruled", (7, 8, 9, 10), quality=60),
)


def render(pdf: pdfium.PdfDocument, page: int, scan: Scan) -> Image.Image:
    image = pdf[page - 1].render(scale=scan.dpi / 72, grayscale=not scan.colour).to_pil()
    return image.convert("RGB" if scan.colour else "L")


def add_stamp(image: Image.Image, dpi: int, at: tuple[float, float]) -> Image.Image:
    """A red round seal (ring, star, unit name) multiplied over the lower right of the page's text."""
    size = int(dpi * 1.6)  # a 4 cm seal
    seal = Image.new("RGB", (size, size), "white")
    draw = ImageDraw.Draw(seal)
    width = max(dpi // 30, 3)
    draw.ellipse((width, width, size - width, size - width), outline=RED, width=width)
    c, r = size / 2, size * 0.12
    star = [(c + (r if i % 2 == 0 else r * 0.4) * math.sin(i * math.pi / 5),
             c - (r if i % 2 == 0 else r * 0.4) * math.cos(i * math.pi / 5)) for i in range(10)]
    draw.polygon(star, fill=RED)
    if STAMP_FONT.exists():
        font = ImageFont.truetype(str(STAMP_FONT), int(size * 0.11))
        text = "东西湖区融媒体中心"
        for i, ch in enumerate(text):  # along the upper arc
            angle = math.radians(-120 + 240 * i / (len(text) - 1))
            x, y = c + size * 0.33 * math.sin(angle), c - size * 0.33 * math.cos(angle)
            draw.text((x, y), ch, fill=RED, font=font, anchor="mm")
        draw.text((c, c + size * 0.28), "财务专用章", fill=RED, font=font, anchor="mm")
    page = image.convert("RGB")
    w, h = page.size
    box = (int(w * at[0]), int(h * at[1]), int(w * at[0]) + size, int(h * at[1]) + size)
    under = np.asarray(page.crop(box), dtype=np.float32)
    ink = np.asarray(seal, dtype=np.float32)
    page.paste(Image.fromarray((under * ink / 255).astype(np.uint8)), box)  # multiply: text shows through
    return page


def scanner(image: Image.Image, scan: Scan, page: int, turn: int) -> Image.Image:
    if page in scan.stamp:
        image = add_stamp(image, scan.dpi, scan.stamp_at)
    if scan.skew:
        image = image.rotate(scan.skew, resample=Image.BICUBIC, expand=False,
                             fillcolor="white" if image.mode == "L" else (255, 255, 255))
    if turn:
        image = image.rotate(turn, expand=True)
    if scan.noise:
        pixels = np.asarray(image, dtype=np.float32)
        noisy = pixels + np.random.default_rng(page).normal(0, scan.noise, pixels.shape)
        image = Image.fromarray(np.clip(noisy, 0, 255).astype(np.uint8), image.mode)
    return image


def build(scan: Scan) -> Path:
    pdf = pdfium.PdfDocument(str(SAMPLES / f"{scan.seed}.pdf"))
    try:
        pages = []
        for i, page in enumerate(scan.pages):
            turn = scan.turns[i] if scan.turns else 0
            jpeg = io.BytesIO()
            scanner(render(pdf, page, scan), scan, page, turn).save(jpeg, "JPEG", quality=scan.quality,
                                                                        dpi=(scan.dpi, scan.dpi))
            pages.append(Image.open(io.BytesIO(jpeg.getvalue())))
    finally:
        pdf.close()
    scan.path.parent.mkdir(parents=True, exist_ok=True)
    # Pillow embeds a JPEG as it is (DCTDecode); fixed dates keep rebuilds byte-identical
    pages[0].save(scan.path, "PDF", save_all=True, append_images=pages[1:], resolution=scan.dpi,
                  title=f"{scan.seed} pages {','.join(map(str, scan.pages))}: {scan.name}",
                  creationDate="D:20240101000000Z", modDate="D:20240101000000Z")
    return scan.path


def build_all() -> list[Path]:
    return [build(scan) for scan in RENDITIONS]


if __name__ == "__main__":
    for path in build_all():
        print(f"wrote {path.relative_to(ROOT)} ({path.stat().st_size:,} bytes)")
    sys.exit(0)
