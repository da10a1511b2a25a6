"""The flag rules of scoring.md, applied to one form after recomputation."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from jixiao.normalize.flags import Flag, fmt, raise_flag
from jixiao.normalize.forms import BudgetLine, Form
from jixiao.normalize.table_view import compact
from jixiao.normalize.misplaced import GroupKey, MoveBack, group_categories, group_key, group_name, misplaced, move_back
from jixiao.normalize.profiles import Profile
from jixiao.normalize.recompute import BudgetResult, IndicatorResult
from jixiao.normalize.tolerance import ROUNDING_POINTS, agrees, exceeds, severity
from jixiao.patterns.headers import lone_weight
from jixiao.patterns.numbers import is_blank


@dataclass
class FormResult:
    form: Form
    profile: Profile
    budgets: list[BudgetResult]
    indicators: list[IndicatorResult]
    flags: list[Flag] = field(default_factory=list)
    claimed_total: float | None = None
    recomputed_total: float | None = None
    claimed_grade: str | None = None
    recomputed_grade: str | None = None


# --- budget --------------------------------------------------------------------------------------
def budget_flags(result: BudgetResult) -> list[Flag]:
    flags, where = [], result.line.location
    if result.unit_mixed:
        flags.append(raise_flag("UNIT_MIXED", variant="budget", location=where, line=result.line.line,
                                budget_raw=result.line.budget_raw, executed_raw=result.line.executed_raw,
                                budget=result.budget.wan, executed=result.executed.wan))
    if result.claimed_rate is not None and result.recomputed_rate is not None:
        claimed_pct, recomputed_pct = result.claimed_rate * 100, result.recomputed_rate * 100
        level = severity(claimed_pct, recomputed_pct, _percent_raw(result.line))
        if level:
            flags.append(raise_flag("EXEC_RATE_MISMATCH", level=level, location=where, claimed=result.claimed_rate,
                                    recomputed=result.recomputed_rate, line=result.line.line,
                                    rate_raw=result.line.rate_raw, recomputed_pct=recomputed_pct))
    if result.claimed_score is not None and result.recomputed_score is not None:
        level = severity(result.claimed_score, result.recomputed_score, result.line.score_raw)
        if level:
            flags.append(raise_flag("BUDGET_SCORE_MISMATCH", level=level, location=where,
                                    claimed=result.claimed_score, recomputed=result.recomputed_score,
                                    line=result.line.line, score_raw=result.line.score_raw, weight=fmt(result.weight),
                                    rate=fmt(result.recomputed_rate), score=fmt(result.recomputed_score),
                                    note=_direction_note(level)))
    return flags


def _percent_raw(line: BudgetLine) -> str | None:
    """Decimals of a rate claim counted in percentage points ("0.9875" written as a fraction has 2 there)."""
    raw = line.rate_raw
    if raw and "%" not in raw and "％" not in raw:
        value = line.rate_q.value if line.rate_q is not None else None
        if value is not None and abs(value) <= 1.5:
            text = raw.strip()
            decimals = len(text.split(".")[1]) if "." in text else 0
            return f"0.{'0' * max(decimals - 2, 0)}" if decimals > 2 else "0"
    return raw


def _direction_note(level: str) -> str:
    return {"error": "（多报）", "warning": "（少报）", "info": "（仅为四舍五入差异）"}[level]


# --- indicators ----------------------------------------------------------------------------------
def indicator_flags(result: IndicatorResult) -> list[Flag]:
    line, flags = result.line, []
    name = line.level3 or "(未命名指标)"
    claimed = result.claimed
    if claimed is not None and line.weight is not None and exceeds(claimed, line.weight):
        flags.append(raise_flag("SCORE_OVER_WEIGHT", location=line.location, claimed=claimed, recomputed=line.weight,
                                name=name, score_raw=line.score_raw, weight=fmt(line.weight)))
    if claimed is not None and claimed > 0 and is_blank(line.actual_raw) and line.target_raw:
        flags.append(raise_flag("MISSING_ACTUAL_SCORED", location=line.location, claimed=claimed, name=name,
                                score_raw=line.score_raw))
    if result.units_differ:
        flags.append(raise_flag("UNIT_MIXED", variant="indicator", location=line.location, name=name,
                                target=line.target_raw, actual=line.actual_raw))
    if claimed is None or result.recomputed is None:
        return flags
    if result.quantitative:
        level = severity(claimed, result.recomputed, line.score_raw)
        if level:
            flags.append(raise_flag("INDICATOR_SCORE_MISMATCH", level=level, location=line.location, claimed=claimed,
                                    recomputed=result.recomputed, name=name, target=line.target_raw,
                                    actual=line.actual_raw, weight=fmt(line.weight), score=fmt(result.recomputed),
                                    score_raw=line.score_raw, note=_direction_note(level)))
    elif result.low is not None and result.high is not None:
        above = claimed > result.high and not agrees(claimed, result.high, line.score_raw)
        below = claimed < result.low and not agrees(claimed, result.low, line.score_raw)
        if above or below:
            flags.append(raise_flag("QUALITATIVE_TIER_MISMATCH", level="error" if above else "warning",
                                    location=line.location, claimed=claimed, recomputed=result.recomputed, name=name,
                                    actual=line.actual_raw, tier=result.tier, low=fmt(result.low),
                                    high=fmt(result.high), score_raw=line.score_raw))
    return flags


def misplaced_flags(result: IndicatorResult, categories: dict[GroupKey, str], moved: MoveBack | None = None) -> list[Flag]:
    """An indicator under the wrong 一级; when moving it back explains its group's overflow, the sums after."""
    own = misplaced(result, categories)
    if own is None:
        return []
    line = result.line
    level1 = group_name(group_key(result), categories)
    if moved is not None:
        return [raise_flag("MISPLACED_INDICATOR", variant="moved", location=line.location, name=line.level3,
                           level2=line.level2, own=own, level1=level1, home=moved.home, sums=moved.sums)]
    return [raise_flag("MISPLACED_INDICATOR", variant="plain", location=line.location, name=line.level3,
                       level2=line.level2, own=own, level1=level1)]


