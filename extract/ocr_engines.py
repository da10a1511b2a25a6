"""The OCR engines a page image can be read with. Each turns a grey page image into text pieces with boxes
(pixels): RapidOCR (PP-OCRv4 models inside the rapidocr-onnxruntime wheel, run by onnxruntime on the CPU)
reads text lines; Tesseract (the `tesseract` CLI with chi_sim) reads words. Nothing is downloaded at run time."""
from __future__ import annotations

import copy
import csv
import functools
import io
import os
import shutil
import subprocess
import threading
from dataclasses import dataclass

import numpy as np

from jixiao.extract.errors import NeedsOCR, ReadError

PAGE_TIMEOUT = float(os.environ.get("JIXIAO_OCR_PAGE_TIMEOUT", "180"))  # seconds per Tesseract run
INSTALL_HINT = ("install an OCR engine: pip install rapidocr-onnxruntime (a dependency of jixiao), "
                "or tesseract-ocr with tesseract-ocr-chi-sim (scripts/setup-system.sh)")
ORDER = ("rapidocr", "tesseract")  # `auto` takes the first one installed: RapidOCR reads forms better (notes/ocr.md)
CHOICES = ("auto", *ORDER, "off")


@dataclass
class Piece:
    """A run of text the engine read, with its box in pixels of the image it was given."""

    text: str
    conf: float  # 0-100
    x0: float
    top: float
    x1: float
    bottom: float

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2


# ---------------------------------------------------------------- RapidOCR


DET_DPI = 110  # text lines are found on the page scaled to this; each line is then read at full resolution
REC_HEIGHT = 48  # the PP-OCRv4 recogniser's input height (as trained): each line is scaled to it
FINE_DPI, FINE_HEIGHT = 200, 40  # ...but lines of a scan this fine to this height: a 200-dpi line (box ~33 px) has
# no detail 48 px would show, and the cost goes with height x width, 0.7 of 48 px; a 150-dpi line read at 40 px
# loses characters (99.0 -> 96.6%, notes/ocr.md session 5)
SQUEEZE = 0.7  # ...and narrowed to this share of its width: recognition costs in proportion to the width, and
# PP-OCRv4 reads every digit and character of the scans alike down to 0.6 (dropped digits from 0.5; notes/ocr.md)
TURN_LINES = 20  # the longest text lines the direction classifier looks at to tell an upside-down page
REC_MIN_WIDTH = 64  # pixels: a lone digit narrowed to ~20 px is read as nothing; padded to this it is read


