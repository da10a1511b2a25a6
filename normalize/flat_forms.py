"""Forms whose table was flattened into text, rebuilt as tables so the assembler reads them like any other.

Web pages, doc-sharing sites and PDF text layers lose the table lines: rows become `a | b | |||` lines, one
cell per line, or cells run together with spaces. The form's grammar brings the rows back: a header of
known field names (patterns/data/headers.toml) opens a block; a budget row is a label and its values; an
indicator row is its level names (normalize/data/flat_forms.toml), a name, then the header's remaining
columns. Each row's cells are placed under the header column whose kind they fit (a percentage under 执行率,
a sign under 指标性质), so a cell a merge left out does not shift the rest.
"""
from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path

from jixiao.extract.grid import grid_from_rows
from jixiao.extract.model import Document, Location, Paragraph, Table
from jixiao.extract.txt import read_text
from jixiao.normalize.table_view import labels
from jixiao.patterns import datafile
from jixiao.patterns import flat_text as ft
from jixiao.patterns.hanzi import clean_script, to_simplified, to_simplified_all
from jixiao.patterns.headers import classify_header, split_weight
from jixiao.patterns.wrapped_text import COLUMN_GAP, has_column_gap

DATA = Path(__file__).with_name("data") / "flat_forms.toml"
SCHEMA = {"level1": [str], "level2": [str], "budget_rows": [str], "split_tails": [str],
          "parents": datafile.Table([str])}
_SIGN_LED = re.compile(r"^[≥≤=＝<>＜＞≧≦]")  # "≥200": a target, never a name
_SHORT_QUANTITY = re.compile(r"^[\d.,%]+\D{0,3}$")  # "5个", "7月", "100%": a value, never a name
LABEL_FIELDS = (None, "line", "level1", "level2", "level3", "seq")
BUDGET_VALUE_FIELDS = ("budget_initial", "budget", "executed", "rate", "weight", "score", "budget_weight",
                       "budget_score")
TEXT_FIELDS = ("deviation", "remark", "standard", "explanation", "grade", "core")
MIN_HEADER = 3  # header cells in a row: fewer is a key-value row, not a block's header
SCRIPT_SAMPLE = 4000  # characters looked at to tell traditional script
_ELLIPSIS = re.compile(r"^[.…。·]{2,}$|^…$")  # "……": a template's unfilled indicator row
_PLACEHOLDER = re.compile(r"[(（]\s*[XxＸｘ×]+\s*分\s*[)）]")
_GLUED_PLACEHOLDER = re.compile(r"^\S*?[(（]\s*[XxＸｘ×]+\s*分\s*[)）](?=\S)")  # "效益指标（XX分）效益指标（20分）"
_TITLE = re.compile(r"自评表|评价表|评分表")
_CODE = re.compile(r"^[A-H](\d*)(?=[\u4e00-\u9fff]|$)")  # an indicator's code: A 一级, A1 / A12 二级, A101 三级
STREAMS = True  # one-cell-per-line and run-together readers (off: pipe rows only)
LONE = "\x00"  # marks a lone number the group's arithmetic has still to place (weight or score)
MEMO = 1 << 16  # distinct cell texts remembered per predicate
ROW_MEMO = 1 << 12  # distinct rows remembered (header_kind): a file asks of a few hundred rows, again and again
LONG_TEXT = 30  # characters: longer than any row label, a sentence (a 原因 or 得分计算方法 cell)


@cache
def _vocab() -> dict[str, frozenset[str]]:
    data = datafile.load(DATA, SCHEMA)
    return {key: frozenset(ft.squeeze(v) for v in values) for key, values in data.items() if key != "parents"}


@cache
def _parents() -> dict[str, str]:
    """二级 name → the 一级 that usually holds it."""
    data = datafile.load(DATA, SCHEMA)["parents"]
    return {ft.squeeze(child): ft.squeeze(parent) for parent, children in data.items() for child in children}


def parent_of(text: str) -> str | None:
    """The 一级 a 二级 name (or one with a typo: 可持续影指标, by its first four characters) usually sits in."""
    key = _level_key(text)
    if key in _parents():
        return _parents()[key]
    near = {p for child, p in _parents().items() if len(key) >= 4 and child[:4] == key[:4]}
    return near.pop() if len(near) == 1 else None


@lru_cache(maxsize=MEMO)  # a pure function of the cell text: the grammar asks it again and again per cell
def _level_key(text: str) -> str:
    return ft.squeeze(split_weight(_filled(text))[0]).rstrip(":：")


def _filled(text: str) -> str:
    """A level cell holding the template's label and the filled one ("效益指标（XX分）\n效益指标（20分）"): the
    filled one, which names the group (the template's is kept in the cell: the assembler flags it)."""
    marks = list(_PLACEHOLDER.finditer(text))
    rest = text[marks[-1].end():] if marks else ""
    return rest if rest.strip() else text


@cache
def _level_names() -> frozenset[str]:
    return _vocab()["level1"] | _vocab()["level2"]


@lru_cache(maxsize=MEMO)  # a pure function of the cell text: the grammar asks it again and again per cell
def level_of(text: str) -> int | None:
    """1 or 2 when the cell is a 一级 / 二级 indicator name (a 一级 when it could be either), else None."""
    if ft.is_points_only(text):
        return 1  # "(50分)": a 一级 whose name was lost
    key = _level_key(text)
    if key not in _level_names() and len(text.split()) > 1:
        # "效益指标 （XX分） 效益指标 （20分）": a cell's lines joined; the filled-in label is the last name
        key = next((_level_key(part) for part in reversed(text.split()) if _level_key(part) in _level_names()), key)
    if key in _vocab()["level1"]:
        return 1
    return 2 if key in _vocab()["level2"] else None


@lru_cache(maxsize=MEMO)  # a pure function of the cell text: the grammar asks it again and again per cell
def field_of(text: str) -> str | None:
    return classify_header(text) if text.strip() else None


@lru_cache(maxsize=MEMO)  # a pure function of the cell text: the grammar asks it again and again per cell
def _is_label_text(text: str) -> bool:
    key = ft.squeeze(text)
    return bool(key) and not ft.is_value(key) and not ft.is_sign(key)


@lru_cache(maxsize=MEMO)  # a pure function of the cell text: the grammar asks it again and again per cell
def is_budget_label(text: str) -> bool:
    key = ft.squeeze(text).rstrip(":：")
    return key.startswith(_budget_starts())


@cache
def _budget_starts() -> tuple[str, ...]:
    return tuple(_vocab()["budget_rows"])


@lru_cache(maxsize=MEMO)  # a pure function of the cell text: the grammar asks it again and again per cell
def _form_label(text: str, kind: str) -> bool:
    return "".join(text.split()).rstrip(":：") in labels()[kind]


# ---------------------------------------------------------------- headers


def header_kind(cells: list[str]) -> str | None:
    """budget or indicators when the cells are a block's header row."""
    return _header_kind(tuple(cells))


