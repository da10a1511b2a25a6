"""Forms whose text lost its spaces and table (OCR of a doc-sharing preview, a flattened .doc), read by the
template's fixed label sequence.

A 自评表 prints the same labels in the same order (年初预算数 全年预算数 全年执行数 分值 执行率 得分; 一级指标 二级指标
三级指标 …). Found with OCR tolerance (normalize/data/label_grammar.toml), the labels say where each block's
values start; the values are cut into the template's columns, and numbers glued together (64.864.864.8100%,
22否, 1010是) are split only where the form's own arithmetic picks one reading: 执行数 / 预算数 = 执行率, 分值 ×
执行率 = 得分, 权重 × 得分系数 = 得分, a group's weights add up to its share. When no reading or more than one
satisfies it, the numbers are not taken (never a guessed number): the region stays unread.

The form found is laid out as rows the assembler reads like any table (normalize/flat_forms.py's hook).
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from jixiao.normalize.flat_forms import _vocab as level_vocabulary
from jixiao.patterns import datafile
from jixiao.patterns.datafile import Table
from jixiao.patterns.units import known_units

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
TORN = "text ends inside the form"  # said when the text stops mid-form (normalize/cut_off.py reads it)
SHORT_CELL = 4  # characters: a cell of words this short before a quantity is a cell of its own ("第O份" "20份")
VALUE_FIELDS = ("target", "target_adjusted", "actual")
POINTS = ("weight", "score", "budget_weight", "budget_score")
PERCENTS = ("rate", "score_rate")
AMOUNTS = ("budget_initial", "budget", "executed")
_NUMBER = re.compile(r"(?:0|[1-9]\d*)(?:\.\d+)?")
_SHARE = re.compile(r"[(（](\d+(?:\.\d+)?)分[)）]")
_PLACEHOLDER = re.compile(r"指标[0-9一二三四五六七八九十]+[:：]?")
_PAGE_MARK = re.compile(r"^(\d+)、")
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


@cache
def _data() -> dict:
    return datafile.load(DATA, SCHEMA)


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
        if not any(ch.isdigit() for ch in piece) and len(piece) < 2:
            return piece  # a lone "O" or "l" in a word is not a number
        return "".join(_data()["digits"].get(ch, ch) for ch in piece)
    return run.sub(digits, text)


def _spellings(label: str) -> tuple[bool, list[str]]:
    optional = label.startswith("?")
    return optional, label.lstrip("?").split("|")


def _close(piece: str, label: str) -> bool:
    """OCR-close: one character changed, added or dropped, or the same characters in another order."""
    if piece == label:
        return True
    if len(label) < FUZZY_MIN or abs(len(piece) - len(label)) > 1:
        return False
    extra, missing = Counter(piece) - Counter(label), Counter(label) - Counter(piece)
    if sum(extra.values()) <= 1 and sum(missing.values()) <= 1:
        return True
    return False


def find_label(text: str, label: str, lo: int, hi: int) -> tuple[int, int] | None:
    """Where a label (one of its spellings) occurs in text[lo:hi]: exact first, else OCR-close."""
    _, spellings = _spellings(label)
    for spelling in spellings:
        at = text.find(spelling, lo, hi + len(spelling))
        if at >= 0:
            return at, at + len(spelling)
    for p in range(lo, min(hi, len(text))):
        for spelling in spellings:
            for size in (len(spelling), len(spelling) + 1, len(spelling) - 1):
                if size >= FUZZY_MIN - 1 and p + size <= len(text) and _close(text[p:p + size], spelling):
                    return p, p + size
    return None


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


def _budget_checks(values: dict[str, str]) -> int | None:
    """How many of the form's relations the values satisfy; None when one is broken."""
    checked = 0
    budget = values.get("budget")  # 执行率 is 执行数 over the 全年 (adjusted) budget, never the 年初 one
    if budget and values.get("executed") and values.get("rate"):
        if float(budget) == 0 or not _agree(float(values["executed"]) / float(budget) * 100, values["rate"]):
            return None
        checked += 1
    for weight, score in (("weight", "score"), ("budget_weight", "budget_score")):
        if values.get(weight) and values.get(score) and values.get("rate"):
            if not _agree(float(values[weight]) * min(_rate(values["rate"]), 1.0), values[score]):
                return None
            checked += 1
    for weight, score in (("weight", "score"), ("budget_weight", "budget_score")):
        if values.get(weight) and values.get(score) and float(values[score]) > float(values[weight]):
            return None
    return checked


