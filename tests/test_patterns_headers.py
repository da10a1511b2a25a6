"""Header vocabulary, group weights, placeholders, categories and grades from the real forms."""
import pytest

from jixiao.patterns.grades import normalize_grade
from jixiao.patterns.headers import classify_header, indicator_category, is_placeholder, split_weight

HEADERS = [
    # seed 004 (湖北 项目自评表)
    ("一级指标", "level1"), ("二级指标", "level2"), ("三级指标", "level3"),
    ("年初目标值（A）", "target"), ("实际完成值（B）", "actual"), ("得分", "score"),
    ("预算数（A）", "budget"), ("执行数（B）", "executed"), ("执行率（B/A）", "rate"),
    ("得分\n（20分*执行率）", "budget_score"), ("偏差大或\n目标未完成\n原因分析", "deviation"),
    # seed 001 (湖南 评分表) with spaces inside
    ("一 级 指 标", "level1"), ("分  值", "weight"), ("评分标准", "standard"), ("自评得分", "score"),
    ("扣分原因和其他说明", "remark"), ("预期目标", "target"), ("实际完成", "actual"), ("绩效目标", "target"),
    ("完成情况", "actual"), ("评价内容", "level1"),
    # seed 002
    ("序号", "seq"), ("目标值", "target"), ("备注", "remark"), ("权重", "weight"), ("评级分值", "weight"),
    ("实际得分", "score"), ("得分比", "score_rate"), ("评价结论", "grade"),
    # national template (ZY2025 项目支出绩效自评表)
    ("年初预算数", "budget_initial"), ("全年预算数", "budget"), ("全年执行数", "executed"), ("执行率", "rate"),
    ("年度指标值", "target"), ("实际完成值", "actual"), ("偏差原因分析及改进措施", "deviation"),
    ("年度\n总体", None), ("指标解释", "explanation"),
    # 四川 510000_0013zp
    ("年初预算", "budget_initial"), ("调整后预算数", "budget"), ("预算执行数", "executed"), ("预算执行率", "rate"),
    ("指标性质", "nature"), ("指标值", "target"), ("度量单位", "unit"), ("完成值", "actual"),
    ("未完成原因分析", "deviation"),
    # 重庆 部门整体绩效自评表 (OCR)
    ("全年(If整)预算数", "budget"), ("执行率(%)", "rate"), ("执行率权重", "budget_weight"),
    ("执行率得分(分)", "budget_score"), ("指标名称", "level3"), ("计量单位", "unit"), ("年初指标值", "target"),
    ("调整指标值", "target_adjusted"), ("得分系数(%)", "score_rate"), ("指标权重(分)", "weight"),
    ("指标得分(分)", "score"), ("是否核心指标", "core"),
    # 河南 附件1
    ("评分标准和评分规则", "standard"), ("评价意见", "remark"), ("得分率", "score_rate"),
    ("项目名称", None), ("", None),
]


@pytest.mark.parametrize("text,field", HEADERS)
def test_classify_header(text, field):
    assert classify_header(text) == field


@pytest.mark.parametrize("label,name,weight", [
    ("产出指标\n（40分）", "产出指标", 40.0),            # seed 004
    ("效益指标\n（24分）", "效益指标", 24.0),
    ("满意度\n指标\n（20分）", "满意度指标", 20.0),
    ("投  入\n（15分）", "投入", 15.0),                  # seed 001
    ("预算配置\n（15分）", "预算配置", 15.0),
    ("报告材料（12分）", "报告材料", 12.0),
    ("产出指标(50分)", "产出指标", 50.0),                 # 池州
    ("A决策15分", "A决策", 15.0),                        # 河南
    ("相关性(5 分)", "相关性", 5.0),                      # wanglu 2017
    ("产出指标（XX分）", "产出指标", None),
    ("数量指标", "数量指标", None),
    ("预算执行\n情况（万元）\n（20分）", "预算执行情况（万元）", 20.0),
])
def test_split_weight(label, name, weight):
    assert split_weight(label) == (name, weight)


@pytest.mark.parametrize("text,expected", [
    ("（XX分）", True), ("XX", True), ("……", True), ("…", True), ("......", True), ("指标1：", True),
    ("指标2:", True), ("指标1:\n指标2:\n......", True), ("目标1:目标2:目标3:", True),
    ("指标1：新媒体产品", False), ("新媒体产品", False), ("5个", False), ("", False),
])
def test_is_placeholder(text, expected):
    assert is_placeholder(text) is expected


@pytest.mark.parametrize("text,category", [
    ("数量指标", "产出"), ("质量指标", "产出"), ("时效指标", "产出"), ("时效时间", "产出"), ("成本指标", "产出"),
    ("经济效益指标", "效益"), ("社会效益指标", "效益"), ("生态效益指标", "效益"), ("可持续影响指标", "效益"),
    ("服务对象满意度指标", "满意度"), ("社会公众或服务对象满意度", "满意度"),
    ("产出指标\n（40分）", "产出"), ("效益指标（20分）", "效益"), ("满意度\n指标\n（20分）", "满意度"),
    ("投  入\n（15分）", "投入"), ("过  程\n（40分）", "过程"), ("效果", "效益"), ("A决策15分", "决策"),
    ("C2产出质量10分", "产出"), ("经济成本指标", "成本"), ("新闻信息部", None),
])
def test_indicator_category(text, category):
    assert indicator_category(text) == category


@pytest.mark.parametrize("text,grade", [
    ("优秀", "优"), ("优", "优"), ("良好", "良"), ("良", "良"), ("中等", "中"), ("中", "中"), ("较差", "差"),
    ("差", "差"), ("合格", "中"), ("不合格", "差"), ("“中”", "中"), ("评价等级为“中”", "中"),
    ("优☑ 良□ 中□ 差□", "优"), ("优□ 良□ 中□ 差□", None), ("其中心", None), ("", None),
])
def test_normalize_grade(text, grade):
    assert normalize_grade(text) == grade
