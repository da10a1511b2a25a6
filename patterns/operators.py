"""Target values: ≥90%, 不低于90%, 90%以上, ≤2小时, 控制在5%以内, 1000小时/10分钟以内, 有所提升.

parse_target turns a target cell into (op, quantity, direction); achievement reads a qualitative
actual as achieved / partly / not. All vocabulary is in patterns/data/operators.toml.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from jixiao.patterns import datafile, numbers
from jixiao.patterns.datafile import Table
from jixiao.patterns.numbers import Quantity

MEMO_SIZE = 1 << 16  # distinct strings remembered per recogniser

DATA = Path(__file__).parent / "data" / "operators.toml"
SCHEMA = {
    "prefixes": Table([str]), "suffixes": Table([str]), "standalone": Table([str]),
    "by_name": {"lower_is_better": [str]},
    "qualitative": {"phrases": [str]},
    "achievement": {"achieved_exact": [str], "not_exact": [str], "achieved_exceptions": [str], "not": [str],
                    "partly": [str], "achieved": [str]},
}

DIRECTIONS = {">=": "positive", ">": "positive", "<=": "negative", "<": "negative", "=": "exact", "qual": "qualitative"}


@dataclass(frozen=True)
class Target:
    raw: str
    op: str | None               # >=, <=, >, <, =, qual; None when blank / "/" / "—" / "无"
    quantity: Quantity | None
    direction: str               # positive, negative, exact, qualitative, unknown
    explicit: bool = False       # the operator was written (≥, 不低于, 以上), not implied by a bare value
    others: tuple[Quantity, ...] = ()   # further values in the same cell ("粉丝量 3000 人次以上, 日活量 300 次以上")
    per: Quantity | None = None  # the base of a rate target: 1000小时 in "1000小时/10分钟以内"


@cache
def _vocab() -> dict:
    return datafile.load(DATA, SCHEMA)


@cache
def _words(section: str) -> list[tuple[str, str]]:
    """(word, op) pairs of a section, longest word first; words seen as ascii_view sees them."""
    pairs = [(numbers.ascii_view(w), op) for op, words in _vocab()[section].items() for w in words]
    return sorted(pairs, key=lambda p: len(p[0]), reverse=True)


def _prefix_op(before: str) -> str | None:
    """The operator word ending the text before a value (不低于90%)."""
    tail = before.rstrip()
    return next((op for word, op in _words("prefixes") if tail.endswith(word)), None)


def _suffix_op(after: str) -> str | None:
    """The operator word starting the text after a value (90%以上)."""
    head = after.lstrip()
    return next((op for word, op in _words("suffixes") if head.startswith(word)), None)


@lru_cache(maxsize=MEMO_SIZE)  # pure function of its text: reports repeat template text
def operator_of(text: str) -> str | None:
    """An operator standing in a column of its own: "≥" -> ">=", "定性" -> "qual", "正向" -> ">="."""
    if not isinstance(text, str):
        return None
    compact = "".join(numbers.ascii_view(text).split())
    for word, op in _words("standalone"):
        if compact == word:
            return op
    return None


_FIRST_DIGIT = re.compile(r"[-0-9零〇一二两三四五六七八九十百千万亿]")
_SLASH = re.compile(r"[ \t]*/[ \t]*")


def _rate(t: str, found: list[tuple[int, int, Quantity]]) -> tuple[Quantity, Quantity, int] | None:
    """1000小时/10分钟: the second quantity per the first; returns (value, base, end)."""
    if len(found) < 2:
        return None
    (_, end0, base), (start1, end1, value) = found[0], found[1]
    slash = _SLASH.match(t, end0)
    if not slash or slash.end() != start1 or base.unit is None or value.unit is None:
        return None
    return value, base, end1


@lru_cache(maxsize=MEMO_SIZE)  # pure function of its text: reports repeat template text
def parse_target(text: str, *, default_unit: str | None = None) -> Target:
    """A target cell as (op, quantity, direction); default_unit for bare numbers (a 度量单位 column)."""
    raw = text if isinstance(text, str) else ""
    if numbers.is_blank(raw):
        return Target(raw, None, None, "unknown")
    t = numbers.ascii_view(raw)
    standalone = operator_of(t)
    if standalone is not None:
        return Target(raw, standalone, None, DIRECTIONS.get(standalone, "unknown"), explicit=True)
    found = numbers.quantities_in_cell(t)
    if not found:
        return Target(raw, "qual", None, "qualitative")
    start, end, quantity = found[0]
    per = None
    rate = _rate(t, found)
    rest = found[1:]
    if rate:
        value, per, end = rate
        quantity = Quantity(raw.strip(), value.number, value.multiplier, f"{value.unit}/{per.number:g}{per.unit}", "rate", value.approx)
        rest = found[2:]
    quantity = numbers.with_unit(quantity, default_unit)
    following = rest[0][0] if rest else len(t)
    # the operator sits before the digits, also when an approximation word (超, 约) came first
    digits = _FIRST_DIGIT.search(t, start, end)
    op = _prefix_op(t[:digits.start() if digits else start]) or _prefix_op(t[:start]) or _suffix_op(t[end:following])
    explicit = op is not None
    if op is None:
        # a bare percentage reads as exact, a bare count or amount as "at least" (scoring.md §2)
        op = "=" if quantity.unit_class == "percent" else ">="
    return Target(raw, op, quantity, DIRECTIONS[op], explicit, tuple(q for _, _, q in rest), per)


_NAME_NOISE = re.compile(r"[\s\"'“”‘’「」『』《》]")


@lru_cache(maxsize=MEMO_SIZE)  # pure function of its text: reports repeat template text
def operator_by_name(name: str | None) -> str | None:
    """"<=" when an indicator's name says lower is better (预算调整率, 结转结余率, “三公经费”控制率): the operator a
    target without one of its own takes (operators.toml [by_name])."""
    if not name:
        return None
    return "<=" if _lower_is_better().search(_NAME_NOISE.sub("", name)) else None


@cache
def _lower_is_better() -> re.Pattern[str]:
    return re.compile("|".join(map(re.escape, _vocab()["by_name"]["lower_is_better"])))


def _compact(text: str) -> str:
    return "".join(numbers.ascii_view(text).split()).strip("。.;；,，")


@lru_cache(maxsize=MEMO_SIZE)  # pure function of its text: reports repeat template text
def achievement(text: str, target: str | None = None) -> str | None:
    """A qualitative actual: "achieved", "partly", "not", or None (blank, or a number: not qualitative).

    With the target given, an actual that restates it counts as achieved.
    """
    if not isinstance(text, str):
        return None
    vocab = _vocab()["achievement"]
    compact = _compact(text)
    if numbers.is_blank(compact):
        return None
    if compact in vocab["achieved_exact"]:
        return "achieved"
    if compact in vocab["not_exact"]:
        return "not"
    if any(word in compact for word in vocab["achieved_exceptions"]):
        return "achieved"
    if any(word in compact for word in vocab["not"]):
        return "not"
    if any(word in compact for word in vocab["partly"]):
        return "partly"
    if isinstance(target, str) and compact and compact == _compact(target):
        return "achieved"
    if any(word in compact for word in vocab["achieved"]):
        return "achieved"
    return None