# --- groups, weights and totals ------------------------------------------------------------------
@dataclass
class _Group:
    label: str
    declared: float | None
    members: list[IndicatorResult] = field(default_factory=list)
    location: str | None = None
    key: tuple = ()


def _groups(results: list[IndicatorResult], level: int) -> list[_Group]:
    groups: dict[tuple, _Group] = {}
    for r in results:
        key = group_key(r) if level == 1 else (*group_key(r), r.line.level2)
        label = r.line.level1 if level == 1 else r.line.level2
        declared = r.line.level1_weight if level == 1 else r.line.level2_weight
        if label is None:
            continue
        group = groups.setdefault(key, _Group(label, declared, location=r.line.location, key=key))
        group.declared = group.declared if group.declared is not None else declared
        group.members.append(r)
    return list(groups.values())


def group_flags(form: Form, results: list[IndicatorResult], explained: set[GroupKey] = frozenset()) -> list[Flag]:
    """explained: 一级 groups whose overflow a misplaced indicator explains (said by MISPLACED_INDICATOR)."""
    flags: list[Flag] = []
    level1, level2 = _groups(results, 1), _groups(results, 2)
    for group in level1 + level2:
        if group.declared is None or (group in level1 and group.key in explained):
            continue
        flags += _group_over_weight(group)
    for group in level1:
        if group.declared is None:
            continue
        sub = [g for g in _groups(group.members, 2) if g.label]
        if sub and all(g.declared is not None for g in sub):
            parts = [g.declared for g in sub]
        else:
            parts = [m.line.weight for m in group.members]
        flags += _weight_sum(group.label, group.declared, parts, group.location, _cut(form, group, results))
    for group in level2:
        if group.declared is not None:
            flags += _weight_sum(group.label, group.declared, [m.line.weight for m in group.members],
                                 group.location, _cut(form, group, results))
    return flags