def _budget_assignments(run: str, fields: list[str], i: int = 0, k: int = 0) -> list[dict[str, str]]:
    """Every way to read the glued run as values of the fields in order (a field may be left empty)."""
    if i == len(run):
        return [{}]
    if k == len(fields):
        return []
    out = []
    kind = fields[k]
    pieces = _percents_at(run, i) if kind in PERCENTS else \
        [(p, j) for p, j in _numbers_at(run, i, 100.0 if kind in POINTS else None)
         if not (j < len(run) and run[j] == "%")]
    for piece, j in pieces:
        for rest in _budget_assignments(run, fields, j, k + 1):
            out.append({kind: piece, **rest})
    out += _budget_assignments(run, fields, i, k + 1)  # this column left empty
    return out


def read_budget(run: str, fields: list[str]) -> BudgetReading | None:
    """The budget values glued in `run`, split by the form's arithmetic. Values every best reading agrees on
    are taken; numbers whose column the readings disagree on are left unplaced; None when nothing checks."""
    readings = []
    for values in _budget_assignments(run, fields):
        checked = _budget_checks(values)
        if checked is not None and values:
            readings.append((checked, values))
    if not readings:
        return None
    best = max(c for c, _ in readings)
    if best == 0:
        return None  # nothing the arithmetic confirms: a glued run is not split on a guess
    top = [v for c, v in readings if c == best]
    agreed = {f: top[0][f] for f in fields if f in top[0] and all(v.get(f) == top[0][f] for v in top)}
    unplaced = sorted({v for r in top for f, v in r.items() if f not in agreed})
    return BudgetReading(agreed, unplaced, best)


# ---------------------------------------------------------------- indicator rows


@dataclass(frozen=True)
class Item:
    kind: str  # level1 | level2 | side | placeholder | row | tail
    text: str
    values: tuple[tuple[str, str], ...] = ()  # a row's fields
    share: float | None = None  # a level's (N分)
    pref: int = 0  # how much of the template the reading recognised (names only: never decides a number)

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


def _anchors_at(text: str, i: int, levels: bool) -> list[Item]:
    """Level names (when the template has level columns), side labels and spare template rows (指标2:)
    starting at i."""
    out = []
    for word, level in _level_words() if levels else ():
        if text.startswith(word, i):
            end = i + len(word)
            share = _SHARE.match(text, end)
            if share:
                out.append(Item(level, text[i:share.end()], share=float(share.group(1)), pref=3 + len(word)))
            elif level == "level2":
                out.append(Item(level, word, pref=2 + len(word)))  # the longest level name that fits
    for word in _data()["side_labels"]:
        if text.startswith(word, i):
            out.append(Item("side", word, pref=2))
    m = _PLACEHOLDER.match(text, i)
    if m:
        out.append(Item("placeholder", m.group(0), pref=1))
    return out


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
        if not left[-1].isdigit() and (right[0].isdigit() or right[0] in "≥≤<>=") \
                and (_quantity(left) or len(left) <= SHORT_CELL) \
                and _part_ok(right) and _part_ok(left):
            clean = left[0].isdigit() or left[0] in "≥≤<>="  # a quantity, not a name's last characters
            out.append(((left,) + ("",) * (slots - 2) + (right,), 2 + clean))
    if not out and _part_ok(mid):
        out.append((("",) * (slots - 1) + (mid,), 0))
    return out


def _quantity(text: str) -> bool:
    return any(ch.isdigit() for ch in text) and not text[-1].isdigit()


_ONE_QUANTITY = re.compile(r"[^\d]{0,3}\d+(?:\.\d+)?[^\d]{0,4}")  # "2370人", "≥95%", "到0次", "M.8万元"
_DATE = re.compile(r"\d{4}年(?:\d{1,2}月)?(?:\d{1,2}日)?[^\d]{0,6}")  # "2021年12月完成"


