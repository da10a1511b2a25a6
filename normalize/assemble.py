"""Tables -> forms: find the budget block, the indicator block, totals and grades by header vocabulary.

Columns are found by what their headers say (patterns.headers), never by position. Merged level cells carry
down; numbers (weights, scores) are read only where their cell starts, so a merged 分值 is counted once.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from jixiao.extract.model import Document, Paragraph, Table
from jixiao.normalize.forms import BudgetLine, Form, GroupClaim, IndicatorLine, Placeholder, UnparsedTable
from jixiao.normalize.table_view import (
    CONTINUABLE_MODES, SCORE_TABLE_HINTS, compact, grade_column, header_fields, is_budget_header,
    is_group_summary_header, is_indicator_header, label_pattern, labels, nonempty, number, own_text, points_in, realign,
    row_cells, same_indicator,
)
from jixiao.normalize.tolerance import agrees
from jixiao.patterns.headers import classify_header, is_placeholder, split_weight
from jixiao.patterns.units import bracketed_unit, unit_class

_TEMPLATE_MARK = re.compile(r"[Xx]{2}|^\s*[…\.。·]{2,}\s*$")  # "（XX分）", "……" inside a level label
_CODE_ONLY = re.compile(r"^[A-Z]?\d{1,4}$")  # "D401": a name cut off after its code
_NUMBERING = re.compile(r"^\s*(?:[0-9０-９]+|[一二三四五六七八九十]+)\s*[、.．)）]\s*")

@cache
def _unit_line() -> re.Pattern[str]:
    """"单位名称：X" in a paragraph (form_labels.toml unit_line); a 填报 instruction is not a name."""
    return re.compile(rf"(?:{label_pattern('unit_line').pattern})\s*[：:]\s*([^\s填]+)")


def _says(key: str, label_key: str) -> bool:
    return any(word in key for word in labels()[label_key])


@dataclass
class _Carry:
    """Level labels carried down merged (or left blank) cells."""
    level1: str | None = None
    level1_weight: float | None = None
    level2: str | None = None
    level2_weight: float | None = None


@dataclass
class _TableState:
    mode: str | None = None  # budget | budget_only | indicators | actuals | groups | restated
    cols: dict = field(default_factory=dict)
    carry: _Carry = field(default_factory=_Carry)
    form: Form | None = None
    continued: bool = False  # the next indicator row is the first of a table continuing a form
    looked_like_scores: bool = False
    consumed: int = 0  # rows read by an open block (restatements that agree produce no new line)
    weight_cols: list[int] = field(default_factory=list)  # a summary's 权重 and 评级分值 columns


@dataclass
class Restatement:
    """A score stated again elsewhere (附表 得分情况表) that disagrees with the form."""
    form: Form
    name: str
    stated_raw: str
    form_value: float
    location: str


class Assembler:
    def __init__(self) -> None:
        self.forms: list[Form] = []
        self.unparsed: list[UnparsedTable] = []
        self.kv_claims: list[tuple[str, str, str]] = []  # (kind score|grade, raw, location) outside forms
        self.unit_line: str | None = None  # "单位名称：X" paragraph before a form
        self.budget_tables: list[Form] = []  # budget blocks outside any form (lines without a scorecard)
        self.restatements: list[Restatement] = []
        self.read_rows: list[str] = []  # rows read into no line of their own (restated, actuals): normalize/unread.py
        self._carries: dict[int, _Carry] = {}
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
            if nonempty(table, r):
                self._row(table, r, state)
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

    def _row(self, table: Table, r: int, state: "_TableState") -> None:
        """Dispatch one row: key-value rows, block headers, totals and grades, else a line of the open block."""
        cells = nonempty(table, r)
        loc = str(table.row_location(r))
        first = compact(cells[0][1])
        fields = header_fields(table, r)
        if is_budget_header(fields) or (len(set(fields) & set(SCORE_TABLE_HINTS)) >= 2
                                        and ("score" in fields or "weight" in fields)):
            state.looked_like_scores = True
        if first in labels()["project_name"] and len(cells) >= 2 and len(fields) < 2:
            state.form = self._new_form("project", loc)
            state.form.name = cells[1][1]
            self._read_units(state.form, cells)
            state.mode = None
        elif state.form is not None and self._read_units(state.form, cells):
            pass
        elif is_budget_header(fields):
            self._budget_header(state, cells, fields, loc)
        elif is_indicator_header(fields):
            self._indicator_header(table, state, cells, fields, loc)
        elif is_group_summary_header(fields) and state.mode is None and not any(number(t) for _, t in cells):
            state.form = state.form or self._last_open_department(loc)
            state.mode, state.cols = "groups", dict(fields)
            state.weight_cols = [c for c, t in row_cells(table, r) if classify_header(t) == "weight"]
            if grade_column(table, r) is not None:
                state.cols["grade"] = grade_column(table, r)
        elif first in labels()["total"] and state.form is not None and state.mode not in ("budget_only", "restated"):
            self._read_total(state.form, table, r, state.cols, loc)
            state.mode = None
        elif first in labels()["grade"] and len(cells) >= 2:
            if state.form is not None:
                state.form.grade_raw = cells[1][1]
            else:
                self.kv_claims.append(("grade", cells[1][1], loc))
        elif first in labels()["claimed_score"] and len(cells) >= 2 and state.form is None:
            self.kv_claims.append(("score", cells[1][1], loc))
        else:
            self._line(table, r, state, loc)

    def _line(self, table: Table, r: int, state: "_TableState", loc: str) -> None:
        if state.mode in ("budget", "budget_only"):
            if not self._budget_line(state.form, table, r, state.cols, loc):
                state.mode = None
        elif state.mode == "indicators":
            used = self._indicator_line(state.form, table, r, state.cols, state.carry, loc, state.continued)
            state.consumed += used
            self.read_rows += [loc] if used else []
            state.continued = False
        elif state.mode == "actuals":
            used = self._actual_line(state.form, table, r, state.cols, loc)
            state.consumed += used
            self.read_rows += [loc] if used else []
        elif state.mode == "groups":
            self._group_line(state.form, table, r, state, loc)
        elif state.mode == "restated":
            used = self._restated_line(state.form, table, r, state.cols, loc)
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
        state.carry = self._carries.setdefault(id(state.form), _Carry())  # merged levels run on across pages
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

    def _read_units(self, form: Form, cells: list[tuple[int, str]]) -> bool:
        """Key–value pairs like 主管部门 | X | 项目实施单位 | Y. The implementing unit wins over the supervisor."""
        found = False
        for (_, key), (_, value) in zip(cells, cells[1:]):
            key_c = compact(key)
            if key_c not in labels()["unit"] or compact(value) in labels()["unit"]:
                continue
            found = True
            rank = 0 if _says(key_c, "unit_implementing") else 2 if _says(key_c, "unit_supervising") else 1
            if rank < form.unit_rank:
                form.unit_name, form.unit_rank = value.strip(), rank
        return found

    def _read_total(self, form: Form, table: Table, r: int, cols: dict[str, int], loc: str) -> None:
        score_col = cols.get("score")
        score_text = own_text(table, r, score_col) if score_col is not None else ""
        numbers = [(c, t) for c, t in nonempty(table, r)[1:] if number(t) is not None]
        if number(score_text) is None and numbers:
            score_text = numbers[-1][1]
        if number(score_text) is not None:
            form.total_raw, form.total_location = score_text.strip(), loc
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
            return bool(label) and compact(label).startswith(tuple(labels()["budget_subline_starts"]))
        get = lambda f: (own_text(table, r, cols[f]).strip() or None) if f in cols else None  # noqa: E731
        score_raw = get("budget_score") or get("score")
        weight = number(get("budget_weight") or get("weight"))
        if weight is None and score_raw is not None:
            header_weight = form.budget_block_weight
            weight = header_weight
        form.budget_lines.append(BudgetLine(
            line=compact(label) or "年度资金总额", budget_raw=budget_raw, executed_raw=executed_raw,
            rate_raw=get("rate"), score_raw=score_raw, weight=weight, location=loc, default_unit=form.budget_unit,
        ))
        return True

    def _indicator_line(self, form: Form, table: Table, r: int, cols: dict[str, int], carry: _Carry,
                        loc: str, continued: bool = False) -> bool:
        """Read one indicator row (or the tail of one a page break split); True when the row was used."""
        values = realign(table, r, cols)
        get = lambda f: values.get(f) or None  # noqa: E731
        level1 = self._drop_placeholders(form, get("level1"), loc)
        level2 = self._drop_placeholders(form, get("level2"), loc)
        level3, target, actual, score = get("level3"), get("target"), get("actual"), get("score")
        weight_raw = get("weight")
        if not any((level1, level2, level3, target, actual, score, weight_raw)):
            return False
        previous = form.indicators[-1] if form.indicators else None
        split_tail = continued or not (level1 or level2 or level3)
        score_free = number(score) is None or (previous is not None and number(previous.score_raw) is None)
        cut_name = continued and previous is not None and bool(_CODE_ONLY.match(previous.level3 or ""))
        if previous and ((split_tail and number(weight_raw) is None and score_free) or cut_name):
            self._continue_split_row(previous, carry, level1, level2, level3, target, actual, score)
            return True
        if level1:
            label, weight = split_weight(level1)
            if compact(label) != compact(carry.level1):
                carry.level2, carry.level2_weight = None, None
            weight = weight if weight is not None else number(get("level1_weight"))
            carry.level1, carry.level1_weight = compact(label) or None, weight
        if level2:
            label, weight = split_weight(level2)
            weight = weight if weight is not None else number(get("level2_weight"))
            carry.level2, carry.level2_weight = compact(label) or None, weight
        if not any((level3, target, actual, score, weight_raw)):
            return True  # a row of level labels only
        if level3 and is_placeholder(level3) and not any((target, actual, score)):
            form.placeholders.append(Placeholder(level3, loc))
            return True
        weight = number(weight_raw)
        name = level3
        if level3:
            name, inline_weight = split_weight(level3)
            weight = weight if weight is not None else inline_weight
        form.indicators.append(IndicatorLine(
            level1=carry.level1, level2=carry.level2, level3=(name or "").strip() or None,
            level1_weight=carry.level1_weight, level2_weight=carry.level2_weight, weight=weight,
            target_raw=target, actual_raw=actual, score_raw=score, location=loc,
            unit_raw=get("unit"), nature_raw=get("nature"), target_adjusted_raw=get("target_adjusted"),
        ))
        return True

    @staticmethod
    def _continue_split_row(previous: IndicatorLine, carry: _Carry, level1: str | None, level2: str | None,
                            level3: str | None, target: str | None, actual: str | None,
                            score: str | None = None) -> None:
        """A row a page break split ("B102制度执" / "行有效性", "D1经济效益" / "8分"): its text belongs above."""
        if level1:
            label, weight = split_weight(f"{previous.level1 or ''}{compact(level1)}")
            carry.level1 = previous.level1 = compact(label) or None
            carry.level1_weight = previous.level1_weight = weight if weight is not None else carry.level1_weight
        if level2:
            label, weight = split_weight(f"{previous.level2 or ''}{compact(level2)}")
            carry.level2 = previous.level2 = compact(label) or None
            carry.level2_weight = previous.level2_weight = weight if weight is not None else carry.level2_weight
        if level3:
            previous.level3 = f"{previous.level3 or ''}{compact(level3)}"
        if target:
            previous.target_raw = f"{previous.target_raw or ''}{target}"
        if actual:
            previous.actual_raw = f"{previous.actual_raw or ''}{actual}"
        if number(score) is not None and number(previous.score_raw) is None:
            previous.score_raw = score  # the row's score slid onto the continuation

    def _restated_line(self, form: Form, table: Table, r: int, cols: dict[str, int], loc: str) -> bool:
        """One row of a table restating scores: compare with the indicator (or group) of the form; where the
        form's own cell was lost (a merged or split cell), the restated number fills it in."""
        name = own_text(table, r, cols["level3"]).strip()
        stated_raw = own_text(table, r, cols["score"]).strip() if "score" in cols else ""
        stated = number(stated_raw)
        if not name or stated is None:
            return False
        indicator = next((i for i in form.indicators if same_indicator(name, i.level3)), None)
        if indicator is not None:
            weight_raw = own_text(table, r, cols["weight"]).strip() if "weight" in cols else ""
            if indicator.weight is None and number(weight_raw) is not None:
                indicator.weight = number(weight_raw)
            if number(indicator.score_raw) is None:
                indicator.score_raw = stated_raw
                return True
        value = self._form_value(form, name)
        if value is not None and not agrees(stated, value, stated_raw) and not agrees(value, stated, None):
            self.restatements.append(Restatement(form, split_weight(name)[0], stated_raw, value, loc))
        return value is not None

    @staticmethod
    def _form_value(form: Form, name: str) -> float | None:
        """The score the form gives the indicator named, or the sum it gives the group named."""
        for indicator in form.indicators:
            if same_indicator(name, indicator.level3):
                return number(indicator.score_raw)
        members = [number(i.score_raw) for i in form.indicators if same_indicator(name, i.level2)]
        if members and all(v is not None for v in members):
            return round(sum(members), 6)
        return None

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

    def _actual_line(self, form: Form, table: Table, r: int, cols: dict[str, int], loc: str) -> bool:
        """A targets-and-actuals table: attach each actual to the indicator with the same name, found in
        whichever cell holds the name (dumped rows drift), the actual as far right of it as the header says."""
        if "actual" not in cols:
            return False
        offset = cols["actual"] - cols["level3"]
        cells = [t.strip() for _, t in row_cells(table, r)]
        pending: dict[str, IndicatorLine] = {}
        for indicator in form.indicators:
            if indicator.actual_raw is None and indicator.level3:
                pending.setdefault(compact(indicator.level3), indicator)  # the first of two same-named
        for position, text in enumerate(cells):
            match = pending.get(compact(text))
            if match is None:
                continue
            if position + offset < len(cells) and cells[position + offset]:
                match.actual_raw = cells[position + offset]
            elif position + offset - 1 < len(cells) and position + 1 < len(cells) and cells[-1]:
                match.actual_raw = cells[-1]  # the row lost a cell: its last one is the actual
            return True
        return False

    def _group_line(self, form: Form, table: Table, r: int, state: "_TableState", loc: str) -> None:
        cells = nonempty(table, r)
        label = _NUMBERING.sub("", cells[0][1]).strip()
        weight = None
        for c in state.weight_cols:  # 权重 "6%" and 评级分值 "6": the points, not the percentage
            if "%" not in own_text(table, r, c) and number(own_text(table, r, c)) is not None:
                weight = number(own_text(table, r, c))
        score_raw = own_text(table, r, state.cols["score"]).strip() or None
        if score_raw is not None:
            form.groups.append(GroupClaim(label=compact(label), weight=weight, score_raw=score_raw, location=loc))


def assemble(document: Document) -> Assembler:
    return Assembler().run(document)