def _cut(form: Form, group: _Group, results: list[IndicatorResult]) -> bool:
    """The group the document ends in, in a form cut off: its members were read only in part."""
    return form.cut_off and bool(results) and any(m is results[-1] for m in group.members)


def _cut_note(cut: bool) -> dict:
    """A weight sum over a form the document ends inside of is a warning that says so, not an error."""
    return {"level": "warning", "note": CUT_NOTE} if cut else {"level": "error", "note": ""}


CUT_NOTE = "（文件在此表中截断，无总分行：只合计了读到的行）"


def _group_over_weight(group: _Group) -> list[Flag]:
    claims = [m.claimed for m in group.members if m.claimed is not None]
    if not claims or not exceeds(sum(claims), group.declared):
        return []
    # a 一级 known by its points only is named 一级指标, not （20分）（20分）
    label = "一级指标" if lone_weight(group.label) is not None else group.label
    return [raise_flag("GROUP_OVER_WEIGHT", variant="members", location=group.location, claimed=sum(claims),
                       recomputed=group.declared, label=label, declared=fmt(group.declared),
                       claimed_sum=fmt(sum(claims)))]


def _weight_sum(label: str, declared: float, parts: list[float | None], where: str | None,
                cut: bool = False) -> list[Flag]:
    if not parts or any(p is None for p in parts) or abs(sum(parts) - declared) <= 1e-6:
        return []
    return [raise_flag("WEIGHT_SUM_MISMATCH", variant="group", location=where, claimed=sum(parts), recomputed=declared,
                       label=label, parts=fmt(sum(parts)), declared=fmt(declared), **_cut_note(cut))]


def form_weight_flags(form: Form, budgets: list[BudgetResult], results: list[IndicatorResult],
                      profile: Profile) -> list[Flag]:
    """The indicator block's groups must add up to the block, and the whole form to 100."""
    flags: list[Flag] = []
    level1 = _groups(results, 1)
    declared = [g.declared for g in level1]
    block = form.indicator_block_weight
    if block is not None and level1 and all(d is not None for d in declared):
        if abs(sum(declared) - block) > 1e-6:
            labels = " + ".join(fmt(d) for d in declared)
            flags.append(raise_flag("WEIGHT_SUM_MISMATCH", variant="block", location=results[0].line.location,
                                    claimed=sum(declared), recomputed=block, labels=labels, parts=fmt(sum(declared)),
                                    block=fmt(block), **_cut_note(form.cut_off)))
        return flags
    budget_weight = next((b.weight for b in budgets if b.weight is not None), 0.0) if budgets else 0.0
    if level1 and all(d is not None for d in declared):
        body = sum(declared)
    elif results and all(r.line.weight is not None for r in results):
        body = sum(r.line.weight for r in results)
    elif form.groups and all(g.weight is not None for g in form.groups):
        body = sum(g.weight for g in form.groups)
    else:
        return flags
    total = budget_weight + body
    if abs(total - profile.total_weight) > 1e-6:
        flags.append(raise_flag("WEIGHT_SUM_MISMATCH", variant="form", location=form.location, claimed=total,
                                recomputed=profile.total_weight, total=fmt(total),
                                expected=fmt(profile.total_weight), **_cut_note(form.cut_off)))
    return flags


def summary_group_flags(form: Form, results: list[IndicatorResult]) -> list[Flag]:
    """Per-level summary rows (投入 6 | 5): a level may not score above its weight, and its weight is the sum
    of its indicators' weights."""
    flags = []
    by_level = {g.label: g for g in _groups(results, 1)}
    for group in form.groups:
        members = by_level.get(group.label)
        if members and group.weight is not None:
            flags += _weight_sum(group.label, group.weight, [m.line.weight for m in members.members],
                                 group.location)
        claimed = group.score
        if claimed is not None and group.weight is not None and exceeds(claimed, group.weight):
            flags.append(raise_flag("GROUP_OVER_WEIGHT", variant="summary", location=group.location, claimed=claimed,
                                    recomputed=group.weight, label=group.label, score_raw=group.score_raw,
                                    weight=fmt(group.weight)))
    return flags


