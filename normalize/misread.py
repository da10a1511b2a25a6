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
- total: the claimed total differs from budget score + Σ scores by more than MARGIN of the form's points;
- groups: the 一级 labels were given the wrong rows (normalize/group_edges.py: a group's rows fail its sums
  where the rows at its edges, moved into the group beside them, would not).
A real mismatch within the margin in a correctly read form stays flagged as on any other form.

A form flattened into text whose reader could not tell some cells apart (Table.doubts: 指标值 and 完成值 glued
two ways, a name run into its words) is not judged either, whatever its sums: a row read with the wrong cells
passes its arithmetic (the score stands) and loses its flags (MISSING_ACTUAL_SCORED); reported "cells not told
apart".

Any table, ruled or not, whose pieces were joined wrongly (a form cut into page pieces, a converter repeating a
merged cell's text into every position it spans — docling's Markdown) shows it in the rows themselves: the same
row read twice, or a level cell holding the tail of the label above it (D1经济效益 then 8分, D4社会公众或服务对象满意度
then 社会公众或服务对象满意度). Such a form is not judged either: its sums and the report's restatements of its
scores would conflict because of the reader (false WEIGHT_SUM_MISMATCH, CLAIM_CONFLICT); reported "rows misjoined".
"""
from __future__ import annotations

from dataclasses import dataclass

from jixiao.extract.model import Document, Table
from jixiao.normalize.checks import FormResult, claimed_parts
from jixiao.normalize.flags import Flag, fmt, raise_flag
from jixiao.normalize.group_edges import doubtful_groups
from jixiao.normalize.unread import MIN_MISSING, document_lines, find_regions
from jixiao.patterns.headers import points_only

MARGIN = 0.25  # share of the form's points beyond which a failed sum is a misreading, not a claim
MIN_SHARE = 0.75  # fewer rows read than this share of the visible ones: rows were lost (as unread.py)


@dataclass
class Misread:
    table_location: str  # "p14 t0": the table the form was read from
    reasons: list[str]
    rows: int  # indicator rows read
    expected: int | None  # indicator rows the table visibly holds
    what: str  # what was recognised: "附件1 指标表头"
    variant: str = "misread"  # misread: sums fail | glued: cells not told apart | misjoined: pieces joined wrongly


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
    return reasons + doubtful_groups(result.form, result.indicators)


def misjoined_reasons(result: FormResult) -> list[str]:
    """Rows that show a wrong join of the table's pieces: a row read twice, a level label continuing the one above."""
    seen, twice, cut = set(), [], []
    for r in result.indicators:
        line = r.line
        key = (line.level1, line.level2, line.level3, line.weight)
        if line.level3 and key in seen and line.level3 not in twice:
            twice.append(line.level3)
        seen.add(key)
    for above, below in zip(result.indicators, result.indicators[1:]):
        for level in ("level1", "level2"):
            label = getattr(below.line, level)
            if label not in cut and _continues(getattr(above.line, level), getattr(above.line, f"{level}_weight"), label):
                cut.append(label)
    return ([f"rows read twice ({', '.join(twice)})"] if twice else []) + \
        ([f"level cells cut from the one above ({', '.join(cut)})"] if cut else [])


def _continues(above: str | None, above_points: float | None, label: str | None) -> bool:
    """`label` is the tail of the level label above it (its name's end, or only its points), not a level of its own."""
    if not above or not label or label == above:
        return False
    points = points_only(label)
    if points is not None:  # its points, or the points the label above lacks (履职效益 then （20分）)
        return points == above_points if above_points is not None else not any(ch.isdigit() for ch in above)
    return len(label) >= 2 and above.endswith(label)


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
    """Forms (by index into results) whose reading cannot be trusted: read from an aligned table whose rows do
    not add up, or from any table whose pieces were joined wrongly."""
    tables = aligned_tables(document)
    visible = None
    out = {}
    for i, result in enumerate(results):
        where = table_of(result.form.location)
        misjoined = misjoined_reasons(result)
        if where not in tables and not misjoined:
            continue
        visible = visible_rows(document) if visible is None else visible
        spanned = dict.fromkeys([where] + [table_of(r.line.location) for r in result.indicators])  # in order
        seen = [visible[t] for t in spanned if t in visible]
        expected = sum(n for n, _ in seen) or None
        what = seen[0][1] if seen else "指标表头"
        doubts = tables[where].doubts if where in tables else []
        what = f"“{result.form.name}” {what}" if doubts and result.form.name else what  # text has no pages: named
        sums = misread_reasons(result, expected) if where in tables and not doubts else []
        reasons = doubts or sums + misjoined
        variant = "glued" if doubts else "misread" if sums else "misjoined"
        if reasons:
            out[i] = Misread(where, reasons, len(result.indicators), expected, what, variant)
    return out


def misread_flag(misread: Misread) -> Flag:
    """"p14 t0: 指标体系评分表 指标表头 found, 12 of ~28 rows read, rows do not add up (…)"."""
    read = f"{misread.rows} rows read"
    if misread.expected and misread.expected >= misread.rows:
        read = f"{misread.rows} of ~{misread.expected} rows read"
    return raise_flag("UNPARSED_TABLE", variant=misread.variant,
                      location=misread.table_location, where=misread.table_location, what=misread.what, read=read,
                      why="; ".join(misread.reasons))
