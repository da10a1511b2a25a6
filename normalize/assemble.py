"""Tables -> forms: find the budget block, the indicator block, totals and grades by header vocabulary.

Columns are found by what their headers say (patterns.headers), never by position. Merged level cells carry
down; numbers (weights, scores) are read only where their cell starts, so a merged 分值 is counted once.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from extract.model import Document, Paragraph, Table
from normalize.forms import BudgetLine, Form, GroupClaim, IndicatorLine, Placeholder, UnparsedTable
from patterns.headers import classify_header, is_placeholder, split_weight
from patterns.numbers import parse_quantity

LABELS_FILE = Path(__file__).with_name("data") / "form_labels.toml"
INDICATOR_FIELDS = ("level1", "level2", "level3", "target", "actual", "weight", "score", "standard")
BUDGET_FIELDS = ("budget", "executed")
SCORE_TABLE_HINTS = ("level1", "level2", "level3", "target", "actual", "weight", "score", "budget", "executed", "rate")
_POINTS = re.compile(r"(\d+(?:\.\d+)?)\s*分")
_TEMPLATE_MARK = re.compile(r"[Xx]{2}|^\s*[…\.。·]{2,}\s*$")  # "（XX分）", "……" inside a level label
_FORM_TITLE = re.compile(r"评分表|自评表|评价表|得分表|评分情况")
_NUMBERING = re.compile(r"^\s*(?:[0-9０-９]+|[一二三四五六七八九十]+)\s*[、.．)）]\s*")


@lru_cache(maxsize=None)
def labels() -> dict[str, frozenset[str]]:
    data = tomllib.loads(LABELS_FILE.read_text(encoding="utf-8"))
    return {key: frozenset(compact(v) for v in values) for key, values in data.items()}


def compact(text: str | None) -> str:
    return "".join((text or "").split())


def own_text(table: Table, r: int, c: int) -> str:
    """Text of (r, c) only where a cell starts: covered positions (either direction) read as empty."""
    cell = table.grid[r][c]
    return cell.norm if cell.origin is None else ""


def row_cells(table: Table, r: int) -> list[tuple[int, str]]:
    """(column, text) of the cells starting in row r, in order."""
    return [(c, cell.norm) for c, cell in enumerate(table.grid[r]) if cell.origin is None]


def nonempty(table: Table, r: int) -> list[tuple[int, str]]:
    return [(c, t) for c, t in row_cells(table, r) if t.strip()]


def number(text: str | None) -> float | None:
    """The number in a score/weight cell ("8", "98分", "19.75"); None if blank or not a number."""
    if not text or not text.strip():
        return None
    quantity = parse_quantity(text)
    return None if quantity is None else quantity.value


def header_fields(table: Table, r: int) -> dict[str, int]:
    """Canonical field -> column for the header cells of row r. When two cells claim one field the shorter
    label wins: "预算数（A）" is the column, "预算执行情况（万元）（20分）" the block's label."""
    fields: dict[str, int] = {}
    lengths: dict[str, int] = {}
    for c, text in row_cells(table, r):
        field = classify_header(text) if text.strip() else None
        if field and (field not in fields or len(compact(text)) < lengths[field]):
            fields[field], lengths[field] = c, len(compact(text))
    return fields


def grade_column(table: Table, r: int) -> int | None:
    """The 评价结论 / 等级 column of a summary header, if any."""
    return next((c for c, t in row_cells(table, r) if re.search(r"等次|等级|结论|级别", t)), None)


def is_indicator_header(fields: dict[str, int]) -> bool:
    return "level3" in fields and len(set(fields) & set(INDICATOR_FIELDS)) >= 2


def is_budget_header(fields: dict[str, int]) -> bool:
    return all(f in fields for f in BUDGET_FIELDS)


def is_group_summary_header(fields: dict[str, int]) -> bool:
    """评价指标 | 权重 | 评级分值 | 实际得分: scores per level, no 三级指标."""
    return ("score" in fields and ("weight" in fields or "level1" in fields) and "level3" not in fields
            and not is_budget_header(fields))


def points_in(text: str) -> float | None:
    """Points declared in a label: "预算执行情况（万元）（20分）" -> 20, "得分（20分*执行率）" -> 20."""
    match = _POINTS.search(text.replace("（", "(").replace("）", ")"))
    return float(match.group(1)) if match else None


