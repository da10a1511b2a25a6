"""Grades as written (优秀, 良好, 中等, 较差, 合格, “中”, 优☑ 良□) -> 优 / 良 / 中 / 差.

Mapping in patterns/data/grades.toml.
"""
from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from jixiao.patterns import datafile
from jixiao.patterns.datafile import Table

DATA = Path(__file__).parent / "data" / "grades.toml"
SCHEMA = {"grades": Table(str), "checkboxes": {"ticked": [str], "empty": [str]}}
_QUOTES = "\"'“”‘’「」『』《》()（）[]【】:：。.，,;；为是"


# a one-character grade inside a sentence counts only when quoted: 评价级别为"中"
_QUOTED_GRADE = re.compile(r"[“\"'‘「『]\s*([优良中差])\s*[”\"'’」』]")


@cache
def _vocab() -> dict:
    return datafile.load(DATA, SCHEMA)


@cache
def _words() -> list[tuple[str, str]]:
    return sorted(_vocab()["grades"].items(), key=lambda item: len(item[0]), reverse=True)


def grade_words() -> list[str]:
    """The grade words a sentence may name (优秀, 良好, 中, 不合格 …): the Chinese ones of grades.toml."""
    return [word for word in _vocab()["grades"] if not word.isascii()]


def _ticked(text: str) -> str | None:
    """The grade next to a ticked box in 优☑ 良□ 中□ 差□; None when no box is ticked."""
    marks = _vocab()["checkboxes"]
    for i, ch in enumerate(text):
        if ch not in marks["ticked"]:
            continue
        for neighbour in (text[max(0, i - 3):i], text[i + 1:i + 4]):
            for word, grade in _words():
                if len(word) > 1 or not word.isascii():
                    if neighbour.endswith(word) or neighbour.startswith(word):
                        return grade
    return None


def normalize_grade(text: str) -> str | None:
    """优秀/优 -> 优, 良好/良 -> 良, 中等/中/合格 -> 中, 较差/差/不合格 -> 差; None if no grade is named."""
    if not isinstance(text, str):
        return None
    marks = _vocab()["checkboxes"]
    compact = "".join(text.split())
    if any(m in compact for m in marks["ticked"] + marks["empty"]):
        return _ticked(compact)
    bare = compact.strip(_QUOTES)
    grades = _vocab()["grades"]
    if bare in grades:
        return grades[bare]
    quoted = _QUOTED_GRADE.search(compact)
    if quoted:
        return grades[quoted.group(1)]
    # inside a longer text only multi-character grade words count ("中" occurs in 其中, 中心)
    for word, grade in _words():
        if len(word) > 1 and word in compact:
            if word == "合格" and "不合格" in compact:
                continue
            return grade
    return None
