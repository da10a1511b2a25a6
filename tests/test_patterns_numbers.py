"""Numbers, units and multipliers as the seeds and /work/shared/real write them."""
import math

import pytest
from hypothesis import given, settings, strategies as st

from jixiao.patterns.numbers import chinese_to_number, find_quantities, parse_quantity
from jixiao.patterns.units import comparable, convert

# text, number, multiplier, unit, unit_class, approx, value_norm
CELLS = [
    ("680万", 680, 1e4, None, None, False, 6_800_000),                   # seed 002 budget cell style
    ("6727625.90元", 6727625.90, 1, "元", "money", False, 672.76259),
    ("≥2.6万次", 2.6, 1e4, "次", "count", False, 26000),
    ("200余个", 200, 1, "个", "count", True, 200),                        # seed 001
    ("近1800万", 1800, 1e4, None, None, True, 18_000_000),
    ("超百万", 100, 1e4, None, None, True, 1_000_000),                     # seed 001 总点击量超百万
    ("一百二十", 120, 1, None, None, False, 120),
    ("两千万", 2000, 1e4, None, None, False, 20_000_000),
    ("-67.65%", -67.65, 1, "%", "percent", False, -0.6765),              # seed 002 变动比率
    ("98.75", 98.75, 1, None, None, False, 98.75),                       # seed 004 执行率 cell
    ("99.03%", 99.03, 1, "%", "percent", False, 0.9903),                 # seed 004
    ("237.6624", 237.6624, 1, None, None, False, 237.6624),              # seed 004 执行数
    ("19.75", 19.75, 1, None, None, False, 19.75),
    ("31.97 %", 31.97, 1, "%", "percent", False, 0.3197),                # seed 003 space before %
    ("95%", 95, 1, "%", "percent", False, 0.95),
    ("≥90%", 90, 1, "%", "percent", False, 0.9),
    ("≤2小时", 2, 1, "小时", "duration", False, 2),
    ("0.5小时", 0.5, 1, "小时", "duration", False, 0.5),
    ("≤0.5小时", 0.5, 1, "小时", "duration", False, 0.5),
    ("30分钟", 30, 1, "分钟", "duration", False, 0.5),
    ("5个", 5, 1, "个", "count", False, 5),
    ("≥48期", 48, 1, "期", "count", False, 48),
    ("10000份", 10000, 1, "份", "count", False, 10000),
    ("1个", 1, 1, "个", "count", False, 1),
    ("3000 篇 (条)", 3000, 1, "篇（条）", "count", False, 3000),          # seed 002
    ("3250 篇（条）", 3250, 1, "篇（条）", "count", False, 3250),
    ("800 篇 (次)", 800, 1, "篇（次）", "count", False, 800),
    ("109 万人（次）", 109, 1e4, "人（次）", "count", False, 1_090_000),
    ("1800 万人（次）", 1800, 1e4, "人（次）", "count", False, 18_000_000),
    ("6700条(次)", 6700, 1, "条（次）", "count", False, 6700),
    ("12 个", 12, 1, "个", "count", False, 12),
    ("10 部", 10, 1, "部", "count", False, 10),
    ("365 期", 365, 1, "期", "count", False, 365),
    ("12 条", 12, 1, "条", "count", False, 12),
    ("6 场", 6, 1, "场", "count", False, 6),
    ("粉丝量 3000 人", 3000, 1, "人", "people", False, 3000),
    ("4条/天", 4, 1, "条/天", "rate", False, 4),
    ("≥100百分比", 100, 1, "百分比", "percent", False, 1.0),              # 池州 form
    ("100.00%", 100, 1, "%", "percent", False, 1.0),                     # 四川 form
    ("251.89", 251.89, 1, None, None, False, 251.89),
    ("2.96 万元", 2.96, 1, "万元", "money", False, 2.96),
    ("5633.04万元", 5633.04, 1, "万元", "money", False, 5633.04),
    ("3.5亿元", 3.5, 1, "亿元", "money", False, 35000),
    ("1.5 元", 1.5, 1, "元", "money", False, 0.00015),                  # seed 002's typo 公务接待费 1.5 元
    ("1,234.5元", 1234.5, 1, "元", "money", False, 0.12345),
    ("２０％", 20, 1, "%", "percent", False, 0.2),                       # full-width digits
    ("百分之九十", 90, 1, "%", "percent", False, 0.9),
    ("1.7万余条", 1.7, 1e4, "条", "count", True, 17000),                 # seed 002 prose
    ("五百万元", 500, 1, "万元", "money", False, 500),
    ("接近 1800 万", 1800, 1e4, None, None, True, 18_000_000),
    ("15.6 倍", 15.6, 1, "倍", "ratio", False, 15.6),
    ("5‰", 5, 1, "‰", "percent", False, 0.005),
    ("98分", 98, 1, "分", "score", False, 98),
    ("13人", 13, 1, "人", "people", False, 13),
    ("8名", 8, 1, "名", "people", False, 8),
    ("25.29㎡", 25.29, 1, "㎡", "area", False, 25.29),                   # 云南 excerpt
    ("3个工作日", 3, 1, "个工作日", "duration", False, 72),
    ("各 108 期", 108, 1, "期", "count", False, 108),
    ("完成率100%", 100, 1, "%", "percent", False, 1.0),
    ("30余篇", 30, 1, "篇", "count", True, 30),
    ("=100", 100, 1, None, None, False, 100),
    ("0", 0, 1, None, None, False, 0),
]