def _part_ok(text: str) -> bool:
    """A cell's text: words, or one quantity (a number with a short prefix and unit), or a date; no
    leading zero before a digit. Anything more is cells of several rows run together."""
    if not text or not any(ch.isdigit() for ch in text):
        return True
    if re.match(r"0\d", text):
        return False
    return bool(_ONE_QUANTITY.fullmatch(text) or _DATE.fullmatch(text))


def _row_readings(text: str, i: int, fields: list[str]) -> list[tuple[int, Item]]:
    """Every reading of a row starting at i: its name, then the template's cells in order."""
    out: list[tuple[int, Item]] = []
    j = i
    while j < len(text) and j - i < MAX_NAME and not text[j].isdigit() and not _SHARE.match(text, j):
        j += 1
        if j - i >= 2 and text[i:j] not in _unit_words():  # "万元" alone is the tail of a cell, not a name
            name = text[i:j]
            for end, values, pref in _cells(text, j, fields, 0):
                out.append((end, Item("row", name, tuple(values), pref=pref)))
    return out


def _cells(text: str, i: int, fields: list[str], k: int) -> list[tuple[int, list[tuple[str, str]], int]]:
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
            for parts, pref in _value_parts(mid, len(slots)):
                for end, values, more in _cells(text, m, fields, rest_at):
                    out.append((end, list(zip(slots, parts)) + values, pref + more))
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
        for end, values, more in _cells(text, j, fields, k + 1):
            out.append((end, [(kind, piece), *values], more + (2 if piece and kind in ("unit", "nature") else 0)))
    return out


def _row_ok(item: Item) -> bool:
    """A row's own arithmetic: score ≤ weight; weight × 得分系数 = score where the form has 得分系数."""
    weight, score = item.get("weight"), item.get("score")
    if not weight or not score or float(score) > float(weight):
        return False
    if item.get("score_rate") and not _agree(float(weight) * _rate(item.get("score_rate")), score):
        return False
    return True


def _row_choices(text: str, i: int, fields: list[str]) -> list[tuple[int, Item]]:
    """The rows that can start at i, each satisfying its own arithmetic; of readings with the same end and
    the same numbers, the one recognising most of the template (names never decide a number)."""
    seen: dict[tuple, tuple[int, Item]] = {}
    for end, item in _row_readings(text, i, fields):
        if not _row_ok(item):
            continue
        numbers = (end, tuple((f, v) for f, v in item.values if f in POINTS + PERCENTS))
        kept = seen.get(numbers)
        if kept is None or item.pref > kept[1].pref or (item.pref == kept[1].pref and len(item.text) > len(kept[1].text)):
            seen[numbers] = (end, item)
    return list(seen.values())


Group = tuple  # (share, sum of the rows' weights so far) of the open 一级 and 二级 group, or None
KEEP = 2  # distinct readings of the numbers kept per state: two are enough to know the text is ambiguous


def _close_group(group: Group | None, cut: bool) -> bool:
    """A group with a share closes when its rows' weights make it (the group a torn-off text ends in: at most)."""
    if group is None:
        return True
    share, total = group
    return total <= share + 1e-6 if cut else abs(total - share) <= 1e-6


