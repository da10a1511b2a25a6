"""Each cell of a form read once into a typed value, when the assembler has finished the form (restated and
actuals tables fill cells in late): targets and actuals as Targets (with the form's 计量单位 and 指标性质 columns),
scores, totals and grades as numbers and grade names. Recompute, checks and claims use these values; the raw
text stays beside them for messages and the output's *_raw columns."""
from __future__ import annotations

from jixiao.normalize.forms import BudgetLine, Form, IndicatorLine, KvClaim
from jixiao.normalize.table_view import number
from jixiao.patterns.grades import normalize_grade
from jixiao.patterns.numbers import is_blank
from jixiao.patterns.operators import Target, achievement, operator_by_name, operator_of, parse_target

OPERATOR_SYMBOL = {">=": "≥", "<=": "≤", ">": ">", "<": "<", "=": "="}


def read_form_cells(form: Form) -> None:
    form.total = number(form.total_raw)
    form.grade = normalize_grade(form.grade_raw) if form.grade_raw else None
    for line in form.budget_lines:
        read_budget_cells(line)
    for indicator in form.indicators:
        read_indicator_cells(indicator)
    for group in form.groups:
        group.score = number(group.score_raw)
    if _weights_sum(form):
        form.total = None


def _weights_sum(form: Form) -> bool:
    """The 合计 row's lone number is the 权重 column's sum, not a claimed score, when no line of the form was
    scored (every 得分 cell empty: Sichuan 510000_0013zp 合计 | 100) and it equals the weights read."""
    lines = form.budget_lines + form.indicators
    if form.total is None or any(line.score is not None for line in lines):
        return False
    weights = [line.weight for line in lines if line.weight is not None]
    return bool(weights) and abs(sum(weights) - form.total) < 1e-6


def read_kv_claim(claim: KvClaim) -> None:
    """A score as a number, a grade as the profiles name it (None when the cell says neither)."""
    claim.value = number(claim.raw) if claim.kind == "score" else normalize_grade(claim.raw)


def read_budget_cells(line: BudgetLine) -> None:
    """The claimed score; the amounts and the rate were read where the line was found (budget_q, …)."""
    line.score = number(line.score_raw)


def read_indicator_cells(line: IndicatorLine) -> None:
    line.score = number(line.score_raw)
    line.target, line.actual, line.said_qualitative = _sides(line)
    line.achievement = achievement(line.actual_raw or "")


def _sides(line: IndicatorLine) -> tuple[Target, Target, bool]:
    """Target and actual, read with the form's own 计量单位 and 指标性质 columns when it has them (else an
    operator the indicator's name implies: 预算调整率 3% is at most 3%); True when the 指标性质 column says the
    indicator is qualitative."""
    unit = line.unit_raw if line.unit_raw and not is_blank(line.unit_raw) else None
    text = line.target_adjusted_raw if not is_blank(line.target_adjusted_raw) else (line.target_raw or "")
    nature = operator_of(line.nature_raw) if line.nature_raw else None
    target = parse_target(text, default_unit=unit)
    # a direction the column gives wins; its "=" (定量: only "a number") yields to a direction the name gives
    implied = nature if nature in ("<=", ">=", "<", ">") else operator_by_name(line.level3) or nature
    implied = implied if implied in OPERATOR_SYMBOL else None
    if implied and not target.explicit and target.quantity is not None:
        target = parse_target(OPERATOR_SYMBOL[implied] + text, default_unit=unit)
    return target, parse_target(line.actual_raw or "", default_unit=unit), nature == "qual"
