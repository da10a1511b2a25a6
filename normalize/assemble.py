"""Tables -> forms, in three stages: each row is classified (normalize/row_kinds.py); the assembler here
segments rows into blocks — a header row opens a budget, indicator, actuals, summary or restated block, a total
closes the form, tables a page break cut continue the open block — and keeps track of forms; each line of a
block is read by its block reader (normalize/block_readers.py).

Columns are found by what their headers say (patterns.headers), never by position. Merged level cells carry
down; numbers (weights, scores) are read only where their cell starts, so a merged 分值 is counted once.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from jixiao.extract.model import Document, Paragraph, Table
from jixiao.normalize import row_kinds as kinds
from jixiao.normalize.block_readers import (
    Carry, Restatement, read_actual_line, read_budget_line, read_group_line, read_indicator_line, read_restated_line,
    read_total, read_units,
)
from jixiao.normalize.forms import Form, UnparsedTable
from jixiao.normalize.row_kinds import Row, classify, looks_like_scores, read_row
from jixiao.normalize.table_view import (
    CONTINUABLE_MODES, compact, grade_column, header_fields, label_pattern, labels, nonempty, own_text, points_in,
    row_cells, same_indicator,
)
from jixiao.patterns.headers import classify_header, is_placeholder
from jixiao.patterns.units import bracketed_unit, unit_class

@cache
def _unit_line() -> re.Pattern[str]:
    """"单位名称：X" in a paragraph (form_labels.toml unit_line); a 填报 instruction is not a name."""
    return re.compile(rf"(?:{label_pattern('unit_line').pattern})\s*[：:]\s*([^\s填]+)")


@dataclass
class _TableState:
    mode: str | None = None  # budget | budget_only | indicators | actuals | groups | restated
    cols: dict = field(default_factory=dict)
    carry: Carry = field(default_factory=Carry)
    form: Form | None = None
    continued: bool = False  # the next indicator row is the first of a table continuing a form
    looked_like_scores: bool = False
    consumed: int = 0  # rows read by an open block (restatements that agree produce no new line)
    weight_cols: list[int] = field(default_factory=list)  # a summary's 权重 and 评级分值 columns


class Assembler:
    def __init__(self) -> None:
        self.forms: list[Form] = []
        self.unparsed: list[UnparsedTable] = []
        self.kv_claims: list[tuple[str, str, str]] = []  # (kind score|grade, raw, location) outside forms
        self.unit_line: str | None = None  # "单位名称：X" paragraph before a form
        self.budget_tables: list[Form] = []  # budget blocks outside any form (lines without a scorecard)
        self.restatements: list[Restatement] = []
        self.read_rows: list[str] = []  # rows read into no line of their own (restated, actuals): normalize/unread.py
        self._carries: dict[int, Carry] = {}
        self._last: tuple[_TableState, int] | None = None  # the previous table's final state and width
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
        if len(text) <= 40 and label_pattern("form_titles").search(text):
            self.title_line = text
        match = _unit_line().search(paragraph.norm)
        if match and not is_placeholder(match.group(1)) and "_" not in match.group(1):
            self.unit_line = match.group(1)

    # --- tables -------------------------------------------------------------------------------------
    def _table(self, table: Table) -> None:
        state = self._continuing_state(table) or _TableState()
        produced_before = self._count_lines()
        for r in range(table.n_rows):
            row = read_row(table, r)
            if row is not None:
                self._row(row, state)
        self._last = (state, table.n_cols)
        if state.looked_like_scores and self._count_lines() == produced_before and not state.consumed:
            self.unparsed.append(UnparsedTable(str(table.location), "score-like headers but no rows read"))

    def _continuing_state(self, table: Table) -> "_TableState | None":
        """A table with no header of its own, as wide as the block the previous table left open, continues
        that block (a table a page break cut, without its header repeated)."""
        if self._last is None:
            return None
        previous, width = self._last
        first = next((r for r in range(table.n_rows) if nonempty(table, r)), None)
        if first is None or width != table.n_cols or previous.mode not in CONTINUABLE_MODES:
            return None
        fields = header_fields(table, first)
        if len(fields) >= 2 or compact(nonempty(table, first)[0][1]) in labels()["project_name"]:
            return None  # a header row of its own: a new block
        return _TableState(mode=previous.mode, cols=previous.cols, carry=previous.carry, form=previous.form,
                           continued=previous.mode == "indicators")

    def _row(self, row: Row, state: "_TableState") -> None:
        """Dispatch one row by its kind: key-value rows, block headers, totals and grades, else a line of the
        open block."""
        table, r, cells, fields, loc = row.table, row.r, row.cells, row.fields, row.location
        state.looked_like_scores |= looks_like_scores(row)
        kind = classify(row, in_form=state.form is not None, mode=state.mode)
        if kind == kinds.PROJECT_NAME:
            state.form = self._new_form("project", loc)
            state.form.name = cells[1][1]
            read_units(state.form, cells)
            state.mode = None
        elif kind == kinds.UNITS:
            read_units(state.form, cells)
        elif kind == kinds.BUDGET_HEADER:
            self._budget_header(state, cells, fields, loc)
        elif kind == kinds.INDICATOR_HEADER:
            self._indicator_header(table, state, cells, fields, loc)
        elif kind == kinds.GROUP_HEADER:
            state.form = state.form or self._last_open_department(loc)
            state.mode, state.cols = "groups", dict(fields)
            state.weight_cols = [c for c, t in row_cells(table, r) if classify_header(t) == "weight"]
            if grade_column(table, r) is not None:
                state.cols["grade"] = grade_column(table, r)
        elif kind == kinds.TOTAL:
            read_total(state.form, table, r, state.cols, loc)
            state.mode = None
        elif kind == kinds.GRADE:
            if state.form is not None:
                state.form.grade_raw = cells[1][1]
            else:
                self.kv_claims.append(("grade", cells[1][1], loc))
        elif kind == kinds.CLAIMED_SCORE:
            self.kv_claims.append(("score", cells[1][1], loc))
        else:
            self._line(table, r, state, loc)

    def _line(self, table: Table, r: int, state: "_TableState", loc: str) -> None:
        """A line of the open block, read by that block's reader."""
        if state.mode in ("budget", "budget_only"):
            if not read_budget_line(state.form, table, r, state.cols, loc):
                state.mode = None
        elif state.mode == "indicators":
            used = read_indicator_line(state.form, table, r, state.cols, state.carry, loc, state.continued)
            state.consumed += used
            self.read_rows += [loc] if used else []
            state.continued = False
        elif state.mode == "actuals":
            used = read_actual_line(state.form, table, r, state.cols, loc)
            state.consumed += used
            self.read_rows += [loc] if used else []
        elif state.mode == "groups":
            read_group_line(state.form, table, r, state.cols, state.weight_cols, loc)
        elif state.mode == "restated":
            used = read_restated_line(state.form, table, r, state.cols, loc, self.restatements)
            state.consumed += used
            self.read_rows += [loc] if used else []

    def _budget_header(self, state: "_TableState", cells: list[tuple[int, str]], fields: dict[str, int],
                       loc: str) -> None:
        """预算执行 block. Outside any form (a report's budget table by year) its lines stand alone."""
        if state.form is None and not self._open_project_without_budget():
            state.form = Form(kind="budget", location=loc)
            self.budget_tables.append(state.form)
            state.mode = "budget_only"
        else:
            state.form = state.form or self._form_for_budget(loc)
            state.mode = "budget"
        state.form.header_text += " ".join(t for _, t in cells)
        weight = next((points_in(t) for _, t in cells if points_in(t) is not None), None)
        state.form.budget_block_weight = weight if weight is not None else state.form.budget_block_weight
        money_units = [u for _, t in cells if unit_class(u := bracketed_unit(t)) == "money"]
        state.form.budget_unit = money_units[0] if money_units else state.form.budget_unit
        state.cols = fields

    def _open_project_without_budget(self) -> bool:
        current = self.current
        return current is not None and current.kind == "project" and not current.closed \
            and not current.budget_lines

    def _indicator_header(self, table: Table, state: "_TableState", cells: list[tuple[int, str]],
                          fields: dict[str, int], loc: str) -> None:
        if state.form is None and "score" in fields:
            restated = self._restated_form(table, fields)
            if restated is not None:
                state.form, state.mode, state.cols = restated, "restated", fields
                return
        if state.form is not None and state.form.kind == "budget":  # 部门整体支出自评表: budget block, then targets
            self.budget_tables.remove(state.form)
            state.form.kind = "department"
            self.forms.append(state.form)
        previous = self.current
        state.form = self._form_for_indicators(state.form, fields, loc)
        state.continued = state.form is previous and bool(state.form.indicators)
        state.form.header_text += " ".join(t for _, t in cells)
        for c, text in cells:
            if c not in fields.values() and points_in(text) is not None:
                state.form.indicator_block_weight = points_in(text)
        state.mode, state.cols = "indicators", fields
        state.carry = self._carries.setdefault(id(state.form), Carry())  # merged levels run on across pages
        if "weight" not in fields and "score" not in fields:
            state.mode = "actuals"

    def _restated_form(self, table: Table, fields: dict[str, int]) -> Form | None:
        """A table that lists indicators an earlier form already scored (附表 得分情况表) restates them."""
        names = [own_text(table, r, fields["level3"]).strip() for r in range(table.n_rows)]
        names = [n for n in names if n and classify_header(n) is None]
        for form in reversed(self.forms):
            known = [i.level3 for i in form.indicators] + [i.level2 for i in form.indicators]
            matched = sum(any(same_indicator(n, k) for k in known if k) for n in names)
            if names and matched * 2 >= len(names) and form.indicators:
                return form
        return None

    def _count_lines(self) -> int:
        return sum(len(f.budget_lines) + len(f.indicators) + len(f.groups) + (f.total_raw is not None)
                   for f in self.forms + self.budget_tables)

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
        current = self.current
        if form is None and current is not None and current.kind == "project" and not current.closed \
                and not current.indicators:
            form = current  # the form's targets in a table of their own, after its 项目名称/预算 table
        if form is not None and not form.indicators:
            form.indicator_columns = signature
            return form
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


def assemble(document: Document) -> Assembler:
    return Assembler().run(document)