def read_rows(text: str, fields: list[str], levels: bool = True) -> list[list[Item]]:
    """The readings of the indicator text as levels, rows and a torn-off tail, left to right; a reading is
    dropped as soon as a group's rows do not make its share. At most KEEP readings that differ in their
    numbers are kept per state (position, open groups), the one recognising most of the template each."""
    start = (0, "", None, None)
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
            _, previous, group1, group2 = key
            readings = states.pop(key)
            moves: list[tuple[Item, int, str, Group | None, Group | None]] = []
            if i >= len(text):
                if _close_group(group1, False) and _close_group(group2, False):
                    finished += [items for _, items in readings.values()]
                continue
            tail = Item("tail", text[i:])
            if _close_group(group1, True) and _close_group(group2, True):
                finished += [items + [tail] for _, items in readings.values()]
            for anchor in _anchors_at(text, i, levels):
                if anchor.kind == previous and anchor.kind in ("level1", "level2") and anchor.share is None:
                    continue  # two names of one level in a row: the second starts a row's name
                g1, g2 = group1, group2
                if anchor.kind == "level1":
                    if not (_close_group(g1, False) and _close_group(g2, False)):
                        continue
                    g1, g2 = ((anchor.share, 0.0) if anchor.share is not None else None), None
                elif anchor.kind == "level2":
                    if not _close_group(g2, False):
                        continue
                    g2 = (anchor.share, 0.0) if anchor.share is not None else None
                moves.append((anchor, i + len(anchor.text), anchor.kind, g1, g2))
            for end, row in _row_choices(text, i, fields):
                w = float(row.get("weight") or 0)
                g1 = (group1[0], group1[1] + w) if group1 else None
                g2 = (group2[0], group2[1] + w) if group2 else None
                if (g1 and g1[1] > g1[0] + 1e-6) or (g2 and g2[1] > g2[0] + 1e-6):
                    continue
                moves.append((row, end, "row", g1, g2))
            for item, end, kind, g1, g2 in moves:
                target = states.setdefault((end, kind, g1, g2), {})
                for signature, (pref, items) in readings.items():
                    sig = signature + (_numbers(item),) if item.kind == "row" else signature
                    have = target.get(sig)
                    if have is None or pref + item.pref > have[0]:
                        target[sig] = (pref + item.pref, items + [item])
                if len(target) > KEEP:
                    for sig in sorted(target, key=lambda s: -target[s][0])[KEEP:]:
                        del target[sig]
                positions.append(end)
    return finished


def _numbers(item: Item) -> tuple:
    return tuple((f, v) for f, v in item.values if f in POINTS + PERCENTS)


def _coverage(items: list[Item]) -> tuple[int, int]:
    tail = sum(len(x.text) for x in items if x.kind == "tail")
    return -tail, sum(x.pref for x in items)


def choose_rows(text: str, fields: list[str], levels: bool = True) -> tuple[list[Item] | None, str]:
    """The one reading the arithmetic allows, reading the most text; (None, why) when none or several
    (that differ in a number) do."""
    readings = [r for r in read_rows(text, fields, levels) if any(x.kind == "row" for x in r)]
    if not readings:
        return None, "no reading of the rows adds up"
    most = max(_coverage(r)[0] for r in readings)
    readings = [r for r in readings if _coverage(r)[0] == most]
    numbers = {_row_numbers(r) for r in readings}
    if len(numbers) > 1:
        return None, f"{len(numbers)} readings of the glued numbers add up"
    return max(readings, key=lambda r: _coverage(r)[1]), ""


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


def _page_marks_removed(lines: list[str]) -> list[str]:
    """Doc-sharing previews number pages at line starts (1、 … 2、 …): removed when they count up."""
    marks = [(k, m) for k, line in enumerate(lines) if (m := _PAGE_MARK.match(line))]
    numbers = [int(m.group(1)) for _, m in marks]
    if len(marks) < 2 or numbers != list(range(numbers[0], numbers[0] + len(numbers))):
        return lines
    out = list(lines)
    for k, m in marks:
        out[k] = lines[k][m.end():]
    return out


def squeezed_lines(lines: list[str]) -> list[str]:
    """Each line without spaces, page marks and OCR confusions (the text the labels are looked for in)."""
    return [ocr_clean("".join(line.split())) for line in _page_marks_removed(lines)]


def squeeze_text(lines: list[str]) -> str:
    return "".join(squeezed_lines(lines))


