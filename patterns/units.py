"""The unit table (patterns/data/units.toml): which class a unit belongs to and how to normalise it.

Units are compared as written after a light clean-up: spaces dropped, brackets made full-width, so
"篇 (条)" and "篇（条）" are the same unit. A bracketed pair names two count units at once and
compares with either. "条/天" is a rate and compares only with itself.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from jixiao.patterns import datafile
from jixiao.patterns.datafile import Optional, Table

if TYPE_CHECKING:  # only for annotations; numbers imports this module
    from jixiao.patterns.numbers import Quantity

DATA = Path(__file__).parent / "data" / "units.toml"
SCHEMA = Table({"norm": Optional(str), "scale": Optional(float), "multiplier_names_unit": Optional(bool),
                "units": Table(float), "same": Optional([[str]])})


@dataclass(frozen=True)
class UnitInfo:
    unit: str
    klass: str
    factor: float        # size in the class's base units
    scale: float | None  # base units per normalised unit; None = the unit is its own normal unit
    norm: str | None


@cache
def _data() -> dict:
    return datafile.load(DATA, SCHEMA)


@cache
def _table() -> dict[str, UnitInfo]:
    table: dict[str, UnitInfo] = {}
    for klass, spec in _data().items():
        for unit, factor in spec["units"].items():
            table[unit] = UnitInfo(unit, klass, float(factor), spec.get("scale"), spec.get("norm"))
    return table


def class_norm(klass: str) -> str | None:
    """The unit a class normalises to: money -> 万元."""
    return _data()[klass].get("norm")


def unit_of_size(column_unit: str | None, multiplier: float) -> tuple[str, float] | None:
    """(unit, multiplier left) for a bare "680万" in a column of column_unit's class, when the class reads a
    multiplier as naming a unit: money 万 -> (万元, 1), 亿 -> (亿元, 1), 万亿 -> (元, 1e12); None otherwise."""
    entry = info(column_unit)
    if entry is None or not _data()[entry.klass].get("multiplier_names_unit"):
        return None
    members = [(u, e.factor) for u, e in _table().items() if e.klass == entry.klass]
    sized = sorted((u for u, f in members if f == multiplier), key=len)
    if sized:
        return sized[0], 1.0
    base = sorted((u for u, f in members if f == 1), key=len)
    return (base[0], multiplier) if base else None


def known_units() -> list[str]:
    """All unit spellings, longest first (the order a regex alternation needs)."""
    return sorted(_table(), key=len, reverse=True)




@lru_cache(maxsize=1 << 14)  # pure function of its text: every quantity and unit lookup asks it
def clean_unit(unit: str | None) -> str | None:
    """The canonical spelling of a written unit: no spaces, full-width brackets."""
    if unit is None:
        return None
    cleaned = "".join(unit.split()).replace("(", "（").replace(")", "）")
    return cleaned or None


def _parts(unit: str) -> list[str]:
    # "篇（条）" -> ["篇", "条"]; "万人（次）" is never passed here (multipliers are stripped first)
    if unit.endswith("）") and "（" in unit:
        head, tail = unit[:-1].split("（", 1)
        return [head, tail]
    return [unit]


def info(unit: str | None) -> UnitInfo | None:
    """Table entry for a unit; a bracketed pair takes the entry of its first member."""
    unit = clean_unit(unit)
    if unit is None:
        return None
    table = _table()
    if unit in table:
        return table[unit]
    parts = _parts(unit)
    # 人（次） reads as 人次; 篇（条） as 篇
    entry = table.get("".join(parts)) if len(parts) == 2 else None
    entry = entry or table.get(parts[0])
    if entry is None:
        return None
    return UnitInfo(unit, entry.klass, entry.factor, entry.scale, entry.norm)


def bracketed_unit(label: str) -> str | None:
    """The unit a column label names in brackets: "项目资金\n（万元）" -> 万元, "预算数(元)" -> 元; None if none."""
    for inner in re.findall(r"[（(]\s*([^（()）]{1,8}?)\s*[)）]", label):
        cleaned = clean_unit(inner)
        if cleaned in _table():
            return cleaned
    return None


def unit_class(unit: str | None) -> str | None:
    unit = clean_unit(unit)
    if unit is None:
        return None
    if "/" in unit:
        return "rate"
    entry = info(unit)
    return entry.klass if entry else None


def norm_unit(unit: str | None) -> str | None:
    """The unit a value is normalised to: 万元, %, 小时, 分, 人, or the count unit itself."""
    unit = clean_unit(unit)
    if unit is None:
        return None
    entry = info(unit)
    if entry is None or entry.norm is None:
        return unit
    return entry.norm


def normalise_value(value: float, unit: str | None) -> float:
    """value in the class's normal unit (percent as a fraction); unknown units pass through."""
    entry = info(unit)
    if entry is None or entry.scale is None or "/" in (clean_unit(unit) or ""):
        return value
    # multiply or divide by a whole ratio so 90.28% gives 0.9028, not 0.9027999999999999
    if entry.factor >= entry.scale:
        result = value * (entry.factor / entry.scale)
    else:
        result = value / (entry.scale / entry.factor)
    return result if math.isfinite(result) else value


def _count_members(unit: str) -> set[str]:
    """The count units a unit stands for: 篇（条） both, 篇 also 条 (units.toml [count] same)."""
    members = set(_parts(unit))
    for family in _data().get("count", {}).get("same", []):
        if members & set(family):
            members |= set(family)
    return members


def units_comparable(a: str | None, b: str | None) -> bool:
    """Whether values in units a and b can be compared once normalised."""
    a, b = clean_unit(a), clean_unit(b)
    if a is None or b is None:
        return a is None and b is None
    if a == b:
        return True
    class_a, class_b = unit_class(a), unit_class(b)
    if class_a is None or class_b is None or class_a != class_b or class_a == "rate":
        return False
    if class_a == "count":
        return bool(_count_members(a) & _count_members(b))
    return True


def comparable(a: "Quantity", b: "Quantity") -> bool:
    """True when the two quantities measure the same thing in units that convert."""
    return units_comparable(a.unit, b.unit)


def convert(q: "Quantity", to_unit: str) -> float | None:
    """q's value expressed in to_unit (万元 -> 元, 分钟 -> 小时, % -> ‰), None if they do not convert."""
    target = clean_unit(to_unit)
    if target is None or not units_comparable(q.unit, target):
        return None
    source, dest = info(q.unit), info(target)
    if source is None or dest is None or source.klass == "count" or source.klass == "rate":
        return q.value
    result = q.value * source.factor / dest.factor
    return result if math.isfinite(result) else None
