"""Target values and qualitative actuals from the seeds and /work/shared/real."""
import pytest

from jixiao.patterns.operators import achievement, operator_by_name, operator_of, parse_target

# text, op, direction, number, unit, explicit
TARGETS = [
    ("≥90%", ">=", "positive", 90, "%", True),                  # seed 004
    ("≥1000", ">=", "positive", 1000, None, True),
    ("≤2小时", "<=", "negative", 2, "小时", True),
    ("≤0.5小时", "<=", "negative", 0.5, "小时", True),
    ("≤5%", "<=", "negative", 5, "%", True),
    ("≥48期", ">=", "positive", 48, "期", True),
    ("5个", ">=", "positive", 5, "个", False),                   # a bare count: positive
    ("10000份", ">=", "positive", 10000, "份", False),
    ("1个", ">=", "positive", 1, "个", False),
    ("不低于90%", ">=", "positive", 90, "%", True),
    ("不少于10次", ">=", "positive", 10, "次", True),
    ("90%以上", ">=", "positive", 90, "%", True),
    ("达到95%", ">=", "positive", 95, "%", True),
    ("不高于5%", "<=", "negative", 5, "%", True),
    ("不超过3天", "<=", "negative", 3, "天", True),
    ("10分钟以内", "<=", "negative", 10, "分钟", True),
    ("5%以下", "<=", "negative", 5, "%", True),
    ("控制在5%以内", "<=", "negative", 5, "%", True),
    (">95%", ">", "positive", 95, "%", True),                  # seed 002 受众满意度
    ("＞95％", ">", "positive", 95, "%", True),
    ("<1%", "<", "negative", 1, "%", True),
    ("=100%", "=", "exact", 100, "%", True),                   # dyrmt 足额保障率=100%
    ("≤10次", "<=", "negative", 10, "次", True),               # dyrmt 科目调整次数≤10次
    ("≦10次", "<=", "negative", 10, "次", True),
    ("≧90%", ">=", "positive", 90, "%", True),
    ("100%", "=", "exact", 100, "%", False),                   # a bare percentage: exact
    ("-10.00%", "=", "exact", -10, "%", False),               # seed 002 三公经费变动率
    ("完成率100%", "=", "exact", 100, "%", False),
    ("≥100百分比", ">=", "positive", 100, "百分比", True),      # 池州
    ("≤90万元", "<=", "negative", 90, "万元", True),            # 池州 项目总成本
    ("≥50个", ">=", "positive", 50, "个", True),
    ("3000 篇 (条)", ">=", "positive", 3000, "篇（条）", False),  # seed 002
    ("各 108 期", ">=", "positive", 108, "期", False),
    ("4条/天", ">=", "positive", 4, "条/天", False),
    ("109 万人（次）", ">=", "positive", 109, "人（次）", False),
    ("≥2.6万次", ">=", "positive", 2.6, "次", True),
    ("小于等于6669万元", "<=", "negative", 6669, "万元", True),   # seed 000 成本指标
    ("大于等于300", ">=", "positive", 300, None, True),          # seed 000 数量指标
    ("1000 小时/10 分钟以内", "<=", "negative", 10, "分钟/1000小时", True),  # seed 002 播出故障率
    ("粉丝量 3000 人次以上, 日活量 300 次以上", ">=", "positive", 3000, "人次", True),
]


@pytest.mark.parametrize("text,op,direction,number,unit,explicit", TARGETS)
def test_parse_target(text, op, direction, number, unit, explicit):
    t = parse_target(text)
    assert (t.op, t.direction, t.explicit) == (op, direction, explicit)
    assert t.quantity.number == pytest.approx(number)
    assert t.quantity.unit == unit


def test_second_value_in_a_target_is_kept():
    t = parse_target("粉丝量 3000 人次以上, 日活量 300 次以上")
    assert [(q.number, q.unit) for q in t.others] == [(300, "次")]


def test_rate_target_keeps_its_base():
    t = parse_target("1000 小时/10 分钟以内")
    assert (t.per.number, t.per.unit) == (1000, "小时")


@pytest.mark.parametrize("text", [
    "有所提升", "显著提升", "按合同执行", "达成预期指标", "效果明显", "经济实用", "持续增加", "合理", "明确", "及时",
    "效益显著", "逐年上升", "影响深远", "严格执行相关制度规定", "在项目计划完成时间内完成", "健全", "规范",
])
def test_qualitative_targets(text):
    t = parse_target(text)
    assert (t.op, t.direction, t.quantity) == ("qual", "qualitative", None)


@pytest.mark.parametrize("text", ["", "/", "—", "——", "无", "  "])
def test_blank_targets(text):
    t = parse_target(text)
    assert (t.op, t.direction, t.quantity) == (None, "unknown", None)


def test_default_unit_from_a_unit_column():
    # 四川 510000_0013zp: 指标性质 "=", 指标值 "100", 度量单位 "%"
    t = parse_target("100", default_unit="%")
    assert (t.op, t.direction, t.quantity.value_norm) == ("=", "exact", 1.0)


@pytest.mark.parametrize("text,op", [("=", "="), ("≥", ">="), ("≤", "<="), ("定性", "qual"), ("正向", ">="),
                                     ("反向", "<="), ("产出指标", None)])
def test_operator_columns(text, op):
    assert operator_of(text) == op


@pytest.mark.parametrize("name,op", [
    ("预算调整率", "<="), ("结转结余率", "<="), ("“三公经费”变动率", "<="), ("“三公经费变动率", "<="),
    ("“三公”经费控制率", "<="), ("在职人员控制率", "<="), ("群众投诉率", "<="), ("安全事故发生率", "<="),
    ("政府采购执行率", None), ("人均公共绿地面积变动率", None), ("传染病控制率", None), ("投诉处理率", None),
    ("合格率", None), (None, None),
])
def test_operator_by_name(name, op):
    """A name that says lower is better gives a target without an operator its "<=" (operators.toml [by_name])."""
    assert operator_by_name(name) == op


@pytest.mark.parametrize("actual,target,expected", [
    ("已完成", None, "achieved"),                      # seed 001
    ("达成预期指标", None, "achieved"),                 # 池州
    ("有所提升", "有所提升", "achieved"),                # seed 004: the actual restates the target
    ("经济实用", "经济实用", "achieved"),
    ("按合同执行", "按合同执行", "achieved"),
    ("及时", "及时", "achieved"),
    ("是", None, "achieved"),
    ("基本完成", None, "partly"),
    ("部分达成预期指标并具有一定效果", None, "partly"),    # seed 004 备注 3
    ("偶有延误", None, "partly"),
    ("较好", None, "partly"),
    ("未达成预期指标且效果较差", None, "not"),
    ("未完成", None, "not"),
    ("没有开展", None, "not"),
    ("全年未发生安全事故", None, "achieved"),
    ("无", None, None),
    ("", None, None),
    ("—", None, None),
    ("95%", None, None),
])
def test_achievement(actual, target, expected):
    assert achievement(actual, target) == expected
