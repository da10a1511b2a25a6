"""The flag record and the catalogue (normalize/data/flags.toml)."""
from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

CATALOGUE_FILE = Path(__file__).with_name("data") / "flags.toml"


@dataclass
class Flag:
    code: str
    severity: str  # error | warning | info
    message: str
    location: str | None = None
    claimed: float | None = None
    recomputed: float | None = None
    scorecard_id: str | None = None
    indicator_seq: int | None = None


@lru_cache(maxsize=None)
def catalogue() -> list[dict]:
    """Every flag code with its severity rule, when it is raised, and an example."""
    return tomllib.loads(CATALOGUE_FILE.read_text(encoding="utf-8"))["flag"]


def known_codes() -> set[str]:
    return {entry["code"] for entry in catalogue()}


def fmt(value: float | None) -> str:
    """A number for a message: at most 4 decimals, no trailing zeros."""
    if value is None:
        return "—"
    return f"{value:.4f}".rstrip("0").rstrip(".")


def catalogue_markdown() -> str:
    """docs/flags.md, generated from the catalogue so the two never disagree (tests/test_docs.py)."""
    lines = [
        "# Flag catalogue",
        "",
        "Generated from `normalize/data/flags.toml` by `python -m jixiao.normalize.flags > docs/flags.md`.",
        "Severity \"rule\" is the tolerance rule of docs/scoring.md: a claim with d decimals agrees with the",
        "recomputed value within 0.5 × 10^−d; a difference of 0.05 points or less is `info` (rounding); beyond",
        "that an over-claim is an `error` and an under-claim a `warning`.",
        "",
        "Every flag row says where (`location`, `scorecard_id`, `indicator_seq`) and, where there are two",
        "numbers, what was claimed and what it should be (`claimed`, `recomputed`).",
        "",
    ]
    for entry in catalogue():
        lines += [f"## `{entry['code']}`", "", f"- **severity:** {entry['severity']}",
                  f"- **raised when:** {entry['raised_when']}", f"- **example:** {entry['example']}", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    print(catalogue_markdown(), end="")
