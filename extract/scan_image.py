"""A scanned page image made readable with OpenCV: grey from the red channel (a red seal fades to paper),
ink by Otsu's threshold, turned upright (sideways text lines; upside down as the engine tells), deskewed by
the angle of its ruling lines (or of its text lines when it has none), and its ruling lines found."""
from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

RULE_INCHES = 0.22  # a straight run of ink at least this long is a ruling line, not a stroke of a character
LINE_INCHES = 0.8  # a rule or text line this long tells the page's skew
MAX_SKEW = 5.0  # degrees: a larger angle is a drawn diagonal, not a skewed scan
MIN_SKEW = 0.1  # degrees: a smaller skew is left alone (about a pixel over 3 inches at 200 dpi)


REDDISH = 30  # red exceeding green and blue by this much is a seal's ink, not text (JPEG darkens thin red)
SEAL_RED = 130  # ...when its red is this bright: black text or rules under the seal stay dark in red too


def grey_of(image) -> np.ndarray:
    """Grey pixels of a PIL image. Colour scans keep the red channel, and clearly red pixels become paper:
    a red seal or red pen mark vanishes, black and blue text (also under the seal) stays dark."""
    if image.mode not in ("RGB", "RGBA", "CMYK", "P", "YCbCr"):
        return np.asarray(image.convert("L")).copy()
    rgb = np.asarray(image.convert("RGB")).astype(np.int16)
    red, green, blue = rgb[:, :, 0], rgb[:, :, 1], rgb[:, :, 2]
    seal = ((red - np.maximum(green, blue) > REDDISH) * 255).astype(np.uint8)
    near = cv2.dilate(seal, np.ones((7, 7), np.uint8)) > 0  # and the pale rim JPEG leaves around its strokes
    grey = red.astype(np.uint8)
    grey[near & (red > SEAL_RED)] = 255
    return grey


def ink_of(grey: np.ndarray) -> np.ndarray:
    """Ink mask (uint8 0/255) by Otsu's threshold after a light blur that evens out JPEG noise."""
    blurred = cv2.GaussianBlur(grey, (3, 3), 0)
    _, ink = cv2.threshold(blurred, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    return ink


def rule_masks(ink: np.ndarray, dpi: float) -> tuple[np.ndarray, np.ndarray]:
    """Horizontal and vertical ruling lines: ink that survives an opening by a long thin kernel."""
    length = max(int(dpi * RULE_INCHES), 20)
    horizontal = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (length, 1)))
    vertical = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, length)))
    return horizontal, vertical


Masks = tuple[np.ndarray, np.ndarray]  # rule_masks of an ink image, computed once a page and passed along


def text_lines(ink: np.ndarray, dpi: float, sideways: bool = False, masks: Masks | None = None) -> np.ndarray:
    """Text lines as solid blobs: characters closed up along the line (gaps within a line are narrower than
    the spacing between lines), rules left out."""
    horizontal, vertical = masks or rule_masks(ink, dpi)
    text = cv2.subtract(ink, cv2.bitwise_or(horizontal, vertical))
    size = max(int(dpi * 0.06), 3)
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (1, size) if sideways else (size, 1))
    return cv2.morphologyEx(text, cv2.MORPH_CLOSE, kernel)


def _long_blobs(mask: np.ndarray, dpi: float) -> list[tuple[int, int, int, int]]:
    """(x, y, w, h) of the components of a mask that are long and flat (w >= 4 h, w >= 0.5 inch)."""
    n, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    return [tuple(s[:4]) for s in stats[1:n] if s[2] >= 4 * s[3] and s[2] >= dpi * 0.5]


def is_sideways(ink: np.ndarray, dpi: float, masks: Masks | None = None) -> bool:
    """Text runs up and down the page: more long upright line blobs than flat ones."""
    flat = len(_long_blobs(text_lines(ink, dpi, masks=masks), dpi))
    upright = len(_long_blobs(text_lines(ink.T.copy(), dpi), dpi))
    return upright > 2 * max(flat, 1)


