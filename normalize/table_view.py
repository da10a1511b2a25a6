"""Reading a table's rows the way the assembler needs: cells where they start, header fields by vocabulary,
numbers in score cells, rows of text dumps that drifted sideways, names that denote one indicator."""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from jixiao.extract.model import Table
from jixiao.patterns import datafile
from jixiao.patterns.headers import classify_header, split_weight
from jixiao.patterns.numbers import Quantity, is_blank, parse_quantity

LABELS_FILE = Path(__file__).with_name("data") / "form_labels.toml"
LABEL_KEYS = ("project_name", "unit", "total", "grade", "claimed_score", "rule_notes", "title_words", "unit_suffixes",
              "form_titles", "unit_line", "unit_implementing", "unit_supervising", "budget_subline_starts",
              "grade_column")
INDICATOR_FIELDS = ("level1", "level2", "level3", "target", "actual", "weight", "score", "standard")
BUDGET_FIELDS = ("budget", "executed")
SCORE_TABLE_HINTS = ("level1", "level2", "level3", "target", "actual", "weight", "score", "budget", "executed", "rate")
_POINTS = re.compile(r"(\d+(?:\.\d+)?)\s*分")
_CODE = re.compile(r"^[A-Z]\d{1,4}(?=[^\d])")  # "A101立项依据充分性": an indicator code


@lru_cache(maxsize=None)
def _label_lists() -> dict[str, list[str]]:
    return datafile.load(LABELS_FILE, {key: [str] for key in LABEL_KEYS})


@lru_cache(maxsize=None)
def labels() -> dict[str, frozenset[str]]:
    return {key: frozenset(compact(v) for v in values) for key, values in _label_lists().items()}


@lru_cache(maxsize=None)
def label_pattern(key: str) -> re.Pattern[str]:
    """The labels of one key as a regex alternation, longest first, spaces allowed between characters."""
    words = sorted({compact(w) for w in _label_lists()[key]}, key=len, reverse=True)
    return re.compile("|".join(r"\s*".join(map(re.escape, w)) for w in words))


def compact(text: str | None) -> str:
    return "".join((text or "").split())


# a budget unit's code written before its name (219001-池州市贵池区棠溪镇人民政府, [106019]岳阳楼区融媒体中心): the
# schema has no unit code; the name is the name as the report writes it elsewhere
_UNIT_CODE = re.compile(r"^\s*(?:[\[【（(]\d{3,}[\]】）)]\s*|\d{3,}\s*[-－—_]\s*|\d{3,}\s+)(?=[\u4e00-\u9fff])")


def unit_name(text: str) -> str:
    """A unit's name without the budget code written before it."""
    return _UNIT_CODE.sub("", text).strip()


def own_text(table: Table, r: int, c: int) -> str:
    """Text of (r, c) only where a cell starts: covered positions (either direction) read as empty."""
    cell = table.grid[r][c]
    return cell.norm if cell.origin is None else ""


def row_cells(table: Table, r: int) -> list[tuple[int, str]]:
    """(column, text) of the cells starting in row r, in order."""
    return [(c, cell.norm) for c, cell in enumerate(table.grid[r]) if cell.origin is None]


def nonempty(table: Table, r: int) -> list[tuple[int, str]]:
    """row_cells without the blank ones (in one pass: every stage asks it of every row)."""
    return [(c, t) for c, cell in enumerate(table.grid[r]) if cell.origin is None and (t := cell.norm).strip()]


def lone_rows(table: Table) -> tuple[int, bool]:
    """How many of the table's first rows hold one text, in their first column (a title, a line of prose kept
    above the table), and whether each of them is merged across the whole width."""
    r, merged = 0, True
    while r < table.n_rows and table.n_cols > 1:
        cells = nonempty(table, r)
        if len(cells) != 1 or cells[0][0] != 0:
            break
        merged &= table.grid[r][0].colspan == table.n_cols
        r += table.grid[r][0].rowspan
    return min(r, table.n_rows), merged


def title_rows(table: Table) -> int:
    """How many of the table's first rows are title lines kept inside it (a spreadsheet's or web page's 表名,
    （2022年度）, 单位名称：X above the form): lone rows merged across the whole width; typed into the first
    column only, when the table's own head follows them (not the first line of a piece a page break cut, a
    wrapped name alone in its row)."""
    n, merged = lone_rows(table)
    return n if merged or (n < table.n_rows and opens_block(table, n)) else 0


def opens_block(table: Table, r: int) -> bool:
    """Row r is a head of its own: a header (two fields or more) or a 项目名称 row."""
    cells = nonempty(table, r)
    return len(header_fields(table, r)) >= 2 or bool(cells) and compact(cells[0][1]) in labels()["project_name"]


def quantity(text: str | None) -> Quantity | None:
    """What a cell says, read once: None when blank ("", "/", "暂无") or without a number."""
    return None if not text or is_blank(text) else parse_quantity(text)


def number(text: str | None) -> float | None:
    """The number in a score/weight cell ("8", "98分", "19.75"); None if blank ("", "/", "暂无") or not a number."""
    read = quantity(text)
    return None if read is None else read.value