@lru_cache(maxsize=ROW_MEMO)  # a pure function of the row's texts: the grammars ask it of the same rows again and again
def _header_kind(cells: tuple[str, ...]) -> str | None:
    fields = [f for c in cells if (f := field_of(c))]
    if len(fields) < MIN_HEADER:
        return None
    found = set(fields)
    if "level3" in found and len(found & {"target", "actual", "weight", "score", "level1", "level2"}) >= 2:
        return "indicators"
    if {"budget", "executed"} <= found or {"budget_initial", "executed"} <= found:
        return "budget"
    return None


def column_kinds(header: list[str]) -> list[str | None]:
    """What each header column holds. Columns before 年初预算 hold the row labels, whatever their header
    says (四川: 年度预算数（万元） heads the labels 总额 / 其中:财政资金)."""
    kinds = [field_of(c) for c in header]
    if "budget_initial" in kinds:
        first = kinds.index("budget_initial")
        kinds = ["line" if k < first else kind for k, kind in enumerate(kinds)]
    return kinds


def merge_headers(upper: list[str], lower: list[str]) -> list[str]:
    """A header over two rows (绩效指标 | 年度指标值 | 实际完成值 | 分值 | 得分 above 一级 | 二级 | 三级 | 指标性质 |
    指标值 | 度量单位): the lower row's columns, then the upper row's columns it does not repeat."""
    have = {field_of(c) for c in lower}
    return lower + [c for c in upper if field_of(c) not in have and field_of(c) is not None]


# ---------------------------------------------------------------- placing a row's cells under the header


@lru_cache(maxsize=1 << 16)  # place() scores every cell against every column: cells and kinds recur
def fit(cell: str, kind: str | None) -> float:
    """How well a cell's content suits a column of this kind (higher is better)."""
    key = ft.squeeze(cell)
    if not key:
        return 0.0
    number, percent, dash, sign = ft.is_number(key), ft.is_percent(key), ft.is_dash(key), ft.is_sign(key)
    if kind in LABEL_FIELDS:
        if number or percent or sign or dash or _SIGN_LED.match(key) or ft.is_amount(key):
            return -3.0
        if _SHORT_QUANTITY.match(key):
            return -2.0
        coded = code_of(key)  # "A2绩效目标5分", "A101立项依据": the code's digits give the level
        if coded and kind in ("level1", "level2", "level3"):
            return 3.0 if kind == f"level{coded[1]}" else -1.0
        level = level_of(cell)
        unknown_level = not level and key.endswith("指标") and len(key) <= 10  # "可持续影指标" (a typo)
        if kind == "level1":
            if unknown_level:
                return 1.0
            if level == 1 and _level_key(cell) in _vocab()["level2"]:
                return 2.5  # 成本指标: a 二级 unless a 一级 stands before it
            return 3.0 if level == 1 else (2.5 if _level_key(cell) in _vocab()["level2"] else 0.5)
        if kind == "level2" and unknown_level:
            return 1.5
        if kind == "level2":
            return 3.0 if _level_key(cell) in _vocab()["level2"] else (-1.0 if level == 1 else 0.5)
        if kind == "level3":
            return -1.0 if level else 0.5 if _note(cell) else 2.0  # a sentence is a 评分标准, not a name
        return 0.3 if kind is None else 2.0  # a column whose header names nothing: a block's side label
    if kind in ("budget_initial", "budget", "executed"):
        return 2.0 if number or ft.is_amount(key) else 0.5 if dash else -2.0 if percent else -3.0
    if kind == "rate":
        return 3.0 if percent else 1.0 if number else 0.5 if dash else -3.0
    if kind in ("weight", "score", "budget_weight", "budget_score", "score_rate"):
        return 2.0 if number else 0.5 if dash else -2.0 if percent else -2.0
    if kind == "nature":
        return 3.0 if sign else -1.0
    if kind == "unit":
        return 2.0 if len(key) <= 4 and not any(ch.isdigit() for ch in key) and not sign else -1.0
    if kind in ("target", "actual", "target_adjusted"):
        return 2.0 if number or percent else 1.0 if not sign else -0.5
    if kind == "closed":
        return -5.0
    if kind in TEXT_FIELDS:
        return 1.0 if not (number or percent) else 0.0
    return 0.0


def place(cells: list[str], kinds: list[str | None]) -> list[str]:
    """The cells laid out under the header's columns, in order, each where it fits best (a column a merge
    left empty is skipped). More cells than columns: the extra ones join the last column. A row that
    carries a weight or score has a 三级 name: when the best layout leaves it out, the level columns are
    closed and the name goes under 三级 (履职效益's 三级 社会效益 is also a 二级 name)."""
    out = _place(cells, kinds)
    if "level3" in kinds and not out[kinds.index("level3")] and any(
            out[k] and kind in ("weight", "score") for k, kind in enumerate(kinds)) and any(
            out[k] for k, kind in enumerate(kinds) if kind in ("level1", "level2")):
        closed = ["closed" if kind in ("level1", "level2") else kind for kind in kinds]
        again = _place(cells, closed)
        if again[kinds.index("level3")]:
            return again
    return out


def _place(cells: list[str], kinds: list[str | None]) -> list[str]:
    n, m = len(cells), len(kinds)
    if n >= m:
        return cells[:m - 1] + [" ".join(c for c in cells[m - 1:] if c)] if m else cells
    neg = float("-inf")
    # best[i][j]: best score placing the first i cells in the first j columns
    best = [[neg] * (m + 1) for _ in range(n + 1)]
    take = [[False] * (m + 1) for _ in range(n + 1)]
    for j in range(m + 1):
        best[0][j] = 0.0
    for i in range(1, n + 1):
        for j in range(i, m + 1):
            skip = best[i][j - 1]
            use = best[i - 1][j - 1] + fit(cells[i - 1], kinds[j - 1])
            # ties go to placing the cell as far left as it can go
            if use > skip or (use == skip and use != neg and not _later_fits(best, i, j)):
                best[i][j], take[i][j] = use, True
            else:
                best[i][j] = skip
    out = [""] * m
    i, j = n, m
    while i > 0:
        if take[i][j]:
            out[j - 1] = _level_lines(cells[i - 1]) if kinds[j - 1] in ("level1", "level2") else cells[i - 1]
            i -= 1
        j -= 1
    return out


def _level_lines(text: str) -> str:
    """A level cell whose lines a converter joined with spaces ("效益指标 （XX分） 效益指标 （20分）") gets its
    lines back, so the template placeholder in it is told apart from the filled-in label."""
    return "\n".join(text.split()) if _PLACEHOLDER.search(text) else text


def _later_fits(best: list[list[float]], i: int, j: int) -> bool:
    return best[i][j - 1] != float("-inf")


# ---------------------------------------------------------------- rows of a flattened form


@dataclass
class Rebuilt:
    """A flattened form rebuilt: its rows laid out for the assembler, and what could not be placed."""

    rows: list[list[str]] = field(default_factory=list)
    read: int = 0  # of which placed as a header, budget, indicator, key-value or total row
    data_rows: int = 0  # budget and indicator rows among them
    unread: list[str] = field(default_factory=list)
    head: list[str] = field(default_factory=list)  # rows of a form whose start is not in the text (cut_head)