def skew_angle(ink: np.ndarray, dpi: float, masks: Masks | None = None) -> float:
    """The page's skew in degrees (positive: turned anticlockwise), the median angle of the long horizontal
    rules, or of the long text lines on a page without rules; each line's angle from cv2.fitLine."""
    length = max(int(dpi * RULE_INCHES), 20)
    rules = (masks or rule_masks(ink, dpi))[0]
    # segments of a skewed rule step up or down by a pixel now and then: close the steps to one line
    rules = cv2.morphologyEx(rules, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (length, 5)))
    angles = _angles(rules, dpi)
    if len(angles) < 2:
        angles = _angles(text_lines(ink, dpi, masks=masks), dpi)
    return float(np.median(angles)) if angles else 0.0


def _angles(mask: np.ndarray, dpi: float) -> list[float]:
    n, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    angles = []
    for i in range(1, n):
        if stats[i, 2] < dpi * LINE_INCHES or stats[i, 2] < 4 * stats[i, 3]:
            continue
        x, y, w, h = stats[i, :4]
        ys, xs = np.nonzero(labels[y:y + h, x:x + w] == i)
        vx, vy, _, _ = cv2.fitLine(np.column_stack([xs, ys]).astype(np.float32), cv2.DIST_L2, 0, 0.01, 0.01).ravel()
        angle = -np.degrees(np.arctan2(vy, vx))  # image y grows downwards
        angle = (angle + 90) % 180 - 90
        if abs(angle) <= MAX_SKEW:
            angles.append(float(angle))
    return angles


def rotate(grey: np.ndarray, degrees: float) -> np.ndarray:
    """The image turned anticlockwise by `degrees` about its centre, the uncovered corners white."""
    h, w = grey.shape
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), degrees, 1.0)
    return cv2.warpAffine(grey, matrix, (w, h), flags=cv2.INTER_LINEAR, borderValue=255)


def turn(grey: np.ndarray, degrees: int) -> np.ndarray:
    """The image turned anticlockwise by a multiple of 90°."""
    codes = {90: cv2.ROTATE_90_COUNTERCLOCKWISE, 180: cv2.ROTATE_180, 270: cv2.ROTATE_90_CLOCKWISE}
    return cv2.rotate(grey, codes[degrees % 360]) if degrees % 360 else grey


@dataclass
class Upright:
    """A page image straightened: the turn (degrees anticlockwise, a multiple of 90) and the skew corrected."""

    grey: np.ndarray
    ink: np.ndarray
    turned: int
    deskewed: float
    horizontal: np.ndarray  # its ruling lines (rule_masks)
    vertical: np.ndarray


def straighten(grey: np.ndarray, dpi: float, upside_down) -> Upright:
    """Turn a sideways page upright, deskew it, and turn it over when `upside_down(grey, ink, masks)` says so.
    The rule masks are found once for the page as it ends up (again only after a turn or deskew: the
    openings are a good part of the time a page takes outside the engine)."""
    ink = ink_of(grey)
    masks = rule_masks(ink, dpi)
    turned = 0
    if is_sideways(ink, dpi, masks):
        grey, ink, turned = turn(grey, 90), turn(ink, 90), 90
        masks = rule_masks(ink, dpi)
    angle = skew_angle(ink, dpi, masks)
    if abs(angle) >= MIN_SKEW:
        grey = rotate(grey, -angle)
        ink = ink_of(grey)
        masks = rule_masks(ink, dpi)
    else:
        angle = 0.0  # left as it is
    if upside_down(grey, ink, masks):
        grey, ink, turned = turn(grey, 180), turn(ink, 180), (turned + 180) % 360
        masks = rule_masks(ink, dpi)
    return Upright(grey, ink, turned, angle, *masks)
