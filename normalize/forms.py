"""What the assembler reads off a form, before any recomputation: claims exactly as the form states them."""
from __future__ import annotations

from dataclasses import dataclass, field

from jixiao.patterns.numbers import Quantity
from jixiao.patterns.operators import Target


@dataclass
class BudgetLine:
    line: str
    budget_raw: str | None
    executed_raw: str | None
    rate_raw: str | None
    score_raw: str | None
    weight: float | None  # the points budget execution is worth on this line (only the scored line)
    location: str
    default_unit: str | None = None  # unit of bare numbers: the block's （元）; None = the schema's 万元
    # the cells as read once where the line was found (the block reader, prose): recompute does not re-read the
    # text; None = blank or no number
    budget_q: Quantity | None = None
    executed_q: Quantity | None = None
    rate_q: Quantity | None = None
    score: float | None = None  # score_raw read (normalize/cells.py)


@dataclass
class IndicatorLine:
    level1: str | None
    level2: str | None
    level3: str | None
    level1_weight: float | None
    level2_weight: float | None
    weight: float | None
    target_raw: str | None
    actual_raw: str | None
    score_raw: str | None
    location: str
    unit_raw: str | None = None  # 计量单位 column (Sichuan, Chongqing): the unit of bare target/actual numbers
    nature_raw: str | None = None  # 指标性质 column: ≥ / ≤ / = / 定性, when the operator has its own column
    target_adjusted_raw: str | None = None  # 调整指标值: what the actual is scored against when present
    level1_cell: int = 0  # which 一级 cell of the form the row sits under (groups named by their points only)
    # the cells read once the form is complete (normalize/cells.py); recompute and checks use these
    target: Target | None = None  # 调整指标值 when present, else 指标值, with the 计量单位 and 指标性质 columns
    actual: Target | None = None
    score: float | None = None
    said_qualitative: bool = False  # the 指标性质 column says 定性
    achievement: str | None = None  # what the actual's words say: achieved | partly | not | None


@dataclass
class GroupClaim:
    """A per-level summary row: "2、过程 | 11% | 11 | 10 | 91% | 优"."""
    label: str
    weight: float | None
    score_raw: str | None
    location: str
    score: float | None = None  # score_raw read (normalize/cells.py)


@dataclass
class Placeholder:
    text: str
    location: str
    row: bool = False  # a spare template row left empty (指标2 | | |, ……), not a label left as the template had it


@dataclass
class Form:
    """One scored unit: a project form or a department 评分表 (possibly continued over several tables)."""
    kind: str  # project | department
    location: str
    header_text: str = ""  # every header cell seen, for profile detection
    name: str | None = None
    unit_name: str | None = None
    unit_rank: int = 9  # 0 实施单位, 1 单位名称, 2 主管部门: the most specific unit named on the form wins
    budget_block_weight: float | None = None  # "预算执行情况（20分）"
    budget_unit: str | None = None  # the budget block's money unit when its header names one: "项目资金（元）"
    indicator_block_weight: float | None = None  # "年度绩效目标（80分）"
    budget_lines: list[BudgetLine] = field(default_factory=list)
    indicators: list[IndicatorLine] = field(default_factory=list)
    groups: list[GroupClaim] = field(default_factory=list)
    placeholders: list[Placeholder] = field(default_factory=list)
    total_raw: str | None = None
    total_location: str | None = None
    grade_raw: str | None = None
    total: float | None = None  # total_raw and grade_raw read (normalize/cells.py)
    grade: str | None = None
    indicator_columns: tuple[str, ...] = ()  # canonical fields of the indicator header, to join continuations
    closed: bool = False  # a total row was read: a following table starts a new form
    cut_off: bool = False  # the document ends inside the form (normalize/cut_off.py): its sums cover part of it


@dataclass
class KvClaim:
    """综合得分 / 评价等次 in a key–value row outside any form: the report's own score or grade."""

    kind: str  # score | grade
    raw: str
    location: str
    value: float | str | None = None  # read once assembly is complete (normalize/cells.py)


@dataclass
class UnparsedTable:
    location: str
    reason: str
