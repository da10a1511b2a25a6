"""A misplaced indicator (a 成本指标 under 效益指标（20分）) explains its group's overflow: the group sums after
moving it back under the 一级 of its own type. The overflow is then reported with MISPLACED_INDICATOR, not as
a GROUP_OVER_WEIGHT error of its own."""
from __future__ import annotations

from dataclasses import dataclass

from jixiao.normalize.flags import fmt
from jixiao.normalize.recompute import IndicatorResult
from jixiao.normalize.tolerance import exceeds
from jixiao.patterns.headers import indicator_category

PLACEMENT_CATEGORIES = {"产出", "效益", "满意度"}  # scoring.md §6: the types whose place is fixed


@dataclass
class MoveBack:
    home: str  # the 一级 the indicator belongs under
    sums: str  # "效益指标 20/20，产出指标 40/40": scores / weight of both groups after the move


def misplaced(result: IndicatorResult, level1_categories: set[str]) -> str | None:
    """The category the indicator belongs to when it sits under another 一级 (unless the form has no 一级 of
    its kind: MoF 2020 forms put 满意度 under 效益 on purpose); None when it is in place."""
    line = result.line
    own, parent = indicator_category(line.level2 or ""), indicator_category(line.level1 or "")
    has_home = own in level1_categories or own in ("产出", "效益")
    if own in PLACEMENT_CATEGORIES and parent in PLACEMENT_CATEGORIES and own != parent and has_home:
        return own
    return None


def move_back(results: list[IndicatorResult], level1_categories: set[str]) -> tuple[dict[int, MoveBack], set[str]]:
    """(index of each moved indicator -> its MoveBack, labels of the 一级 groups whose overflow the moves
    explain). Only moves that leave every group they touch within its weight explain anything."""
    declared: dict[str, float] = {}
    home_of: dict[str, str] = {}  # category -> the form's 一级 label of that category
    for r in results:
        label = r.line.level1
        if label and r.line.level1_weight is not None:
            declared.setdefault(label, r.line.level1_weight)
            home_of.setdefault(indicator_category(label), label)
    moves = {}
    for i, r in enumerate(results):
        own = misplaced(r, level1_categories)
        if own is not None and home_of.get(own) and r.line.level1 in declared:
            moves[i] = home_of[own]
    if not moves:
        return {}, set()
    before, after = _sums(results, {}), _sums(results, moves)
    touched = {results[i].line.level1 for i in moves} | set(moves.values())
    if any(exceeds(after.get(label, 0.0), declared[label]) for label in touched):
        return {}, set()
    explained = {label for label in touched if exceeds(before.get(label, 0.0), declared[label])}
    if not explained:
        return {}, set()
    out = {}
    for i, home in moves.items():
        source = results[i].line.level1
        sums = "，".join(f"{label} {fmt(after.get(label, 0.0))}/{fmt(declared[label])}" for label in (source, home))
        out[i] = MoveBack(home, sums)
    return out, explained


def _sums(results: list[IndicatorResult], moves: dict[int, str]) -> dict[str, float]:
    sums: dict[str, float] = {}
    for i, r in enumerate(results):
        label = moves.get(i, r.line.level1)
        if label and r.claimed is not None:
            sums[label] = sums.get(label, 0.0) + r.claimed
    return sums