def lay_out(rows: list[list[str]]) -> Rebuilt:
    """Rows of cells (pipe rows, or rows the stream grammar cut) laid out under their block's header."""
    out = Rebuilt()
    kinds: list[str | None] | None = None
    block: str | None = None
    upper: list[str] | None = None  # a row of header words without 三级指标: the top half of a header
    for cells in rows:
        cells = [c.strip() for c in cells]
        if not any(cells):
            continue
        nonempty = [c for c in cells if c]
        kind = header_kind(cells)
        if kind:
            if kind == "indicators" and upper is not None and out.rows and out.rows[-1] is upper:
                cells = merge_headers(upper, nonempty)
                out.rows[-1] = cells
            else:
                out.rows.append(cells)
                out.read += 1
            kinds = column_kinds(cells)
            block, upper = kind, None
            continue
        if sum(1 for c in nonempty if field_of(c) and not _note(c)) >= MIN_HEADER \
                and "level3" not in map(field_of, nonempty):  # (a sentence naming 分值 or 得分 is no header word)
            upper = cells
            out.rows.append(cells)
            out.read += 1
            continue
        upper = None
        first = nonempty[0]
        if all(_ELLIPSIS.match(ft.squeeze(c)) for c in nonempty):
            # "……": the template's unfilled row, read (the assembler says it is a placeholder); under 三级 when
            # the converter wrote it first (a pipe row's merged cells before it left out)
            at3 = kinds.index("level3") if block == "indicators" and kinds and "level3" in kinds else None
            out.rows.append(cells if at3 is None or len(nonempty) > 1
                            else [""] * at3 + [nonempty[0]] + [""] * (len(kinds) - at3 - 1))
            out.read += 1
            continue
        if _is_kv_row(first):
            out.rows.append(cells)
            out.read += 1
            block = None if _form_label(first, "project_name") or _form_label(first, "total") else block
            continue
        if kinds and len(cells) == len(kinds) and block is not None:
            out.rows.append(cells)  # cut by the stream grammar: already under its columns
            out.read += 1
            out.data_rows += any(ft.is_number(c) or ft.is_percent(c) for c in cells)
            continue
        inner = _trimmed(cells)  # empty cells between filled ones are columns left blank: they keep their place
        if block == "budget" and kinds and is_budget_label(first) and len(nonempty) <= len(kinds):
            out.rows.append(place(inner if len(inner) <= len(kinds) else nonempty, kinds))
            out.read += 1
            out.data_rows += 1
            continue
        if block == "indicators" and kinds and _indicator_like(nonempty, kinds):
            lead = next(k for k, c in enumerate(cells) if c)  # empty cells before the first: columns, in place
            if 0 < lead < len(kinds) and len(inner) <= len(kinds) - lead:
                out.rows.append([""] * lead + place(inner, kinds[lead:]))
            else:
                out.rows.append(place(inner if len(inner) <= len(kinds) else nonempty, kinds))
            out.read += 1
            out.data_rows += 1
            continue
        lead = next(k for k, c in enumerate(cells) if c)
        if block == "indicators" and kinds and "level3" in kinds and kinds.index("level3") < lead < len(kinds) \
                and len(inner) <= len(kinds) - lead:
            out.rows.append([""] * lead + place(inner, kinds[lead:]))  # a long cell's text going on past a
            out.read += 1  # page break (its row's piece under a repeated header): the text columns only
            continue
        if block == "indicators" and kinds and nonempty and level_of(first) is not None \
                and all(level_of(c) for c in nonempty):
            out.rows.append(place(nonempty, kinds))  # a row of level names only
            out.read += 1
            continue
        if block is not None and block != "budget":
            out.unread.append(" | ".join(nonempty))
        elif block == "budget" and not is_budget_label(first):
            block = None
        out.rows.append(cells)
    return out


def _trimmed(cells: list[str]) -> list[str]:
    filled = [k for k, c in enumerate(cells) if c]
    return cells[filled[0]:filled[-1] + 1] if filled else []


def cut_head(rebuilt: Rebuilt) -> Rebuilt:
    """Text that starts in the middle of a form (its indicator rows, then the next form's 项目名称): the
    leading rows are the tail of a form whose head is missing. They are reported, not read as a form."""
    heads = [k for k, row in enumerate(rebuilt.rows) if header_kind(row)]
    starts = [k for k, row in enumerate(rebuilt.rows) if row and (
        _form_label(row[0], "project_name") or (len([c for c in row if c]) == 1 and _TITLE.search(row[0])))]
    if not heads or not starts or header_kind(rebuilt.rows[heads[0]]) != "indicators" or starts[0] < heads[0]:
        return rebuilt
    cut = starts[0]
    tail = [" | ".join(c for c in row if c) for row in rebuilt.rows[:cut] if any(row)]
    rebuilt.unread = [f"form cut off at its start ({len(tail)} rows): " + "; ".join(tail[:2])] + rebuilt.unread
    rebuilt.read -= min(rebuilt.read, len(tail))
    rebuilt.rows, rebuilt.head = rebuilt.rows[cut:], tail  # kept as text: the unread detector reports them
    return rebuilt


def _padded_header(cells: list[str]) -> bool:
    return all(c for c in cells[:len([c for c in cells if c])])


@lru_cache(maxsize=MEMO)  # a pure function of the cell text: the grammar asks it again and again per cell
def _is_kv_row(first: str) -> bool:
    return any(_form_label(first, kind) for kind in ("project_name", "unit", "total", "grade", "claimed_score"))


def _indicator_like(cells: list[str], kinds: list[str | None]) -> bool:
    """An indicator row: a name, and a score, weight or target where the header has one."""
    if len(cells) < 2 or len(cells) > len(kinds):
        return False
    values = [c for c in cells if not _is_label_text(c) or level_of(c) is None]
    has_number = any(ft.is_number(c) or ft.is_percent(c) for c in cells)
    return has_number or len(values) >= 3


# ---------------------------------------------------------------- cell streams (rows not marked)


def join_split_words(cells: list[str], where: list[int] | None = None) -> list[str]:
    """"年初" + "预算数", "实际" + "完成值", "经济效益" + "指标": one header or level name split over two lines.
    `where` (each cell's line), when given, is kept in step."""
    out: list[str] = []
    kept: list[int] = []
    # both placeholder patterns hold 分: most cells are looked at by no regex
    cells = [_GLUED_PLACEHOLDER.sub(lambda m: m.group(0) + "\n", c) if "分" in c else c for c in cells]
    tails = _vocab()["split_tails"]
    template = ""
    for k, cell in enumerate(cells):
        if "分" in cell and _PLACEHOLDER.search(cell) and k + 1 < len(cells) and level_of(cell) \
                and _level_key(cells[k + 1]) == _level_key(_PLACEHOLDER.sub("", cell)):
            template = cell + "\n"  # "效益指标（XX分）" then "效益指标（20分）": the template's label, then the
            continue  # filled one: one cell, as the table had it (the assembler flags the template's)
        cell, template = template + cell, ""
        if out and out[-1] and cell and ft.squeeze(cell) in tails:
            joined = out[-1] + cell
            a, b, ab = field_of(out[-1]), field_of(cell), field_of(joined)
            if (ab and (a is None or b is None or a == b == ab)) or (level_of(joined) and not level_of(out[-1])) \
                    or (level_of(joined) and _level_key(out[-1]) in _vocab()["level2"] | _vocab()["level1"]
                        and ft.squeeze(cell) == "指标"):
                out[-1] = joined
                continue
        out.append(cell)
        kept.append(k)
    if where is not None:
        where[:] = [where[k] for k in kept]
    return out


