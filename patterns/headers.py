"""Column headers and row labels of the forms: which canonical field a header names, group weights
written into labels ("产出指标（40分）"), template placeholders, and indicator categories.

Vocabulary: patterns/data/headers.toml and patterns/data/categories.toml.
"""
from __future__ import annotations

import re
from functools import cache, lru_cache
from pathlib import Path

from jixiao.patterns import datafile, units
from jixiao.patterns.datafile import Table
from jixiao.patterns.numbers import ascii_view

MEMO_SIZE = 1 << 16  # distinct strings remembered per recogniser

DATA = Path(__file__).parent / "data"
HEADERS_SCHEMA = {"names": Table([str]), "contains": [{"text": str, "field": str}], "placeholders": {"patterns": [str]}}
CATEGORIES_SCHEMA = {"phrases": Table(str)}


@cache
def _headers() -> dict:
    return datafile.load(DATA / "headers.toml", HEADERS_SCHEMA)


@cache
def _categories() -> list[tuple[str, str]]:
    phrases = datafile.load(DATA / "categories.toml", CATEGORIES_SCHEMA)["phrases"]
    return sorted(phrases.items(), key=lambda item: len(item[0]), reverse=True)


_HALF_BRACKETS = (("（", "("), ("）", ")"), ("【", "["), ("】", "]"), ("：", ":"))  # no target is a source


def compact(text: str) -> str:
    """Header text with every space and line break removed, brackets half-width, digits ASCII."""
    text = "".join(ascii_view(text).split())
    for wide, half in _HALF_BRACKETS:  # str.replace: translate with a dict raises a KeyError per other character
        text = text.replace(wide, half)
    return text.strip(":")


@cache
def _name_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for field, names in _headers()["names"].items():
        for name in names:
            index.setdefault(compact(name), field)
    return index


@cache
def _contains_rules() -> list[tuple[str, str]]:
    return [(compact(rule["text"]), rule["field"]) for rule in _headers()["contains"]]


@cache
def _trailing_bracket() -> re.Pattern[str]:
    """Only a unit (units.toml) or a column letter is dropped: "(A)", "(B/A)", "(万元)", "(%)"; not "(20分*执行率)"."""
    alternation = "|".join(re.escape(ascii_view(u)) for u in units.known_units())
    return re.compile(rf"\((?:[A-Za-z/]+|{alternation})\)$")


@lru_cache(maxsize=MEMO_SIZE)  # pure function of its text: reports repeat template text
def classify_header(text: str) -> str | None:
    """The canonical field a column header names (level1, target, actual, weight, score, budget, …)."""
    if not isinstance(text, str):
        return None
    key = compact(text)
    if not key:
        return None
    index = _name_index()
    if key in index:
        return index[key]
    stripped = _trailing_bracket().sub("", key)
    if stripped in index:
        return index[stripped]
    for needle, field in _contains_rules():
        if needle in key:
            return field
    return None


_WEIGHT_IN_BRACKETS = re.compile(r"[(（]\s*([0-9]+(?:\.[0-9]+)?)\s*分\s*[)）]")
_POINTS_ONLY = re.compile(r"[(（]?\s*([0-9]+(?:\.[0-9]+)?)\s*分\s*[)）]?")
_WEIGHT_AT_END = re.compile(r"(?<![0-9.])([0-9]+(?:\.[0-9]+)?)\s*分$")
_PLACEHOLDER_WEIGHT = re.compile(r"[(（]\s*[XxＸｘ×]+\s*分\s*[)）]")
_SPACE_RUN = re.compile(r"\s+")


def _join_lines(text: str) -> str:
    """Drop spaces and line breaks that split Chinese words ("投  入", "满意度\\n指标"), keep others."""
    def keep(m: re.Match[str]) -> str:
        before = text[m.start() - 1] if m.start() > 0 else ""
        after = text[m.end()] if m.end() < len(text) else ""
        return " " if before.isascii() and after.isascii() and before.isalnum() and after.isalnum() else ""
    return _SPACE_RUN.sub(keep, text).strip()


@lru_cache(maxsize=MEMO_SIZE)  # pure function of its text: reports repeat template text
def split_weight(label: str) -> tuple[str, float | None]:
    """"产出指标\\n（40分）" -> ("产出指标", 40.0); "A决策15分" -> ("A决策", 15.0); "（XX分）" -> (label, None)."""
    if not isinstance(label, str):
        return "", None
    text = _join_lines(label)
    view = ascii_view(text)  # same length as text: match on the view, cut the original
    placeholder = _PLACEHOLDER_WEIGHT.search(view)
    if placeholder and view[:placeholder.start()].strip() + view[placeholder.end():].strip():
        text = _join_lines(text[:placeholder.start()] + text[placeholder.end():])
        view = ascii_view(text)
    m = _WEIGHT_IN_BRACKETS.search(view) or _WEIGHT_AT_END.search(view)
    if not m:
        return text, None
    weight = float(m.group(1))
    rest = (text[:m.start()] + text[m.end():]).strip()
    if not rest:
        return text, None  # "（15分）" alone is a weight cell, not a label
    return _join_lines(rest), weight


@lru_cache(maxsize=MEMO_SIZE)  # pure function of its text: checks ask it of every indicator's 一级, per level
def lone_weight(label: str) -> float | None:
    """"（50分）" alone where a level's name belongs: the points of a level whose name was lost (a flattened
    table's merged 一级 cell kept only its share), else None."""
    if not isinstance(label, str):
        return None
    m = _WEIGHT_IN_BRACKETS.fullmatch(ascii_view(_join_lines(label)))
    return float(m.group(1)) if m else None


def points_only(label: str) -> float | None:
    """The points of a cell holding nothing else, bracketed or not ("（15分）", "15分": a level label's points
    cut from its name by a line or page break), else None."""
    if not isinstance(label, str):
        return None
    m = _POINTS_ONLY.fullmatch(ascii_view(_join_lines(label)))
    return float(m.group(1)) if m else None


@cache
def _placeholder_patterns() -> list[re.Pattern[str]]:
    return [re.compile(p) for p in _headers()["placeholders"]["patterns"]]


@lru_cache(maxsize=MEMO_SIZE)  # pure function of its text: reports repeat template text
def is_placeholder(text: str) -> bool:
    """Template text left unfilled: "（XX分）", "……", "指标1：" with nothing after it, "XX"."""
    if not isinstance(text, str):
        return False
    key = "".join(ascii_view(text).split())
    if not key:
        return False
    return any(p.search(key) for p in _placeholder_patterns())


_LEADING_CODE = re.compile(r"^[A-Za-z][0-9]*")


@lru_cache(maxsize=MEMO_SIZE)  # pure function of its text: reports repeat template text
def indicator_category(level_text: str) -> str | None:
    """产出 / 效益 / 满意度 for a 二级 type, or the 一级 group itself (投入, 过程, 决策, 管理, 履职)."""
    if not isinstance(level_text, str):
        return None
    label, _ = split_weight(level_text)
    key = _LEADING_CODE.sub("", compact(label))
    if not key:
        return None
    for phrase, category in _categories():
        if phrase in key:
            return category
    return None