@pytest.mark.parametrize("text,number,multiplier,unit,unit_class,approx,value_norm", CELLS)
def test_parse_quantity(text, number, multiplier, unit, unit_class, approx, value_norm):
    q = parse_quantity(text)
    assert q is not None
    assert q.number == pytest.approx(number)
    assert q.multiplier == multiplier
    assert q.unit == unit
    assert q.unit_class == unit_class
    assert q.approx is approx
    assert q.value_norm == pytest.approx(value_norm)


# text, low, high, unit (bounds are normalised: fractions for percent)
RANGES = [
    ("80%（含）-90%", 0.8, 0.9, "%"),                # seed 001 评分标准
    ("100-80%（含80%）", 0.8, 1.0, "%"),             # seed 004 备注 3
    ("80-50%（含50%）", 0.5, 0.8, "%"),
    ("0-10%（含）", 0.0, 0.1, "%"),                  # seed 001 预算调整率
    ("60-80（不含80）分", 60, 80, "分"),              # seed 002 grade bands
    ("2-3条", 2, 3, "条"),                          # seed 000
]


@pytest.mark.parametrize("text,low,high,unit", RANGES)
def test_ranges(text, low, high, unit):
    q = parse_quantity(text)
    assert q.is_range
    assert (q.low, q.high) == (pytest.approx(low), pytest.approx(high))
    assert q.unit == unit


@pytest.mark.parametrize("text,default,unit,value_norm", [
    ("680万", "万元", "万元", 680.0),      # "680万" under a （万元） column is 680 万元, not 680万 万元
    ("680万", "元", "万元", 680.0),
    ("20", "万元", "万元", 20.0),
    ("98.75", "%", "%", 0.9875),
    ("6727625.90元", "万元", "元", 672.76259),   # a written unit beats the column's
])
def test_default_unit(text, default, unit, value_norm):
    q = parse_quantity(text, default_unit=default)
    assert q.unit == unit
    assert q.value_norm == pytest.approx(value_norm)


@pytest.mark.parametrize("text", ["", "/", "—", "——", "无", "  ", "有所提升", "按合同执行", "经济实用", "一是", "万家"])
def test_no_quantity(text):
    assert parse_quantity(text) is None


@pytest.mark.parametrize("text,value", [
    ("十", 10), ("二十", 20), ("一百零五", 105), ("一万二千", 12000), ("两千万", 2e7), ("百万", 1e6),
    ("三点五", 3.5), ("一亿", 1e8), ("零", 0),
])
def test_chinese_numerals(text, value):
    assert chinese_to_number(text) == value


def _numbers_in(text):
    return [q.value for _, _, q in find_quantities(text)]


@pytest.mark.parametrize("text,values", [
    ("根据《关于做好2021年度项目支出绩效自评工作的通知》，我单位自评得分95分。", [95]),
    ("财政部（财预〔2020〕10号）和鄂财绩发【2016】17号文件", []),
    ("截止到2020年12月22日，共在大祥发布发稿1551篇", [1551]),
    ("区融媒体中心于2019年6月21日挂牌成立", []),
    ("1、执行率情况。（1）宣传党中央大政方针", []),
    ("4G/5G传输采购使用后", []),
    ("荣获湖南省第六届网络原创视听节目大赛", []),
    ("2021-2024年一次性竞赛补贴预算执行率分别为100.00%", [100]),
    ("执行期调整为2021年6月23日——2022年6月23日", []),
    ("网融万家，百年华诞，一是强化意识", []),
    ("帮助 80 家企业发布 1000 多岗位信息", [80, 1000]),
    ("总点击量超百万", [1e6]),
    ("录制播出《986 生活派》等栏目", []),
    ("填报日期： 2022.2.7", []),
])
def test_find_quantities_skips_dates_and_numbers_that_are_names(text, values):
    assert _numbers_in(text) == pytest.approx(values)


