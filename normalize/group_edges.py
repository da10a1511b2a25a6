"""Whether the 一级 labels of a form read from text alignment were given the right rows (normalize/misread.py).

Without ruling lines a merged 一级 cell's rows are guessed from where its label sits; a label read over one row
too many or too few moves the rows at the edge of its group into the group beside it. The form then fails its
group sums (a false GROUP_OVER_WEIGHT or WEIGHT_SUM_MISMATCH) though the document's own are right. Signs
that the reader, not the report, made the groups:
- the rows' weights make the form's points (or their 一级's), and the 一级 groups (or the 二级 of one 一级)
  would each make exactly their stated points with their edges moved (a label over the wrong rows, the rows
  themselves in order);
- rows of a 一级 group under no 二级 label beside rows under one (a merged 二级 cell read over too few rows);
- rows at the edges of groups whose 二级 belongs to the group beside them (经济效益指标 read as the last row
  of 产出指标), moved back over the edge, leave fewer group sums failing than the reading does.
An author's misplaced indicator in a correctly read form leaves no more failing sums than moving it does (its
overflow is already explained: normalize/misplaced.py), so it is not taken for a misreading.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace

from jixiao.normalize.checks import group_flags
from jixiao.normalize.forms import Form
from jixiao.normalize.misplaced import group_categories, group_key, misplaced, move_back
from jixiao.normalize.recompute import IndicatorResult

GROUP_ERRORS = ("GROUP_OVER_WEIGHT", "WEIGHT_SUM_MISMATCH")


@dataclass
class _Run:
    """Consecutive rows under one 一级 cell."""

    key: tuple  # misplaced.group_key
    label: str
    weight: float | None
    cell: int
    rows: list[IndicatorResult] = field(default_factory=list)


def runs(indicators: list[IndicatorResult], level: int = 1) -> list[_Run]:
    """The rows cut where their 一级 (level 1) or their 二级 (level 2) changes."""
    out: list[_Run] = []
    for r in indicators:
        line = r.line
        key = group_key(r) if level == 1 else (group_key(r), line.level2)
        if out and out[-1].key == key:
            out[-1].rows.append(r)
        elif level == 1:
            out.append(_Run(key, line.level1, line.level1_weight, line.level1_cell, [r]))
        else:
            out.append(_Run(key, line.level2, line.level2_weight, line.level1_cell, [r]))
    return out


def doubtful_groups(form: Form, indicators: list[IndicatorResult]) -> list[str]:
    """Why the 一级 or 二级 labels look given to the wrong rows, when the form fails a group sum (else empty)."""
    groups = runs(indicators)
    failing = _failing(form, indicators)
    if not failing:
        return []
    bare = [g.label for g in groups if _partly_labelled(g.rows)]
    if bare:  # a merged 二级 cell read over too few rows leaves rows beside it under none
        return [f"rows of {'、'.join(bare)} under no 二级 label beside rows under one"]
    for level, level_runs in [(1, groups)] + [(2, runs(g.rows, 2)) for g in groups]:
        fitted = _weights_fit_elsewhere(level_runs)
        if fitted:
            name = "一级" if level == 1 else "二级"
            return [f"{name} labels over the wrong rows: the rows' weights make {fitted} with the groups' edges moved"]
    if len(groups) < 2 or any(g.label is None or g.weight is None for g in groups):
        return []
    moved, names = _edges_moved_home(groups)
    after = _failing(form, moved) if names else failing
    if after < failing:
        return [f"一级 labels over the wrong rows: {'、'.join(names)} at a group's edge belong to the group beside it "
                f"({failing} group sums fail as read, {after} with them moved over)"]
    return []


def _partly_labelled(rows: list[IndicatorResult]) -> bool:
    """Some rows of a 一级 group have a 二级 label and some have none."""
    labelled = {bool(r.line.level2) for r in rows}
    return labelled == {True, False}


def _failing(form: Form, indicators: list[IndicatorResult]) -> int:
    """Group sums the form fails as checks.group_flags judges them (an overflow a misplaced indicator explains
    excepted)."""
    _, explained = move_back(indicators, group_categories(indicators))
    return sum(1 for f in group_flags(form, indicators, explained) if f.code in GROUP_ERRORS and f.severity == "error")


def _weights_fit_elsewhere(groups: list[_Run]) -> str:
    """'40+30+10': every row weighs, the weights make the (二级 of one 一级, or 一级) groups' points, the read
    groups do not each make theirs, and the rows in order cut where the running sum reaches each group's points
    would; '' otherwise."""
    rows = [r for g in groups for r in g.rows]
    if len(groups) < 2 or any(g.label is None or g.weight is None for g in groups) \
            or any(r.line.weight is None for r in rows):
        return ""
    declared = [g.weight for g in groups]
    if abs(sum(r.line.weight for r in rows) - sum(declared)) > 1e-6:
        return ""
    if all(abs(sum(r.line.weight for r in g.rows) - g.weight) <= 1e-6 for g in groups):
        return ""
    running, k, target = 0.0, 0, declared[0]
    for r in rows:
        running += r.line.weight
        if abs(running - target) <= 1e-6 and k + 1 < len(declared):
            k, target = k + 1, target + declared[k + 1]
        elif running > target + 1e-6:
            return ""
    return "+".join(f"{w:g}" for w in declared)


def _edges_moved_home(groups: list[_Run]) -> tuple[list[IndicatorResult], list[str]]:
    """The rows relabelled with edge rows moved over into the group beside them that their 二级 belongs to,
    and those rows' names."""
    categories = group_categories([r for g in groups for r in g.rows])
    home = [list(g.rows) for g in groups]
    names: list[str] = []
    for k in range(len(groups) - 1):
        here, there = categories.get(groups[k].key), categories.get(groups[k + 1].key)
        while there and len(home[k]) > 1 and misplaced(home[k][-1], categories) == there:  # last of k belongs to k+1
            names.append(_name(home[k][-1]))
            home[k + 1].insert(0, home[k].pop())
        while here and len(home[k + 1]) > 1 and misplaced(home[k + 1][0], categories) == here:  # first of k+1 to k
            names.append(_name(home[k + 1][0]))
            home[k].append(home[k + 1].pop(0))
    moved = [replace(r, line=replace(r.line, level1=g.label, level1_weight=g.weight, level1_cell=g.cell))
             for g, rows in zip(groups, home) for r in rows]
    return moved, names


def _name(result: IndicatorResult) -> str:
    """经济效益指标（提高影响力）: the 二级 that tells where the row belongs, with the row's own name."""
    return f"{result.line.level2}（{result.line.level3}）"
