"""Stage 1 of assembly: what kind of row a table row is, from its own cells and header vocabulary.

The segmenter (normalize/segment.py) cuts rows into blocks by these kinds; each line of a block goes to that
block's reader (normalize/block_readers.py). A new layout is a new kind here, a block kind there and a new
reader, not a new mode of one state machine.
"""
from __future__ import annotations

from dataclasses import dataclass

from jixiao.extract.model import Table
from jixiao.normalize.table_view import (
    SCORE_TABLE_HINTS, compact, fields_of_cells, is_budget_header, is_group_summary_header, is_indicator_header,
    labels, nonempty, number,
)

# the kinds, in the order they are tested
PROJECT_NAME = "project_name"      # 项目名称 | X: starts a project form
UNITS = "units"                    # 主管部门 | X | 实施单位 | Y (inside a form, or one pair above it)
BUDGET_HEADER = "budget_header"    # 预算数 | 执行数 …: opens a budget block
INDICATOR_HEADER = "indicator_header"  # 三级指标 | 指标值 | 得分 …: opens an indicator block
GROUP_HEADER = "group_header"      # 评价指标 | 权重 | 实际得分 (no 三级): opens a per-level summary
TOTAL = "total"                    # 总分 | 99.75: closes the form
GRADE = "grade"                    # 评价等次 | 优秀
CLAIMED_SCORE = "claimed_score"    # 综合得分 | 95 outside a form
LINE = "line"                      # anything else: a line of the open block


@dataclass
class Row:
    """One non-empty table row as the assembler sees it."""

    table: Table
    r: int
    cells: list[tuple[int, str]]  # (column, text) of the non-empty cells starting in this row
    fields: dict[str, int]        # canonical header field -> column, when the row reads as a header
    location: str

    @property
    def first(self) -> str:
        return compact(self.cells[0][1])


def read_row(table: Table, r: int) -> Row | None:
    """The row r of table, or None when it has no text."""
    cells = nonempty(table, r)
    if not cells:
        return None
    return Row(table, r, cells, fields_of_cells(cells), table.row_location_text(r))  # empty cells name no field


def looks_like_scores(row: Row) -> bool:
    """A header a score table would have: budget columns, or two indicator columns with a score or weight."""
    fields = row.fields
    return is_budget_header(fields) or (len(set(fields) & set(SCORE_TABLE_HINTS)) >= 2
                                        and ("score" in fields or "weight" in fields))


def is_unit_row(row: Row) -> bool:
    """Key–value pairs naming the form's unit: 主管部门 | X | 项目实施单位 | Y."""
    unit_labels = labels()["unit"]
    return any(compact(key) in unit_labels and compact(value) not in unit_labels
               for (_, key), (_, value) in zip(row.cells, row.cells[1:]))


def classify(row: Row, *, in_form: bool, open_kind: str | None) -> str:
    """The kind of row, given whether a form is open and the kind of the open block (normalize/segment.py)."""
    first, fields = row.first, row.fields
    if first in labels()["project_name"] and len(row.cells) >= 2 and len(fields) < 2:
        return PROJECT_NAME
    if is_unit_row(row) and (in_form or (len(row.cells) == 2 and not fields)):
        return UNITS  # outside a form only as a lone "部门 | X" above it: the next form's unit
    if is_budget_header(fields):
        return BUDGET_HEADER
    if is_indicator_header(fields):
        return INDICATOR_HEADER
    if is_group_summary_header(fields) and open_kind is None and not any(number(t) for _, t in row.cells):
        return GROUP_HEADER
    if first in labels()["total"] and in_form and open_kind not in ("budget_only", "restated"):
        return TOTAL
    if first in labels()["grade"] and len(row.cells) >= 2:
        return GRADE
    if first in labels()["claimed_score"] and len(row.cells) >= 2 and not in_form:
        return CLAIMED_SCORE
    return LINE