def test_find_quantities_spans_point_into_the_original():
    text = "２０２０年基本支出９６．１８万元，占比６８．０３％"
    found = find_quantities(text)
    assert [text[s:e] for s, e, _ in found] == ["９６．１８万元", "６８．０３％"]
    assert [q.value_norm for _, _, q in found] == pytest.approx([96.18, 0.6803])


def test_comparable_and_convert():
    a, b = parse_quantity("680万", default_unit="万元"), parse_quantity("6727625.90元")
    assert comparable(a, b)
    assert convert(b, "万元") == pytest.approx(672.76259)
    assert comparable(parse_quantity("3000 篇 (条)"), parse_quantity("3250 篇"))
    assert not comparable(parse_quantity("4条/天"), parse_quantity("2819 条"))
    assert not comparable(parse_quantity("5个"), parse_quantity("95%"))
    assert convert(parse_quantity("30分钟"), "小时") == pytest.approx(0.5)
    assert convert(parse_quantity("95%"), "万元") is None


# ---- properties ---------------------------------------------------------------------------------

def _render(value: float, notation: str) -> tuple[str, float]:
    """value written one way; returns (text, the value_norm it stands for)."""
    if notation == "plain":
        return f"{value:.2f}", round(value, 2)
    if notation == "yuan":
        return f"{value:.2f}元", round(value, 2) / 1e4
    if notation == "wanyuan":
        return f"{value:.2f}万元", round(value, 2)
    if notation == "wan":
        return f"{value:.2f}万次", round(value, 2) * 1e4
    if notation == "percent":
        return f"{value:.2f}%", round(value, 2) / 100
    if notation == "fullwidth":
        return f"{value:.2f}％".translate(str.maketrans("0123456789.", "０１２３４５６７８９．")), round(value, 2) / 100
    if notation == "thousands":
        return f"{value:,.2f}元", round(value, 2) / 1e4
    if notation == "spaced":
        return f"{value:.2f} 万元", round(value, 2)
    raise AssertionError(notation)


@settings(max_examples=300, deadline=None)
@given(st.floats(min_value=0, max_value=1e9, allow_nan=False, allow_infinity=False),
       st.sampled_from(["plain", "yuan", "wanyuan", "wan", "percent", "fullwidth", "thousands", "spaced"]))
def test_render_then_parse_gives_the_value(value, notation):
    text, expected = _render(value, notation)
    q = parse_quantity(text)
    assert q is not None
    assert q.value_norm == pytest.approx(expected, rel=1e-9, abs=1e-9)


_CN_DIGITS = "零一二三四五六七八九"


def _cn(n: int) -> str:
    """n (0 < n < 1e8) in Chinese numerals, the way a report writes it."""
    def below_10000(x: int) -> str:
        out, zero = "", False
        for place, word in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
            d = x // place % 10
            if d:
                if zero and out:
                    out += "零"
                out += _CN_DIGITS[d] + word
                zero = False
            else:
                zero = True
        return out
    high, low = divmod(n, 10000)
    if not high:
        return below_10000(low)
    return below_10000(high) + "万" + ("零" if 0 < low < 1000 else "") + below_10000(low)


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=1, max_value=99_999_999))
def test_chinese_numerals_round_trip(n):
    assert chinese_to_number(_cn(n)) == n


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("0123456789０１２３４５６７８９.,，。%％‰-—~万亿千百十一二两三四五六七八九零余多近超约元个次年月日号（）()≥≤<>=/ 分钟小时《》〔〕第")), max_size=60))
def test_fuzz_numbers_never_raise_and_stay_finite(text):
    for q in [parse_quantity(text)] + [q for _, _, q in find_quantities(text)]:
        if q is None:
            continue
        for x in (q.number, q.multiplier, q.value, q.value_norm):
            assert math.isfinite(x)
        for x in (q.low, q.high):
            assert x is None or math.isfinite(x)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_fuzz_arbitrary_text(text):
    for q in [parse_quantity(text)] + [q for _, _, q in find_quantities(text)]:
        if q is not None:
            assert math.isfinite(q.value_norm)


def test_huge_digit_runs_are_not_quantities():
    assert parse_quantity("9" * 400) is None
    assert parse_quantity("9" * 400 + "亿元") is None