class RapidEngine:
    """PP-OCRv4 detection + recognition through rapidocr-onnxruntime, one onnxruntime thread per page."""

    name = "rapidocr"

    def __init__(self) -> None:
        from rapidocr_onnxruntime import RapidOCR

        self._ocr = RapidOCR(intra_op_num_threads=1, inter_op_num_threads=1)  # pages run in parallel instead
        # one line a run, padded to REC_MIN_WIDTH only: batches pad every line to their widest and to 320 px
        self._ocr.text_rec.rec_batch_num = 1
        self._rec = {}  # input height -> recogniser: one onnxruntime session shared (pages run in threads)
        for height in (REC_HEIGHT, FINE_HEIGHT):
            self._rec[height] = copy.copy(self._ocr.text_rec)
            self._rec[height].rec_image_shape = [3, height, REC_MIN_WIDTH]
        self._ocr.text_det.limit_side_len = 32  # never enlarged (rapidocr scales a side under 736 px up to it)

    def lines(self, grey: np.ndarray, dpi: float, area: tuple[int, int, int, int] | None = None) -> list[np.ndarray]:
        """Boxes (x0, top, x1, bottom; pixels) of the text lines on a page, or inside `area` of it (the inked
        part: detection costs in proportion to the pixels it is given)."""
        import cv2

        x0, top, x1, bottom = area or (0, 0, grey.shape[1], grey.shape[0])
        scale = min(DET_DPI / dpi, 1.0)
        part = grey[top:bottom, x0:x1]
        small = cv2.resize(part, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else part
        boxes, _ = self._ocr.text_det(cv2.cvtColor(small, cv2.COLOR_GRAY2BGR))
        if boxes is None:
            return []
        return [np.array([b[:, 0].min(), b[:, 1].min(), b[:, 0].max(), b[:, 1].max()]) / scale + (x0, top, x0, top)
                for b in boxes]

    def read(self, grey: np.ndarray, boxes: list[tuple[int, int, int, int]], dpi: float) -> list[tuple[str, float]]:
        """Text and confidence (0-100) of each box cut from the image."""
        import cv2

        typical = float(np.median([b - t for _, t, _, b in boxes])) if boxes else 0.0
        by_height: dict[int, list[int]] = {}  # recogniser input height -> the boxes read at it
        crops = []
        for i, (x0, t, x1, b) in enumerate(boxes):
            # only full-height text is narrowed (and read at FINE_HEIGHT on a fine scan): a row of dots, its crop
            # a few pixels high, magnified 5x and narrowed, reads as "—.....", at 40 px as "000000"
            full = b - t >= 0.75 * typical
            height = FINE_HEIGHT if full and dpi >= FINE_DPI else REC_HEIGHT
            width = max(round((x1 - x0) * height / (b - t) * (SQUEEZE if full else 1.0)), 8)
            crop = cv2.resize(grey[t:b, x0:x1], (width, height), interpolation=cv2.INTER_AREA)
            crops.append(cv2.cvtColor(crop, cv2.COLOR_GRAY2BGR))
            by_height.setdefault(height, []).append(i)
        out: list[tuple[str, float]] = [("", 0.0)] * len(crops)
        for height, indices in by_height.items():
            results, _ = self._rec[height]([crops[i] for i in indices])
            for i, (text, score) in zip(indices, results):
                out[i] = (text, float(score) * 100)
        return out

    def upside_down(self, grey: np.ndarray, boxes: list[tuple[int, int, int, int]]) -> bool:
        """Most text lines read as turned by 180° (the PP-OCR direction classifier)."""
        import cv2

        crops = [cv2.cvtColor(grey[t:b, x0:x1], cv2.COLOR_GRAY2BGR) for x0, t, x1, b in boxes[:TURN_LINES]]
        if not crops:
            return False
        _, labels, _ = self._ocr.text_cls(crops)
        return sum(1 for label, _ in labels if label == "180") > len(labels) / 2

    def pieces(self, grey: np.ndarray, dpi: float, boxes: list[tuple[int, int, int, int]]) -> list[Piece]:
        return [Piece(text, conf, *box) for box, (text, conf) in zip(boxes, self.read(grey, boxes, dpi)) if text.strip()]


# ---------------------------------------------------------------- Tesseract


LANG = "chi_sim"


class TesseractEngine:
    """The `tesseract` CLI (chi_sim), TSV output: words with boxes and confidences."""

    name = "tesseract"

    def words(self, grey: np.ndarray, psm: int = 3) -> list[Piece]:
        tsv = run_tesseract(grey, ["--psm", str(psm), "tsv"])
        return parse_tsv(tsv)

    def read_cells(self, grey: np.ndarray, boxes: list[tuple[int, int, int, int]], gap: int) -> list[Piece]:
        """Words of every box, the boxes cut out and stacked one under another with blank space between,
        read by one Tesseract run as a single block (no line of text can run across a cell border), each
        word put back where it came from."""
        crops = [grey[t:b, x0:x1] for x0, t, x1, b in boxes]
        if not crops:
            return []
        canvas = np.full((sum(c.shape[0] + gap for c in crops) + gap, max(c.shape[1] for c in crops) + 2 * gap),
                         255, dtype=np.uint8)
        tops, y = [], gap
        for crop in crops:
            h, w = crop.shape
            canvas[y: y + h, gap: gap + w] = crop
            tops.append(y)
            y += h + gap
        out = []
        for word in self.words(canvas, psm=6):
            i = max(min(np.searchsorted(tops, word.cy + gap / 2, side="right") - 1, len(boxes) - 1), 0)
            dx, dy = boxes[i][0] - gap, boxes[i][1] - tops[i]
            out.append(Piece(word.text, word.conf, word.x0 + dx, word.top + dy, word.x1 + dx, word.bottom + dy))
        return out

    def upside_down(self, grey: np.ndarray, boxes: list[tuple[int, int, int, int]]) -> bool:
        """Tesseract's orientation detection (osd) says the page is turned by 180°."""
        try:
            out = run_tesseract(grey, ["--psm", "0"], lang="osd")
        except ReadError:
            return False  # too little text to tell, or no osd model: read as it is
        for line in out.splitlines():
            if line.startswith("Orientation in degrees:"):
                return line.split(":")[1].strip() == "180"
        return False


def run_tesseract(grey: np.ndarray, args: list[str], lang: str = LANG, timeout: float = PAGE_TIMEOUT) -> str:
    """stdout of `tesseract stdin stdout -l LANG ARGS` on an image."""
    from PIL import Image

    tesseract = shutil.which("tesseract")
    if tesseract is None:
        raise NeedsOCR(f"Tesseract is not installed: {INSTALL_HINT}")
    png = io.BytesIO()
    Image.fromarray(grey).save(png, format="PNG")
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}  # pages and files already run in parallel
    try:
        done = subprocess.run([tesseract, "stdin", "stdout", "-l", lang, *args],
                              input=png.getvalue(), capture_output=True, timeout=timeout, env=env)
    except subprocess.TimeoutExpired:
        raise ReadError(f"OCR of a page took longer than {timeout:.0f} s") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise ReadError(f"Tesseract failed: {message[-1] if message else f'exit {done.returncode}'}")
    return done.stdout.decode("utf-8", "replace")


