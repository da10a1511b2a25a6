"""The flag record, the catalogue (normalize/data/flags.toml) and raise_flag, the one way a rule raises a flag."""
from __future__ import annotations

import string
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from jixiao.patterns import datafile
from jixiao.patterns.datafile import Optional, Table

CATALOGUE_FILE = Path(__file__).with_name("data") / "flags.toml"
LEVELS = ("error", "warning", "info")
SCHEMA = {"flag": [{
    "code": str, "severity": str, "levels": [str], "message": Optional(str), "messages": Optional(Table(str)),
    "raised_when": str, "example": str,
}]}


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
    """Every flag code with its severity rule, levels, message template(s), when it is raised, and an example."""
    entries = datafile.load(CATALOGUE_FILE, SCHEMA)["flag"]
    for entry in entries:
        where = f"{CATALOGUE_FILE}: flag {entry['code']}"
        if not entry["levels"] or any(level not in LEVELS for level in entry["levels"]):
            raise datafile.DataFileError(f"{where}: levels must be some of {', '.join(LEVELS)}")
        if ("message" in entry) == ("messages" in entry):
            raise datafile.DataFileError(f"{where}: give either message or messages")
    codes = [entry["code"] for entry in entries]
    if len(set(codes)) != len(codes):
        raise datafile.DataFileError(f"{CATALOGUE_FILE}: a code is listed twice")
    return entries


@lru_cache(maxsize=None)
def _by_code() -> dict[str, dict]:
    return {entry["code"]: entry for entry in catalogue()}


def known_codes() -> set[str]:
    return set(_by_code())


RAISED: set[str] | None = None  # the codes raised so far, when a test session collects them (tests/conftest.py)


class _MessageFormatter(string.Formatter):
    def format_field(self, value, format_spec):  # numbers print as fmt() prints them unless the template says
        if isinstance(value, float) and not format_spec:
            return fmt(value)
        return super().format_field(value, format_spec)


def raise_flag(code: str, *, level: str | None = None, location: str | None = None, claimed: float | None = None,
               recomputed: float | None = None, variant: str | None = None, scorecard_id: str | None = None,
               **fields) -> Flag:
    """The flag `code` of the catalogue, its message filled from fields by the catalogue's template.

    level: needed only when the catalogue lists several levels for the code (the rule chooses); variant: the
    name of the template when the code has several (messages = {…}). An unknown code, level, variant or a
    missing template field is a programming error and raises at once."""
    entry = _by_code().get(code)
    if entry is None:
        raise KeyError(f"flag code {code!r} is not in {CATALOGUE_FILE.name}")
    levels = entry["levels"]
    if level is None and len(levels) == 1:
        level = levels[0]
    if level not in levels:
        raise ValueError(f"flag {code}: level {level!r} is not one of {levels}")
    template = entry.get("message") if variant is None else entry.get("messages", {}).get(variant)
    if template is None:
        raise KeyError(f"flag {code}: no message{'' if variant is None else ' ' + repr(variant)} in the catalogue")
    if RAISED is not None:
        RAISED.add(code)
    return Flag(code, level, _MessageFormatter().format(template, **fields), location, claimed, recomputed,
                scorecard_id)


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