def _header_at(cells: list[str], i: int) -> tuple[list[str], int] | None:
    """The header row starting at cell i (one label cell may lead it) and where it ends."""
    if i < len(cells) and cells[i].strip() and field_of(cells[i]) is None \
            and (i + 1 >= len(cells) or cells[i + 1].strip() and field_of(cells[i + 1]) is None):
        return None  # a cell naming no field, then one naming none either: no header starts here (most cells)
    j, run = i, []
    if j < len(cells) and field_of(cells[j]) is None and _is_label_text(cells[j]) \
            and len(ft.squeeze(cells[j])) <= 12:
        run.append(cells[j])
        j += 1
    while j < len(cells) and (field_of(cells[j]) is not None or not cells[j].strip()):
        if cells[j].strip():
            run.append(cells[j])
        j += 1
    while run and not cells[j - 1].strip():
        j -= 1
    named = [c for c in run if field_of(c)]
    if len(named) < MIN_HEADER or not header_kind(run):
        return None
    # two header rows run together: 绩效指标 年度指标值 … 偏差 一级指标 二级指标 三级指标 指标性质 …
    levels = [k for k, c in enumerate(run) if field_of(c) == "level1"]
    if levels and levels[0] > 1 and header_kind(run[levels[0]:]):
        run = merge_headers(run[:levels[0]], run[levels[0]:])
    return run, j


def stream_rows(cells: list[str], explicit_empties: bool) -> tuple[list[list[str]], int]:
    """Rows cut from a stream of cells (split words already joined) by the form's grammar, and how many
    cells were consumed."""
    rows: list[list[str]] = []
    header: list[str] | None = None
    block: str | None = None
    under_level1 = False  # a 一级 group is open: a name both level lists hold is its 二级
    i, n, last_used = 0, len(cells), 0
    while i < n:
        found = _header_at(cells, i)
        if found:
            header, i = found
            block = header_kind(header)
            if block == "budget" and column_kinds(header)[0] in BUDGET_VALUE_FIELDS:
                header = ["", *header]  # its label column's header was a long title cell, left before it
            rows.append(header)
            last_used = i
            continue
        cell = cells[i]
        if not cell.strip():
            i += 1
            continue
        if _is_kv_row(cell):
            row, i = _kv_row(cells, i, _points_columns(header) if header and block == "indicators" else None)
            rows.append(row)
            last_used = i
            block = None if _form_label(cell, "project_name") or _form_label(cell, "total") else block
            continue
        if block == "budget" and header:
            got = _budget_row(cells, i, header, explicit_empties)
            if got:
                row, i = got
                rows.append(row)
                last_used = i
                continue
            block = None
        if block == "indicators" and header and ft.is_dash(cell) and not explicit_empties \
                and not _ELLIPSIS.match(ft.squeeze(cell)):
            i += 1  # "-" alone: an empty row of the form ("……" is the template's spare row: flagged)
            continue
        if block == "indicators" and header:
            got = _indicator_row(cells, i, header, explicit_empties, under_level1)
            if got:
                row, i = got
                rows.append(row)
                last_used = i
                kinds = header_fields_of(header)
                at1 = kinds.index("level1") if "level1" in kinds else None
                under_level1 = under_level1 or bool(at1 is not None and at1 < len(row) and row[at1])
                continue
        rows.append([cell])
        i += 1
    if header is not None:
        resolve_lone_points(rows, header)
    return rows, last_used


def header_fields_of(header: list[str]) -> list[str | None]:
    return list(_fields_of(tuple(header)))  # a copy: the caller may change it


@lru_cache(maxsize=ROW_MEMO)  # a pure function of the header's texts: the stream grammar asks it once a row
def _fields_of(header: tuple[str, ...]) -> tuple[str | None, ...]:
    return tuple(field_of(c) for c in header)


def _points_columns(header: list[str]) -> int:
    return sum(1 for c in header if field_of(c) in ("weight", "score")) or 2


def _kv_row(cells: list[str], i: int, most: int | None = None) -> tuple[list[str], int]:
    """项目名称 X; 主管部门 X; 合计 100: a label and the cell after it (a total: the numbers after it, at
    most as many as the form has points columns, so a page number after the form is not taken)."""
    j = i + 1
    while j < len(cells) and not cells[j].strip():
        j += 1
    if j >= len(cells) or _head_label(cells[j]):
        return [cells[i]], j  # 项目实施单位 then 项目类别: a label left empty (its empty cell not written)
    if _form_label(cells[i], "total"):
        values = []
        while j < len(cells) and (ft.is_number(cells[j]) or not cells[j].strip()) \
                and (most is None or len(values) < most):
            values += [cells[j]] if cells[j].strip() else []
            j += 1
        return [cells[i], *values], j
    return [cells[i], cells[j]], j + 1


@lru_cache(maxsize=MEMO)  # a pure function of the cell text: the grammar asks it again and again per cell
def _head_label(text: str) -> bool:
    """A label of a form's head (项目类别, 主管部门 …): never the value of the label before it."""
    from jixiao.normalize.label_grammar import head_labels  # it imports this module

    key = ft.squeeze(text).rstrip(":：")
    return _is_kv_row(text) and not _form_label(text, "total") or key in head_labels()


def _value_columns(header: list[str]) -> list[str]:
    kinds = column_kinds(header)
    first_value = next(k for k, kind in enumerate(kinds) if kind in BUDGET_VALUE_FIELDS)
    return header[first_value:]


def _budget_row(cells: list[str], i: int, header: list[str], explicit: bool) -> tuple[list[str], int] | None:
    label = cells[i].strip()
    if not _is_label_text(label) or len(ft.squeeze(label)) > LONG_TEXT or field_of(label):
        return None
    width = len(_value_columns(header))
    values, j = [], i + 1
    while j < len(cells) and len(values) < width and ft.is_value(cells[j]) \
            and (explicit or cells[j].strip()):
        values.append(cells[j].strip())
        j += 1
    if not any(v for v in values) and not is_budget_label(label):
        return None
    if j < len(cells) and len(values) < width and _note(cells[j]):
        values.append(cells[j])  # the 原因 column's sentence
        j += 1
    kinds = column_kinds(header)
    row = place([label, *values], kinds) if not explicit else _left_label(label, values, header)
    return row, j


def _left_label(label: str, values: list[str], header: list[str]) -> list[str]:
    """A budget row whose empty cells were written: the label in the label column, the values in order."""
    start = len(header) - len(_value_columns(header))
    row = [""] * len(header)
    row[max(start - 1, 0)] = label
    for k, value in enumerate(values[:len(header) - start]):
        row[start + k] = value
    return row


