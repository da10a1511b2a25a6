"""Tables -> forms, in three stages: each row is classified (normalize/row_kinds.py), a table's rows are cut
into blocks (normalize/segment.py), and each block is read by its block reader (normalize/block_readers.py).
The assembler here keeps track of forms: which form a block belongs to, forms opened and closed, tables a page
break cut continuing the block the previous table left open.

Columns are found by what their headers say (patterns.headers), never by position. Merged level cells carry
down; numbers (weights, scores) are read only where their cell starts, so a merged 分值 is counted once.
"""
from __future__ import annotations

import re
from functools import cache

from jixiao.extract.model import Document, Paragraph, Table
from jixiao.normalize import row_kinds as kinds
from jixiao.normalize.block_readers import (
    Carry, Restatement, read_actual_line, read_budget_line, read_group_line, read_indicator_line, read_restated_line,
    read_total, read_units,
)
from jixiao.normalize.cells import read_form_cells, read_kv_claim
from jixiao.normalize.forms import Form, KvClaim, UnparsedTable
from jixiao.normalize.row_kinds import Row, looks_like_scores, read_row
from jixiao.normalize.segment import (
    ACTUALS, BUDGET, BUDGET_ONLY, GROUPS, INDICATORS, RESTATED, Block, plain_kind, segment, still_open,
)
from jixiao.normalize.table_view import (
    label_pattern, nonempty, opens_block, own_text, points_in, row_cells,
    same_indicator, title_rows, unit_name,
)
from jixiao.patterns.headers import classify_header, is_placeholder
from jixiao.patterns.units import bracketed_unit, unit_class


@cache
def _unit_line() -> re.Pattern[str]:
    """"单位名称：X" in a paragraph (form_labels.toml unit_line); a 填报 instruction is not a name."""
    return re.compile(rf"(?:{label_pattern('unit_line').pattern})\s*[：:]\s*([^\s填]+)")


