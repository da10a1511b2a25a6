"""The arithmetic gate for tables read from the alignment of their text (unruled PDFs): judge a form only when
the reading can be trusted.

Rows and columns guessed without ruling lines can be misread: rows lost, a column shifted, a level label given
to the wrong rows. Judged as read, such a form raises errors that are the reader's, not the report's (a false
TOTAL_MISMATCH, WEIGHT_SUM_MISMATCH, GROUP_OVER_WEIGHT). A form from such a table whose own arithmetic fails
BADLY is therefore not judged: the region is reported as UNPARSED_TABLE ("rows do not add up") and the report
is partial. "Badly" means by more than an author's slip: a slip misprices one row or one group (seed 004's
效益指标（40分） in an 80-point block: 20 of 100 points), a misreading loses or mixes whole blocks. So:
- rows missing: the table visibly holds more indicator rows than were read (normalize/unread.py's count);
- weights: the form's weights (budget + 一级 labels or rows) miss its total, or the 一级 labels miss their
  block, by more than MARGIN of it;
- total: the claimed total differs from budget score + Σ scores by more than MARGIN of the form's points.
A real mismatch within the margin in a correctly read form stays flagged as on any other form.

A form flattened into text whose reader could not tell some cells apart (Table.doubts: 指标值 and 完成值 glued
two ways, a name run into its words) is not judged either, whatever its sums: a row read with the wrong cells
passes its arithmetic (the score stands) and loses its flags (MISSING_ACTUAL_SCORED); reported "cells not told
apart".
"""
from __future__ import annotations

from dataclasses import dataclass

from jixiao.extract.model import Document, Table
from jixiao.normalize.checks import FormResult, claimed_parts
from jixiao.normalize.flags import Flag, fmt, raise_flag
from jixiao.normalize.unread import MIN_MISSING, document_lines, find_regions

MARGIN = 0.25  # share of the form's points beyond which a failed sum is a misreading, not a claim
MIN_SHARE = 0.75  # fewer rows read than this share of the visible ones: rows were lost (as unread.py)


@dataclass
class Misread:
    table_location: str  # "p14 t0": the table the form was read from
    reasons: list[str]
    rows: int  # indicator rows read
    expected: int | None  # indicator rows the table visibly holds
    what: str  # what was recognised: "附件1 指标表头"
    apart: bool = True  # False: the reader could not tell some cells apart (the reasons say which)


def aligned_tables(document: Document) -> dict[str, Table]:
    """Tables read from text alignment or with doubts about their cells, by location ("p14 t0")."""
    return {str(b.location): b for b in document.blocks if isinstance(b, Table) and (b.from_alignment or b.doubts)}


def table_of(location: str) -> str:
    return location.split(" r")[0]


def visible_rows(document: Document) -> dict[str, tuple[int, str]]:
    """Per table: the most indicator rows an indicator header region in it visibly holds, and what was
    recognised there (title, header label). A form running over several tables holds the sum of theirs."""
    out: dict[str, tuple[int, str]] = {}
    for region in find_regions(document_lines(document)):
        if region.kind != "indicators" or not region.expected:
            continue
        where = table_of(region.location)
        what = f"{region.title + ' ' if region.title else ''}{region.label}"
        if region.expected > out.get(where, (0, ""))[0]:
            out[where] = (region.expected, what)
    return out


def misread_reasons(result: FormResult, expected: int | None) -> list[str]:
    """Why the form's reading cannot be trusted; empty when its arithmetic holds (or fails only as an author's
    slip does)."""
    reasons = []
    rows = len(result.indicators)
    if rows == 0 or (expected and expected - rows >= MIN_MISSING and rows < MIN_SHARE * expected):
        reasons.append("rows missing" if rows else "no indicator row read")
    points = result.profile.total_weight
    weights = _weight_sums(result)
    for label, got, want in weights:
        if abs(got - want) > MARGIN * want:
            reasons.append(f"{label} {fmt(got)} ≠ {fmt(want)}")
    parts = claimed_parts(result.budgets, result.indicators, result.form)
    total = result.form.total
    if total is not None and parts is not None and abs(total - parts) > MARGIN * points:
        reasons.append(f"总分 {fmt(total)} ≠ 各项得分合计 {fmt(parts)}")
    elif total is not None and total > points * (1 + MARGIN):
        reasons.append(f"总分 {fmt(total)} > {fmt(points)}")
    if not weights and (total is None or parts is None):
        reasons.append("neither its weights nor its total can be summed")  # nothing vouches for the reading
    return reasons


def _weight_sums(result: FormResult) -> list[tuple[str, float, float]]:
    """(what, sum read, what it should be): the 一级 labels against their block, the whole form against the
    profile's total — as checks.form_weight_flags computes them."""
    form, indicators = result.form, result.indicators
    level1: dict[str, float | None] = {}
    for r in indicators:
        if r.line.level1 is not None:
            level1.setdefault(r.line.level1, r.line.level1_weight)
    declared = list(level1.values())
    labelled = bool(declared) and all(d is not None for d in declared)
    if labelled and form.indicator_block_weight is not None:
        return [("一级指标分值合计", sum(declared), form.indicator_block_weight)]
    budget = next((b.weight for b in result.budgets if b.weight is not None), 0.0)
    if labelled:
        body = sum(declared)
    elif indicators and all(r.line.weight is not None for r in indicators):
        body = sum(r.line.weight for r in indicators)
    else:
        return []
    return [("全表分值合计", budget + body, result.profile.total_weight)]


def find_misread(document: Document, results: list[FormResult]) -> dict[int, Misread]:
    """Forms (by index into results) read from an aligned table whose reading cannot be trusted."""
    tables = aligned_tables(document)
    if not tables:
        return {}
    visible = None
    out = {}
    for i, result in enumerate(results):
        where = table_of(result.form.location)
        if where not in tables:
            continue
        visible = visible_rows(document) if visible is None else visible
        spanned = dict.fromkeys([where] + [table_of(r.line.location) for r in result.indicators])  # in order
        seen = [visible[t] for t in spanned if t in visible]
        expected = sum(n for n, _ in seen) or None
        what = seen[0][1] if seen else "指标表头"
        doubts = tables[where].doubts
        what = f"“{result.form.name}” {what}" if doubts and result.form.name else what  # text has no pages: named
        reasons = doubts or misread_reasons(result, expected)
        if reasons:
            out[i] = Misread(where, reasons, len(result.indicators), expected, what, apart=not doubts)
    return out


def misread_flag(misread: Misread) -> Flag:
    """"p14 t0: 指标体系评分表 指标表头 found, 12 of ~28 rows read, rows do not add up (…)"."""
    read = f"{misread.rows} rows read"
    if misread.expected and misread.expected >= misread.rows:
        read = f"{misread.rows} of ~{misread.expected} rows read"
    return raise_flag("UNPARSED_TABLE", variant="misread" if misread.apart else "glued",
                      location=misread.table_location, where=misread.table_location, what=misread.what, read=read,
                      why="; ".join(misread.reasons))