def _indicator_row(cells: list[str], i: int, header: list[str], explicit: bool,
                   under_level1: bool = False) -> tuple[list[str], int] | None:
    kinds = header_fields_of(header)
    if "level3" not in kinds:
        return None
    at3 = kinds.index("level3")
    after = kinds[at3 + 1:]
    j, levels = i, []
    while j < len(cells) and len(levels) < 2 and level_of(cells[j]) is not None:
        if levels and _only_level2(levels[0]) and _opens_group(cells[j]):
            break  # a 二级 with no rows of its own, then the next 一级 group
        levels.append(cells[j])
        j += 1
    if len(levels) < 2 and j + 1 < len(cells) and _unknown_level(cells[j]) and _is_label_text(cells[j + 1]) \
            and level_of(cells[j + 1]) is None and not _is_kv_row(cells[j + 1]):
        levels.append(cells[j])  # "可持续影指标": a level name with a typo, before the row's name
        j += 1
    k = j
    while explicit and k < len(cells) and not cells[k].strip():
        k += 1  # one cell per line: the empty cells written between
    if levels and k < len(cells) and cells[k].strip() and (ft.is_number(cells[k]) or _note(cells[k])):
        j -= 1  # a level name directly before a value or a sentence is the row's 三级 name (社会效益 under 履职效益)
        levels.pop()
    if len(levels) == 1 and j < len(cells) and level_of(cells[j]) is not None and _only_level2(levels[-1]):
        return [""] * 0 + _levels_row(header, kinds, levels, under_level1), j
    while explicit and j < len(cells) and not cells[j].strip() and levels:
        j += 1
    if j >= len(cells):
        return ([*levels], j) if levels else None
    name = cells[j]
    if _note(name):
        return ([*levels], j) if levels else None  # a sentence (a paragraph, a 评分标准) is never a row's name
    if not explicit and name.count("(") + name.count("（") != name.count(")") + name.count("）"):
        return None  # "策(25": a cell cut at a space, so spaces do not separate cells here
    if not (_is_label_text(name) or _ELLIPSIS.match(ft.squeeze(name))) or _is_kv_row(name) or (field_of(name) and _header_at(cells, j)):
        return ([*levels], j) if levels else None
    if explicit:
        values, end = [], j + 1
        points = [k for k, kind in enumerate(after) if kind in ("weight", "score")]
        while end < len(cells) and len(values) < len(after) and not _ends_row(cells, end):
            if points and len(values) > points[-1] and _row_starts(cells, end, after, points):
                break  # the row's trailing empty cells were dropped: the next row's name, not a 原因
            values.append(cells[end].strip())
            end += 1
    else:
        got = _token_values(cells, j + 1, after)
        if got is None:
            return ([*levels], j) if levels else None
        values, end = got
    if len(values) > len(after):
        values = values[:len(after) - 1] + [" ".join(values[len(after) - 1:])]
    row = [""] * len(header)
    _put_levels(row, kinds, levels, under_level1)
    row[at3] = name
    for k, value in enumerate(values):
        row[at3 + 1 + k] = value
    return row, end


def _row_starts(cells: list[str], k: int, after: list[str | None], points: list[int]) -> bool:
    """Cell k is a name whose row fills the form's points columns with numbers (one cell per line with a
    row's trailing empty cells dropped: "“三公经费”变动率", its 评分标准, 5, 5 after the row before)."""
    if not _is_label_text(cells[k]) or _note(cells[k]):
        return False
    return all(k + 1 + p < len(cells) and ft.is_number(cells[k + 1 + p]) for p in points)


def _ends_row(cells: list[str], k: int) -> bool:
    """A cell that cannot be a value of the row before it: a form label (总分), a level name, a header.
    (A converter that drops a row's trailing empty cells leaves no other trace of the row's end.)"""
    cell = cells[k]
    return bool(cell.strip()) and (_is_kv_row(cell) or level_of(cell) is not None
                                   or (field_of(cell) is not None and _header_at(cells, k) is not None))


@lru_cache(maxsize=MEMO)  # a pure function of the cell text: the grammar asks it again and again per cell
def _unknown_level(text: str) -> bool:
    key = ft.squeeze(text)
    return level_of(text) is None and key.endswith("指标") and len(key) <= 8 and field_of(text) is None


def _only_level2(text: str) -> bool:
    key = _level_key(text)
    return key in _vocab()["level2"] and key not in _vocab()["level1"]


def _opens_group(text: str) -> bool:
    """A 一级 name, or any level name carrying its group's points ("满意度指标(10分)")."""
    return level_of(text) == 1 and (split_weight(text)[1] is not None or ft.is_points_only(text)
                                    or not _only_level2(text))


def _levels_row(header: list[str], kinds: list[str | None], levels: list[str], under_level1: bool) -> list[str]:
    row = [""] * len(header)
    _put_levels(row, kinds, levels, under_level1)
    return row


def _put_levels(row: list[str], kinds: list[str | None], levels: list[str], under_level1: bool) -> None:
    """Two level names are 一级 and 二级; one is a 二级 when only the 二级 list has it, or when both lists
    have it (成本指标) and a 一级 group is open."""
    slots = [k for k in ("level1", "level2") if k in kinds]
    if len(levels) == 2:
        picked = ["level1", "level2"]
    elif len(levels) == 1:
        key = _level_key(levels[0])
        known = key in _vocab()["level1"] | _vocab()["level2"]
        second = key in _vocab()["level2"] and (key not in _vocab()["level1"] or under_level1) \
            or not known and under_level1  # a name with a typo, inside an open 一级 group
        picked = ["level2" if second else "level1"]
    else:
        picked = []
    for level, text in zip(picked, levels):
        if level in slots:
            row[kinds.index(level)] = text


def _token_values(cells: list[str], j: int, after: list[str | None]) -> tuple[list[str], int] | None:
    """An indicator row's values when cells were run together with spaces and empty cells left no trace:
    the row ends at its weight and score (two numbers) or its score, where the header has them. Readings
    are tried from the shortest: one is taken when its numbers are points the form allows (score ≤ weight
    ≤ 100), its cells do not run into the next row's level name, and what follows can start a row (so
    "100 98 10 9.8" is target, actual, weight, score, not a weight of 100)."""
    numbers_at = [k for k, kind in enumerate(after) if kind in ("weight", "score")]
    if not numbers_at:
        return None
    before = numbers_at[0]  # columns between the name and the weight (target, actual …)
    count = len(numbers_at)
    limit = min(len(cells), j + before + 6)
    tries = []
    for p in range(j, limit):
        if p > j and _runs_into_next_row([cells[p - 1]]):
            break  # every longer run holds this cell too
        tries.append((p, True))
    for p, strict in tries + [(j + before, False)]:  # last: the full row even when its score is over its weight
        run = cells[p:p + count]
        if len(run) == count and all(ft.is_number(c) for c in run) and _allowed_points(run, strict):
            middle = cells[j:p]
            if len(middle) < before:
                middle = middle + [""] * (before - len(middle))
            elif len(middle) > before and before:
                middle = middle[:before - 1] + [" ".join(middle[before - 1:])]
            values = middle + run
            end = p + count
            rest = after[len(values):]
            while rest and end < len(cells) and _sentence(cells[end]):
                values.append(cells[end])
                rest = rest[1:]
                end += 1
            if strict and not _row_can_start(cells, end):
                continue
            return values, end
    if count == 2 and j < len(cells) and ft.is_number(cells[j]) and _allowed_points([cells[j]]) \
            and _row_can_start(cells, j + 1):
        return [""] * before + [LONE + cells[j].strip(), ""], j + 1  # weight or score: the group's sum decides
    return None