def _scored_budgets(budgets: list[BudgetResult]) -> list[BudgetResult]:
    return [b for b in budgets if b.weight is not None or b.claimed_score is not None]


def _sum_of_parts(budget_scores: list, indicator_scores: list, form: Form) -> float | None:
    """Budget scores + indicator scores; the per-level summary's scores stand in when an indicator has none;
    None when some part has no score at all."""
    if any(v is None for v in budget_scores):
        return None
    if indicator_scores and all(v is not None for v in indicator_scores):
        return sum(budget_scores) + sum(indicator_scores)
    group_claims = [g.score for g in form.groups]
    if group_claims and all(v is not None for v in group_claims):
        return sum(budget_scores) + sum(group_claims)
    return None


def claimed_parts(budgets: list[BudgetResult], results: list[IndicatorResult], form: Form) -> float | None:
    """Sum of the scores the form itself claims for its parts, or None when some part states none."""
    return _sum_of_parts([b.claimed_score for b in _scored_budgets(budgets)], [r.claimed for r in results], form)


def recomputed_parts(budgets: list[BudgetResult], results: list[IndicatorResult], form: Form) -> float | None:
    """Budget score + Σ indicator scores, each recomputed where possible, else claimed (schema.md)."""
    return _sum_of_parts(
        [b.recomputed_score if b.recomputed_score is not None else b.claimed_score for b in _scored_budgets(budgets)],
        [r.recomputed if r.recomputed is not None else r.claimed for r in results], form)


def total_flags(form: Form, claimed_total: float | None, parts: float | None,
                unread: float | None = None) -> list[Flag]:
    """The claimed total against the sum of the claimed parts. In a form cut off (`unread`: the points of the
    rows the document ends before, None when unknown) the parts are the rows read: an error only when no
    scores of the unread rows could make the total add up."""
    if claimed_total is None or parts is None:
        return []
    if agrees(claimed_total, parts, form.total_raw):
        return []
    where = dict(location=form.total_location or form.location, claimed=claimed_total, recomputed=parts,
                 total_raw=form.total_raw, parts=fmt(parts))
    if form.cut_off:
        return [_cut_total_flag(claimed_total, parts, unread, where)]
    level = "info" if abs(claimed_total - parts) <= ROUNDING_POINTS + 1e-9 else "error"
    return [raise_flag("TOTAL_MISMATCH", level=level, variant="whole", **where)]


def _cut_total_flag(claimed_total: float, parts: float, unread: float | None, where: dict,
                    kind: str = "cut") -> Flag:
    """Within reach of the unread (or unscored) rows (parts ≤ total ≤ parts + their points): a warning saying how
    many points are open; out of their reach (above what they could give, or below what was read): an error."""
    if unread is None:
        return raise_flag("TOTAL_MISMATCH", level="warning", variant=f"{kind}_unknown", **where)
    slack = ROUNDING_POINTS + 1e-9
    if claimed_total < parts - slack:
        variant = "below"  # the rows read already score more: unread rows only add
    else:
        variant = "within" if claimed_total <= parts + unread + slack else "beyond"
    return raise_flag("TOTAL_MISMATCH", level="warning" if variant == "within" else "error",
                      variant=f"{kind}_{variant}", unread=fmt(unread), most=fmt(parts + unread), **where)


