"""A misplaced indicator (a 成本指标 under 效益指标（20分）) explains its group's overflow: the group sums after
moving it back under the 一级 of its own type. The overflow is then reported with MISPLACED_INDICATOR, not as
a GROUP_OVER_WEIGHT error of its own."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from jixiao.normalize.flags import fmt
from jixiao.normalize.recompute import IndicatorResult
from jixiao.normalize.tolerance import exceeds
from jixiao.patterns.headers import indicator_category, lone_weight

PLACEMENT_CATEGORIES = {"产出", "效益", "满意度"}  # scoring.md §6: the types whose place is fixed

GroupKey = tuple  # (一级 label, its cell's number when the label is its points only, else 0)


@dataclass
class MoveBack:
    home: str  # the 一级 the indicator belongs under
    sums: str  # "效益指标 20/20，产出指标 40/40": scores / weight of both groups after the move


def group_key(result: IndicatorResult) -> GroupKey:
    """The 一级 group a row sits in: two groups known by the same points only ((20分) then (20分)) stay two."""
    line = result.line
    return (line.level1, line.level1_cell if lone_weight(line.level1) is not None else 0)


def group_categories(results: list[IndicatorResult]) -> dict[GroupKey, str]:
    """Each 一级 group's type: its name's, or, for a group whose name was lost (only （20分） left), the type
    most of its 二级 are (more than half of those with a type)."""
    named: dict[GroupKey, str] = {}
    votes: dict[GroupKey, Counter] = {}
    for r in results:
        key = group_key(r)
        if lone_weight(r.line.level1) is None:
            category = indicator_category(r.line.level1 or "")
            if category:
                named[key] = category
            continue
        own = indicator_category(r.line.level2 or "")
        if own in PLACEMENT_CATEGORIES:
            votes.setdefault(key, Counter())[own] += 1
    for key, counts in votes.items():
        category, n = counts.most_common(1)[0]
        if n * 2 > sum(counts.values()):
            named[key] = category
    return named


def group_name(key: GroupKey, categories: dict[GroupKey, str]) -> str:
    """How a message names a group: its label, or for a nameless one its type and points (效益类一级指标（20分）)."""
    label = key[0] or ""
    if lone_weight(label) is not None and key in categories:
        return f"{categories[key]}类一级指标{label}"
    return label


def misplaced(result: IndicatorResult, categories: dict[GroupKey, str]) -> str | None:
    """The category the indicator belongs to when it sits under another 一级 (unless the form has no 一级 of
    its kind: MoF 2020 forms put 满意度 under 效益 on purpose); None when it is in place."""
    own, parent = indicator_category(result.line.level2 or ""), categories.get(group_key(result))
    has_home = own in categories.values() or own in ("产出", "效益")
    if own in PLACEMENT_CATEGORIES and parent in PLACEMENT_CATEGORIES and own != parent and has_home:
        return own
    return None


def move_back(results: list[IndicatorResult], categories: dict[GroupKey, str]
              ) -> tuple[dict[int, MoveBack], set[GroupKey]]:
    """(index of each moved indicator -> its MoveBack, the 一级 groups whose overflow the moves explain). Only
    moves that leave every group they touch within its weight explain anything."""
    declared: dict[GroupKey, float] = {}
    home_of: dict[str, GroupKey] = {}  # category -> the form's 一级 group of that category
    for r in results:
        key = group_key(r)
        if key[0] and r.line.level1_weight is not None:
            declared.setdefault(key, r.line.level1_weight)
            if key in categories:
                home_of.setdefault(categories[key], key)
    moves = {}
    for i, r in enumerate(results):
        own = misplaced(r, categories)
        if own is not None and home_of.get(own) and group_key(r) in declared:
            moves[i] = home_of[own]
    if not moves:
        return {}, set()
    before, after = _sums(results, {}), _sums(results, moves)
    touched = {group_key(results[i]) for i in moves} | set(moves.values())
    if any(exceeds(after.get(key, 0.0), declared[key]) for key in touched):
        return {}, set()
    explained = {key for key in touched if exceeds(before.get(key, 0.0), declared[key])}
    if not explained:
        return {}, set()
    out = {}
    for i, home in moves.items():
        source = group_key(results[i])
        sums = "，".join(f"{group_name(key, categories)} {fmt(after.get(key, 0.0))}/{fmt(declared[key])}"
                        for key in (source, home))
        out[i] = MoveBack(group_name(home, categories), sums)
    return out, explained


def _sums(results: list[IndicatorResult], moves: dict[int, GroupKey]) -> dict[GroupKey, float]:
    sums: dict[GroupKey, float] = {}
    for i, r in enumerate(results):
        key = moves.get(i, group_key(r))
        if key[0] and r.claimed is not None:
            sums[key] = sums.get(key, 0.0) + r.claimed
    return sums
