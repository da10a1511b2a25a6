"""Forms whose text lost its spaces and table (OCR of a doc-sharing preview, a flattened .doc), read by the
template's fixed label sequence.

A 自评表 prints the same labels in the same order (年初预算数 全年预算数 全年执行数 分值 执行率 得分; 一级指标 二级指标
三级指标 …). Found with OCR tolerance (normalize/data/label_grammar.toml), the labels say where each block's
values start; the values are cut into the template's columns, and numbers glued together (64.864.864.8100%,
22否, 1010是) are split only where the form's own arithmetic picks one reading: 执行数 / 预算数 = 执行率, 分值 ×
执行率 = 得分, 权重 × 得分系数 = 得分, a group's weights add up to its share. When no reading or more than one
satisfies it, the numbers are not taken (never a guessed number): the region stays unread.

Text whose cells are apart by spaces and line breaks but in no columns (a PDF's text layer in content-stream
order, pdftotext -raw: wrapped cells on lines of their own, 5 个 with its unit apart) is read by the same
grammar with one more rule: a cell ends only where the text had a space or a line break (Cuts). A form of it is
given only when every row is read with one reading; else its text stays, for the unread detector to report.

The form found is laid out as rows the assembler reads like any table (normalize/flat_forms.py's hook).
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path

from jixiao.normalize.flat_forms import _vocab as level_vocabulary
from jixiao.patterns import datafile
from jixiao.patterns.datafile import Table
from jixiao.normalize.recompute import money_of
from jixiao.patterns.numbers import multiplier_word, parse_quantity
from jixiao.patterns.operators import operator_by_name, parse_target
from jixiao.patterns.units import known_units, unit_class
from jixiao.patterns.wrapped_text import page_marks_removed as _page_marks_removed

DATA = Path(__file__).with_name("data") / "label_grammar.toml"
SCHEMA = {"ocr": Table(str), "digits": Table(str),
          "head": {"name": [str], "unit": [str], "total": [str], "other": [str]},
          "side_labels": [str], "field_headers": Table(str),
          "template": [{"name": str, "budget_labels": [str], "budget_fields": [str], "indicator_labels": [str],
                        "row_fields": [str]}]}
LABEL_GAP = 14  # characters of OCR debris allowed between two labels of one header
FUZZY_MIN = 4  # labels this long or longer match with one character changed, added, dropped or moved
MAX_NAME = 40  # characters of a row's name
MAX_VALUES = 80  # characters of a row's target and actual cells together
BUDGET_HEADER = "项目资金(万元)"  # the label cell of the budget header row the forms are laid out with
TORN = "text ends inside the form"  # said when the text stops mid-form (normalize/cut_off.py reads it)
GLUED = "\x00"  # marks a row's value cells glued with no split the form can tell (normalize/label_grammar.py)
SIGNS = "≥≤<>=＜＞＝≧≦"  # a sign starts a target, never ends a name
VALUE_FIELDS = ("target", "target_adjusted", "actual")
POINTS = ("weight", "score", "budget_weight", "budget_score")
PERCENTS = ("rate", "score_rate")
AMOUNTS = ("budget_initial", "budget", "executed")
_NUMBER = re.compile(r"(?:0|[1-9]\d*)(?:\.\d+)?")
_SHARE = re.compile(r"[(（](\d+(?:\.\d+)?)分[)）]")
_ELLIPSIS = re.compile(r"[…]+|\.{3,}|。{3,}")  # "……": the template's spare row
_BLANK_SHARE = re.compile(r"[(（][XxＸｘ×]+分[)）]")
_PLACEHOLDER = re.compile(r"指标[0-9一二三四五六七八九十]+[:：]?")
_DASH_CELL = re.compile(r"^[一—\-－/]$")
_DASH_LEAD = re.compile(r"^[一—\-－]")
_NATURES = ("定量指标", "定性指标", "定量", "定性")


@dataclass
class Template:
    name: str
    budget_labels: list[str]
    budget_fields: list[str]
    indicator_labels: list[str]
    row_fields: list[str]


@dataclass(frozen=True)
class Cuts:
    """Where a text whose cells are apart (a PDF's text layer in content-stream order: pdftotext -raw) had a
    space or a line break, as offsets of its squeezed text: a cell ends only there (a space may also sit
    inside a cell: 5 个, a line break inside a wrapped one). base: where the text handed on starts."""

    at: frozenset[int]
    breaks: frozenset[int] = frozenset()  # the line breaks among them
    base: int = 0

    def ok(self, i: int) -> bool:
        return i + self.base in self.at

    def lines(self, text: str, i: int, j: int) -> list[str]:
        """text[i:j] cut at its line breaks."""
        ends = [k for k in range(i + 1, j) if k + self.base in self.breaks]
        return [text[a:b] for a, b in zip([i, *ends], [*ends, j])]

    def moved(self, k: int) -> Cuts:
        return Cuts(self.at, self.breaks, self.base + k)


def _cut(cuts: Cuts | None, i: int, end: int) -> bool:
    """A cell may end at i: glued text (no cuts known) anywhere, else where the text had a space, or at its end."""
    return cuts is None or i >= end or cuts.ok(i)


@cache
def _data() -> dict:
    return datafile.load(DATA, SCHEMA)


@cache
def head_labels() -> frozenset[str]:
    """Every spelling of a form head's labels (项目名称, 项目实施单位, 项目类别 …), spaces dropped."""
    return frozenset("".join(spelling.split()) for labels in _data()["head"].values() for label in labels
                     for spelling in _spellings(label)[1])


@cache
def templates() -> list[Template]:
    return [Template(**t) for t in _data()["template"]]


# ---------------------------------------------------------------- OCR clean-up and tolerant labels


def ocr_clean(text: str) -> str:
    """Text with the OCR confusions of the data file undone: character swaps everywhere, letters for digits
    only inside a run of digits that touches no other letter ("IO" -> "10", "O76%" -> "076%")."""
    for wrong, right in sorted(_data()["ocr"].items(), key=lambda kv: -len(kv[0])):
        text = text.replace(wrong, right)
    letters = "".join(_data()["digits"])
    run = re.compile(rf"(?<![A-Za-z])[0-9{letters}.%]*[{letters}][0-9{letters}.%]*(?![A-Za-z])")

    def digits(m: re.Match[str]) -> str:
        piece = m.group(0)
        before = text[m.start() - 1] if m.start() else ""
        after = text[m.end()] if m.end() < len(text) else ""
        between_words = _is_hanzi(before) and _is_hanzi(after)  # 第O份: a digit among Chinese characters
        if not any(ch.isdigit() for ch in piece) and len(piece) < 2 and not between_words:
            return piece  # a lone "O" or "l" elsewhere is not a number
        return "".join(_data()["digits"].get(ch, ch) for ch in piece)
    return run.sub(digits, text)


def _is_hanzi(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def _spellings(label: str) -> tuple[bool, list[str]]:
    optional = label.startswith("?")
    return optional, label.lstrip("?").split("|")


def _close(piece: str, label: str) -> bool:
    """OCR-close: one character changed, added or dropped, or the same characters in another order."""
    if piece == label:
        return True
    if len(label) < FUZZY_MIN or abs(len(piece) - len(label)) > 1:
        return False
    if sum(ch in label for ch in piece) < len(piece) - 1:
        return False  # more than one character foreign to the label: quick refusal
    rest, common = list(label), 0  # characters the two share, counted with repeats
    for ch in piece:
        if ch in rest:
            rest.remove(ch)
            common += 1
    return len(piece) - common <= 1 and len(label) - common <= 1


_HALF = str.maketrans("（）：", "():")


def find_label(text: str, label: str, lo: int, hi: int) -> tuple[int, int] | None:
    """Where a label (one of its spellings) occurs in text[lo:hi]: exact first, else OCR-close. Brackets
    and colons compare half-width (the view keeps every offset)."""
    _, spellings = _spellings(label)
    text = _half(text)
    for spelling in spellings:
        at = text.find(spelling, lo, hi + len(spelling))
        if at >= 0:
            return at, at + len(spelling)
    for p in _near_starts(text, spellings, lo, min(hi, len(text))):
        for spelling in spellings:
            for size in (len(spelling), len(spelling) + 1, len(spelling) - 1):
                if size >= FUZZY_MIN - 1 and p + size <= len(text) and _close(text[p:p + size], spelling):
                    return settled(text, p, size, spelling)
    return None


def settled(text: str, p: int, size: int, spelling: str) -> tuple[int, int]:
    """An OCR-close window's span; when the label without its last character starts one on (心项目实施单, 位
    wrapped away), that: the label cut short, not the character before it taken in."""
    if text.startswith(spelling[:-1], p + 1):
        return p + 1, p + len(spelling)
    return p, p + size


@lru_cache(maxsize=4)  # the grammar looks for every label in the same text: translated once
def _half(text: str) -> str:
    return text.translate(_HALF)


def _near_starts(text: str, spellings: list[str], lo: int, hi: int) -> list[int]:
    """The p in [lo, hi) where an OCR-close spelling may start: its shortest window tried (len - 1 characters)
    holds at most one character foreign to the spelling (what _close asks of every window it accepts)."""
    starts: set[int] = set()
    for spelling in spellings:
        if len(spelling) >= FUZZY_MIN:
            near = _near_all(text, spelling)
            starts.update(near[bisect_left(near, lo):bisect_left(near, hi)])
    return sorted(starts)


@lru_cache(maxsize=256)  # per text and spelling: a header's first label is looked for again after each false start
def _near_all(text: str, spelling: str) -> list[int]:
    return [m.start() for m in _near_pattern(spelling).finditer(text)]


@cache  # the data file's spellings
def _near_pattern(spelling: str) -> re.Pattern[str]:
    """Matches (empty) where the next len(spelling) - 1 characters hold at most one not in the spelling."""
    chars = "".join(re.escape(ch) for ch in sorted(set(spelling)))
    inside, foreign, k = f"[{chars}]", f"[^{chars}]", len(spelling) - 1
    ways = [f"{inside}{{{k}}}"] + [f"{inside}{{{i}}}{foreign}{inside}{{{k - 1 - i}}}" for i in range(k)]
    return re.compile("(?=" + "|".join(ways) + ")")


def find_sequence(text: str, labels: list[str], lo: int = 0) -> tuple[int, int, int] | None:
    """The header: the labels in order, each within LABEL_GAP of the one before. (start, end, labels found);
    None when fewer than all required labels are found."""
    best = None
    first = labels[0]
    start = lo
    while True:
        hit = find_label(text, first, start, len(text))
        if hit is None:
            return best
        begin, end = hit
        found = 1
        ok = True
        for label in labels[1:]:
            optional, _ = _spellings(label)
            nxt = find_label(text, label, end, end + LABEL_GAP)
            if nxt is None:
                if optional:
                    continue
                ok = False
                break
            end = nxt[1]
            found += 1
        if ok:
            return begin, end, found
        start = begin + 1


# ---------------------------------------------------------------- numbers


def _numbers_at(text: str, i: int, most: float | None = 100.0) -> list[tuple[str, int]]:
    """Every number starting at i (no leading zero), as (text, end), shortest first."""
    out = []
    j = i
    while j < len(text) and (text[j].isdigit() or text[j] == "."):
        j += 1
        piece = text[i:j]
        if _NUMBER.fullmatch(piece) and (most is None or float(piece) <= most):
            out.append((piece, j))
    return out


def _percents_at(text: str, i: int) -> list[tuple[str, int]]:
    return [(p + "%", j + 1) for p, j in _numbers_at(text, i, None) if j < len(text) and text[j] == "%"]


def _decimals(text: str) -> int:
    return len(text.split(".")[1]) if "." in text else 0


def _agree(value: float, written: str) -> bool:
    """A computed value agrees with the written one to the written precision (half a unit of its last digit)."""
    number = float(written.rstrip("%"))
    return abs(value - number) <= 0.5 * 10 ** -_decimals(written.rstrip("%")) + 1e-9


def _rate(written: str) -> float:
    return float(written.rstrip("%")) / 100


# ---------------------------------------------------------------- the budget block


@dataclass
class BudgetReading:
    values: dict[str, str]
    unplaced: list[str] = field(default_factory=list)  # numbers read but not placed (which column: unknown)
    checked: int = 0  # arithmetic relations the reading satisfies


@cache
def _money_words() -> tuple[str, ...]:
    """What a glued 执行数 / 预算数 may end with: units.toml's money units and 万 naming 万元 ("680万")."""
    return tuple(u for u in known_units() if unit_class(u) == "money") + (multiplier_word(1e4),)


def _amount(text: str) -> float:
    """An amount in 万元, every unit through units.toml (a bare number is in the form's 万元 column)."""
    return money_of(parse_quantity(text)).wan


def _rate_of(text: str) -> float:
    """执行率 as a fraction: "98.75%", "98.75" (the header says %), "0.75" (written as a fraction)."""
    value = float(text.rstrip("%"))
    return value if not text.endswith("%") and value <= 1.5 else value / 100


def _rate_agrees(value: float, written: str) -> bool:
    """A computed fraction agrees with the written rate to the written precision."""
    number = float(written.rstrip("%"))
    scale = 1 if not written.endswith("%") and number <= 1.5 else 100
    return _agree(value * scale, written.rstrip("%"))


def _budget_checks(values: dict[str, str]) -> tuple[int, int]:
    """How many of the form's relations the values satisfy and how many they break."""
    kept = broken = 0
    budget = values.get("budget")  # 执行率 is 执行数 over the 全年 (adjusted) budget, never the 年初 one
    if budget and values.get("executed") and values.get("rate"):
        ok = _amount(budget) > 0 and _rate_agrees(_amount(values["executed"]) / _amount(budget), values["rate"])
        kept, broken = kept + ok, broken + (not ok)
    for weight, score in (("weight", "score"), ("budget_weight", "budget_score")):
        if values.get(weight) and values.get(score) and values.get("rate"):
            ok = _agree(float(values[weight]) * min(_rate_of(values["rate"]), 1.0), values[score])
            kept, broken = kept + ok, broken + (not ok)
        if values.get(weight) and values.get(score) and float(values[score]) > float(values[weight]):
            broken += 1
    return kept, broken


def _budget_assignments(run: str, fields: list[str], i: int = 0, k: int = 0,
                        cuts: Cuts | None = None) -> list[dict[str, str]]:
    """Every way to read the glued run as values of the fields in order (a field may be left empty)."""
    if i == len(run):
        return [{}]
    if k == len(fields):
        return []
    out = []
    kind = fields[k]
    numbers = [(p, j) for p, j in _numbers_at(run, i, 100.0 if kind in POINTS + PERCENTS else None)
               if not (j < len(run) and run[j] == "%")]
    if kind in AMOUNTS:  # 680万, 6727625.90元
        numbers += [(p + u, j + len(u)) for p, j in _numbers_at(run, i, None) for u in _money_words() if run.startswith(u, j)]
    pieces = _percents_at(run, i) + numbers if kind in PERCENTS else numbers  # 执行率（B/A） may drop its %
    for piece, j in pieces:
        if not _cut(cuts, j, len(run)):
            continue
        for rest in _budget_assignments(run, fields, j, k + 1, cuts):
            out.append({kind: piece, **rest})
    out += _budget_assignments(run, fields, i, k + 1, cuts)  # this column left empty
    return out


def read_budget(run: str, fields: list[str], weight: str | None = None,
                cuts: Cuts | None = None) -> BudgetReading | None:
    """The budget values glued in `run`, split by the form's arithmetic. Values every best reading agrees on
    are taken; numbers whose column the readings disagree on are left unplaced; None when nothing checks.
    weight: the points budget execution is worth when the header says it (得分（20分*执行率）)."""
    readings = []
    for values in _budget_assignments(run, fields, cuts=cuts):
        kept, broken = _budget_checks({"weight": weight, **values} if weight else values)
        if values:
            readings.append(((kept, -broken), values))
    if not readings:
        return None
    best = max(c for c, _ in readings)
    if best[0] == 0:
        return None  # nothing the arithmetic confirms: a glued run is not split on a guess
    top = [v for c, v in readings if c == best]
    agreed = {f: top[0][f] for f in fields if f in top[0] and all(v.get(f) == top[0][f] for v in top)}
    unplaced = sorted({v for r in top for f, v in r.items() if f not in agreed})
    return BudgetReading(agreed, unplaced, best[0])


# ---------------------------------------------------------------- indicator rows


@dataclass(frozen=True)
class Item:
    kind: str  # level1 | level2 | side | placeholder | row | tail
    text: str
    values: tuple[tuple[str, str], ...] = ()  # a row's fields
    share: float | None = None  # a level's (N分)
    pref: int = 0  # how much of the template the reading recognised (names only: never decides a number)
    note: str = ""  # what in the row was left unread (target and actual glued two ways)
    glued: str = ""  # the value cells' text of a row whose 指标值 / 完成值 split was not told (note says so)
    late: bool = False  # a row whose weight in its name was drawn after its values (_share_drawn_after)

    def get(self, name: str) -> str:
        return dict(self.values).get(name, "")


@cache
def _level_words() -> tuple[tuple[str, str], ...]:
    vocab = level_vocabulary()
    words = [(w, "level1") for w in vocab["level1"]] + [(w, "level2") for w in vocab["level2"] - vocab["level1"]]
    words += [(w, "level2") for w in vocab["level1"] & vocab["level2"]]
    return tuple(sorted(set(words), key=lambda wk: -len(wk[0])))


@cache
def _unit_words() -> tuple[str, ...]:
    return tuple(u for u in ["%", *known_units()] if u and len(u) <= 3 and not any(c.isdigit() for c in u))


def _close_at(text: str, i: int, word: str) -> int | None:
    """The end of an OCR-close spelling of a long level name at i (可持续影指标 for 可持续影响指标)."""
    if len(word) <= FUZZY_MIN or text[i:i + 1] != word[0]:
        return None
    for size in (len(word) - 1, len(word) + 1):
        if _close(text[i:i + size], word):
            return i + size
    return None


def _anchors_at(text: str, i: int, levels: bool) -> list[Item]:
    """Level names (when the template has level columns), side labels and spare template rows (指标2:)
    starting at i."""
    out = []
    for word, level in _level_words() if levels else ():
        end = i + len(word) if text.startswith(word, i) else _close_at(text, i, word)
        if end is not None:
            blank = _BLANK_SHARE.match(text, end)
            if blank:  # 效益指标（XX分） left from the template, the filled label follows
                out.append(Item("side", text[i:blank.end()], pref=1))
                continue
            share = _SHARE.match(text, end)
            if share:
                out.append(Item(level, text[i:share.end()], share=float(share.group(1)), pref=3 + len(word)))
            elif level == "level2":
                out.append(Item(level, text[i:end], pref=2 + len(word)))  # the longest level name that fits
    for word in _data()["side_labels"]:
        if text.startswith(word, i):
            out.append(Item("side", word, pref=2))
    m = _PLACEHOLDER.match(text, i) or _ELLIPSIS.match(text, i)
    if m:
        out.append(Item("placeholder", m.group(0), pref=1))
    return out


@lru_cache(maxsize=1 << 14)  # the same text between a row's numbers is tried from many name ends
def _value_parts(mid: str, slots: int) -> list[tuple[tuple[str, ...], int]]:
    """Ways to lay the text between a row's numbers into its value cells (target, [adjusted], actual), with
    a preference: the same text twice (target met as written), a dash then the actual, two quantities."""
    if not mid:
        return [(("",) * slots, 1)]
    out = []
    half = len(mid) // 2
    if len(mid) % 2 == 0 and mid[:half] == mid[half:] and _part_ok(mid[:half]):
        out.append(((mid[:half],) + ("",) * (slots - 2) + (mid[half:],), 3))
    if _DASH_LEAD.match(mid) and len(mid) > 1 and not mid[1].isdigit() or (
            _DASH_LEAD.match(mid) and len(mid) > 1 and _NUMBER.match(mid, 1)):
        out.append((("—",) + ("",) * (slots - 2) + (mid[1:],), 2))
    for k in range(1, len(mid)):
        left, right = mid[:k], mid[k:]
        clean = left[0].isdigit() or left[0] in SIGNS  # a quantity, not a name's last characters
        words_after = clean and _is_hanzi(right[0]) and _unit_end(left)  # ≥20项 | 完成, ≥90% | 完成90.28%
        if not left[-1].isdigit() and (right[0].isdigit() or right[0] in SIGNS or words_after) \
                and _quantity(left) and _part_ok(right) and _part_ok(left) and not _unit_runs_on(left, right):
            out.append(((left,) + ("",) * (slots - 2) + (right,), 2 + clean + _unit_end(left)))
    if not out and _part_ok(mid) and (slots == 1 or not any(ch.isdigit() for ch in mid)):
        out.append((("",) * (slots - 1) + (mid,), 0))
    elif not out and (_part_ok(mid) or _two_worded_cells(mid)):
        out.append(((GLUED + mid,) + ("",) * (slots - 1), 0))  # ≥10001500: where one cell ends is unknown
    return out


def _value_parts_at(mid: str, slots: int, cuts: Cuts | None) -> list[tuple[tuple[str, ...], int]]:
    """_value_parts where the text had its spaces: a split only where one was; two cells of words apart
    (有所提升 | 有所提升, 执行率高 | 执行率较高) split at each place one was, for the row's readings to compete."""
    parts = _value_parts(mid, slots)
    if cuts is None:
        return parts
    if mid and _level_word_in(mid, 0, len(mid), cuts, whole=True):
        return []  # a level name is never inside a row's cells
    splits = [k for k in range(1, len(mid)) if cuts.ok(k)]
    kept = [(p, pref) for p, pref in parts if not p[0] or not p[-1] or p[0].startswith(GLUED) or len(p[0]) in splits]
    kept = [(p, pref) for p, pref in kept if _cells_apart(p, cuts)]
    if slots > 1 and mid and not any(p[0] and p[-1] for p, _ in kept):
        kept = [((mid[:k],) + ("",) * (slots - 2) + (mid[k:],), 1) for k in splits
                if _apart_ok(mid[:k]) and _apart_ok(mid[k:]) and _cells_apart((mid[:k], mid[k:]), cuts)]
        if not kept and _part_ok(mid) and _one_cell(mid, 0, len(mid), cuts):  # 指标值 or 完成值: which is unknown
            kept = [((GLUED + mid,) + ("",) * (slots - 1), 0)]
    return [(p, pref + _wrapped_alike(p, cuts)) for p, pref in kept]


def _apart_ok(text: str) -> bool:
    """A value cell cut where the text had a space or line break: a cell's text (_part_ok), or one number among
    words (偶有次月10日后: how a deadline went)."""
    return _part_ok(text) or bool(_WORDED_QUANTITY.fullmatch(text)) and _balanced(text)


def _wrapped_alike(parts: tuple[str, ...], cuts: Cuts) -> bool:
    """Two value cells wrapped over as many lines from the same first line (资金执行率 | 高, 资金执行率 | 较高):
    columns of one width wrap alike, so this split is preferred to one giving a line to the name."""
    at, shapes = 0, []
    for part in parts:
        if part and not part.startswith(GLUED):
            shapes.append(cuts.moved(at).lines(part, 0, len(part)))
        at += len(part.removeprefix(GLUED))
    return len(shapes) > 1 and all(len(s) > 1 and len(s) == len(shapes[0]) and s[0] == shapes[0][0] for s in shapes)


def _cells_apart(parts: tuple[str, ...], cuts: Cuts) -> bool:
    """Each of the value cells laid out of one mid can be one cell (_one_cell), wrapped as a cell wraps, and
    no two cells wrapped over lines meet on one line (_wrapped_meet)."""
    at, before = 0, 0
    for part in parts:
        size = len(part.removeprefix(GLUED))
        lines = cuts.moved(at).lines(part.removeprefix(GLUED), 0, size)
        if not _one_cell(part.removeprefix(GLUED), 0, size, cuts.moved(at)) or not _wraps_as_a_cell(lines):
            return False
        if size and _wrapped_meet(before, len(lines), at, cuts):
            return False
        at, before = at + size, len(lines) if size else before
    return True


def _wrapped_meet(before: int, lines: int, at: int, cuts: Cuts) -> bool:
    """A cell of two lines or more whose first line is the line the cell before, also of two lines or more,
    ends on (按合同执行 | 完成 81.25 | %: 按合同执行完成 | 81.25% would put them so). Text in content-stream order
    draws a cell's lines one after another and breaks its lines where the baseline moves; cells of one row
    aligned alike (top, middle or bottom) never put a wrapped cell's last line on another wrapped cell's
    first baseline."""
    return before > 1 and lines > 1 and at + cuts.base not in cuts.breaks


def _wraps_as_a_cell(lines: list[str]) -> bool:
    """A cell's lines fill its column but the last: none narrower than the last (资金执行率 | 高 | 资金执行率 | 较高
    is two cells of two lines each, not 资金执行率 | 高资金执行率较高). Widths as printed: a Chinese character two."""
    widths = [sum(1 + (not ch.isascii()) for ch in line) for line in lines]
    return all(w >= widths[-1] for w in widths[:-1])


_WORDED_QUANTITY = re.compile(r"[^\d]{0,6}\d+(?:\.\d+)?[^\d]{0,6}")  # "次月10日前", "偶有次月10日后"


def _two_worded_cells(mid: str) -> bool:
    """次月10日前偶有次月10日后: two cells of words around one number each (a deadline and how it went); where
    the first ends the text cannot tell, so the row keeps its score and says the two cells are glued."""
    return any(_WORDED_QUANTITY.fullmatch(mid[:k]) and _WORDED_QUANTITY.fullmatch(mid[k:])
               and _balanced(mid[:k]) and _balanced(mid[k:])
               for k in range(1, len(mid)) if not mid[k - 1].isdigit() and not mid[k].isdigit())


def _unit_end(text: str) -> bool:
    """The text ends with its number's unit (% or a unit of patterns/data/units.toml), nothing after it."""
    tail = re.search(r"\d([^\d]*)$", text)
    return bool(tail) and (tail.group(1) in _unit_words() or tail.group(1) in ("项", "场", "篇", "条"))


def _unit_runs_on(left: str, right: str) -> bool:
    """≤30分 | 钟…: the unit goes on into the right part (分钟), so the cell does not end there."""
    tail = re.search(r"\d([^\d]*)$", left)
    suffix = tail.group(1) if tail else ""
    return bool(suffix) and any(suffix + right[:k] in _unit_words() for k in (1, 2))


def _quantity(text: str) -> bool:
    return any(ch.isdigit() for ch in text) and not text[-1].isdigit()


_ONE_QUANTITY = re.compile(r"[^\d]{0,3}\d+(?:\.\d+)?[^\d]{0,4}")  # "2370人", "≥95%", "到0次", "M.8万元"
_DATE = re.compile(r"\d{4}年(?:\d{1,2}月)?(?:\d{1,2}日)?[^\d]{0,6}")  # "2021年12月完成"


def _balanced(text: str) -> bool:
    view = text.translate(_HALF)
    return view.count("(") == view.count(")") and not view.startswith(")")


def _part_ok(text: str) -> bool:
    """A cell's text: words, or one quantity (a number with a short prefix and unit), or a date; no
    leading zero before a digit, no bracket left open. Anything more is cells of several rows run together."""
    if not _balanced(text) or (text and text[-1] in SIGNS) or re.search(r"\d\.$", text):
        return False  # "81." | "25%": a number cut at its decimal point
    if not text or not any(ch.isdigit() for ch in text):
        return True
    if re.match(r"0\d", text):
        return False
    return bool(_ONE_QUANTITY.fullmatch(text) or _DATE.fullmatch(text))


def _row_readings(text: str, i: int, fields: list[str], cuts: Cuts | None = None) -> list[tuple[int, Item]]:
    """Every reading of a row starting at i: its name, then the template's cells in order."""
    out: list[tuple[int, Item]] = []
    j = i
    if _ELLIPSIS.match(text, i):
        return out  # "……" is a spare row, never a name's start
    while j < len(text) and j - i < MAX_NAME and not text[j].isdigit() and not _SHARE.match(text, j):
        j += 1
        if j - i >= 2 and text[i:j] not in _unit_words() and text[j - 1] not in SIGNS \
                and _balanced(text[i:j]) and _cut(cuts, j, len(text)):  # "万元" alone: a cell's tail
            name = text[i:j]
            if cuts is not None and not _name_apart_ok(text, i, j, cuts):
                continue
            for end, values, pref in _cells(text, j, fields, 0, cuts):
                out.append((end, Item("row", name, tuple(values), pref=pref)))
                late = _share_drawn_after(text, end, fields, cuts)
                if late:  # 单次活动推广曝光 | 量 | ≥100000 | 次 | 6352.3 万 5 | （5 分）: the name's last line
                    out.append((late.end(), Item("row", name + late.group(0), tuple(values),
                                                 share=float(late.group(1)), pref=pref + 1, late=True)))
    share = _SHARE.match(text, j)
    if share and j - i >= 2 and _balanced(text[i:j]) and not _is_level_word(text[i:j]) \
            and _cut(cuts, share.end(), len(text)) and (cuts is None or _name_apart_ok(text, i, j, cuts)):
        # 报告材料（12分）≥16套118.25: the row's weight in its name (武汉 form, no 分值 column); the name keeps it,
        # as the form prints it, and the assembler reads it from there like a table cell's
        for end, values, pref in _cells(text, share.end(), fields, 0, cuts):
            out.append((end, Item("row", text[i:share.end()], tuple(values), share=float(share.group(1)),
                                  pref=pref + 1)))
    return out


def _share_drawn_after(text: str, end: int, fields: list[str], cuts: Cuts | None) -> re.Match[str] | None:
    """A row's weight in its name (武汉 form, no 分值 column) whose line the writer drew after the row's values
    (content-stream order): （5 分） alone at a line start right after the row's score."""
    if cuts is None or "weight" in fields or end + cuts.base not in cuts.breaks:
        return None
    late = _SHARE.match(text, end)
    return late if late and _cut(cuts, late.end(), len(text)) else None


def _is_level_word(name: str) -> bool:
    """产出指标 / 数量指标: a level's name (its share makes it a group), never a row's."""
    return any(name == word for word, _ in _level_words())


def _level_word_in(text: str, i: int, j: int, cuts: Cuts, whole: bool) -> bool:
    """A level name (产出指标, 数量指标) as whole words of text[i:j] (whole: also all of it)."""
    return any(text.startswith(word, p) and (p + len(word) < j or whole) and cuts.ok(p + len(word))
               for p in range(i, j) if p == i or cuts.ok(p) for word, _ in _level_words())


def _name_apart_ok(text: str, i: int, j: int, cuts: Cuts) -> bool:
    """A row's name in text whose cells are apart: no level name among its words (产出指标 | 数量指标 | 维护设备数量
    is a level, a level and a name), no space between two Chinese characters on one line (品牌宣传效果 有所提升:
    two cells), and wrapped as a cell wraps: no line shorter than its last (率 | 发布公开信息 is a cell's last
    line, then the next row's name)."""
    if _level_word_in(text, i, j, cuts, whole=False) or not _one_cell(text, i, j, cuts):
        return False
    lines = cuts.lines(text, i, j)
    return all(len(line) >= len(lines[-1]) for line in lines[:-1])


def _one_cell(text: str, i: int, j: int, cuts: Cuts) -> bool:
    """text[i:j] can be one cell: no space between two Chinese characters on a line (品牌宣传效果 有所提升), no
    space or line break between two numbers (25000 27082: two cells) but a number among words wrapped inside
    its digits (_wrapped_number)."""
    for p in range(i + 1, j):
        if cuts.ok(p):
            a, b = text[p - 1], text[p]
            if (_is_hanzi(a) and _is_hanzi(b) and p + cuts.base not in cuts.breaks) or (
                    (a.isdigit() or a == "%") and b.isdigit() and not _wrapped_number(text, p, i, j, cuts)):
                return False
    return True


def _wrapped_number(text: str, p: int, i: int, j: int, cuts: Cuts) -> bool:
    """A line break at p inside a number between words (偶有次月 1 | 0 日后): its digits run from a Chinese character
    before to one after, within text[i:j]. Two cells' numbers (≥1000 | 1500, 95% | 5) have no words so around."""
    if p + cuts.base not in cuts.breaks or not text[p - 1].isdigit():
        return False
    a, b = p - 1, p
    while a > i and (text[a - 1].isdigit() or text[a - 1] == "."):
        a -= 1
    while b < j and (text[b].isdigit() or text[b] == "."):
        b += 1
    return a > i and b < j and _is_hanzi(text[a - 1]) and _is_hanzi(text[b])


def _cells(text: str, i: int, fields: list[str], k: int,
           cuts: Cuts | None = None) -> list[tuple[int, list[tuple[str, str]], int]]:
    if k == len(fields):
        if i < len(text) and (text[i].isdigit() or text[i] in ".%"):
            return []  # a number runs on: the row cannot end here
        return [(i, [], 0)]
    kind = fields[k]
    out = []
    if kind in VALUE_FIELDS:
        slots = [f for f in fields[k:] if f in VALUE_FIELDS]
        rest_at = k + len(slots)
        for m in range(i, min(len(text), i + MAX_VALUES) + 1):
            mid = text[i:m]
            if _SHARE.search(mid) or _PLACEHOLDER.search(mid):
                break
            if m > i and (m == len(text) or not (text[m].isdigit() or text[m] in "%")) and rest_at < len(fields):
                continue  # the next cell is a number: it starts on a digit
            if m > i and not _cut(cuts, m, len(text)):
                continue
            rest = _cells(text, m, fields, rest_at, cuts)
            if rest:
                for parts, pref in _value_parts_at(mid, len(slots), cuts.moved(i) if cuts else None):
                    out += [(end, list(zip(slots, parts)) + values, pref + more) for end, values, more in rest]
        return out
    if kind in POINTS:
        pieces = [(p, j) for p, j in _numbers_at(text, i) if not (j < len(text) and text[j] == "%")]
    elif kind in PERCENTS:
        pieces = _percents_at(text, i)
    elif kind == "unit":
        pieces = [(u, i + len(u)) for u in _unit_words() if text.startswith(u, i)] + [("", i)]
    elif kind == "nature":
        pieces = [(text[i:i + len(n)], i + len(n)) for n in _NATURES if _close(text[i:i + len(n)], n)] + [("", i)]
    elif kind == "core":
        pieces = [(text[i], i + 1)] if i < len(text) and text[i] in "是否" else []
    else:
        pieces = [("", i)]
    for piece, j in pieces:
        if piece and not _cut(cuts, j, len(text)):
            continue
        for end, values, more in _cells(text, j, fields, k + 1, cuts):
            out.append((end, [(kind, piece), *values], more + (2 if piece and kind in ("unit", "nature") else 0)))
    return out


def _row_ok(item: Item, weighted: bool = True) -> bool:
    """A row's own arithmetic: score ≤ weight; weight × 得分系数 = score where the form has 得分系数. A form
    without a 分值 column (its groups' shares say the points): a score."""
    weight, score = item.get("weight"), item.get("score")
    if not weighted:  # a weight in the row's name (报告材料（12分）): the score at most that
        return bool(score) and (item.share is None or float(score) <= item.share + 1e-6)
    if not weight or not score or float(score) > float(weight):
        return False
    if item.get("score_rate") and not _agree(float(weight) * _rate(item.get("score_rate")), score):
        return False
    return True


def _row_choices(text: str, i: int, fields: list[str], cuts: Cuts | None = None) -> list[tuple[int, Item]]:
    """The rows that can start at i, each satisfying its own arithmetic; of readings with the same end and
    the same numbers, the one recognising most of the template (names never decide a number). When those
    readings split the target and actual apart in different places (≥10001500: ≥1000 | 1500 or ≥10001 |
    500), the two cells are left empty and the row says so."""
    weighted = "weight" in fields
    seen: dict[tuple, tuple[int, Item]] = {}
    splits: dict[tuple, set] = {}
    for end, item in _row_readings(text, i, fields, cuts):
        if not _row_ok(item, weighted):
            continue
        numbers = (end, tuple((f, v) for f, v in item.values if f in POINTS + PERCENTS))
        cells = tuple(tuple(re.findall(r"\d+(?:\.\d+)?%?", v)) for f, v in item.values if f in VALUE_FIELDS)
        if cuts is not None:  # cells apart by spaces: where the name and each cell end is read, so all must agree
            cells = (item.text, tuple(v for f, v in item.values if f in VALUE_FIELDS))
        kept = seen.get(numbers)
        if kept is not None and item.pref < kept[1].pref:
            continue
        if kept is None or item.pref > kept[1].pref:
            splits[numbers] = set()  # only the readings that recognise most of the template compete
        splits[numbers].add(cells)
        if kept is None or item.pref > kept[1].pref or len(item.text) > len(kept[1].text):
            seen[numbers] = (end, item)
    out = []
    for numbers, (end, item) in seen.items():
        if cuts is not None and (len(splits[numbers]) > 1 or any(v.startswith(GLUED) for _, v in item.values)):
            continue  # where the name or a cell ends is not known: no row is read here (never a guessed cell)
        if len(splits[numbers]) > 1 or any(v.startswith(GLUED) for _, v in item.values):
            glued = text[i + len(item.text):end]
            cells = "".join(v.removeprefix(GLUED) for f, v in item.values if f in VALUE_FIELDS)
            values = tuple((f, "" if f in VALUE_FIELDS else v) for f, v in item.values)
            item = Item("row", item.text, values, share=item.share, pref=item.pref, note=f"{item.text}: 指标值 and 完成值 glued in “{glued}”, "
                                                                     "split more than one way: not read",
                        glued=cells if len(splits[numbers]) == 1 else "")
        out.append((end, item))
    return out


Group = tuple  # (share, sum of the rows' weights so far, every row had a weight) of the open 一级/二级 group, or None
PENDING = float("inf")  # the share of a 一级 group whose cell's further lines come after its first row (-raw)
KEEP = 2  # distinct readings of the numbers kept per state: two are enough to know the text is ambiguous


def _close_group(group: Group | None, cut: bool) -> bool:
    """A group with a share closes when its rows' weights make it (the group a torn-off text ends in, or one
    whose rows gave scores, not weights: at most)."""
    if group is None or group[0] == PENDING:
        return True
    share, total, weights = group
    return total <= share + 1e-6 if cut or not weights else abs(total - share) <= 1e-6


def read_rows(text: str, fields: list[str], levels: bool = True, cuts: Cuts | None = None) -> list[list[Item]]:
    """The readings of the indicator text as levels, rows and a torn-off tail, left to right, ending at the
    form's 总分 row when it has one; a reading is dropped as soon as a group's rows do not make its share
    (the weights; a form without 分值: the scores, at most). At most KEEP readings that differ in their numbers
    are kept per state (position, open groups), the one recognising most of the template each."""
    weighted = "weight" in fields
    start = (0, "", None, None, 0)
    states: dict[tuple, dict[tuple, tuple[int, list[Item]]]] = {start: {(): (0, [])}}
    finished: list[list[Item]] = []
    positions = [0]
    done: set[int] = set()
    while positions:
        i = min(positions)
        positions = [p for p in positions if p != i]
        if i in done:
            continue
        done.add(i)
        for key in [k for k in states if k[0] == i]:
            _, previous, group1, group2, bad = key
            readings = states.pop(key)
            moves: list[tuple[Item, int, str, Group | None, Group | None, int]] = []
            closed = _close_group(group1, False) and _close_group(group2, False)
            if i >= len(text):
                finished += [items + [Item("groups", "", share=float(bad + (not closed)))]
                             for _, items in readings.values()]
                continue
            total = _total_at(text, i)
            if total is not None and previous in ("row", "placeholder", "share"):
                finished += [items + [total, Item("groups", "", share=float(bad + (not closed)))]
                             for _, items in readings.values()]
                continue
            cut = _close_group(group1, True) and _close_group(group2, True)
            finished += [items + [Item("tail", text[i:]), Item("groups", "", share=float(bad + (not cut)))]
                         for _, items in readings.values()]
            for anchor in _anchors_at(text, i, levels):
                if not _cut(cuts, i + len(anchor.text), len(text)):
                    continue  # a level name running on into a row's name (质量指标 | 质量指标达标率)
                if anchor.kind == previous and anchor.kind in ("level1", "level2") and anchor.share is None:
                    continue  # two names of one level in a row: the second starts a row's name
                if previous == "blank_share" and anchor.kind == "level1":
                    continue  # （XX分）'s filled label: the same cell (_drawn_later), never a group of its own
                g1, g2, worse = group1, group2, bad
                if anchor.kind == "level1":
                    worse += not (_close_group(g1, False) and _close_group(g2, False))
                    g1, g2 = ((anchor.share, 0.0, True) if anchor.share is not None else None), None
                elif anchor.kind == "level2":
                    worse += not _close_group(g2, False)
                    g2 = (anchor.share, 0.0, True) if anchor.share is not None else None
                moves.append((anchor, i + len(anchor.text), anchor.kind, g1, g2, min(worse, 1)))
            choices = _row_choices(text, i, fields, cuts)
            if cuts is not None and levels:
                moves += _drawn_later(text, i, cuts, previous, group1, group2, bad, bool(choices))
            for end, row in choices:
                w = float(row.get("weight") if weighted else row.share if row.share is not None
                          else row.get("score") or 0)
                weight = weighted or row.share is not None  # a score only says "at most" of the group's share
                g1 = (group1[0], group1[1] + w, group1[2] and weight) if group1 else None
                g2 = (group2[0], group2[1] + w, group2[2] and weight) if group2 else None
                over = bool((g1 and g1[1] > g1[0] + 1e-6) or (g2 and g2[1] > g2[0] + 1e-6))
                moves.append((row, end, "row", g1, g2, min(bad + over, 1)))
            for item, end, kind, g1, g2, worse in moves:
                target = states.setdefault((end, kind, g1, g2, worse), {})
                for signature, (pref, items) in readings.items():
                    if item.kind == "row" and _late_share_alone(items, item) or \
                            item.kind == "name_end" and _ends_level(items, item.text):
                        continue
                    sig = signature + (_numbers(item),) if item.kind == "row" else signature
                    have = target.get(sig)
                    if have is None or pref + item.pref > have[0]:
                        target[sig] = (pref + item.pref, items + [item])
                if len(target) > KEEP:
                    for sig in sorted(target, key=lambda s: -target[s][0])[KEEP:]:
                        del target[sig]
                positions.append(end)
    return finished


def _ends_level(items: list[Item], piece: str) -> bool:
    """A short line after a row that is the last line of the level cell before it (可持续影响 新增用户数 … 8 |
    指标: 可持续影响 + 指标 is a level name), not of the row's name."""
    level = next((x.text for x in reversed(items) if x.kind in ("level1", "level2")), None)
    return level is not None and _is_level_word(level + piece)


def _late_share_alone(items: list[Item], row: Item) -> bool:
    """A weight drawn after a row's values (… 10 | （40 分）) is the row's only in a form whose rows all carry
    their weights in their names; in one whose rows carry none it is a level's share drawn late."""
    rows = [x for x in items if x.kind == "row"]
    return (row.late and any(x.share is None for x in rows)) or (row.share is None and any(x.late for x in rows))


def _drawn_later(text: str, i: int, cuts: Cuts, previous: str, group1: Group | None, group2: Group | None,
                 bad: int, row_here: bool = False) -> list[tuple[Item, int, str, Group | None, Group | None, int]]:
    """Text in content-stream order where a row was drawn line by line: its first line holds the first line of
    each cell (效益指标 成本指标 年度维护成本增加 ≤8% ≤8% 10), the cells' further lines follow it (（XX / 分）, a
    merged 一级 cell's （40 分）, a name's last line 率, after the next group's 一级 cell). So a 一级 name at a line
    start may open its group before its share (PENDING), its share then standing alone on the lines after the
    row; a short line after a 一级 cell or right after the row, before the next level (年度维护成本增加 ≤8% ≤8% 10 |
    率 | 效益指标) or before a row when no row starts with it (系统故障修复响应 ≤48 小时 ≤48 小时 5 | 时间 | 系统运维…),
    ends the row's name. row_here: a row can start at i."""
    moves = []
    line_start = i + cuts.base in cuts.breaks
    for word in level1_words():
        end = i + len(word)
        if line_start and text.startswith(word, i) and cuts.ok(end) and not _SHARE.match(text, end) \
                and not _BLANK_SHARE.match(text, end):
            worse = bad + (not (_close_group(group1, False) and _close_group(group2, False)))
            moves.append((Item("level1", word, pref=1 + len(word)), end, "level1", (PENDING, 0.0, True), None,
                          min(worse, 1)))
    share = _SHARE.match(text, i) or _BLANK_SHARE.match(text, i)
    if share and line_start and previous == "row" and group1 is not None and group1[0] == PENDING \
            and _cut(cuts, share.end(), len(text)):
        if share.re is _SHARE:  # the group's share: its rows so far must not pass it
            value = float(share.group(1))
            g1 = (value, group1[1], group1[2])
            moves.append((Item("share", share.group(0), share=value, pref=1), share.end(), "share", g1, group2,
                          min(bad + (g1[1] > value + 1e-6), 1)))
        else:  # （XX分）: the template's blank, its filled label (效益指标（20分）) to come in the same cell
            moves.append((Item("blank_share", share.group(0), pref=1), share.end(), "blank_share", group1, group2,
                          bad))
    if previous == "blank_share":
        for anchor in _anchors_at(text, i, True):
            if anchor.kind == "level1" and anchor.share is not None and cuts.ok(i + len(anchor.text)):
                g1 = (anchor.share, group1[1], group1[2])
                moves.append((Item("share", anchor.text, share=anchor.share, pref=1), i + len(anchor.text), "share",
                              g1, group2, min(bad + (g1[1] > anchor.share + 1e-6), 1)))
    if previous in ("level1", "share", "row") and line_start:
        end = next((k for k in range(i + 1, min(len(text), i + 4) + 1) if k + cuts.base in cuts.breaks), None)
        if end is not None and all(_is_hanzi(ch) for ch in text[i:end]) and (
                _anchors_at(text, end, True) or previous == "row" and not row_here):
            moves.append((Item("name_end", text[i:end]), end, "name_end", group1, group2, bad))
    return moves


@cache
def level1_words() -> tuple[str, ...]:
    return tuple(w for w, level in _level_words() if level == "level1")


@cache
def _total_labels() -> tuple[str, ...]:
    from jixiao.normalize.table_view import labels
    return tuple(sorted(labels()["total"], key=len, reverse=True))


def _total_at(text: str, i: int) -> Item | None:
    """The form's 总分 row at i: its label and the claimed total (the last number when 分值 100 comes first:
    总分10098.5 -> 98.5 after 100)."""
    for label in _total_labels():
        if text.startswith(label, i):
            at = i + len(label)
            m = re.match(r"\d+(?:\.\d+)?", text[at:])
            if not m:
                return None
            number = m.group(0)
            if number.startswith("100") and len(number) > 3 and _NUMBER.fullmatch(number[3:]):
                number = number[3:]  # 分值 100, then the score
            return Item("total", text[i:at + m.end()], (("score", number),))
    return None


def _numbers(item: Item) -> tuple:
    return tuple((f, v) for f, v in item.values if f in POINTS + PERCENTS)


def _coverage(items: list[Item]) -> tuple[int, int]:
    tail = sum(len(x.text) for x in items if x.kind == "tail")
    return -tail, sum(x.pref for x in items)


def choose_rows(text: str, fields: list[str], levels: bool = True, budget_score: float = 0.0,
                cuts: Cuts | None = None) -> tuple[list[Item] | None, str]:
    """The one reading the arithmetic allows, reading the most text; when several (that differ in a number)
    do, the one whose scores and budget score make the form's 总分; (None, why) when none or still several."""
    readings = [r for r in read_rows(text, fields, levels, cuts) if any(x.kind == "row" for x in r)]
    if not readings:
        return None, "no reading of the rows"
    most = max(_coverage(r)[0] for r in readings)  # the readings that read the most text,
    readings = [r for r in readings if _coverage(r)[0] == most]
    fewest = min(r[-1].share for r in readings)  # of those, the ones with fewest groups not adding up
    readings = [r[:-1] for r in readings if r[-1].share == fewest]
    if len({_row_numbers(r) for r in readings}) > 1:
        readings = [r for r in readings if _makes_total(r, budget_score)]
    numbers = {_row_numbers(r) for r in readings}
    if len(numbers) != 1:
        return None, f"{len(numbers) or 'no'} readings of the glued numbers add up"
    return _met_splits(max(readings, key=lambda r: _coverage(r)[1]), fields), ""


def _met_splits(items: list[Item], fields: list[str]) -> list[Item]:
    """Rows at full marks whose target and actual numbers were glued (≥10001500) split where the actual meets
    the target (≥1000 | 1500, not ≥10001 | 500), when one split does. A row is at full marks when its score is
    its weight, or its group's scores make the group's share (each score at most its weight, the weights making
    the share: every row scored in full)."""
    full = _full_rows(items, "weight" in fields)
    out = []
    for k, item in enumerate(items):
        met = [s for s in _number_splits(item.glued) if _met(*s, item.text)] if k in full and item.glued else []
        if len(met) == 1:
            values = tuple((f, dict(target=met[0][0], actual=met[0][1]).get(f, v)) for f, v in item.values)
            item = Item("row", item.text, values, share=item.share, pref=item.pref)
        out.append(item)
    return out


def _full_rows(items: list[Item], weighted: bool) -> set[int]:
    """Indices of the rows scored in full: score = weight (a 分值 column, or the weight in the name), or every
    row of a 一级 group whose scores make its share."""
    full = {k for k, x in enumerate(items) if x.kind == "row" and x.get("score") and (
        x.get("weight") if weighted else x.share) and _agree(float(x.get("weight") if weighted else x.share),
                                                            x.get("score"))}
    group: list[int] = []
    share = None
    for k, item in enumerate(items + [Item("level1", "")]):
        if item.kind in ("level1", "total"):
            scores = [items[j].get("score") for j in group]
            if share is not None and group and all(scores) and _agree(sum(map(float, scores)), f"{share:g}"):
                full.update(group)
            group, share = [], item.share
        elif item.kind == "row":
            group.append(k)
    return full


def _number_splits(cells: str) -> list[tuple[str, str]]:
    """Ways to cut two glued quantities (≥10001500, ≥100002.6万) into a target and an actual: each a quantity
    of its own (no leading zero, no number cut at its decimal point)."""
    return [(cells[:k], cells[k:]) for k in range(1, len(cells))
            if cells[k - 1].isdigit() and cells[k].isdigit() and _part_ok(cells[:k]) and _part_ok(cells[k:])]


def _met(target: str, actual: str, name: str) -> bool:
    """The actual meets the target: at least it (at most it for ≤ targets and names that say lower is better)."""
    goal, done = parse_target(target), parse_quantity(actual)
    if goal.quantity is None or done is None:
        return False
    lower = goal.op in ("<=", "<") or (not goal.explicit and operator_by_name(name) == "<=")
    return done.value <= goal.quantity.value if lower else done.value >= goal.quantity.value


def _makes_total(items: list[Item], budget_score: float) -> bool:
    total = next((x.get("score") for x in items if x.kind == "total"), None)
    scores = [float(x.get("score")) for x in items if x.kind == "row" and x.get("score")]
    return total is not None and _agree(budget_score + sum(scores), total)


def _row_numbers(items: list[Item]) -> tuple:
    return tuple(tuple((f, v) for f, v in x.values if f in POINTS + PERCENTS) for x in items if x.kind == "row")


# ---------------------------------------------------------------- the whole form


@dataclass
class LabelForm:
    """A form read by its label sequence, laid out as table rows, and what was left unread."""

    template: str
    title: str
    start: int  # offset of the form's title in the squeezed text
    rows: list[list[str]]
    indicators: int
    unread: list[str] = field(default_factory=list)
    apart: bool = False  # read from text whose cells are apart (cuts): given only when read whole
    doubts: list[str] = field(default_factory=list)  # rows whose cells were not told apart (also in unread)


def squeezed_lines(lines: list[str]) -> list[str]:
    """Each line without spaces, page marks and OCR confusions (the text the labels are looked for in)."""
    return [ocr_clean("".join(line.split())) for line in _page_marks_removed(lines)]


def squeeze_with_cuts(lines: list[str]) -> tuple[str, Cuts]:
    """The squeezed text of lines whose cells are apart, and where its spaces and line breaks were."""
    text, at, breaks = "", {0}, {0}
    for line in _page_marks_removed(lines):
        for token in line.split():
            text += ocr_clean(token)
            at.add(len(text))
        breaks.add(len(text))
    return text, Cuts(frozenset(at), frozenset(breaks))


def squeeze_text(lines: list[str]) -> str:
    return "".join(squeezed_lines(lines))


def read_forms(lines: list[str], apart: bool = False, squeezed: list[str] | None = None) -> list[LabelForm]:
    """The forms in these lines, by the template whose headers are found (the one with most labels): each
    form from its title to the next form's title. apart: the cells are apart by spaces or line breaks (a
    PDF's text layer), so a cell ends only where one was. squeezed: squeezed_lines(lines), when the caller
    has them."""
    if apart:
        text, cuts = squeeze_with_cuts(lines)
    else:
        text, cuts = "".join(squeezed) if squeezed is not None else squeeze_text(lines), None
    found = []
    for template in templates():
        budget = find_sequence(text, template.budget_labels)
        indicators = find_sequence(text, template.indicator_labels, budget[1] if budget else 0)
        if indicators is None:
            continue
        found.append((sum(x[2] for x in (budget, indicators) if x), template, budget, indicators))
    if not found:
        return []
    _, template, budget, indicators = max(found, key=lambda f: f[0])
    headers = [(budget, indicators)]
    while True:
        lo = headers[-1][1][1]
        budget = find_sequence(text, template.budget_labels, lo) if headers[-1][0] else None
        indicators = find_sequence(text, template.indicator_labels, budget[1] if budget else lo)
        if indicators is None or (headers[-1][0] and budget is None):
            break
        headers.append((budget, indicators))
    starts = [_title_start(text, (b or i)[0]) for b, i in headers] + [len(text)]
    forms = [_lay_out(text[:starts[k + 1]], template, b, i, cuts) for k, (b, i) in enumerate(headers)]
    for form in forms:
        form.apart = apart
    return forms


_TITLE_WORD = re.compile(r"自评表|评价表|评分表")
_SENTENCE_END = re.compile(r"[。！？；]")


def _title_start(text: str, end: int) -> int:
    """Where the form's title begins: the sentence holding the last 自评表 before its first block."""
    words = list(_TITLE_WORD.finditer(text, 0, end))
    if not words:
        return 0
    ends = list(_SENTENCE_END.finditer(text, 0, words[-1].start()))
    return ends[-1].end() if ends else 0


def _head(text: str, end: int) -> dict[str, str]:
    """Key-value cells of the form's head (项目名称 X 主管部门 Y 自评得分 98) between its title and its first block."""
    head = _data()["head"]
    hits = []
    lo = _title_start(text, end)
    for role in ("name", "unit", "total", "other"):
        for label in head[role]:
            hit = find_label(text, label, lo, end)
            if hit and hit[1] <= end:
                exact = text[hit[0]:hit[1]] in _spellings(label)[1]
                hits.append((hit[0], not exact, -(hit[1] - hit[0]), hit[1], role, label))
    hits = [(begin, stop, role, label) for begin, _, _, stop, role, label in sorted(hits)]  # exact, longest first
    kept = []
    for hit in hits:
        if kept and hit[0] < kept[-1][1]:
            continue
        kept.append(hit)
    out: dict[str, str] = {}
    out["start"] = str(lo)
    if kept:
        out["title"] = text[lo:kept[0][0]]
    for k, (begin, stop, role, label) in enumerate(kept):
        value = _without_label_tail(text[begin:stop], label, text[stop:kept[k + 1][0] if k + 1 < len(kept) else end])
        if role == "total":
            m = _NUMBER.match(value)
            value = m.group(0) if m else ""
        if role == "unit" and value:
            out.setdefault("units", []).append((label.split("|")[0], value))
        elif role != "other" and value and role not in out:
            out[role] = value
            out[role + "_label"] = label.split("|")[0]
    return out


def _without_label_tail(found: str, label: str, value: str) -> str:
    """The value after a label found short of its last characters (项目实施单 …), without those characters
    where they end the value: the label's cell wrapped, its last line (位) drawn after the row's value."""
    value = value.lstrip(":：")
    for spelling in _spellings(label)[1]:
        tail = spelling[len(found):]
        if spelling.startswith(found) and tail and value.endswith(tail) and len(value) > len(tail):
            return value[:-len(tail)]
    return value


def _header(fields: list[str]) -> list[str]:
    names = _data()["field_headers"]
    return [names[f] for f in fields]


_BLOCK_POINTS = re.compile(r"([\u4e00-\u9fff][\u4e00-\u9fff\s]{1,20})[(（]\s*(\d+(?:\.\d+)?)\s*分\s*[)）]\s*$")


def _block_points(text: str) -> list[str]:
    """The indicator block's side label with its points, standing just before the block's header (年度绩效目 /
    标 / （80 分）): one header cell, which gives the block's points as the table's side cell does."""
    found = _BLOCK_POINTS.search(text)
    return [f"{''.join(found.group(1).split())}（{found.group(2)}分）"] if found else []


_ROW_LABEL = re.compile(r"[\u4e00-\u9fff]{2,}(?=\d)")  # 年度财政资金总额 right before its values
_HEADER_TAIL = re.compile(r"(?:[^\d]|\d+(?:\.\d+)?分)*")  # header cells' further lines: words, (20 分*


def _budget_row(text: str, budget, limit: int, template: Template, cuts: Cuts | None):
    """The budget row after its header: (label, values run, the header's points, reading). Its label and values
    right after the header; else, where the header's cells and the side cell (预算执行情况（万元）（20 分）) had
    further lines drawn between the header and the row (得分 | （20 分* | 元） | （20 分） | 执行率） | 年度财政资金总额 30
    …), those lines skipped up to the first label whose values read, the header's points read among them."""
    at = budget[1]
    label = re.match(r"[^\d]*", text[at:at + 20]).group(0)  # 年度财政资金总额 between the header and its values
    label = label if label and label.translate(_HALF).strip("()") and not re.search(r"[(（)）:：]", label) else ""
    found = _budget_values(text, budget[0], at, label, template, cuts)
    if found[3] is not None:
        return found
    for m in _ROW_LABEL.finditer(text, at, limit):
        if _HEADER_TAIL.fullmatch(text, at, m.start()) and (cuts is None or cuts.ok(m.start())):
            tail = _budget_values(text, budget[0], m.start(), m.group(0), template, cuts)
            if tail[3] is not None:
                return tail
    return found


def _budget_values(text: str, begin: int, at: int, label: str, template: Template, cuts: Cuts | None):
    """(label, run, points, reading) of a budget row whose label starts at `at`, the header from `begin`."""
    run = re.match(r"(?:[0-9.%]|万元|万|元)*", text[at + len(label):]).group(0)
    points = re.search(r"(\d+(?:\.\d+)?)分[*×x＊].*?执行率", text[begin:at].translate(_HALF))
    weight = points.group(1) if points and not {"weight", "budget_weight"} & set(template.budget_fields) else None
    return label, run, weight, read_budget(run, template.budget_fields, weight,
                                           cuts.moved(at + len(label)) if cuts else None)


_HEADER_MARK = re.compile(r"[(（][A-Za-z/]{1,3}[)）]|[(（]\d+(?:\.\d+)?分[)）]")  # （A）, （80 分）
_LABEL_MARK = re.compile(r"[(（][A-Za-z/]{1,3}[)）]")


def _header_lines_after(text: str, at: int, cuts: Cuts | None) -> tuple[int, str]:
    """Where the indicator rows start after their header in text whose cells are apart, and the side cell's
    lines found on the way: the header cells' further lines (（A） （B）) and the side cell's (标, （80 分）) drawn
    after the header's last label are whole short lines of label marks, points and one or two characters,
    before the first level name."""
    if cuts is None:
        return at, ""
    start, side = at, ""
    while start < len(text) and not _anchors_at(text, start, True) \
            and not any(text.startswith(word, start) for word in level1_words()):
        end = next((k for k in range(start + 1, len(text) + 1) if k + cuts.base in cuts.breaks), len(text))
        rest = _HEADER_MARK.sub("", text[start:end])
        if start + cuts.base not in cuts.breaks or len(rest) > 2 or not all(_is_hanzi(ch) for ch in rest):
            return at, ""
        side += _LABEL_MARK.sub("", text[start:end])
        start = end
    return start, side


def _lay_out(text: str, template: Template, budget, indicators, cuts: Cuts | None = None) -> LabelForm:
    head_end = budget[0] if budget else indicators[0]
    head = _head(text, head_end)
    title = head.get("title", "")
    start = int(head["start"])
    rows: list[list[str]] = []
    unread: list[str] = []
    doubts: list[str] = []
    if head.get("name"):
        rows.append(["项目名称", head["name"]])
    rows += [[label, value] for label, value in head.get("units", [])]
    budget_score = 0.0
    if budget:
        label, run, weight, reading = _budget_row(text, budget, indicators[0], template, cuts)
        if reading is None:
            unread.append(f"预算执行 {run or '(no values)'}: no reading of the glued numbers adds up")
        else:
            header = _header(template.budget_fields)
            if weight and "score" in template.budget_fields:  # the header's points: 得分（20分*执行率）
                header[template.budget_fields.index("score")] = f"得分（{weight}分*执行率）"
            rows.append([BUDGET_HEADER, *header])
            rows.append([label or "年度资金总额", *[reading.values.get(f, "") for f in template.budget_fields]])
            score = reading.values.get("score") or reading.values.get("budget_score")
            budget_score = float(score) if score else 0.0
            if reading.unplaced:
                unread.append(f"预算执行: {'、'.join(reading.unplaced)} read but which column it is unknown")
    if head.get("total") and head.get("name"):
        rows.append(["总分", head["total"]])  # stated in the head, before the rows (normalize/cut_off.py)
    levels = any(label.startswith("一级指标") for label in template.indicator_labels)
    rows_at, drawn_after = _header_lines_after(text, indicators[1], cuts)
    items, why = choose_rows(text[rows_at:], template.row_fields, levels, budget_score,
                             cuts.moved(rows_at) if cuts else None)
    n = 0
    if items is None:
        unread.append(f"指标 rows: {why}")
    else:
        fields = [f for f in template.row_fields]
        side = _block_points(text[budget[1] if budget else head_end:indicators[0]] + drawn_after)
        rows.append(["一级指标", "二级指标", "三级指标", *_header(fields), *side])
        level1 = level2 = blank = ""
        for item in items:
            if item.kind == "side" and _BLANK_SHARE.search(item.text):
                blank = item.text + "\n"  # 效益指标（XX分） left from the template: in its filled label's cell
            elif item.kind == "level1":
                level1, level2, blank = blank + item.text, "", ""
            elif item.kind == "level2":
                level2 = item.text
            elif item.kind in ("row", "placeholder"):
                row = [level1, level2, item.text, *[item.get(f) if item.kind == "row" else "" for f in fields]]
                rows.append(row)
                n += item.kind == "row"
                level1 = level2 = ""
                doubt = item.note
                if item.kind == "row" and not item.note and fields[0] in VALUE_FIELDS \
                        and not any(item.get(f) for f in fields if f in VALUE_FIELDS):
                    doubt = f"“{item.text}”: the name and its 指标值 / 完成值 words run together, not told apart"
                unread += [doubt] if doubt else []
                doubts += [doubt] if doubt else []
            elif item.kind in ("share", "blank_share"):  # drawn after the group's first row: into its 一级 cell
                next(r for r in reversed(rows) if r[0])[0] += "\n" + item.text  # its lines, as a table cell's
            elif item.kind == "name_end":  # the last line of the row before's name, drawn after the next 一级 cell
                rows[-1][2] += item.text
            elif item.kind == "total":
                rows.append(["总分", item.get("score")])
            elif item.kind == "tail" and item.text:  # cells apart: the text goes on, its rows are not read
                unread.append(f"{TORN}: “{item.text[:30]}” not read" if cuts is None else
                              f"rows not read from “{item.text[:30]}”")
    if head.get("total") and not head.get("name"):
        rows.append(["总分", head["total"]])  # a department form: a total before its budget block reads as the budget's
    return LabelForm(template.name, title, start, rows, n, unread, doubts=doubts)


# ---------------------------------------------------------------- out-of-order text: a column queue


_NUMBERED = re.compile(r"^指标(\d+)[:：]")
_BARE = re.compile(r"^(?:0|[1-9]\d*)(?:\.\d+)?$")
_QUANTITY_TOKEN = re.compile(r"^[^\d\s]{0,3}\d+(?:\.\d+)?(?:%|[^\d\s]{0,4})$")


@dataclass
class QueueRow:
    target: str
    actual: str
    weight: str
    score: str


def _tokens(lines: list[str]) -> list[str]:
    """The text's tokens, a number and the unit written apart joined (不少于12 种 -> 不少于12种), a header
    word split apart joined (年初预算 数 -> 年初预算数)."""
    raw = [t for line in _page_marks_removed(lines) for t in ocr_clean(line).split()]
    out: list[str] = []
    for tok in raw:
        if out and out[-1][-1:].isdigit() and not _BARE.match(out[-1]) and len(tok) <= 2 \
                and not any(ch.isdigit() for ch in tok) and not _is_header_word(tok):
            out[-1] += tok
        elif out and _is_header_word(out[-1] + tok) and not _is_header_word(tok):
            out[-1] += tok
        else:
            out.append(tok)
    return out


@cache
def _header_words() -> frozenset[str]:
    words = set()
    for template in templates():
        for label in template.budget_labels + template.indicator_labels:
            words.update(_spellings(label)[1])
    return frozenset(words)


def _is_header_word(token: str) -> bool:
    return token in _header_words()


def _is_quantity(token: str) -> bool:
    return bool(_QUANTITY_TOKEN.match(token)) and not _BARE.match(token) or _DASH_CELL.match(token) is not None


def queue_rows(tokens: list[str]) -> tuple[dict[int, str], list[QueueRow], list[str], str]:
    """Indicator rows of text whose cells came out of order (an xlsx's text layer): names numbered 指标N
    go to row N; a burst of three or more values before any weight is a column (the targets, queued); each
    row ends with its weight and score (score ≤ weight ≤ 100) after its actual, taking the next queued
    target. Returns names by number, the rows, names of unread tokens and where the text stopped."""
    names: dict[int, str] = {}
    rows: list[QueueRow] = []
    queue: list[str] = []
    pending: list[str] = []
    last_name: int | None = None
    k = 0
    stop = ""
    while k < len(tokens):
        tok = tokens[k]
        numbered = _NUMBERED.match(tok)
        if numbered:
            n = int(numbered.group(1))
            if n in names:
                stop = " ".join(tokens[k:])
                break  # a second 指标1: the next group (its 二级 name came out elsewhere)
            names[n], last_name = tok, n
            k += 1
            continue
        if _BARE.match(tok) and k + 1 < len(tokens) and _BARE.match(tokens[k + 1]) \
                and float(tokens[k + 1]) <= float(tok) <= 100 and pending:
            actual = pending[-1]
            if queue:
                queue += pending[:-1]
                target = queue.pop(0)
            elif len(pending) == 2:
                target = pending[0]
            elif len(pending) >= 3:
                queue = pending[1:-1]
                target = pending[0]
            else:
                target = ""
            rows.append(QueueRow(target, actual, tok, tokens[k + 1]))
            pending, last_name = [], None
            k += 2
            continue
        if _is_quantity(tok):
            pending.append(tok)
        elif last_name is not None and not _is_header_word(tok) and level_of_word(tok) is None and len(tok) <= 4:
            names[last_name] += tok  # the name's last characters wrapped (报告 / 数)
        elif level_of_word(tok) is not None and rows:
            stop = " ".join(tokens[k:])
            break
        k += 1
    return names, rows, queue + pending, stop


def level_of_word(token: str) -> str | None:
    for word, level in _level_words():
        if token == word or (token.startswith(word) and _SHARE.fullmatch(token[len(word):])):
            return level
    return None


def read_queue_form(lines: list[str]) -> LabelForm | None:
    """A form whose cells came out of order (labels and values interleaved on one line), read by a column
    queue (queue_rows), when a template's header words are all among its tokens and its rows are numbered."""
    tokens = _tokens(lines)
    have = set(tokens)
    template = next((t for t in templates() if all(
        set(_spellings(label)[1]) & have or _spellings(label)[0] for label in t.indicator_labels)), None)
    first = next((k for k, t in enumerate(tokens) if _NUMBERED.match(t) and _NUMBERED.match(t).group(1) == "1"), None)
    if template is None or first is None:
        return None
    head = _queue_head(tokens[:first])
    rows: list[list[str]] = []
    unread: list[str] = []
    if head.get("name"):
        rows.append(["项目名称", head["name"]])
    for label in ("主管部门", "实施单位"):
        if head.get(label):
            rows.append([label, head[label]])
    budget_row = _queue_budget(tokens[:first], template, unread)
    if budget_row:
        rows += [[BUDGET_HEADER, *_header(template.budget_fields)], budget_row]
    names, found, left, stop = queue_rows(tokens[first:])
    if not found or max(names) != len(found):
        unread.append(f"指标 rows: {len(found)} value rows for names up to 指标{max(names)}: not paired")
        found = []
    fields = ["target", "actual", "weight", "score"]
    if found:
        rows.append(["一级指标", "二级指标", "三级指标", *_header(fields)])
        for n, row in enumerate(found, 1):
            rows.append(["", "", names.get(n, f"指标{n}:"), row.target, row.actual, row.weight, row.score])
        missing = [f"指标{n}" for n in range(1, len(found) + 1) if n not in names]
        if missing:
            unread.append(f"names of {'、'.join(missing)} not in the text (their values read by order)")
    if left:
        unread.append(f"values {' '.join(left)} not placed")
    if stop:
        unread.append(f"{TORN}: “{stop[:30]}” not read")
    title = head.get("title", "")
    start = squeeze_text(lines).find("".join(title.split())) if title else 0
    return LabelForm(template.name + " (cells out of order)", title, max(start, 0), rows, len(found), unread)


def _queue_head(tokens: list[str]) -> dict[str, str]:
    """项目名称 X, 主管部门 Y, 实施单位 Z: a label and the token after it; the title: the last 自评表 token
    before 项目名称 and a (2021年度) after it."""
    out: dict[str, str] = {}
    for k, tok in enumerate(tokens[:-1]):
        if tok in _data()["head"]["name"] and "name" not in out:
            out["name"] = tokens[k + 1]
            titles = [j for j in range(k) if _TITLE_WORD.search(tokens[j])]
            if titles:
                j = titles[-1]
                out["title"] = tokens[j] + (tokens[j + 1] if j + 1 < k and re.fullmatch(r"[(（].*[)）]", tokens[j + 1])
                                            else "")
        elif tok in ("主管部门", "实施单位") and tok not in out and not _is_header_word(tokens[k + 1]):
            out[tok] = tokens[k + 1]
    return out


def _queue_budget(tokens: list[str], template: Template, unread: list[str]) -> list[str] | None:
    """The 年度资金总额 row: the values after the budget header's last label up to the first score after a
    rate, split by the form's arithmetic."""
    last = _spellings(template.budget_labels[-1])[1]
    at = max((k for k, t in enumerate(tokens) if t in last), default=None)
    if at is None or "年度资金总额" not in tokens:
        return None
    values: list[str] = []
    for tok in tokens[at + 1:]:
        if not (_BARE.match(tok) or tok.endswith("%") or _DASH_CELL.match(tok)):
            break
        values.append(tok)
        if len(values) >= 2 and values[-2].endswith("%"):
            break  # the score after the rate ends the row
    reading = read_budget_tokens(values, template.budget_fields)
    if reading is None:
        unread.append(f"预算执行 {' '.join(values)}: no reading adds up")
        return None
    if reading.unplaced:
        unread.append(f"预算执行: {'、'.join(reading.unplaced)} read but which column it is unknown")
    return ["年度资金总额", *[reading.values.get(f, "") for f in template.budget_fields]]


def read_budget_tokens(tokens: list[str], fields: list[str]) -> BudgetReading | None:
    """Like read_budget, for values already apart: each token one cell, in the fields' order."""
    def assign(i: int, k: int) -> list[dict[str, str]]:
        if i == len(tokens):
            return [{}]
        if k == len(fields):
            return []
        kind, tok = fields[k], tokens[i]
        out = []
        fits = _DASH_CELL.match(tok) or (tok.endswith("%") if kind in PERCENTS else
                                         _BARE.match(tok) and (kind not in POINTS or float(tok) <= 100))
        if fits:
            out += [({kind: tok} if not _DASH_CELL.match(tok) else {}) | rest for rest in assign(i + 1, k + 1)]
        return out + assign(i, k + 1)
    readings = [((kept, -broken), v) for v in assign(0, 0) if v for kept, broken in [_budget_checks(v)]]
    if not readings or max(c for c, _ in readings)[0] == 0:
        return None
    best = max(c for c, _ in readings)
    top = [v for c, v in readings if c == best]
    agreed = {f: top[0][f] for f in fields if f in top[0] and all(v.get(f) == top[0][f] for v in top)}
    unplaced = sorted({v for r in top for f, v in r.items() if f not in agreed})
    return BudgetReading(agreed, unplaced, best[0])


# ---------------------------------------------------------------- the document


def forms_of(lines: list[str]) -> list[tuple[int, LabelForm]]:
    """(first line, form) of each form this grammar reads in the lines with at least one indicator or budget
    row; none when it reads none. Text whose cells are apart: every form found (those not read whole are
    left as text by the caller), none when no form is read whole; laid out in columns: none."""
    squeezed = squeezed_lines(lines)
    out = [(_first_line(squeezed, form.start), form) for form in read_forms(lines, squeezed=squeezed)]
    if out and _spaced(lines[out[0][0]:]):  # cells apart by spaces and line breaks (a PDF's text layer)
        from jixiao.normalize.flat_forms import FORM_LINES, column_aligned
        laid = column_aligned(lines[out[0][0]:out[0][0] + FORM_LINES])  # pdftotext -layout: a line holds pieces of many rows
        squeezed = ["".join(ocr_clean(token) for token in line.split()) for line in _page_marks_removed(lines)]
        out = [] if laid else [(_first_line(squeezed, form.start), form) for form in read_forms(lines, apart=True)]
        return out if any(not f.unread for _, f in out) else []  # each form's lines: flat_forms._by_labels
    out = out or [(_first_line(squeezed, f.start), f) for f in [read_queue_form(lines)] if f is not None]
    return [(first, f) for first, f in out if f.indicators or any(r and r[0] == BUDGET_HEADER for r in f.rows)]


GLUED_TEXT = 0.02  # spaces per other character in a form's lines: above this its cells are apart, not glued


def _spaced(lines: list[str]) -> bool:
    text = "".join(lines)
    return text.count(" ") > GLUED_TEXT * max(1, len("".join(text.split())))


def _first_line(squeezed: list[str], start: int) -> int:
    offset = 0
    for k, line in enumerate(squeezed):
        if offset + len(line) > start:
            return k
        offset += len(line)
    return len(squeezed)
