"""scoring.md §1–3: recompute budget-execution scores and indicator scores from the form's own numbers."""
from __future__ import annotations

from dataclasses import dataclass, replace

from jixiao.normalize.forms import BudgetLine, IndicatorLine
from jixiao.normalize.profiles import Profile
from jixiao.patterns.numbers import Quantity, is_blank, multiplier_word, with_unit
from jixiao.patterns.operators import Target
from jixiao.patterns.units import class_norm, comparable, normalise_value

MONEY_COLUMN_UNIT = class_norm("money")  # the schema's money unit (units.toml [money] norm): 万元


# --- budget execution -----------------------------------------------------------------------------
@dataclass
class MoneyCell:
    wan: float | None
    written_unit: str  # the unit as written, bare numbers taking the column's 万元


def money_of(quantity: Quantity | None, column_unit: str = MONEY_COLUMN_UNIT) -> MoneyCell:
    """A money cell (as read) in 万元, every unit through units.toml: "680万" -> 680, "6727625.90元" ->
    672.76259, "200千元" -> 20, "0.2百万元" -> 20, "55" in a （万元） column -> 55."""
    if quantity is None:
        return MoneyCell(None, "")
    quantity = with_unit(quantity, column_unit)
    if quantity.unit_class == "money":
        return MoneyCell(quantity.value_norm, multiplier_word(quantity.multiplier) + quantity.unit)
    # a number written with another unit ("98%") in a money column: its number, in the column's unit
    return MoneyCell(normalise_value(quantity.value, column_unit), column_unit)


@dataclass
class BudgetResult:
    line: BudgetLine
    budget: MoneyCell
    executed: MoneyCell
    claimed_rate: float | None
    recomputed_rate: float | None
    weight: float | None
    claimed_score: float | None
    recomputed_score: float | None

    @property
    def unit_mixed(self) -> bool:
        return bool(self.budget.written_unit and self.executed.written_unit
                    and self.budget.written_unit != self.executed.written_unit)


def rate_of(quantity: Quantity | None) -> float | None:
    """A rate cell (as read) as a fraction: "98.94%" -> 0.9894; "77.44" (no sign, in a rate column) -> 0.7744."""
    if quantity is None:
        return None
    if quantity.unit_class == "percent":
        return quantity.value_norm
    return quantity.value / 100 if abs(quantity.value) > 1.5 else quantity.value


def recompute_budget(line: BudgetLine, profile: Profile, block_weight: float | None) -> BudgetResult:
    column_unit = line.default_unit or MONEY_COLUMN_UNIT
    budget = money_of(line.budget_q, column_unit)
    executed = money_of(line.executed_q, column_unit)
    rate = None
    if budget.wan and executed.wan is not None and budget.wan > 0:
        rate = executed.wan / budget.wan
    weight = line.weight if line.weight is not None else block_weight
    claimed_score = line.score
    if weight is None and claimed_score is not None:
        weight = profile.budget_weight
    recomputed = weight * min(rate, 1.0) if weight is not None and rate is not None else None
    return BudgetResult(line, budget, executed, rate_of(line.rate_q), rate, weight, claimed_score, recomputed)


# --- indicators -----------------------------------------------------------------------------------
@dataclass
class IndicatorResult:
    line: IndicatorLine
    target: Target
    actual: Target
    claimed: float | None
    recomputed: float | None = None
    low: float | None = None  # qualitative tier range in points
    high: float | None = None
    quantitative: bool = False
    tier: str | None = None
    units_differ: bool = False  # comparable but written differently (小时 vs 分钟): normalised

    @property
    def direction(self) -> str:
        return self.target.direction or "unknown"


def recompute_indicator(line: IndicatorLine, profile: Profile) -> IndicatorResult:
    """From the line's cells as read (normalize/cells.py): its target, actual and claimed score."""
    target = line.target
    result = IndicatorResult(line, target, line.actual, line.score)
    says_short = line.achievement in ("partly", "not")  # "偶有次月10日后": the words decide
    if target.op == "qual" or (target.op is None and target.direction == "qualitative") or says_short \
            or line.said_qualitative:
        _qualitative(result, profile)
    else:
        _quantitative(result)
    return result


def _quantitative(result: IndicatorResult) -> None:
    weight, a, b = result.line.weight, result.target.quantity, result.actual.quantity
    if a is None or b is None:
        return
    b = with_unit(b, a.unit)  # a bare actual ("11" against "≥16套") is read in the target's unit
    if not comparable(a, b):
        return
    result.actual = replace(result.actual, quantity=b)  # and written so: 100 against ≥100百分比 is 100%, 1.0
    result.quantitative = True
    result.units_differ = (a.unit or "") != (b.unit or "") or a.multiplier != b.multiplier
    if weight is None:
        return
    result.recomputed = weight * _achievement_ratio(result.direction, a, b)


def _achievement_ratio(direction: str, target: Quantity, actual: Quantity) -> float:
    a, b = target.value_norm, actual.value_norm
    if direction == "negative":
        return 1.0 if b <= 0 else min(a / b, 1.0)
    if a <= 0:
        return 1.0 if b >= a else 0.0
    return max(min(b / a, 1.0), 0.0)


def _qualitative(result: IndicatorResult, profile: Profile) -> None:
    actual_raw = result.line.actual_raw
    if is_blank(actual_raw):
        return  # no evidence: MISSING_ACTUAL_SCORED speaks for it
    same = "".join((actual_raw or "").split()) == "".join((result.line.target_raw or "").split())
    tier = "achieved" if same else result.line.achievement
    if tier is None and result.actual.quantity is not None and result.actual.quantity.value == 0:
        tier = "not"
    result.tier = {"achieved": "achieved", "partly": "partly", "not": "not_achieved"}.get(tier or "")
    weight = result.line.weight
    if result.tier is None or weight is None:
        return
    low_f, high_f = profile.tiers[result.tier]
    result.low, result.high = weight * low_f, weight * high_f
    if result.claimed is not None:
        result.recomputed = min(max(result.claimed, result.low), result.high)
