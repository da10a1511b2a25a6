"""Recomputed results -> rows of the schema's tables (dicts; missing keys are NULL)."""
from __future__ import annotations

from jixiao.normalize.checks import FormResult
from jixiao.normalize.flags import Flag
from jixiao.normalize.recompute import BudgetResult, IndicatorResult
from jixiao.patterns.operators import Target


def scorecard_row(result: FormResult, report_id: str, sid: str, seq: int) -> dict:
    form = result.form
    return {
        "report_id": report_id, "scorecard_id": sid, "seq": seq, "kind": form.kind, "name": form.name,
        "unit_name": form.unit_name, "claimed_total": result.claimed_total,
        "recomputed_total": result.recomputed_total, "claimed_grade": result.claimed_grade,
        "recomputed_grade": result.recomputed_grade, "location": form.location, "profile": result.profile.name,
    }


def budget_row(result: BudgetResult, report_id: str, sid: str, seq: int) -> dict:
    line = result.line
    return {
        "report_id": report_id, "scorecard_id": sid, "seq": seq, "line": line.line,
        "budget_wan": result.budget.wan, "executed_wan": result.executed.wan,
        "budget_raw": line.budget_raw, "executed_raw": line.executed_raw,
        "claimed_rate": result.claimed_rate, "recomputed_rate": result.recomputed_rate, "weight": result.weight,
        "claimed_score": result.claimed_score, "recomputed_score": result.recomputed_score,
        "location": line.location,
    }


def _value(target: Target) -> tuple[float | None, str | None]:
    q = target.quantity
    return (q.value_norm, q.unit_norm) if q is not None else (None, None)


def indicator_row(result: IndicatorResult, report_id: str, sid: str, seq: int) -> dict:
    line = result.line
    target_value, target_unit = _value(result.target)
    actual_value, actual_unit = _value(result.actual)
    return {
        "report_id": report_id, "scorecard_id": sid, "seq": seq,
        "level1": line.level1, "level2": line.level2, "level3": line.level3,
        "level1_weight": line.level1_weight, "level2_weight": line.level2_weight, "weight": line.weight,
        "target_raw": line.target_raw, "actual_raw": line.actual_raw,
        "target_op": result.target.op, "target_value": target_value, "target_unit": target_unit,
        "actual_op": result.actual.op, "actual_value": actual_value, "actual_unit": actual_unit,
        "direction": result.direction, "claimed_score": result.claimed, "recomputed_score": result.recomputed,
        "recomputed_low": result.low, "recomputed_high": result.high, "location": line.location,
    }


def flag_row(flag: Flag, report_id: str) -> dict:
    return {
        "report_id": report_id, "scorecard_id": flag.scorecard_id, "indicator_seq": flag.indicator_seq,
        "code": flag.code, "severity": flag.severity, "message": flag.message,
        "claimed": flag.claimed, "recomputed": flag.recomputed, "location": flag.location,
    }