def header_fields(table: Table, r: int) -> dict[str, int]:
    """Canonical field -> column for the header cells of row r. When two cells claim one field the shorter
    label wins: "预算数（A）" is the column, "预算执行情况（万元）（20分）" the block's label. A 分值 column after
    一级 or 二级 (一级指标 | 分值 | 二级指标 | 分值 | 三级指标 | 分值) holds that level's weight."""
    return fields_of_cells(row_cells(table, r))


def fields_of_cells(cells: list[tuple[int, str]]) -> dict[str, int]:
    """header_fields of a row given as its (column, text) cells; empty cells name no field."""
    return dict(_fields_of_cells(tuple(cells)))


@lru_cache(maxsize=1 << 14)  # every row of every table is asked (read_row): rows recur across forms and files
def _fields_of_cells(cells: tuple[tuple[int, str], ...]) -> dict[str, int]:
    fields: dict[str, int] = {}
    lengths: dict[str, int] = {}
    weights: list[int] = []
    for c, text in cells:
        field = classify_header(text) if text.strip() else None
        weights += [c] if field == "weight" else []
        if field and (field not in fields or len(compact(text)) < lengths[field]):
            fields[field], lengths[field] = c, len(compact(text))
    if len(weights) > 1 and "level3" in fields:
        _level_weight_columns(fields, weights)
    if "budget" not in fields and "budget_initial" in fields and "executed" in fields:
        fields["budget"] = fields["budget_initial"]  # 年初预算数 | 全年执行数 with no adjusted budget: A is the initial one
    return fields


def _level_weight_columns(fields: dict[str, int], weights: list[int]) -> None:
    own = [c for c in weights if c > fields["level3"]]
    if own:
        fields["weight"] = own[0]
    for level, nxt in (("level1", "level2"), ("level2", "level3")):
        if level in fields and nxt in fields:
            between = [c for c in weights if fields[level] < c < fields[nxt]]
            if between:
                fields[f"{level}_weight"] = between[0]


def grade_column(table: Table, r: int) -> int | None:
    """The 评价结论 / 等级 column of a summary header, if any."""
    return next((c for c, t in row_cells(table, r) if label_pattern("grade_column").search(t)), None)


def is_indicator_header(fields: dict[str, int]) -> bool:
    return "level3" in fields and len(set(fields) & set(INDICATOR_FIELDS)) >= 2


def is_budget_header(fields: dict[str, int]) -> bool:
    return all(f in fields for f in BUDGET_FIELDS)


def is_group_summary_header(fields: dict[str, int]) -> bool:
    """评价指标 | 权重 | 评级分值 | 实际得分: scores per level, no 三级指标."""
    return ("score" in fields and ("weight" in fields or "level1" in fields) and "level3" not in fields
            and not is_budget_header(fields))


def _is_seq(text: str) -> bool:
    return bool(re.fullmatch(r"\d{1,3}", text.strip()))


def _is_points(text: str) -> bool:
    return bool(re.fullmatch(r"\d{1,3}(?:\.\d+)?\s*分?", text.strip()))


def realign(table: Table, r: int, cols: dict[str, int]) -> dict[str, str]:
    """Field -> text of an indicator row. Rows of PDF text dumps drift sideways ("58→→→作品…→效益显著→2→备注");
    when the weight column holds no number but the row has one, read the row anchored on that number:
    target left of it, then 三级指标, then the 序号, then the levels."""
    values = {f: own_text(table, r, c).strip() for f, c in cols.items()}
    if not {"weight", "level3", "target", "seq"} <= set(cols) or "score" in cols:
        return values
    drifted_seq = any(_is_seq(values.get(f, "")) for f in ("level1", "level2"))
    if _is_points(values["weight"]) and not drifted_seq:
        return values
    cells = [t.strip() for _, t in row_cells(table, r)]
    while cells and not cells[-1]:
        cells.pop()
    anchor = next((i for i in range(len(cells) - 1, 1, -1) if _is_points(cells[i]) and cells[i - 1]), None)
    if anchor is None:
        return values
    moved = {"weight": cells[anchor], "target": cells[anchor - 1], "level3": cells[anchor - 2],
             "remark": " ".join(cells[anchor + 1:])}
    rest = cells[:anchor - 2]
    seq_at = next((i for i in range(len(rest) - 1, -1, -1) if _is_seq(rest[i])), None)
    if seq_at is not None:
        moved["seq"] = rest.pop(seq_at)
    levels = [t for t in rest if t]
    moved["level2"] = levels[-1] if levels else ""
    moved["level1"] = levels[-2] if len(levels) >= 2 else ""
    return moved


def points_in(text: str) -> float | None:
    """Points declared in a label: "预算执行情况（万元）（20分）" -> 20, "得分（20分*执行率）" -> 20."""
    match = _POINTS.search(text.replace("（", "(").replace("）", ")"))
    return float(match.group(1)) if match else None


def same_indicator(a: str | None, b: str | None) -> bool:
    """Names that denote one indicator across tables: equal, one truncating the other, or the same code (A101)."""
    a, b = compact(split_weight(a or "")[0]), compact(split_weight(b or "")[0])
    if not a or not b:
        return False
    if a == b or (min(len(a), len(b)) >= 6 and (a.startswith(b) or b.startswith(a))):
        return True
    code_a, code_b = _CODE.match(a), _CODE.match(b)
    return bool(code_a and code_b and code_a.group(0) == code_b.group(0))
