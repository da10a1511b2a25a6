"""Issue 11 item 6: what it reads, it judges right — each misreading fixed at its cause."""
import jixiao
from forms import national_form, write
from jixiao.patterns.operators import parse_target
from jixiao.patterns.prose import extract_figures, find_claims


def test_grading_rule_is_not_a_claim():
    rule = "总分一般设置为100分，等级一般划分为四档：90（含）- 100分为优、80（含）- 90分为良、60（含）- 80分为中、60分以下为差。"
    assert find_claims(rule) == []
    assert find_claims("综合评分为90分（含）以上的为“优”，80分（含）至90分的为“良”。") == []
    assert find_claims("对绩效评价结果为优的，予以表扬；对评价结果为中和差的，予以通报。") == []
    claims = find_claims("项目总体评价得65.00分，评价等级为“中”。")
    assert [(c.kind, c.value) for c in claims] == [("score", 65.0), ("grade", "中")]


def test_slogan_numeral_is_no_headcount():
    text = "紧紧围绕统筹推进“五位一体”总体布局和协调推进“四个全面”战略布局，中心现有职工5人。"
    assert [(f.quantity.number, f.quantity.unit) for f in extract_figures(text)] == [(5.0, "人")]


def test_deadline_is_a_time_target():
    for text in ("次月10日前", "每月15号前完成"):
        target = parse_target(text)
        assert (target.op, target.quantity, target.direction) == ("qual", None, "qualitative"), text
    assert parse_target("≥10次").quantity.number == 10.0


def test_prose_sum_keeps_every_listed_part(tmp_path):
    """Chizhou: 30 + 30 + 29.99 = 89.99 agrees with 89.97 to the writer's rounding; all three are parts."""
    text = ("2022年项目支出绩效自评报告\n本项目共完成预算资金89.97万元。其中:30万元用于基建工程项目预算编制;"
            "30万元用于基建工程项目审计;29.99万元用于基建工程项目设计、规划、测绘。\n")
    figures = extract_figures(text.split("\n")[1])
    assert [f.parent for f in figures] == [None, 0, 0, 0]
    data = jixiao.read(write(tmp_path, text))
    assert "PROSE_SUM_MISMATCH" not in set(data.flags.code)


def test_prose_sum_over_counts(tmp_path):
    """Seed 001: 发稿4366篇，其中 305篇 + 1117条 + 500篇 + 2244条 = 4166 (篇 and 条 both count articles; the
    issues (期) between them are no parts)."""
    text = ("2021年度部门整体支出绩效自评报告\n区级平台共发稿4366篇，其中《岳阳日报》“岳阳楼区专版”编发38期，发稿305篇；"
            "岳阳电视台新闻频道“岳阳楼区新闻”编发215期，发稿1117条；《半月动态》共编印20期，发稿500篇；"
            "“岳阳楼区手机报”共编发211期，发稿2244条。\n")
    data = jixiao.read(write(tmp_path, text))
    sums = data.flags[data.flags.code == "PROSE_SUM_MISMATCH"]
    assert [(f.claimed, f.recomputed) for f in sums.itertuples()] == [(4366.0, 4166.0)]
    assert sums.iloc[0]["message"] == "发稿 4366篇 ≠ 其中各项之和 发稿 305篇 + 发稿 1117条 + 发稿 500篇 + 发稿 2244条 = 4166篇"


def test_count_subset_short_of_its_total_is_no_mismatch(tmp_path):
    """其中 singling out two kinds of a count (Henan: 1250台，其中 418台、707台 = the 90% that are 指定设备)."""
    text = ("2024年项目绩效评价报告\n各集训基地共购置新设备1250台，其中世赛指定设备418台，国赛指定设备707台，"
            "指定设备占比90.00%。\n")
    assert "PROSE_SUM_MISMATCH" not in set(jixiao.read(write(tmp_path, text)).flags.code)


def test_misplaced_indicator_explains_its_group_overflow(tmp_path):
    """Seed 004's 门户网站日常维护 form: a 10-point 成本指标 under 效益指标（20分）."""
    rows = [
        ("产出指标（40分）", "数量指标", "维护设备数量", "≥10台", "10台", "10", "10"),
        ("产出指标（40分）", "质量指标", "机房正常使用", "正常", "正常", "10", "10"),
        ("效益指标（20分）", "成本指标", "年度维护成本增加率", "≤5%", "0%", "10", "10"),
        ("效益指标（20分）", "社会效益指标", "政务公开社会影响力", "提升", "提升", "10", "10"),
        ("效益指标（20分）", "可持续影响指标", "核心设备正常使用", "正常", "正常", "10", "10"),
        ("满意度指标（20分）", "服务对象满意度指标", "科室满意度", "≥90%", "95%", "20", "20"),
    ]
    data = jixiao.read(write(tmp_path, national_form(rows, total="90", grade="优秀")))
    codes = list(data.flags.code)
    assert "GROUP_OVER_WEIGHT" not in codes
    misplaced = data.flags[data.flags.code == "MISPLACED_INDICATOR"].iloc[0]
    assert misplaced["message"].endswith("移回“产出指标”后各组得分: 效益指标 20/20，产出指标 30/40")


def test_henan_project_unit_line_is_the_unit(tmp_path):
    text = ("2021-2024年省级职业技能竞赛经费绩效评价报告\n项目单位：河南省人力资源和社会保障厅  委托单位：河南省财政厅\n"
            "项目总体评价得65.00分，评价等级为“中”。\n")
    assert jixiao.read(write(tmp_path, text)).reports.iloc[0]["unit_name"] == "河南省人力资源和社会保障厅"
