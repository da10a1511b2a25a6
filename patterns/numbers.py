"""Numbers as the reports write them: 680万, 6727625.90元, ≥2.6万次, 200余个, 超百万, 一百二十, 80%（含）-90%.

parse_quantity reads the one value in a table cell; find_quantities finds every number in running
text, skipping years, dates, document numbers (财预〔2020〕10号), list markers and book titles.
Both work on a copy of the text whose full-width digits/signs are mapped one-to-one to ASCII, so
spans point into the original string.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from pathlib import Path

from jixiao.patterns import datafile, units
from jixiao.patterns.datafile import Table

MEMO_SIZE = 1 << 16  # distinct strings remembered per recogniser

DATA = Path(__file__).parent / "data" / "numbers.toml"
SCHEMA = {
    "approx": {"prefixes": [str], "after_number": [str], "after_unit": [str], "not_after_unit": [str],
               "cn_only_prefixes": [str], "cn_not_before": [str]},
    "multipliers": Table(float),
    "chinese_digits": Table(int),
    "chinese_places": Table(int),
    "chinese_sections": Table(float),
    "range": {"separators": [str]},
    "blank": {"words": [str]},
    "set_phrases": {"words": [str], "numeral_then": [str]},
}


@dataclass(frozen=True)
class Quantity:
    raw: str                 # text it was parsed from
    number: float            # as written, after numeral conversion ("2.6万次" -> 2.6)
    multiplier: float        # 万 1e4, 亿 1e8, 千 1e3 when written as a multiplier word, else 1
    unit: str | None         # unit as written, multiplier stripped; None = unitless
    unit_class: str | None   # money, percent, duration, count, score, people, rate, … or None
    approx: bool             # 200余个, 近1800万, 超百万, 约
    low: float | None = None   # range bounds, in normalised units (value_norm's scale)
    high: float | None = None

    @property
    def value(self) -> float:
        return self.number * self.multiplier

    @property
    def value_norm(self) -> float:
        """万元 for money, a fraction for percent, 小时 for durations, the value itself otherwise."""
        return units.normalise_value(self.value, self.unit)

    @property
    def unit_norm(self) -> str | None:
        return units.norm_unit(self.unit)

    @property
    def is_range(self) -> bool:
        return self.low is not None and self.high is not None


@cache
def _vocab() -> dict:
    return datafile.load(DATA, SCHEMA)


# One-to-one character map (keeps spans valid): full-width digits, letters and signs to ASCII.
_FULLWIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF10, 0xFF1A)}
_FULLWIDTH.update({cp: cp - 0xFEE0 for cp in range(0xFF21, 0xFF3B)})
_FULLWIDTH.update({cp: cp - 0xFEE0 for cp in range(0xFF41, 0xFF5B)})
_FULLWIDTH.update({ord(a): ord(b) for a, b in zip("％．－＋＜＝＞（）／～\u3000\u2212\ufe63\u00a0", "%.-+<=>()/~ --  ")})
_ASCII_ONLY = {ord(" "): " "}
_MAPPED = re.compile("[" + "".join(map(re.escape, map(chr, sorted(_FULLWIDTH)))) + "]")


def ascii_view(text: str) -> str:
    """text with full-width digits and signs as ASCII, same length so spans carry over."""
    # translate looks up every character in the map (a miss costs an exception): most text holds none of them
    return text.translate(_FULLWIDTH) if _MAPPED.search(text) else text


# ---- Chinese numerals -------------------------------------------------------------------------

_CN_CHARS = "零〇一二两三四五六七八九十百千万亿"


def chinese_to_number(text: str) -> float | None:
    """一百二十 -> 120, 两千万 -> 2e7, 十 -> 10, 三点五 -> 3.5; None if it is not a numeral."""
    vocab = _vocab()
    digits, places, sections = vocab["chinese_digits"], vocab["chinese_places"], vocab["chinese_sections"]
    whole, _, frac = text.partition("点")
    if not whole or (frac and not all(ch in digits for ch in frac)):
        return None
    done, section, digit = 0.0, 0.0, None
    for ch in whole:
        if ch in digits:
            if digit and digits[ch]:
                return None  # 一二 is a list, not a numeral
            digit = digits[ch]
        elif ch in places:
            section += (1 if digit is None else digit) * places[ch]
            digit = None
        elif ch in sections:
            section += digit or 0
            done = (done + (section or 1)) * sections[ch] if sections[ch] > 1e4 else done + (section or 1) * sections[ch]
            section, digit = 0.0, None
        else:
            return None
    total = done + section + (digit or 0)
    if frac:
        total += float("0." + "".join(str(digits[ch]) for ch in frac))
    return total if math.isfinite(total) else None


def _split_cn_multiplier(core: str) -> tuple[str, float]:
    """两千万 -> (两千, 1e4); 百万 -> (百, 1e4); 一百二十 -> (一百二十, 1)."""
    sections = _vocab()["chinese_sections"]
    for word in sorted(sections, key=sections.get, reverse=True):
        if len(core) > 1 and core.endswith(word) and word not in core[:-1]:
            return core[:-1], sections[word]
    return core, 1.0


# ---- the scanner ------------------------------------------------------------------------------

_DIGIT_CORE = re.compile(r"(?<![0-9.])(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?(?![0-9])")
_CN_CORE = re.compile(r"百分之|[零〇一二两三四五六七八九十百千万亿]+(?:点[零〇一二三四五六七八九]+)?")
_CN_WHOLE = re.compile(r"[零〇一二两三四五六七八九十百千万亿]+(?:点[零〇一二三四五六七八九]+)?")
_SPACES = re.compile(r"[ \t]*")
_PAIR_OPEN = re.compile(r"[ \t]*\([ \t]*")
_PAIR_CLOSE = re.compile(r"[ \t]*\)")
_RANGE_NOTE = re.compile(r"[ \t]*\((?:不?包?含)[^()\n]{0,10}\)")
_MAX_DIGITS = 18  # longer runs are ids or account numbers, not quantities

# Spans that hold digits but no quantity, in a cell or in prose: titles, document numbers, years,
# dates, ordinals, codes glued to Latin letters (4G, H5, A101).
_NOT_QUANTITIES = [re.compile(p) for p in (
    r"《[^《》\n]{0,60}》",
    r"[〔【\[(]\s*(?:19|20)[0-9]{2}\s*[〕】\])]\s*第?\s*[0-9]*\s*号?",
    r"(?:19|20)[0-9]{2}\s*[-—–~至到]+\s*(?:19|20)[0-9]{2}\s*年?度?",
    r"(?<![0-9.])(?:19|20)[0-9]{2}\s*年度?",
    # 2022.2.7, 2022-02-07, 2022/2; not 1967.13 (an amount)
    r"(?<![0-9.])(?:19|20)[0-9]{2}\.(?:0?[1-9]|1[0-2])\.(?:0?[1-9]|[12][0-9]|3[01])(?![0-9])",
    r"(?<![0-9.])(?:19|20)[0-9]{2}[-/](?:0?[1-9]|1[0-2])(?:[-/](?:0?[1-9]|[12][0-9]|3[01]))?(?![0-9])",
    r"(?<![0-9.])[0-9]{1,2}\s*[-—–~至到]\s*[0-9]{1,2}\s*月",
    r"(?<![0-9.])[0-9]{1,2}\s*月(?:\s*[0-9]{1,2}\s*[日号])?",
    r"[次每当下本上]\s*月\s*[0-9]{1,2}\s*[日号]",  # 次月10日前: a day of the month, not a value
    r"(?<![0-9.])[0-9]{1,2}\s*[日号]\s*(?:之|以)?前",  # 10日前 / 15号前: a deadline
    r"(?<![0-9.])[0-9]{1,2}:[0-9]{2}",
    r"第\s*[0-9零〇一二两三四五六七八九十百千]+",
    r"[A-Za-z]+[0-9]+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?[A-Za-z]+",
)]
# Only in prose: list markers (（1）, 1、, "2. " at a line start), day numbers, 17号.
_PROSE_ONLY = [re.compile(p) for p in (
    r"(?<![0-9.])[0-9]{1,2}\s*日",
    r"\(\s*[0-9]{1,2}\s*\)",
    r"(?<![0-9.])[0-9]{1,2}\s*、",
    r"(?:^|(?<=\n))[ \t]*[0-9]{1,2}\s*\.(?![0-9])",
    r"[0-9]+\s*号",
)]


@cache
def _unit_pattern() -> re.Pattern[str]:
    alternation = "|".join(re.escape(ascii_view(u)) for u in units.known_units())
    return re.compile(f"(?:{alternation})")


@cache
def _multiplier_words() -> list[str]:
    return sorted(_vocab()["multipliers"], key=len, reverse=True)


@cache
def _approx_words(key: str) -> list[str]:
    return sorted(_vocab()["approx"][key], key=len, reverse=True)


@cache
def _prefixes() -> list[str]:
    return sorted(_vocab()["approx"]["prefixes"], key=len, reverse=True)


# one alternation per mode: a single pass over the text instead of one per pattern
_CELL_MASK = re.compile("|".join(f"(?:{p.pattern})" for p in _NOT_QUANTITIES))
_PROSE_MASK = re.compile("|".join(f"(?:{p.pattern})" for p in _NOT_QUANTITIES + _PROSE_ONLY))
_ANY_NUMERAL = re.compile(r"[0-9零〇一二两三四五六七八九十百千万亿]")


@cache
def _set_phrases() -> re.Pattern[str]:
    """Slogans and fixed phrases (五位一体, 四个全面): their numerals count nothing."""
    phrases = _vocab()["set_phrases"]
    words = sorted(phrases["words"], key=len, reverse=True)
    shaped = r"[一二两三四五六七八九十]+\s*[位个项]\s*(?:" + "|".join(map(re.escape, phrases["numeral_then"])) + ")"
    return re.compile("|".join(map(re.escape, words)) + "|" + shaped)


def _masked(text: str, prose: bool) -> bytearray:
    mask = bytearray(len(text))
    for m in (_PROSE_MASK if prose else _CELL_MASK).finditer(text):
        mask[m.start():m.end()] = b"\x01" * (m.end() - m.start())
    for m in _set_phrases().finditer(text):
        mask[m.start():m.end()] = b"\x01" * (m.end() - m.start())
    return mask


@dataclass(frozen=True)
class _Read:
    start: int
    end: int
    number: float
    multiplier: float
    unit: str | None
    approx: bool


def _starts_with_any(text: str, pos: int, words: list[str]) -> str | None:
    for word in words:
        if text.startswith(word, pos):
            return word
    return None


def _read_unit(t: str, i: int) -> tuple[str | None, int]:
    """Unit at t[i:], with a bracketed second unit (篇（条）) or a per-unit (条/天)."""
    m = _unit_pattern().match(t, i)
    if not m:
        return None, i
    unit, j = m.group(), m.end()
    pair = _PAIR_OPEN.match(t, j)
    inner = _unit_pattern().match(t, pair.end()) if pair else None
    close = _PAIR_CLOSE.match(t, inner.end()) if inner else None
    if close:
        return f"{unit}({inner.group()})", close.end()
    if t.startswith("/", j):
        per = _unit_pattern().match(t, j + 1)
        if per:
            return f"{unit}/{per.group()}", per.end()
    return unit, j


def _read_tail(t: str, i: int) -> tuple[float, str | None, bool, int]:
    """After the digits: [余/多] [multiplier [余/多]] [unit] [左右] -> (multiplier, unit, approx, end)."""
    vocab = _vocab()
    after_number = tuple(vocab["approx"]["after_number"])
    approx, multiplier, end = False, 1.0, i
    j = _SPACES.match(t, i).end()
    word = _starts_with_any(t, j, _approx_words("after_number"))
    if word:
        approx, j = True, j + len(word)
        end = j
    unit, k = _read_unit(t, j)
    if unit is None:
        word = _starts_with_any(t, j, _multiplier_words())
        if word:
            multiplier, j = vocab["multipliers"][word], j + len(word)
            end = j
            word = _starts_with_any(t, j, _approx_words("after_number"))
            if word:
                approx, j = True, j + len(word)
                end = j
            unit, k = _read_unit(t, _SPACES.match(t, j).end())
    if unit is not None:
        end = k
        after = _SPACES.match(t, end).end()
        word = _starts_with_any(t, after, _approx_words("after_unit"))
        if word and not t.startswith(tuple(vocab["approx"]["not_after_unit"]), after):
            approx, end = True, after + len(word)
    else:
        word = _starts_with_any(t, j, [w for w in _approx_words("after_unit") if w not in after_number])
        if word:
            approx, end = True, j + len(word)
    return multiplier, unit, approx, end


def _approx_prefix(t: str, start: int, cn: bool) -> int | None:
    """Start of an approximation word ending right before start (约, 近, 超, 数百万's 数)."""
    cn_only = set(_vocab()["approx"]["cn_only_prefixes"])
    before = len(t[:start].rstrip(" \t"))
    for word in _prefixes():
        if word in cn_only and not cn:
            continue
        if t.endswith(word, 0, before):
            if t.endswith(("不", "未"), 0, before - len(word)):
                return None  # 不超过3天 is a bound, not an approximation
            return before - len(word)
    return None


def _read_digits(t: str, m: re.Match[str]) -> _Read | None:
    core = m.group()
    if len(core.replace(",", "").replace(".", "")) > _MAX_DIGITS:
        return None
    number = float(core.replace(",", ""))
    start = m.start()
    if start > 0 and t[start - 1] == "-" and (start < 2 or not (t[start - 2].isdigit() or t[start - 2] in "%)")):
        number, start = -number, start - 1
    multiplier, unit, approx, end = _read_tail(t, m.end())
    prefix = _approx_prefix(t, start, cn=False)
    if prefix is not None:
        approx, start = True, prefix
    return _Read(start, end, number, multiplier, unit, approx)


def _read_percent_words(t: str, m: re.Match[str]) -> _Read | None:
    """百分之九十 / 百分之90 -> 90 %."""
    following = _DIGIT_CORE.match(t, m.end()) or _CN_WHOLE.match(t, m.end())
    if not following:
        return None
    text = following.group()
    value = float(text.replace(",", "")) if text[0].isdigit() else chinese_to_number(text)
    if value is None or len(text) > _MAX_DIGITS:
        return None
    return _Read(m.start(), following.end(), value, 1.0, "%", False)


def _read_chinese(t: str, m: re.Match[str]) -> _Read | None:
    """A Chinese numeral counts only with a unit (两个, 一名) or as 超百万 / 近千万 / 上万."""
    core, start = m.group(), m.start()
    if core == "百分之":
        return _read_percent_words(t, m)
    end_core = m.end()
    body, multiplier = _split_cn_multiplier(core)
    if multiplier != 1.0:
        unit_here = _unit_pattern().match(t, end_core - 1)
        if unit_here and unit_here.end() > end_core:  # 五百万元: the 万 belongs to the unit
            body, multiplier, end_core = core[:-1], 1.0, end_core - 1
    number = chinese_to_number(body)
    if number is None:
        return None
    tail_multiplier, unit, approx, end = _read_tail(t, end_core)
    if tail_multiplier != 1.0:
        return None
    prefix = _approx_prefix(t, start, cn=True)
    lone_word = core in _vocab()["multipliers"] or core in ("十", "百", "千")
    if unit is None and not (prefix is not None and (multiplier != 1.0 or lone_word)):
        return None  # 一是, 十九大, 百亿 in a name
    if lone_word and prefix is None:
        return None  # 万家, 百年
    if unit == "年":
        return None  # 百年华诞, 三年行动
    if unit is not None and t.startswith(tuple(_vocab()["approx"]["cn_not_before"]), end):
        return None  # 一次性, 一条龙
    if prefix is not None:
        approx, start = True, prefix
    return _Read(start, end, number, multiplier, unit, approx)


def _finite(read: _Read) -> bool:
    value = read.number * read.multiplier
    return math.isfinite(value) and math.isfinite(units.normalise_value(value, read.unit))


def _to_quantity(original: str, read: _Read, low: float | None = None, high: float | None = None) -> Quantity:
    unit = units.clean_unit(read.unit)
    return Quantity(
        raw=original[read.start:read.end].strip(),
        number=read.number,
        multiplier=read.multiplier,
        unit=unit,
        unit_class=units.unit_class(unit),
        approx=read.approx,
        low=low,
        high=high,
    )


def _try_range(t: str, first: _Read, mask: bytearray, prose: bool) -> tuple[_Read, float, float] | None:
    """first-second with an optional （含）note on either end: 80%（含）-90%, 100-80%（含80%）, 2-3条."""
    i = first.end
    note = _RANGE_NOTE.match(t, i)
    i = _SPACES.match(t, note.end() if note else i).end()
    sep = _starts_with_any(t, i, _vocab()["range"]["separators"])
    if sep is None:
        return None
    m = _DIGIT_CORE.match(t, _SPACES.match(t, i + len(sep)).end())
    if not m or mask[m.start()]:
        return None
    second = _read_digits(t, m)
    if second is None or second.number < 0 or second.start != m.start():
        return None
    end, unit = second.end, second.unit
    note = _RANGE_NOTE.match(t, end)
    if note:
        end = note.end()
        if unit is None:
            unit, after = _read_unit(t, _SPACES.match(t, end).end())
            end = after if unit else end
    if first.unit and unit and units.clean_unit(first.unit) != units.clean_unit(unit):
        return None
    unit = unit or first.unit
    if unit is None and prose:
        return None  # "1-2" in prose is more often a reference than a range
    multiplier = first.multiplier if first.multiplier != 1.0 else second.multiplier
    a = units.normalise_value(first.number * multiplier, unit)
    b = units.normalise_value(second.number * second.multiplier, unit)
    if not (math.isfinite(a) and math.isfinite(b)):
        return None
    whole = _Read(first.start, end, first.number, multiplier, unit, first.approx or second.approx)
    return whole, min(a, b), max(a, b)


def _scan(text: str, prose: bool, first_only: bool = False) -> list[tuple[int, int, Quantity]]:
    t = ascii_view(text)
    if not _ANY_NUMERAL.search(t):
        return []
    mask = _masked(t, prose)
    candidates = sorted(
        [(m.start(), 0, m) for m in _DIGIT_CORE.finditer(t)] + [(m.start(), 1, m) for m in _CN_CORE.finditer(t)],
        key=lambda c: (c[0], c[1]),
    )
    found: list[tuple[int, int, Quantity]] = []
    pos = 0
    for start, is_cn, m in candidates:
        if start < pos or mask[start]:
            continue
        read = _read_chinese(t, m) if is_cn else _read_digits(t, m)
        if read is None or read.start < pos or not _finite(read):
            continue
        low = high = None
        ranged = None if is_cn else _try_range(t, read, mask, prose)
        if ranged:
            read, low, high = ranged
        found.append((read.start, read.end, _to_quantity(text, read, low, high)))
        pos = read.end
        if first_only:
            break
    return found


@cache
def _blank_words() -> frozenset[str]:
    return frozenset("".join(ascii_view(w).split()) for w in _vocab()["blank"]["words"])


@lru_cache(maxsize=MEMO_SIZE, typed=True)  # pure function of the cell text: every reader asks it
def is_blank(text: str | None) -> bool:
    """Blank cells as the forms write them: "", "/", "—", "无", "暂无" (numbers.toml [blank])."""
    return text is None or "".join(ascii_view(str(text)).split()) in _blank_words()


@cache
def multiplier_word(multiplier: float) -> str:
    """How a multiplier is written: 1e4 -> 万, 1 -> "" (the first word numbers.toml lists for the value)."""
    if multiplier == 1:
        return ""
    return next((w for w, v in _vocab()["multipliers"].items() if v == multiplier), f"×{multiplier:g}")


def with_unit(q: Quantity, unit: str | None) -> Quantity:
    """q with a unit assumed from its column or its target ("680万" under （万元） -> 680 万元)."""
    unit = units.clean_unit(unit)
    if q.unit is not None or unit is None:
        return q
    sized = units.unit_of_size(unit, q.multiplier) if q.multiplier != 1 else None
    if sized is not None:  # "680万" in a money column: 680 万元, the multiplier naming the unit
        return replace(q, multiplier=sized[1], unit=sized[0], unit_class=units.unit_class(sized[0]))
    low, high = q.low, q.high
    if q.is_range:
        low, high = units.normalise_value(low, unit), units.normalise_value(high, unit)
    return replace(q, unit=unit, unit_class=units.unit_class(unit), low=low, high=high)


def _whole_chinese(text: str) -> Quantity | None:
    # a cell that is nothing but a numeral: 一百二十, 两千万
    stripped = "".join(text.split())
    if not _CN_WHOLE.fullmatch(stripped):
        return None
    body, multiplier = _split_cn_multiplier(stripped)
    number = chinese_to_number(body)
    if number is None:
        return None
    return Quantity(stripped, number, multiplier, None, None, False)


@lru_cache(maxsize=MEMO_SIZE)  # pure function of its text: reports repeat template text
def parse_quantity(text: str, *, default_unit: str | None = None) -> Quantity | None:
    """The (first) value in a cell; default_unit is the column's unit (（万元）) for bare numbers."""
    if not isinstance(text, str) or is_blank(text):
        return None
    try:
        q = _whole_chinese(text)
        if q is None:
            found = _scan(text, prose=False, first_only=True)
            q = found[0][2] if found else None
    except (ValueError, OverflowError, IndexError):
        return None
    return with_unit(q, default_unit) if q is not None else None


def find_quantities(text: str) -> list[tuple[int, int, Quantity]]:
    """Every quantity in running text with its span; years, dates and document numbers skipped."""
    if not isinstance(text, str) or not text:
        return []
    try:
        return _scan(text, prose=True)
    except (ValueError, OverflowError, IndexError):
        return []


def quantities_in_cell(text: str) -> list[tuple[int, int, Quantity]]:
    """Every quantity in a cell (cell rules: list markers are not skipped), with spans."""
    if not isinstance(text, str) or not text:
        return []
    try:
        whole = _whole_chinese(text)
        if whole is not None:
            return [(0, len(text), whole)]
        return _scan(text, prose=False)
    except (ValueError, OverflowError, IndexError):
        return []
