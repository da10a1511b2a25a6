"""Stage 3 of assembly: block readers. Each reads one line of an open block (budget, indicators, actuals,
per-level summary, restated scores) or one key–value row (units, total) from a table row into the form.

They work on any Table, so they are tested directly on hand-built grids (tests/test_block_readers.py);
the segmenter (normalize/segment.py) decides which rows a block holds, the assembler which form it fills.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from jixiao.extract.model import Table
from jixiao.normalize.forms import BudgetLine, Form, GroupClaim, IndicatorLine, Placeholder
from jixiao.normalize.table_view import (
    compact, labels, nonempty, number, own_text, quantity, realign, row_cells, same_indicator, unit_name,
)
from jixiao.normalize.tolerance import agrees
from jixiao.patterns.headers import is_placeholder, lone_weight, split_weight
from jixiao.patterns.numbers import is_blank

_TEMPLATE_MARK = re.compile(r"[Xx]{2}|^\s*[…\.。·]{2,}\s*$")  # "（XX分）", "……" inside a level label
_MAY_MARK = re.compile(r"[Xx]{2}|[…\.。·]{2}")  # what any line holding a _TEMPLATE_MARK holds
# "效益指标（XX分）效益指标（20分）": a converter joined the cell's lines (MinerU, docling); the filled label follows
_GLUED_AFTER_PLACEHOLDER = re.compile(r"([(（]\s*[XxＸｘ]{2,}\s*分?\s*[)）])[ \t]*(?=\S)")
_CODE_ONLY = re.compile(r"^[A-Z]?\d{1,4}$")  # "D401": a name cut off after its code
_NUMBERS = re.compile(r"\d+(?:\.\d+)?")
_WEIGHT_NUMBERS_MAX = 2  # a weight cell with more numbers is running text (评价要点：①2021年…②2022…), not a weight
_NUMBERING = re.compile(r"^\s*(?:[0-9０-９]+|[一二三四五六七八九十]+)\s*[、.．)）]\s*")


@dataclass
class Carry:
    """Level labels carried down merged (or left blank) cells."""
    level1: str | None = None
    level1_weight: float | None = None
    level2: str | None = None
    level2_weight: float | None = None
    level1_cells: int = 0  # 一级 cells opened so far: two groups known by the same points only stay two


@dataclass
class Restatement:
    """A score stated again elsewhere (附表 得分情况表) that disagrees with the form."""
    form: Form
    name: str
    stated_raw: str
    stated: float
    form_value: float
    location: str


def _says(key: str, label_key: str) -> bool:
    return any(word in key for word in labels()[label_key])


def read_units(form: Form, cells: list[tuple[int, str]]) -> bool:
    """Key–value pairs like 主管部门 | X | 项目实施单位 | Y. The implementing unit wins over the supervisor."""
    found = False
    for (_, key), (_, value) in zip(cells, cells[1:]):
        key_c = compact(key)
        if key_c not in labels()["unit"] or compact(value) in labels()["unit"]:
            continue
        found = True
        rank = 0 if _says(key_c, "unit_implementing") else 2 if _says(key_c, "unit_supervising") else 1
        if rank < form.unit_rank:
            form.unit_name, form.unit_rank = unit_name(value), rank
    return found


def read_total(form: Form, table: Table, r: int, cols: dict[str, int], loc: str) -> None:
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


def _budget_label(table: Table, r: int, cols: dict[str, int]) -> str:
    """The row's label: its text left of the first amount column, not a side label the row above has in the same
    column (a merged cell whose text a converter wrote into every row it spans: docling's Markdown)."""
    first_value_col = min(cols[f] for f in ("budget_initial", "budget", "executed") if f in cols)
    cells = [(c, t) for c, t in nonempty(table, r) if c < first_value_col]
    above = dict(nonempty(table, r - 1)) if r else {}
    return next((t for c, t in cells if above.get(c) != t), cells[0][1] if cells else "")


def _has_amounts(table: Table, r: int, cols: dict[str, int]) -> bool:
    return number(own_text(table, r, cols["budget"])) is not None or \
        number(own_text(table, r, cols["executed"])) is not None


def _scored_rate(table: Table, r: int, cols: dict[str, int]) -> bool:
    score = cols.get("budget_score", cols.get("score"))
    return "rate" in cols and score is not None and number(own_text(table, r, cols["rate"])) is not None \
        and number(own_text(table, r, score)) is not None


def in_budget_block(table: Table, r: int, cols: dict[str, int]) -> bool:
    """A row of an open 预算执行 block: one with amounts (or a scored rate whose amounts were not read), or a
    其中 sub-line without them; any other row ends it."""
    if _has_amounts(table, r, cols) or _scored_rate(table, r, cols):
        return True
    return is_subline(_budget_label(table, r, cols))


def is_subline(label: str | None) -> bool:
    """A 其中 / 上年结转 / 其他资金 line under the block's total line (form_labels.toml budget_subline_starts)."""
    return compact(label).startswith(tuple(labels()["budget_subline_starts"])) if compact(label) else False


def read_budget_line(form: Form, table: Table, r: int, cols: dict[str, int], loc: str) -> bool:
    """One 预算执行 row; False when the row is not a budget row (the block ended)."""
    if not _has_amounts(table, r, cols) and not _scored_rate(table, r, cols):
        return in_budget_block(table, r, cols)
    label = _budget_label(table, r, cols)
    get = lambda f: (own_text(table, r, cols[f]).strip() or None) if f in cols else None  # noqa: E731
    budget_raw, executed_raw = get("budget"), get("executed")
    score_raw = get("budget_score") or get("score")
    weight = number(get("budget_weight") or get("weight"))
    if weight is None and not is_blank(score_raw):  # a sub-line's "/" score is no scored line
        weight = form.budget_block_weight
    rate_raw = get("rate")
    form.budget_lines.append(BudgetLine(
        line=compact(label) or "年度资金总额", budget_raw=budget_raw, executed_raw=executed_raw,
        rate_raw=rate_raw, score_raw=score_raw, weight=weight, location=loc, default_unit=form.budget_unit,
        budget_q=quantity(budget_raw), executed_q=quantity(executed_raw), rate_q=quantity(rate_raw),
    ))
    return True


def read_indicator_line(form: Form, table: Table, r: int, cols: dict[str, int], carry: Carry,
                    loc: str, continued: bool = False) -> bool:
    """Read one indicator row (or the tail of one a page break split); True when the row was used."""
    values = realign(table, r, cols)
    get = lambda f: values.get(f) or None  # noqa: E731
    level1 = drop_placeholders(form, get("level1"), loc)
    level2 = drop_placeholders(form, get("level2"), loc)
    level3, target, actual, score = get("level3"), get("target"), get("actual"), get("score")
    weight_raw = get("weight")
    if not any((level1, level2, level3, target, actual, score, weight_raw)):
        return False
    spare = [t for t in (level3, target, actual, score, weight_raw) if t]
    if not (level1 or level2) and len(set(spare)) == 1 and is_placeholder(spare[0]):
        _note(form, Placeholder(spare[0], loc, row=True))  # a spare template row (……), in any column
        return True
    previous = form.indicators[-1] if form.indicators else None
    split_tail = continued or not (level1 or level2 or level3)
    score_free = number(score) is None or (previous is not None and number(previous.score_raw) is None)
    cut_name = continued and previous is not None and bool(_CODE_ONLY.match(previous.level3 or ""))
    if previous and ((split_tail and number(weight_raw) is None and score_free) or cut_name):
        _continue_split_row(previous, carry, level1, level2, level3, target, actual, score)
        return True
    if level1:
        label, weight = split_weight(level1)
        if compact(label) != compact(carry.level1):
            carry.level2, carry.level2_weight = None, None
        weight = weight if weight is not None else lone_weight(label)  # "(50分)": a 一级 whose name was lost
        weight = weight if weight is not None else number(get("level1_weight"))
        carry.level1, carry.level1_weight = compact(label) or None, weight
        carry.level1_cells += 1
    if level2:
        label, weight = split_weight(level2)
        weight = weight if weight is not None else number(get("level2_weight"))
        carry.level2, carry.level2_weight = compact(label) or None, weight
    if not any((level3, target, actual, score, weight_raw)):
        return True  # a row of level labels only
    if level3 and is_placeholder(level3) and all(is_placeholder(t) for t in (target, actual, score) if t):
        _note(form, Placeholder(level3, loc, row=True))  # its value cells empty, or the spare text repeated
        return True
    weight = number(weight_raw) if len(_NUMBERS.findall(weight_raw or "")) <= _WEIGHT_NUMBERS_MAX else None
    name = level3
    if level3:
        name, inline_weight = split_weight(level3)
        weight = weight if weight is not None else inline_weight
    form.indicators.append(IndicatorLine(
        level1=carry.level1, level2=carry.level2, level3=(name or "").strip() or None,
        level1_weight=carry.level1_weight, level2_weight=carry.level2_weight, weight=weight,
        target_raw=target, actual_raw=actual, score_raw=score, location=loc,
        unit_raw=get("unit"), nature_raw=get("nature"), target_adjusted_raw=get("target_adjusted"),
        level1_cell=carry.level1_cells,
    ))
    return True


def _continue_split_row(previous: IndicatorLine, carry: Carry, level1: str | None, level2: str | None,
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


def read_restated_line(form: Form, table: Table, r: int, cols: dict[str, int], loc: str,
                       restatements: list[Restatement]) -> bool:
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
    value = form_value(form, name)
    if value is not None and not agrees(stated, value, stated_raw) and not agrees(value, stated, None):
        restatements.append(Restatement(form, split_weight(name)[0], stated_raw, stated, value, loc))
    return value is not None


def form_value(form: Form, name: str) -> float | None:
    """The score the form gives the indicator named, or the sum it gives the group named."""
    for indicator in form.indicators:
        if same_indicator(name, indicator.level3):
            return number(indicator.score_raw)
    members = [number(i.score_raw) for i in form.indicators if same_indicator(name, i.level2)]
    if members and all(v is not None for v in members):
        return round(sum(members), 6)
    return None


def _unclosed(text: str) -> bool:
    return text.count("（") + text.count("(") > text.count("）") + text.count(")")


def _note(form: Form, placeholder: Placeholder) -> None:
    """A placeholder once, where a converter repeats a merged cell's text in every position it spans (docling's
    Markdown): a template label once per form, a spare row once however many of its cells repeat it."""
    key = compact(placeholder.text)
    if not any(compact(p.text) == key and (p.location == placeholder.location or not (p.row or placeholder.row))
               for p in form.placeholders):
        form.placeholders.append(placeholder)


def drop_placeholders(form: Form, text: str | None, loc: str) -> str | None:
    """"效益指标（XX分）" left from the template beside the filled-in label: flag it, keep the real label."""
    if not text or not _MAY_MARK.search(text):
        return text  # no XX and no two dots in a row: no line of it can be a template mark (most labels)
    lines = _GLUED_AFTER_PLACEHOLDER.sub("\\1\n", text).split("\n")
    marks = [i for i, line in enumerate(lines) if _TEMPLATE_MARK.search(line)]
    if not marks:
        return text
    _note(form, Placeholder(text, loc))
    last = marks[-1]
    while last + 1 < len(lines) and _unclosed("".join(lines[marks[0]:last + 1])):
        last += 1  # "效益指标（XX" / "分）": the placeholder wrapped in its cell, its tail is no label
    after = [line for line in lines[last + 1:] if line.strip()]
    kept = after or [line for line in lines[:marks[0]] if line.strip()]  # the filled-in label wins
    return "\n".join(kept) or None


def read_actual_line(form: Form, table: Table, r: int, cols: dict[str, int], loc: str) -> bool:
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


def read_group_line(form: Form, table: Table, r: int, cols: dict[str, int], weight_cols: list[int],
                    loc: str) -> None:
    cells = nonempty(table, r)
    label = _NUMBERING.sub("", cells[0][1]).strip()
    weight = None
    for c in weight_cols:  # 权重 "6%" and 评级分值 "6": the points, not the percentage
        if "%" not in own_text(table, r, c) and number(own_text(table, r, c)) is not None:
            weight = number(own_text(table, r, c))
    score_raw = own_text(table, r, cols["score"]).strip() or None
    if score_raw is not None:
        form.groups.append(GroupClaim(label=compact(label), weight=weight, score_raw=score_raw, location=loc))
