"""Stage 2 of assembly: a table's rows, each classified (normalize/row_kinds.py), cut into blocks.

A header row opens a data block (budget, indicators, actuals, per-level summary, restated scores) whose lines
follow it; a key–value row (项目名称, 主管部门, 总分, 评价等次, 综合得分) is a block of its own; a 总分 or 项目名称
row closes the open block, a row without amounts closes a budget block. Which forms the blocks belong to is the
assembler's business (normalize/assemble.py); reading a line is the block readers' (normalize/block_readers.py).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from jixiao.normalize import row_kinds as kinds
from jixiao.normalize.block_readers import in_budget_block
from jixiao.normalize.row_kinds import Row, classify
from jixiao.normalize.table_view import grade_column

# data blocks: read line by line by a block reader
BUDGET = "budget"            # 预算执行 inside a form
BUDGET_ONLY = "budget_only"  # a budget table outside any form (a report's budget by year)
INDICATORS = "indicators"    # 三级指标 with weights or scores
ACTUALS = "actuals"          # targets and actuals without weights or scores: fills in an earlier form
GROUPS = "groups"            # per-level summary: 评价指标 | 权重 | 实际得分
RESTATED = "restated"        # a table restating scores an earlier form gave (附表 得分情况表)
DATA_KINDS = (BUDGET, BUDGET_ONLY, INDICATORS, ACTUALS, GROUPS, RESTATED)
HEADER_KINDS = (kinds.BUDGET_HEADER, kinds.INDICATOR_HEADER, kinds.GROUP_HEADER)
CLOSING_KINDS = (kinds.PROJECT_NAME, kinds.TOTAL)  # key–value rows that end the open block


@dataclass
class Block:
    """Rows that belong together: a data block (a DATA_KINDS kind, its header and lines) or one key–value row
    (kind = its row kind, the row as header)."""

    kind: str
    header: Row | None  # the row that opened it; None when it runs on from before
    cols: dict[str, int]  # header field -> column (a key–value row: those of the last header above it)
    lines: list[Row] = field(default_factory=list)
    carried: bool = False  # runs on from the previous table, which a page break cut
    closed: bool = False  # a row that is not its own ended it

    @property
    def is_data(self) -> bool:
        return self.kind in DATA_KINDS


# (header row kind, header row, whether a form is open) -> data block kind; the assembler's knows its forms
BlockKind = Callable[[str, Row, bool], str]


def plain_kind(row_kind: str, row: Row, in_form: bool) -> str:
    """The block a header opens, from the header alone: a budget block outside a form stands alone; an
    indicator header without weights or scores lists actuals."""
    if row_kind == kinds.BUDGET_HEADER:
        return BUDGET if in_form else BUDGET_ONLY
    if row_kind == kinds.GROUP_HEADER:
        return GROUPS
    return INDICATORS if "weight" in row.fields or "score" in row.fields else ACTUALS


def block_cols(row_kind: str, row: Row) -> dict[str, int]:
    cols = dict(row.fields)
    grade = grade_column(row.table, row.r) if row_kind == kinds.GROUP_HEADER else None
    if grade is not None:
        cols["grade"] = grade  # a summary's 评价结论 column: the grade on its 总分 row
    return cols


def segment(rows: list[Row], *, carried: Block | None = None, in_form: bool = False,
            block_kind: BlockKind = plain_kind) -> list[Block]:
    """The blocks of one table's rows, in order. `carried`: the block the previous table left open, which
    this table continues (its rows come first); `in_form`: a form is open before the first row."""
    blocks: list[Block] = []
    open_block: Block | None = None
    cols: dict[str, int] = {}
    if carried is not None:
        open_block = Block(carried.kind, None, carried.cols, carried=True)
        blocks.append(open_block)
        cols, in_form = carried.cols, True
    for row in rows:
        kind = classify(row, in_form=in_form, open_kind=open_block.kind if open_block else None)
        if kind in HEADER_KINDS:
            cols = block_cols(kind, row)
            open_block = Block(block_kind(kind, row, in_form), row, cols)
            blocks.append(open_block)
            in_form = True
        elif kind != kinds.LINE:
            blocks.append(Block(kind, row, cols))
            in_form |= kind == kinds.PROJECT_NAME
            if kind in CLOSING_KINDS:
                open_block = None
            elif open_block is not None:  # the open block runs on past the key–value row
                open_block = Block(open_block.kind, None, open_block.cols,
                                   carried=open_block.carried and not open_block.lines)
                blocks.append(open_block)
        elif open_block is None:
            continue  # a row between blocks: nothing reads it
        elif open_block.kind in (BUDGET, BUDGET_ONLY) and not in_budget_block(row.table, row.r, open_block.cols):
            open_block.closed, open_block = True, None
        else:
            open_block.lines.append(row)
    return blocks


def still_open(blocks: list[Block]) -> Block | None:
    """The data block open at the end of a table, which the next table may continue."""
    last = blocks[-1] if blocks else None
    return last if last is not None and last.is_data and not last.closed else None
