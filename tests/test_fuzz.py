"""Property-based fuzzing: the txt reader and the recognisers take arbitrary text and mutated seed text
(random insertions, deletions and byte flips). The scanner under parse_quantity's safety net is fuzzed
directly (the net would hide its exceptions); what the recognisers return holds together (spans point at
their text, ranges are ordered, a column's unit only fills a bare value, numbers are finite); the txt reader
refuses a file only with a one-line ReadError and its tables are rectangular grids whose merged cells point
at an origin that covers them."""
from __future__ import annotations

import dataclasses
import math
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from jixiao.extract.errors import ReadError
from jixiao.extract.txt import read_txt
from jixiao.patterns import numbers
from jixiao.patterns.numbers import find_quantities, parse_quantity, quantities_in_cell
from jixiao.patterns.operators import parse_target
from jixiao.patterns.prose import extract_figures

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
SEED_LINES = [line for path in sorted(SAMPLES.glob("*.txt"))
              for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
SEED_BYTES = [path.read_bytes()[:8000] for path in sorted(SAMPLES.glob("*.txt"))]
# Characters the recognisers care about, so that mutations land on interesting ground.
ALPHABET = list("0123456789.,，%％-+~～—≥≤<>=＞＜≧≦万亿千百十元个次人年月日分余约近超以上下内及其中共计"
                "零〇一二三四五六七八九两壹贰叁肆伍陆柒捌玖拾佰仟（）()[]/\\\t\n e∞") + ["1e308", "9" * 400, "\u0000",
                                                                                      "\ufffd", "NaN", "inf"]
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def numbers_in(value, seen=None):
    """Every float or int inside a result: dataclass fields, tuples, lists and dicts, recursively."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return
    if isinstance(value, (int, float)):
        yield value
    elif dataclasses.is_dataclass(value):
        for f in dataclasses.fields(value):
            yield from numbers_in(getattr(value, f.name))
    elif isinstance(value, (list, tuple, set, frozenset)):
        for item in value:
            yield from numbers_in(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from numbers_in(item)


def assert_finite(result) -> None:
    bad = [n for n in numbers_in(result) if not math.isfinite(n)]
    assert bad == [], f"non-finite numbers in {result!r}"


@st.composite
def mutated_text(draw) -> str:
    """A seed line (or a few) with random insertions, deletions and replacements."""
    start = draw(st.integers(0, len(SEED_LINES) - 1))
    text = "\n".join(SEED_LINES[start: start + draw(st.integers(1, 3))])
    for _ in range(draw(st.integers(0, 8))):
        pos = draw(st.integers(0, len(text)))
        action = draw(st.sampled_from(["insert", "delete", "replace"]))
        piece = draw(st.one_of(st.sampled_from(ALPHABET), st.text(max_size=3)))
        if action == "insert":
            text = text[:pos] + piece + text[pos:]
        elif action == "delete":
            text = text[:pos] + text[pos + draw(st.integers(1, 5)):]
        else:
            text = text[:pos] + piece + text[pos + len(piece):]
    return text


@st.composite
def mutated_bytes(draw) -> bytes:
    """A seed file's first 8 KB, re-encoded, with byte flips, insertions and deletions."""
    data = bytearray(draw(st.sampled_from(SEED_BYTES)))
    encoding = draw(st.sampled_from(["utf-8", "gb18030", "utf-16", "utf-16-le"]))
    data = bytearray(data.decode("utf-8", "ignore").encode(encoding, "replace"))
    for _ in range(draw(st.integers(0, 12))):
        pos = draw(st.integers(0, len(data)))
        action = draw(st.sampled_from(["flip", "insert", "delete"]))
        if action == "flip" and pos < len(data):
            data[pos] ^= 1 << draw(st.integers(0, 7))
        elif action == "insert":
            data[pos:pos] = draw(st.binary(min_size=1, max_size=8))
        else:
            del data[pos: pos + draw(st.integers(1, 16))]
    return bytes(data)


texts = st.one_of(st.text(max_size=200), mutated_text(),
                  st.lists(st.sampled_from(ALPHABET), max_size=30).map("".join))


def assert_ordered(quantity) -> None:
    if quantity is not None and quantity.is_range:
        assert quantity.low <= quantity.high, quantity


@SETTINGS
@given(texts)
def test_scanner_raises_nothing(text):
    """parse_quantity and find_quantities catch ValueError/OverflowError/IndexError as a last resort; the
    scanner itself must not need it."""
    for prose in (False, True):
        for _, _, quantity in numbers._scan(text, prose=prose):
            assert_finite(quantity)
    numbers._whole_chinese(text)


@SETTINGS
@given(texts)
def test_parse_quantity(text):
    bare, money = parse_quantity(text), parse_quantity(text, default_unit="万元")
    assert_finite(bare)
    assert_finite(money)
    assert_ordered(bare)
    assert (bare is None) == (money is None)
    if bare is not None:
        assert bare.raw and ("".join(bare.raw.split()) in "".join(text.split()))
        if bare.unit is not None:  # a unit written is never overridden by the column's
            assert (money.unit, money.value) == (bare.unit, bare.value)
        else:  # a bare number is in the column's 万元; "680万" in the unit its multiplier names (万元)
            assert money.unit_class == "money"
            expected = bare.value if bare.multiplier == 1 else bare.number * bare.multiplier / 1e4
            assert money.value_norm == pytest.approx(expected)


@SETTINGS
@given(texts)
def test_find_quantities(text):
    previous_end = 0
    for finder in (find_quantities, quantities_in_cell):
        previous_end = 0
        for start, end, quantity in finder(text):
            assert previous_end <= start < end <= len(text)  # in order, not overlapping, non-empty
            assert text[start:end].strip() == quantity.raw or finder is quantities_in_cell
            assert_finite(quantity)
            assert_ordered(quantity)
            previous_end = end


@SETTINGS
@given(texts)
def test_parse_target(text):
    assert_finite(parse_target(text))


@SETTINGS
@given(texts)
def test_extract_figures(text):
    assert_finite(extract_figures(text))


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(mutated_bytes(), st.binary(max_size=2000)))
def test_txt_reader(data):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "fuzz.txt"
        path.write_bytes(data)
        try:
            document = read_txt(path)
        except ReadError as err:  # the reader's one way to refuse a file: a one-line reason
            assert str(err) and "\n" not in str(err)
            return
    for table in document.tables:
        assert all(len(row) == table.n_cols for row in table.grid)
        for r, row in enumerate(table.grid):
            for c, cell in enumerate(row):
                if cell.origin is None:
                    assert (cell.row, cell.col) == (r, c)
                    continue
                top = table.grid[cell.origin[0]][cell.origin[1]]
                assert top.origin is None
                assert top.row <= r < top.row + top.rowspan and top.col <= c < top.col + top.colspan