def parse_tsv(tsv: str) -> list[Piece]:
    words = []
    for row in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        text = (row.get("text") or "").strip()
        if row.get("level") != "5" or not text:
            continue
        left, top = int(row["left"]), int(row["top"])
        words.append(Piece(text, float(row["conf"]), left, top, left + int(row["width"]), top + int(row["height"])))
    return words


# ---------------------------------------------------------------- choosing an engine


@functools.lru_cache(maxsize=None)  # the answer does not change within a run
def unavailable(name: str) -> str | None:
    """Why engine `name` cannot run here (one line), or None when it can."""
    try:
        import cv2  # noqa: F401  (page images are straightened and their rules found with OpenCV)
    except ImportError:
        return "OpenCV is not installed (pip install rapidocr-onnxruntime brings it)"
    if name == "rapidocr":
        try:
            import rapidocr_onnxruntime  # noqa: F401
        except ImportError:
            return "rapidocr-onnxruntime is not installed"
        return None
    if name == "tesseract":
        tesseract = shutil.which("tesseract")
        if tesseract is None:
            return "Tesseract is not installed"
        try:
            listed = subprocess.run([tesseract, "--list-langs"], capture_output=True, text=True, timeout=30)
        except (OSError, subprocess.SubprocessError) as err:
            return f"Tesseract does not run ({err})"
        return None if LANG in listed.stdout.split() else f"Tesseract has no {LANG} model"
    raise ValueError(f"unknown OCR engine {name!r} (choose from {', '.join(CHOICES)})")


def resolve(choice: str) -> str | None:
    """The engine to use for `choice` (auto: the first installed in ORDER), None for off or none installed."""
    if choice == "off":
        return None
    if choice == "auto":
        return next((name for name in ORDER if unavailable(name) is None), None)
    return choice if unavailable(choice) is None else None


def why_not(choice: str) -> str:
    """One line saying why `choice` cannot OCR here, with the fix."""
    if choice == "off":
        return "OCR is off (--ocr-engine off)"
    if choice == "auto":
        return f"no OCR engine installed: {INSTALL_HINT}"
    return f"OCR engine {choice} cannot run: {unavailable(choice)}; {INSTALL_HINT}"


_engines: dict[str, object] = {}
_lock = threading.Lock()  # pages of one file are read in threads; the models load once


def engine(name: str):
    with _lock:
        if name not in _engines:
            _engines[name] = RapidEngine() if name == "rapidocr" else TesseractEngine()
        return _engines[name]