def resolve_lone_points(rows: list[list[str]], header: list[str]) -> None:
    """A row with one number where the header has 分值 and 得分 (the other cell merged away or left empty):
    the number is a score when the group's written weights already make its declared share, a weight when
    they make it only with the lone numbers; else the row is not read (its number is taken for neither)."""
    kinds = [field_of(c) for c in header]
    if "weight" not in kinds or "score" not in kinds:
        return
    at_w, at_s = kinds.index("weight"), kinds.index("score")
    groups: list[tuple[float | None, list[list[str]]]] = []
    for row in rows:
        if len(row) != len(header):
            continue
        for level in ("level1", "level2"):
            if level in kinds and row[kinds.index(level)]:
                share = split_weight(row[kinds.index(level)])[1]
                if share is not None or level == "level2":
                    groups.append((share, []))
        if groups:
            groups[-1][1].append(row)
    for share, members in groups:
        lone = [r for r in members if r[at_w].startswith(LONE)]
        if not lone:
            continue
        written = sum(_points(r[at_w]) for r in members if r[at_w] and not r[at_w].startswith(LONE))
        extra = sum(_points(r[at_w][len(LONE):]) for r in lone)
        as_score = share is not None and abs(written - share) < 1e-6
        as_weight = share is not None and abs(written + extra - share) < 1e-6
        for r in lone:
            value = r[at_w][len(LONE):]
            r[at_w] = ""
            if as_score != as_weight:
                r[at_s if as_score else at_w] = value
            else:
                r[:] = [r[kinds.index("level3")], value]  # neither reading adds up: the row is reported unread


def _points(text: str) -> float:
    return ft.number(text) if ft.is_number(text) else 0.0


def _row_can_start(cells: list[str], k: int) -> bool:
    """What follows a row's last value: the end, a name or label (the next row), never another value."""
    if k >= len(cells) or not cells[k].strip():
        return True
    return not ft.is_value(cells[k]) and not ft.is_sign(cells[k]) and not _SIGN_LED.match(ft.squeeze(cells[k])) \
        and not _SHORT_QUANTITY.match(ft.squeeze(cells[k]))


def _runs_into_next_row(middle: list[str]) -> bool:
    """Cells taken as one row's values that hold a level name or a form label belong to the next row."""
    return any(level_of(c) is not None or _is_kv_row(c) for c in middle)


def _allowed_points(run: list[str], strict: bool = True) -> bool:
    """Weight and score (or a score alone) as a form has them: at most 100, the score not over the weight."""
    values = [ft.number(c) for c in run]
    return all(0 <= v <= 100 for v in values) and (not strict or len(values) < 2 or values[1] <= values[0])


@lru_cache(maxsize=MEMO)  # a pure function of the cell text: the grammar asks it again and again per cell
def _note(text: str) -> bool:
    """A sentence in a row's last column (原因, 得分计算方法), never a row label."""
    key = ft.squeeze(text)
    return len(key) > LONG_TEXT or bool(re.search(r"[。；;]", key))


@lru_cache(maxsize=MEMO)  # a pure function of the cell text: the grammar asks it again and again per cell
def _sentence(text: str) -> bool:
    key = ft.squeeze(text)
    return len(key) > 15 and bool(re.search(r"[。；;：:，,]", key)) or ft.is_dash(key)


# ---------------------------------------------------------------- the grammar as normalize/column_text.py asks it


def level1_names() -> frozenset[str]:
    return _vocab()["level1"]


def split_tails() -> frozenset[str]:
    return _vocab()["split_tails"]


def has_points(text: str) -> bool:
    return split_weight(text)[1] is not None


unknown_level = _unknown_level  # noqa: E305
level_key = _level_key
is_kv = _is_kv_row
head_label = _head_label


def code_of(text: str) -> tuple[str, int] | None:
    """An indicator code's letter and level: A决策15分 (A, 1), A1 / A12 … (A, 2), A101立项依据 (A, 3)."""
    coded = _CODE.match(ft.squeeze(text))
    return (coded.group(0)[0], (1, 2, 2, 3)[min(len(coded.group(1)), 3)]) if coded else None


def placeholder(text: str) -> bool:
    return bool(_PLACEHOLDER.search(text))


def placeholder_free(text: str) -> str:
    return _PLACEHOLDER.sub("", text)


def is_total(text: str) -> bool:
    return _form_label(text, "total")


def starts_form(text: str) -> bool:
    """A 项目名称 row or a form's title line."""
    return _form_label(text, "project_name") or bool(_TITLE.search(text)) and len(text) <= 40


# ---------------------------------------------------------------- finding flattened forms in a text


@dataclass
class Region:
    start: int  # first line
    end: int  # one past the last line
    rebuilt: Rebuilt
    how: str  # pipe rows, one cell per line, cells run together
    lead: str = ""  # text on the region's first line before the form (cells run together)
    tail: str = ""  # text on its last line after the form


def find_regions(lines: list[str], streams: bool = True) -> list[Region]:
    """Forms in pipe rows, else one form in a stream of cells; pipe tables that are not forms are rebuilt
    as the tables they are (so their cells are not read as prose, as the .docx's are not)."""
    blocks = ft.pipe_blocks(lines)
    regions = [Region(b.start, b.end, _from_pipes(b), "pipe rows") for b in blocks]
    forms = [r for r in regions if r.rebuilt.read and _has_block(r.rebuilt)]
    plain = [Region(b.start, b.end, Rebuilt(rows=b.rows, read=len(b.rows)), "pipe table")
             for b, r in zip(blocks, regions) if r not in forms and not b.one_cell_per_line
             and max(len(row) for row in b.rows) > 1]
    if not forms and streams:
        forms = _column_regions(lines)
    if not forms and streams:
        forms = _criteria_regions(lines)
    if not forms and streams:
        stream = _cell_stream_region(lines) or _token_region(lines)
        forms = [stream] if stream is not None and _mostly_read(stream.rebuilt) else []
    found = forms + [p for p in plain if not any(p.start < f.end and f.start < p.end for f in forms)]
    return sorted(found, key=lambda r: r.start) if forms else []


def _column_regions(lines: list[str]) -> list[Region]:
    """Forms in text laid out in columns (pdftotext -layout): each read by its header's columns."""
    from jixiao.normalize import column_text  # it asks this module's grammar

    if not COLUMN_GAP.search("\n".join(lines)):
        return []  # no line has cells apart by wide gaps: no form found would be column_aligned
    regions = []
    for start, end, rows in column_text.read_forms(lines, sys.modules[__name__]):
        if not column_aligned(lines[start:end]):
            continue  # a header's words in a line of cells run together: not columns
        rebuilt = lay_out(rows)
        if _has_block(rebuilt):
            regions.append(Region(start, end, rebuilt, "columns"))
    return regions


def _criteria_regions(lines: list[str]) -> list[Region]:
    """Forms with a 评分标准 column in content-stream order (pdftotext -raw): each row's cells in turn, its points
    after them."""
    from jixiao.normalize import criteria_text  # it asks this module's grammar

    regions = []
    for start, end, rows in criteria_text.read_forms(lines, sys.modules[__name__]):
        rebuilt = lay_out(rows)
        if not column_aligned(lines[start:end]) and _has_block(rebuilt):
            regions.append(Region(start, end, rebuilt, "criteria column"))
    return regions