def unscored_total_flags(form: Form, claimed_total: float | None, budgets: list[BudgetResult],
                         results: list[IndicatorResult]) -> list[Flag]:
    """A claimed total over parts some of which state no score (blank, or a cell the reader could not place): the
    sum cannot be checked, which is said, never passed over — within reach of the unscored rows' points a
    warning, out of it an error. Nothing when the written scores alone make the total (the blanks score 0)."""
    if claimed_total is None or claimed_parts(budgets, results, form) is not None:
        return []
    parts = [(b.claimed_score, b.weight) for b in _scored_budgets(budgets)] + \
        [(r.claimed, r.line.weight) for r in results]
    open_weights = [w for score, w in parts if score is None]
    if not open_weights or len(open_weights) == len(parts):
        return []  # no row unscored, or no row scored: no arithmetic to speak of
    written = sum(score for score, _ in parts if score is not None)
    if agrees(claimed_total, written, form.total_raw):
        return []
    unscored = None if any(w is None for w in open_weights) else sum(open_weights)
    where = dict(location=form.total_location or form.location, claimed=claimed_total, recomputed=written,
                 total_raw=form.total_raw, parts=fmt(written), count=len(open_weights))
    return [_cut_total_flag(claimed_total, written, unscored, where, kind="unscored")]


def unread_points(form: Form, budgets: list[BudgetResult], results: list[IndicatorResult],
                  profile: Profile) -> float | None:
    """The points of a cut-off form's rows the document ends before: the form's points less the budget's and
    every read row's weight; None when a read row states no weight."""
    if not form.cut_off or any(r.line.weight is None for r in results):
        return None
    budget_weight = next((b.weight for b in budgets if b.weight is not None), 0.0)
    return max(0.0, profile.total_weight - budget_weight - sum(r.line.weight for r in results))


def grade_flags(form: Form, claimed_total: float | None, profile: Profile) -> list[Flag]:
    expected = profile.grade(claimed_total)
    if form.grade is None or expected is None or form.grade == expected:
        return []
    return [raise_flag("GRADE_MISMATCH", location=form.total_location or form.location, claimed=claimed_total,
                       grade_raw=form.grade_raw, total_raw=form.total_raw, expected=expected)]


def placeholder_flags(form: Form) -> list[Flag]:
    """Each label left as the template had it; the spare template rows left empty, one flag per form."""
    labels = [p for p in form.placeholders if not p.row]
    rows = [p for p in form.placeholders if p.row]
    flags = [raise_flag("TEMPLATE_PLACEHOLDER", variant="text", location=p.location, text=p.text) for p in labels]
    if len(rows) == 1:
        flags.append(raise_flag("TEMPLATE_PLACEHOLDER", variant="text", location=rows[0].location, text=rows[0].text))
    elif rows:
        counts = Counter(compact(p.text) for p in rows)
        texts = "、".join(f"“{t}”" + (f"×{n}" if n > 1 else "") for t, n in counts.items())
        flags.append(raise_flag("TEMPLATE_PLACEHOLDER", variant="rows", location=rows[0].location, count=len(rows),
                                texts=texts))
    return flags


def check_form(form: Form, profile: Profile, budgets: list[BudgetResult],
               indicators: list[IndicatorResult]) -> FormResult:
    result = FormResult(form, profile, budgets, indicators)
    result.claimed_total = form.total
    result.recomputed_total = recomputed_parts(budgets, indicators, form)
    result.claimed_grade = form.grade
    result.recomputed_grade = profile.grade(result.recomputed_total)
    for budget in budgets:
        result.flags += budget_flags(budget)
    categories = group_categories(indicators)
    moves, explained = move_back(indicators, categories)
    for seq, indicator in enumerate(indicators, 1):
        for flag in indicator_flags(indicator) + misplaced_flags(indicator, categories, moves.get(seq - 1)):
            flag.indicator_seq = seq
            result.flags.append(flag)
    result.flags += group_flags(form, indicators, explained) + summary_group_flags(form, indicators)
    result.flags += form_weight_flags(form, budgets, indicators, profile)
    result.flags += total_flags(form, result.claimed_total, claimed_parts(budgets, indicators, form),
                                unread_points(form, budgets, indicators, profile))
    result.flags += unscored_total_flags(form, result.claimed_total, budgets, indicators)
    result.flags += grade_flags(form, result.claimed_total, profile)
    result.flags += placeholder_flags(form)
    return result
