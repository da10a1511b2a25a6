"""scoring.md's tolerance rule: respect the precision the form claims; rounding is info, over-claims are errors."""
from __future__ import annotations

import re

ROUNDING_POINTS = 0.05  # a difference this small is only rounding (severity info)
_EPS = 1e-9
_DECIMALS = re.compile(r"\d+(?:[.．](\d+))?")


def decimals(raw: str | None) -> int:
    """Decimals written in the first number of a claimed cell: "10.66" -> 2, "15" -> 0, "98.75%" -> 2."""
    if not raw:
        return 0
    match = _DECIMALS.search(raw.replace(",", ""))
    return len(match.group(1)) if match and match.group(1) else 0


def agrees(claimed: float, recomputed: float, claimed_raw: str | None) -> bool:
    """|claimed − recomputed| ≤ 0.5 × 10^−d (+1e-9), d = decimals written in the claim."""
    return abs(claimed - recomputed) <= 0.5 * 10 ** -decimals(claimed_raw) + _EPS


def severity(claimed: float, recomputed: float, claimed_raw: str | None) -> str | None:
    """None when they agree; info when only rounding; error when over-claimed; warning when under-claimed."""
    if agrees(claimed, recomputed, claimed_raw):
        return None
    if abs(claimed - recomputed) <= ROUNDING_POINTS + _EPS:
        return "info"
    return "error" if claimed > recomputed else "warning"


def exceeds(value: float, limit: float) -> bool:
    """value > limit beyond floating noise."""
    return value > limit + 1e-6