def _mostly_read(rebuilt: Rebuilt) -> bool:
    """A stream cut into more unread pieces than rows read was not cut by this grammar (PDF text whose cells
    wrap over lines): its rows would carry pieces of other cells, so it is left to the unread detector."""
    return len(rebuilt.unread) <= rebuilt.data_rows


def _has_block(rebuilt: Rebuilt) -> bool:
    """A block header and at least one budget or indicator row under it: else the text is left as it was
    (and the unread-table detector says what it saw)."""
    return any(header_kind(row) for row in rebuilt.rows) and rebuilt.data_rows > 0


def _from_pipes(block: ft.PipeBlock) -> Rebuilt:
    if block.one_cell_per_line:
        rows, _ = stream_rows(join_split_words([r[0] for r in block.rows]), explicit_empties=True)
        return cut_head(lay_out(rows))
    return cut_head(lay_out(block.rows))


def _cell_stream_region(lines: list[str]) -> Region | None:
    """One cell per line, cells apart by blank lines (a line of spaces is an empty cell)."""
    cells, where = cells_per_line(lines)
    start = _first_header(cells)
    if start is None or len(lines) < 20:
        return None
    begin = _form_start(cells, start)
    rows, used = stream_rows(cells[begin:], explicit_empties=True)
    rebuilt = lay_out(rows)
    if not _has_block(rebuilt):
        return None
    end_line = where[begin + used - 1] + 1 if begin + used - 1 < len(where) else len(lines)
    return Region(where[begin], end_line, rebuilt, "one cell per line")


def cells_per_line(lines: list[str]) -> tuple[list[str], list[int]]:
    """Cells apart by blank lines (a cell's lines together, a line of spaces an empty cell), split words
    joined, and the line each cell starts on."""
    cells, where = [], []
    previous_blank = True
    for k, line in enumerate(lines):
        if line.strip():
            if not previous_blank and cells and cells[-1] is not None:
                cells[-1] += "\n" + line.strip()  # a cell's second line
            else:
                cells.append(line.strip())
                where.append(k)
            previous_blank = False
        elif line:  # spaces only: an empty cell
            cells.append("")
            where.append(k)
            previous_blank = True
        else:
            previous_blank = True
    return join_split_words(cells, where), where


def token_cells(lines: list[str]) -> tuple[list[str], list[int]]:
    """Cells apart by spaces or line breaks, empty cells not written (cells run together; one cell per line
    with no blank line), split words joined, and each cell's line."""
    cells = [tok for line in lines for tok in line.split()]
    where = [k for k, line in enumerate(lines) for _ in line.split()]
    return join_split_words(cells, where), where


def _first_header(cells: list[str]) -> int | None:
    for k in range(len(cells)):
        if field_of(cells[k]) or (k + 1 < len(cells) and field_of(cells[k + 1])):
            if _header_at(cells[k:k + 40], 0):
                return k
    return None


def _form_start(cells: list[str], header: int, titles: bool = True) -> int:
    """The form begins at its 项目名称 (or title) row when one comes shortly before its first header."""
    for k in range(max(0, header - 40), header):
        if _form_label(cells[k], "project_name") or titles and _TITLE.search(cells[k] or "") \
                and len(cells[k]) <= 40:
            return k
    return header


FORM_LINES = 30  # lines after a form's header looked at to tell its layout
COLUMN_ALIGNED = 0.3  # share of lines with wide gaps inside: text laid out in columns (pdftotext -layout)


def column_aligned(lines: list[str]) -> bool:
    """Text laid out in columns: a cell's words wrap within its column, so spaces do not separate cells
    and reading tokens in line order would join pieces of different cells (wrong numbers)."""
    filled = [line for line in lines if line.strip()]
    return bool(filled) and sum(map(has_column_gap, filled)) > COLUMN_ALIGNED * len(filled)


def _token_region(lines: list[str]) -> Region | None:
    """Cells run together with spaces on long lines (a .doc flattened, a web table copied as text)."""
    toks, where = [], []
    for k, line in enumerate(lines):
        for tok in ft.tokens(line):
            parts = [tok] if _known_word(tok) or _note(tok) else ft.split_glued(tok)
            toks += parts
            where += [k] * len(parts)
    toks = join_split_words(toks, where)
    start = next((k for k in range(len(toks)) if field_of(toks[k]) and _header_at(toks[k:k + 30], 0)), None)
    if start is None or column_aligned(lines[where[start]:where[start] + FORM_LINES]):
        return None
    begin = _form_start(toks, start, titles=False)
    rows, used = stream_rows(toks[begin:], explicit_empties=False)
    rebuilt = lay_out(rows)
    if not _has_block(rebuilt):
        return None
    first_line = where[begin]
    last = begin + max(used, 1) - 1
    end_line = where[last] + 1
    lead = " ".join(t for t, w in zip(toks[:begin], where[:begin]) if w == first_line)
    tail = " ".join(t for t, w in zip(toks[last + 1:], where[last + 1:]) if w == end_line - 1)
    return Region(first_line, end_line, rebuilt, "cells run together", lead, tail)


@lru_cache(maxsize=MEMO)  # a pure function of the cell text: the grammar asks it again and again per cell
def _known_word(text: str) -> bool:
    """A header word, level name or row label: never a row's cells run together."""
    return bool(field_of(text) or level_of(text) or is_budget_label(text) or _is_kv_row(text))


# ---------------------------------------------------------------- the document


def unflatten(document: Document) -> Document:
    """The document with traditional script simplified and flattened forms in its text rebuilt as tables."""
    _simplify(document)
    if document.format != "txt" or not document.text:
        return document
    lines = document.text.split("\n")
    if document.tables and unpadded_tab_rows(lines):  # tab-separated rows, merged cells left out: pipe rows
        regions = find_regions([" | ".join(line.split("\t")) for line in lines], streams=False)
    else:
        regions = find_regions(lines, streams=STREAMS and not document.tables)  # tables read: not flattened
    if not regions and STREAMS and not document.tables:
        lines, regions = _rows_apart(lines) or _rows_by_columns(lines) or (lines, regions)
    if not regions:
        return _by_labels(document, lines) if STREAMS and not document.tables else document
    blocks: list = []
    cursor = 0
    for region in regions:
        if region.start > cursor:
            blocks += read_text("\n".join(lines[cursor:region.start])).blocks
        rows = region.rebuilt.rows
        if region.how == "pipe table":
            blocks += _plain_table(rows)
            cursor = region.end
            continue
        lead = next((k for k, row in enumerate(rows) if len([c for c in row if c]) > 1 and not _heading_row(row)),
                    len(rows))
        before = ([region.lead] if region.lead else []) + region.rebuilt.head
        before += [" ".join(c for c in row if c) for row in rows[:lead]]
        blocks += [Paragraph(text, Location()) for text in before]  # title lines
        blocks += [Table(grid=grid_from_rows(part), location=Location(page=1, table=0), pages=[1])
                   for part in _at_repeated_headers(rows[lead:])]
        blocks += [Paragraph(region.tail, Location())] if region.tail else []
        _report(document, region)
        cursor = region.end
    if cursor < len(lines):
        blocks += read_text("\n".join(lines[cursor:])).blocks
    document.blocks = _renumber(blocks)
    return document