def read_form(lines: list[str]) -> LabelForm | None:
    """The form in these lines, when a template's indicator header (and budget header) is found in them."""
    text = squeeze_text(lines)
    found = []
    for template in templates():
        budget = find_sequence(text, template.budget_labels)
        indicators = find_sequence(text, template.indicator_labels, budget[1] if budget else 0)
        if indicators is None:
            continue
        found.append((sum(x[2] for x in (budget, indicators) if x), template, budget, indicators))
    if not found:
        return None
    _, template, budget, indicators = max(found, key=lambda f: f[0])
    return _lay_out(text, template, budget, indicators)


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
        value = text[stop:kept[k + 1][0] if k + 1 < len(kept) else end]
        if role == "total":
            m = _NUMBER.match(value)
            value = m.group(0) if m else ""
        if role != "other" and value and role not in out:
            out[role] = value
            out[role + "_label"] = label.split("|")[0]
    return out


def _header(fields: list[str]) -> list[str]:
    names = _data()["field_headers"]
    return [names[f] for f in fields]


def _lay_out(text: str, template: Template, budget, indicators) -> LabelForm:
    head_end = budget[0] if budget else indicators[0]
    head = _head(text, head_end)
    title = head.get("title", "")
    start = int(head["start"])
    rows: list[list[str]] = []
    unread: list[str] = []
    if head.get("name"):
        rows.append(["项目名称", head["name"]])
    if head.get("unit"):
        rows.append([head["unit_label"], head["unit"]])
    if budget:
        run = re.match(r"[0-9.%]*", text[budget[1]:]).group(0)
        reading = read_budget(run, template.budget_fields)
        if reading is None:
            unread.append(f"预算执行 {run or '(no values)'}: no reading of the glued numbers adds up")
        else:
            rows.append(["项目资金(万元)", *_header(template.budget_fields)])
            rows.append(["年度资金总额", *[reading.values.get(f, "") for f in template.budget_fields]])
            if reading.unplaced:
                unread.append(f"预算执行: {'、'.join(reading.unplaced)} read but which column it is unknown")
    if head.get("total") and head.get("name"):
        rows.append(["总分", head["total"]])  # stated in the head, before the rows (normalize/cut_off.py)
    levels = any(label.startswith("一级指标") for label in template.indicator_labels)
    items, why = choose_rows(text[indicators[1]:], template.row_fields, levels)
    n = 0
    if items is None:
        unread.append(f"指标 rows: {why}")
    else:
        fields = [f for f in template.row_fields]
        rows.append(["一级指标", "二级指标", "三级指标", *_header(fields)])
        level1 = level2 = ""
        for item in items:
            if item.kind == "level1":
                level1, level2 = item.text, ""
            elif item.kind == "level2":
                level2 = item.text
            elif item.kind in ("row", "placeholder"):
                row = [level1, level2, item.text, *[item.get(f) if item.kind == "row" else "" for f in fields]]
                rows.append(row)
                n += item.kind == "row"
                level1 = level2 = ""
            elif item.kind == "tail" and item.text:
                unread.append(f"{TORN}: “{item.text[:30]}” not read")
    if head.get("total") and not head.get("name"):
        rows.append(["总分", head["total"]])  # a department form: a total before its budget block reads as the budget's
    return LabelForm(template.name, title, start, rows, n, unread)


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
        rows += [["项目资金(万元)", *_header(template.budget_fields)], budget_row]
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
    readings = [(c, v) for v in assign(0, 0) if (c := _budget_checks(v)) is not None and v]
    if not readings or max(c for c, _ in readings) == 0:
        return None
    best = max(c for c, _ in readings)
    top = [v for c, v in readings if c == best]
    agreed = {f: top[0][f] for f in fields if f in top[0] and all(v.get(f) == top[0][f] for v in top)}
    unplaced = sorted({v for r in top for f, v in r.items() if f not in agreed})
    return BudgetReading(agreed, unplaced, best)


# ---------------------------------------------------------------- the document


def blocks_of(lines: list[str]) -> tuple[int, LabelForm] | None:
    """(first line of the form, the form) when the lines hold a form this grammar reads with at least one
    indicator row or budget row."""
    form = read_form(lines) or read_queue_form(lines)
    if form is None or not (form.indicators or any(r and r[0] == "年度资金总额" for r in form.rows)):
        return None
    offset, first = 0, len(lines)
    for k, line in enumerate(squeezed_lines(lines)):
        if offset + len(line) > form.start:
            first = k
            break
        offset += len(line)
    return first, form