class Assembler:
    def __init__(self) -> None:
        self.forms: list[Form] = []
        self.unparsed: list[UnparsedTable] = []
        self.kv_claims: list[KvClaim] = []  # 综合得分 / 评价等次 rows outside forms
        self.unit_line: str | None = None  # "单位名称：X" paragraph before a form
        self.unit_under_title = False  # that line came under a form's title (so names that title's form)
        self.budget_tables: list[Form] = []  # budget blocks outside any form (lines without a scorecard)
        self.restatements: list[Restatement] = []
        self.read_rows: list[str] = []  # rows read into no line of their own (restated, actuals): normalize/unread.py
        self._carries: dict[int, Carry] = {}
        self._last: tuple[Block, Form | None, int] | None = None  # the previous table's open block, form, width
        self._consumed = 0  # rows of this table read by a block (restatements that agree produce no new line)
        self._weight_cols: list[int] = []  # this table's summary's 权重 and 评级分值 columns
        self._continued = False  # the next indicator row is the first of a table (or header) continuing a form
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
        for form in self.forms + self.budget_tables:
            read_form_cells(form)  # complete now: restated and actuals tables fill cells in late
        for claim in self.kv_claims:
            read_kv_claim(claim)
        return self

    def _paragraph(self, paragraph: Paragraph) -> None:
        text = paragraph.norm.strip()
        if len(text) <= 40 and label_pattern("form_titles").search(text):
            if self.title_line is not None and self.unit_under_title:
                self.unit_line = None  # the 单位名称 under the title before: a form left unread, not this one
            self.title_line = text
        match = _unit_line().search(paragraph.norm)
        if match and not is_placeholder(match.group(1)) and "_" not in match.group(1):
            self.unit_line = unit_name(match.group(1))
            self.unit_under_title = self.title_line is not None

    # --- tables -------------------------------------------------------------------------------------
    def _table(self, table: Table) -> None:
        top = title_rows(table)
        for r in range(top):  # the lines a .docx has as paragraphs above the table: its name, 单位名称：X
            self._paragraph(Paragraph(table.grid[r][0].text, table.row_location(r)))
        carried, form = self._carried(table, top)
        rows = [row for r in range(top, table.n_rows) if (row := read_row(table, r)) is not None]
        blocks = segment(rows, carried=carried, in_form=form is not None, block_kind=self._block_kind)
        produced_before, self._consumed, self._weight_cols = self._count_lines(), 0, []
        self._continued = carried is not None and carried.kind == INDICATORS
        for block in blocks:
            form = self._block(block, form)
        open_block = still_open(blocks)
        self._last = (open_block, form, table.n_cols) if open_block is not None else None
        if any(looks_like_scores(row) for row in rows) and self._count_lines() == produced_before \
                and not self._consumed:
            self.unparsed.append(UnparsedTable(str(table.location), "score-like headers but no rows read"))

    def _carried(self, table: Table, top: int) -> tuple[Block | None, Form | None]:
        """A table with no header of its own (below its `top` title rows), as wide as the block the previous
        table left open, continues that block (a table a page break cut, without its header repeated)."""
        if self._last is None:
            return None, None
        previous, form, width = self._last
        first = next((r for r in range(top, table.n_rows) if nonempty(table, r)), None)
        if first is None or width != table.n_cols:
            return None, None
        if opens_block(table, first):
            return None, None  # a header row of its own: a new block
        return previous, form

    def _block_kind(self, row_kind: str, row: Row, in_form: bool) -> str:
        """The block a header opens, knowing the forms so far: a budget header outside a form belongs to a
        project form still waiting for its budget; scores of indicators an earlier form scored restate them."""
        if row_kind == kinds.BUDGET_HEADER and not in_form and self._open_project_without_budget():
            return BUDGET
        if row_kind == kinds.INDICATOR_HEADER and not in_form and "score" in row.fields \
                and not self._open_project_without_indicators() \
                and self._restated_form(row) is not None:
            return RESTATED  # (a project form still waiting for its targets takes them: its own table)
        return plain_kind(row_kind, row, in_form)

    def _block(self, block: Block, form: Form | None) -> Form | None:
        """Read one block into the forms; returns the form the table is on after it."""
        row = block.header
        if block.kind == kinds.PROJECT_NAME:
            form = self._new_form("project", row.location)
            form.name = row.cells[1][1]
            read_units(form, row.cells)
        elif block.kind == kinds.UNITS and form is None:  # above the form it names
            pending = Form(kind="", location=row.location)
            read_units(pending, row.cells)
            self.unit_line = pending.unit_name or self.unit_line
        elif block.kind == kinds.UNITS:
            read_units(form, row.cells)
        elif block.kind == kinds.TOTAL:
            read_total(form, row.table, row.r, block.cols, row.location)
        elif block.kind == kinds.GRADE:
            if form is not None:
                form.grade_raw = row.cells[1][1]
            else:
                self.kv_claims.append(KvClaim("grade", row.cells[1][1], row.location))
        elif block.kind == kinds.CLAIMED_SCORE:
            self.kv_claims.append(KvClaim("score", row.cells[1][1], row.location))
        else:
            form = self._open(block, form) if row is not None else form
            self._lines(block, form)
        return form

    def _open(self, block: Block, form: Form | None) -> Form:
        """The form a block's header row belongs to."""
        row = block.header
        if block.kind in (BUDGET, BUDGET_ONLY):
            return self._budget_header(block.kind, form, row)
        if block.kind == GROUPS:
            self._weight_cols = [c for c, t in row_cells(row.table, row.r) if classify_header(t) == "weight"]
            return form or self._last_open_department(row.location)
        if block.kind == RESTATED:
            return self._restated_form(row)
        return self._indicator_header(form, row)

    def _lines(self, block: Block, form: Form) -> None:
        """The lines of a data block, each read by that block's reader."""
        cols = block.cols
        for row in block.lines:
            table, r, loc = row.table, row.r, row.location
            if block.kind in (BUDGET, BUDGET_ONLY):
                read_budget_line(form, table, r, cols, loc)
                continue
            if block.kind == GROUPS:
                read_group_line(form, table, r, cols, self._weight_cols, loc)
                continue
            if block.kind == INDICATORS:
                carry = self._carries.setdefault(id(form), Carry())  # merged levels run on across pages
                used = read_indicator_line(form, table, r, cols, carry, loc, self._continued)
                self._continued = False
            elif block.kind == ACTUALS:
                used = read_actual_line(form, table, r, cols, loc)
            else:
                used = read_restated_line(form, table, r, cols, loc, self.restatements)
            self._consumed += used
            self.read_rows += [loc] if used else []

    def _budget_header(self, kind: str, form: Form | None, row: Row) -> Form:
        """预算执行 block. Outside any form (a report's budget table by year) its lines stand alone."""
        if kind == BUDGET_ONLY:
            form = Form(kind="budget", location=row.location)
            self.budget_tables.append(form)
        else:
            form = form or self._form_for_budget(row.location)
        cells = row.cells
        form.header_text += " ".join(t for _, t in cells)
        weight = next((points_in(t) for _, t in cells if points_in(t) is not None), None)
        form.budget_block_weight = weight if weight is not None else form.budget_block_weight
        money_units = [u for _, t in cells if unit_class(u := bracketed_unit(t)) == "money"]
        form.budget_unit = money_units[0] if money_units else form.budget_unit
        return form

    def _open_project_without_indicators(self) -> bool:
        current = self.current
        return current is not None and current.kind == "project" and not current.closed \
            and bool(current.budget_lines) and not current.indicators

    def _open_project_without_budget(self) -> bool:
        current = self.current
        return current is not None and current.kind == "project" and not current.closed \
            and not current.budget_lines

    def _indicator_header(self, form: Form | None, row: Row) -> Form:
        if form is not None and form.kind == "budget":  # 部门整体支出自评表: budget block, then targets
            self.budget_tables.remove(form)
            form.kind = "department"
            form.name, self.title_line = form.name or self.title_line, None
            if form.unit_name is None and self.unit_line:  # 单位名称：X / 部门 | X above it
                form.unit_name, form.unit_rank, self.unit_line = self.unit_line, 1, None
            self.forms.append(form)
        previous = self.current
        fields = row.fields
        form = self._form_for_indicators(form, fields, row.location)
        self._continued = form is previous and bool(form.indicators)  # its next line may finish the last one
        form.header_text += " ".join(t for _, t in row.cells)
        for c, text in row.cells:
            if c not in fields.values() and points_in(text) is not None:
                form.indicator_block_weight = points_in(text)
        return form

    def _restated_form(self, header: Row) -> Form | None:
        """A table that lists indicators an earlier form already scored (附表 得分情况表) restates them: the
        names under its header (not the title lines above it)."""
        table, column = header.table, header.fields["level3"]
        names = [own_text(table, r, column).strip() for r in range(header.r + 1, table.n_rows)]
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