def _rows_apart(lines: list[str]) -> tuple[list[str], list[Region]] | None:
    """One cell per line with rows apart by blank lines (the stream grammar found no form in it): the rows
    read as the pipe rows they are, each row's cells where the converter wrote them (empty ones included)."""
    return _as_pipe_rows(ft.rows_apart(lines))


def _rows_by_columns(lines: list[str]) -> tuple[list[str], list[Region]] | None:
    """One cell per line or cells run together, rows not marked (the stream grammars found no form in it):
    rows cut by the form's columns (normalize/cell_rows.py), read as pipe rows."""
    from jixiao.normalize import cell_rows  # it asks this module's grammar

    return _as_pipe_rows(cell_rows.rows_by_columns(lines, *cells_per_line(lines))
                         or cell_rows.rows_by_columns(lines, *token_cells(lines)))


def _as_pipe_rows(rows: list[str] | None) -> tuple[list[str], list[Region]] | None:
    """Rows rebuilt as pipe rows, with the regions found in them, when a form is found there as pipe rows."""
    found = find_regions(rows, streams=False) if rows else []
    return (rows, found) if any(r.how == "pipe rows" for r in found) else None


PADDED = 0.5  # share of tab-separated rows as wide as the widest (or one less): a grid with its empty cells


def unpadded_tab_rows(lines: list[str]) -> bool:
    """Tab-separated rows of differing widths (a web table copied as text: each row only the cells that start
    in it, a merged cell once): the txt reader's grid would put cells under the wrong columns."""
    widths = [line.count("\t") + 1 for line in lines if line.count("\t") and not line.startswith("\t")]
    if len(widths) < MIN_HEADER:
        return False
    return sum(w >= max(widths) - 1 for w in widths) < PADDED * len(widths)


_INLINE_LABEL = re.compile(r"^[^\s:：|]{2,8}[:：]")  # "单位名称：X" in one cell: a line of text, not a label cell


def _heading_row(row: list[str]) -> bool:
    """A line above the form (单位名称：X  填报日期：Y) that a column reader cut at its gaps: each piece a label
    and its value in one, so it stays a paragraph (as in the .docx), where the report's unit is read."""
    filled = [c for c in row if c]  # (a wide pitch cuts 单位名称： from its value: the value after its label)
    return bool(filled) and all(_INLINE_LABEL.match(c) or k and re.search("[:：]$", filled[k - 1])
                                for k, c in enumerate(filled))


def _at_repeated_headers(rows: list[list[str]]) -> list[list[list[str]]]:
    """A form's rows cut where its header row comes again: the pieces of a table split over pages (each
    page's piece with its header repeated), given to the assembler as the tables they were, which it joins
    as it joins a .docx's page pieces."""
    first = next((row for row in rows if header_kind(row)), None)
    parts: list[list[list[str]]] = [[]]
    for row in rows:
        if parts[-1] and first is not None and row is not first and _same_header(row, first):
            parts.append([])
        parts[-1].append(row)
    return parts


def _same_header(row: list[str], header: list[str]) -> bool:
    return bool(header_kind(row)) and [ft.squeeze(c) for c in row if c.strip()] == [
        ft.squeeze(c) for c in header if c.strip()]


def _by_labels(document: Document, lines: list[str]) -> Document:
    """No rows found by the cell grammars: text without spaces (OCR, a flattened .doc) or with its cells out of
    order, read by the templates' label sequences (normalize/label_grammar.py), when they find a form."""
    from jixiao.normalize import label_grammar  # it reads this module's level names
    found = label_grammar.forms_of(lines)
    if not found:
        return document
    blocks = read_text("\n".join(lines[:found[0][0]])).blocks if found[0][0] else []
    for k, (first, form) in enumerate(found):
        if form.apart and form.unread:  # cells apart (a PDF's text layer) but not all read: its text stays as it
            end = found[k + 1][0] if k + 1 < len(found) else len(lines)  # was, for the unread detector to report
            blocks += read_text("\n".join(lines[first:end])).blocks
            document.warnings.append(f"form not read by its label sequence (line {first + 1}, {form.title or '—'}): "
                                     + "; ".join(form.unread))
            continue
        blocks += [Paragraph(form.title, Location())] if form.title else []
        blocks.append(Table(grid=grid_from_rows(form.rows), location=Location(page=1, table=0), pages=[1],
                            doubts=form.doubts))
        if form.unread:
            document.warnings.append(f"form read by its label sequence (line {first + 1}, {form.title or '—'}): "
                                     f"{form.indicators} indicator rows read; not read: " + "; ".join(form.unread))
    document.blocks = _renumber(blocks)
    return document


def _plain_table(rows: list[list[str]]) -> list:
    """A pipe table that is not a form: its runs of rows as tables, a row of one cell (a heading or a
    narrative box as wide as the table) as a paragraph, as the .docx has them."""
    blocks: list = []
    run: list[list[str]] = []
    for row in rows + [[]]:
        filled = [c for c in row if c]
        if len(filled) > 1 or (filled and not row[0]):
            run.append(row)
            continue
        if run:
            blocks.append(Table(grid=grid_from_rows(run), location=Location(page=1, table=0), pages=[1]))
            run = []
        blocks += [Paragraph(line, Location()) for line in filled[0].split("\n")] if filled else []
    return blocks


def _report(document: Document, region: Region) -> None:
    """Rows seen but not read are said, never dropped in silence."""
    rebuilt = region.rebuilt
    if rebuilt.unread:
        shown = "; ".join(u[:40] for u in rebuilt.unread[:3])
        document.warnings.append(
            f"flattened form ({region.how}, lines {region.start + 1}-{region.end}): "
            f"{rebuilt.read} of {rebuilt.read + len(rebuilt.unread)} rows read; not read: {shown}")


def _renumber(blocks: list) -> list:
    n_tables = n_paragraphs = 0
    for block in blocks:
        if isinstance(block, Table):
            block.location = Location(page=1, table=n_tables)
            n_tables += 1
        else:
            block.location = Location(page=1, paragraph=n_paragraphs)
            n_paragraphs += 1
    return blocks


def _simplify(document: Document) -> None:
    """Traditional script (and inserted readings) to simplified, in the text and in every block."""
    sample = document.text or _blocks_sample(document)
    if not sample or clean_script(sample[:SCRIPT_SAMPLE]) is None:
        return
    if document.text:
        document.text = to_simplified(document.text)
    holders = [cell for block in document.blocks
               for cell in ([block] if isinstance(block, Paragraph) else block.iter_cells())]
    for holder, text in zip(holders, to_simplified_all([h.text for h in holders]), strict=True):
        holder.text = text


def _blocks_sample(document: Document) -> str:
    parts, size = [], 0
    for block in document.blocks:
        text = block.text if isinstance(block, Paragraph) else " ".join(c.text for c in block.iter_cells())
        parts.append(text)
        size += len(text)
        if size > SCRIPT_SAMPLE:
            break
    return "\n".join(parts)