@dataclass
class _Carry:
    """Level labels carried down merged (or left blank) cells."""
    level1: str | None = None
    level1_weight: float | None = None
    level2: str | None = None
    level2_weight: float | None = None


class Assembler:
    def __init__(self) -> None:
        self.forms: list[Form] = []
        self.unparsed: list[UnparsedTable] = []
        self.kv_claims: list[tuple[str, str, str]] = []  # (kind score|grade, raw, location) outside forms
        self.unit_line: str | None = None  # "单位名称：X" paragraph before a form
        self._group_weight_cols: list[int] = []
        self.title_line: str | None = None  # "部门整体支出绩效评价评分表" just before a form: its name

    @property
    def current(self) -> Form | None:
        return self.forms[-1] if self.forms else None

    def run(self, document: Document) -> "Assembler":
        for block in document.blocks:
            if isinstance(block, Paragraph):
                self._paragraph(block)
            else:
                self._table(block)
        return self

    def _paragraph(self, paragraph: Paragraph) -> None:
        text = paragraph.norm.strip()
        if len(text) <= 40 and _FORM_TITLE.search(text):
            self.title_line = text
        match = re.search(r"单位名称[：:]\s*([^\s填]+)", paragraph.norm)
        if match and not is_placeholder(match.group(1)) and "_" not in match.group(1):
            self.unit_line = match.group(1)

    # --- tables -------------------------------------------------------------------------------------
    def _table(self, table: Table) -> None:
        produced_before = self._count_lines()
        mode, cols, carry = None, {}, _Carry()
        looked_like_scores = False
        form: Form | None = None
        for r in range(table.n_rows):
            cells = nonempty(table, r)
            if not cells:
                continue
            loc = str(table.row_location(r))
            first = compact(cells[0][1])
            fields = header_fields(table, r)
            if is_budget_header(fields) or (len(set(fields) & set(SCORE_TABLE_HINTS)) >= 2
                                            and ("score" in fields or "weight" in fields)):
                looked_like_scores = True
            if first in labels()["project_name"] and len(cells) >= 2:
                form = self._new_form("project", loc)
                form.name = cells[1][1]
                self._read_units(form, cells)
                mode = None
                continue
            if form is not None and self._read_units(form, cells):
                continue
            if is_budget_header(fields):
                form = form or self._form_for_budget(loc)
                form.header_text += " ".join(t for _, t in cells)
                weight = next((points_in(t) for _, t in cells if points_in(t) is not None), None)
                form.budget_block_weight = weight if weight is not None else form.budget_block_weight
                mode, cols = "budget", fields
                continue
            if is_indicator_header(fields):
                form = self._form_for_indicators(form, fields, loc)
                form.header_text += " ".join(t for _, t in cells)
                for c, text in cells:
                    if c not in fields.values() and points_in(text) is not None:
                        form.indicator_block_weight = points_in(text)
                mode, cols, carry = "indicators", fields, _Carry()
                if "weight" not in fields and "score" not in fields:
                    mode = "actuals"
                continue
            if is_group_summary_header(fields) and mode is None and not any(number(t) for _, t in cells):
                form = form or self._last_open_department(loc)
                mode, cols = "groups", dict(fields)
                self._group_weight_cols = [c for c, t in row_cells(table, r) if classify_header(t) == "weight"]
                if grade_column(table, r) is not None:
                    cols["grade"] = grade_column(table, r)
                continue
            if first in labels()["total"] and form is not None:
                self._read_total(form, table, r, cols, loc)
                mode = None
                continue
            if first in labels()["grade"] and len(cells) >= 2:
                if form is not None:
                    form.grade_raw = cells[1][1]
                else:
                    self.kv_claims.append(("grade", cells[1][1], loc))
                continue
            if first in labels()["claimed_score"] and len(cells) >= 2 and form is None:
                self.kv_claims.append(("score", cells[1][1], loc))
                continue
            if mode == "budget":
                if not self._budget_line(form, table, r, cols, loc):
                    mode = None
            elif mode == "indicators":
                self._indicator_line(form, table, r, cols, carry, loc)
            elif mode == "actuals":
                self._actual_line(form, table, r, cols, loc)
            elif mode == "groups":
                self._group_line(form, table, r, cols, loc)
        if looked_like_scores and self._count_lines() == produced_before:
            self.unparsed.append(UnparsedTable(str(table.location), "score-like headers but no rows read"))

    def _count_lines(self) -> int:
        return sum(len(f.budget_lines) + len(f.indicators) + len(f.groups) + (f.total_raw is not None)
                   for f in self.forms)

    def _new_form(self, kind: str, loc: str) -> Form:
        form = Form(kind=kind, location=loc, unit_name=self.unit_line, unit_rank=1 if self.unit_line else 9,
                    name=self.title_line if kind == "department" else None)
        self.unit_line = self.title_line = None
        self.forms.append(form)
        return form

    def _form_for_budget(self, loc: str) -> Form:
        current = self.current
        if current is not None and current.kind == "project" and not current.closed and not current.budget_lines:
            return current
        return self._new_form("project", loc)

    def _form_for_indicators(self, form: Form | None, fields: dict[str, int], loc: str) -> Form:
        signature = tuple(sorted(fields))
        if form is not None and not form.indicators:
            form.indicator_columns = signature
            return form
        current = self.current
        # a header repeated at the top of the next table continues the form (tables split across pages)
        if current is not None and not current.closed and current.indicator_columns == signature:
            return current
        # a targets-and-actuals table after a weighted target table fills in the actuals
        if current is not None and "weight" not in fields and "score" not in fields and current.indicators:
            return current
        form = self._new_form("department", loc)
        form.indicator_columns = signature
        return form

    def _last_open_department(self, loc: str) -> Form:
        for form in reversed(self.forms):
            if form.kind == "department":
                return form
        return self._new_form("department", loc)

    def _read_units(self, form: Form, cells: list[tuple[int, str]]) -> bool:
        """Key–value pairs like 主管部门 | X | 项目实施单位 | Y. The implementing unit wins over the supervisor."""
        found = False
        for (_, key), (_, value) in zip(cells, cells[1:]):
            key_c = compact(key)
            if key_c not in labels()["unit"] or compact(value) in labels()["unit"]:
                continue
            found = True
            rank = 0 if "实施" in key_c else 2 if "主管" in key_c else 1
            if rank < form.unit_rank:
                form.unit_name, form.unit_rank = value.strip(), rank
        return found

    def _read_total(self, form: Form, table: Table, r: int, cols: dict[str, int], loc: str) -> None:
        score_col, weight_col = cols.get("score"), cols.get("weight")
        score_text = own_text(table, r, score_col) if score_col is not None else ""
        numbers = [(c, t) for c, t in nonempty(table, r)[1:] if number(t) is not None]
        if number(score_text) is None and numbers:
            score_text = numbers[-1][1]
        if number(score_text) is not None:
            form.total_raw, form.total_location = score_text.strip(), loc
        if weight_col is not None and number(own_text(table, r, weight_col)) is not None and weight_col != score_col:
            if own_text(table, r, weight_col).strip() != score_text.strip() or len(numbers) > 1:
                form.weight_total_raw = own_text(table, r, weight_col).strip()
        grade_col = cols.get("grade")
        if grade_col is not None and own_text(table, r, grade_col).strip():
            form.grade_raw = own_text(table, r, grade_col).strip()
        form.closed = True

    def _budget_line(self, form: Form, table: Table, r: int, cols: dict[str, int], loc: str) -> bool:
        """One 预算执行 row; False when the row is not a budget row (the block ended)."""
        value_cols = [cols[f] for f in ("budget_initial", "budget", "executed") if f in cols]
        first_value_col = min(value_cols)
        label = next((t for c, t in nonempty(table, r) if c < first_value_col), "")
        budget_raw = own_text(table, r, cols["budget"]).strip() or None
        executed_raw = own_text(table, r, cols["executed"]).strip() or None
        if number(budget_raw) is None and number(executed_raw) is None:
            return bool(label) and compact(label).startswith(("其中", "上年", "其他", "当年"))
        get = lambda f: (own_text(table, r, cols[f]).strip() or None) if f in cols else None  # noqa: E731
        score_raw = get("budget_score") or get("score")
        weight = number(get("weight"))
        if weight is None and score_raw is not None:
            header_weight = form.budget_block_weight
            weight = header_weight
        form.budget_lines.append(BudgetLine(
            line=compact(label) or "年度资金总额", budget_raw=budget_raw, executed_raw=executed_raw,
            rate_raw=get("rate"), score_raw=score_raw, weight=weight, location=loc,
        ))
        return True

    def _indicator_line(self, form: Form, table: Table, r: int, cols: dict[str, int], carry: _Carry,
                        loc: str) -> None:
        get = lambda f: (own_text(table, r, cols[f]).strip() or None) if f in cols else None  # noqa: E731
        level1, level2 = self._drop_placeholders(form, get("level1"), loc), self._drop_placeholders(form, get("level2"), loc)
        if level1:
            label, weight = split_weight(level1)
            if compact(label) != compact(carry.level1):
                carry.level2, carry.level2_weight = None, None
            carry.level1, carry.level1_weight = compact(label) or None, weight
        if level2:
            label, weight = split_weight(level2)
            carry.level2, carry.level2_weight = compact(label) or None, weight
        level3 = get("level3")
        target, actual, score = get("target"), get("actual"), get("score")
        weight_raw = get("weight")
        if not any((level3, target, actual, score, weight_raw)):
            return
        if level3 and is_placeholder(level3) and not any((target, actual, score)):
            form.placeholders.append(Placeholder(level3, loc))
            return
        if not level3 and form.indicators and not any((score, weight_raw)) and not (level1 or level2):
            self._continue_split_row(form.indicators[-1], target, actual)
            return
        weight = number(weight_raw)
        name = level3
        if level3:
            name, inline_weight = split_weight(level3)
            weight = weight if weight is not None else inline_weight
        form.indicators.append(IndicatorLine(
            level1=carry.level1, level2=carry.level2, level3=(name or "").strip() or None,
            level1_weight=carry.level1_weight, level2_weight=carry.level2_weight, weight=weight,
            target_raw=target, actual_raw=actual, score_raw=score, location=loc, standard=get("standard"),
        ))

    @staticmethod
    def _drop_placeholders(form: Form, text: str | None, loc: str) -> str | None:
        """"效益指标（XX分）" left from the template beside the filled-in label: flag it, keep the real label."""
        if not text:
            return text
        lines = text.split("\n")
        marks = [i for i, line in enumerate(lines) if _TEMPLATE_MARK.search(line)]
        if not marks:
            return text
        form.placeholders.append(Placeholder(text, loc))
        after = [line for line in lines[marks[-1] + 1:] if line.strip()]
        kept = after or [line for line in lines[:marks[0]] if line.strip()]  # the filled-in label wins
        return "\n".join(kept) or None

    @staticmethod
    def _continue_split_row(previous: IndicatorLine, target: str | None, actual: str | None) -> None:
        """A row a page break split: its text belongs to the indicator above."""
        if target:
            previous.target_raw = f"{previous.target_raw or ''}{target}"
        if actual:
            previous.actual_raw = f"{previous.actual_raw or ''}{actual}"

    def _actual_line(self, form: Form, table: Table, r: int, cols: dict[str, int], loc: str) -> None:
        """A targets-and-actuals table: attach each actual to the indicator with the same name."""
        level3 = own_text(table, r, cols["level3"]).strip()
        actual = own_text(table, r, cols["actual"]).strip() if "actual" in cols else ""
        if not level3 or not actual:
            return
        for indicator in form.indicators:
            if compact(indicator.level3) == compact(level3) and indicator.actual_raw is None:
                indicator.actual_raw = actual
                return

    def _group_line(self, form: Form, table: Table, r: int, cols: dict[str, int], loc: str) -> None:
        cells = nonempty(table, r)
        label = _NUMBERING.sub("", cells[0][1]).strip()
        weight = None
        for c in self._group_weight_cols:  # 权重 "6%" and 评级分值 "6": the points, not the percentage
            if "%" not in own_text(table, r, c) and number(own_text(table, r, c)) is not None:
                weight = number(own_text(table, r, c))
        score_raw = own_text(table, r, cols["score"]).strip() or None
        if score_raw is not None:
            form.groups.append(GroupClaim(label=compact(label), weight=weight, score_raw=score_raw, location=loc))


def assemble(document: Document) -> Assembler:
    return Assembler().run(document)
