"""Every flag of the catalogue, raised by a minimal form that breaks exactly that rule (and a clean form that
raises none). Forms are written in the Word-table-dump .txt layout by tests/forms.py."""
import pandas as pd
import pytest

import jixiao
from forms import CLEAN, dump_rows, national_form, write



def replace(rows, index, **changes):
    fields = ["level1", "level2", "level3", "target", "actual", "weight", "score"]
    row = dict(zip(fields, rows[index]))
    row.update(changes)
    return rows[:index] + [tuple(row[f] for f in fields)] + rows[index + 1:]


def flags(tmp_path, text):
    data = jixiao.read(write(tmp_path, text))
    na = lambda v: None if v is None or str(v) == "<NA>" else v  # noqa: E731
    return [(f.code, f.severity, na(f.indicator_seq), na(f.claimed), na(f.recomputed))
            for f in data.flags.itertuples()]


def codes(found):
    return sorted((code, severity) for code, severity, *_ in found)


def test_clean_national_form_has_no_flags(tmp_path):
    data = jixiao.read(write(tmp_path, national_form(CLEAN, total="99", grade="优秀")))
    assert data.flags.empty
    card = data.scorecards.iloc[0]
    assert (card["profile"], card["claimed_total"], card["recomputed_total"], card["claimed_grade"]) == \
        ("mof-2020", 99.0, 99.0, "优")


@pytest.mark.parametrize("rate,severity", [("95%", "error"), ("85%", "warning"), ("89.99%", "info")])
def test_exec_rate_mismatch(tmp_path, rate, severity):
    found = flags(tmp_path, national_form(CLEAN, budget=("100", "90", "10", rate, "9")))
    assert [f[:2] for f in found] == [("EXEC_RATE_MISMATCH", severity)]
    assert found[0][4] == pytest.approx(0.9)


def test_budget_score_mismatch_over_claimed_is_error(tmp_path):
    found = flags(tmp_path, national_form(CLEAN, budget=("100", "90", "10", "90%", "9.5"), total="99.5"))
    assert found == [("BUDGET_SCORE_MISMATCH", "error", None, 9.5, 9.0)]


def test_indicator_score_mismatch(tmp_path):
    rows = replace(CLEAN, 0, actual="40")  # 20 × 40/50 = 16, claimed 20
    found = flags(tmp_path, national_form(rows))
    assert found == [("INDICATOR_SCORE_MISMATCH", "error", 1, 20.0, 16.0)]


def test_negative_indicator_scored_by_a_over_b(tmp_path):
    rows = replace(CLEAN, 1, level3="响应时间", target="≤2小时", actual="4小时", score="10")  # 15 × 2/4 = 7.5
    found = flags(tmp_path, national_form(rows, total="94"))
    assert found == [("INDICATOR_SCORE_MISMATCH", "error", 2, 10.0, 7.5)]


def test_units_normalised_before_comparing(tmp_path):
    rows = replace(CLEAN, 1, level3="响应时间", target="≤2小时", actual="90分钟")
    found = flags(tmp_path, national_form(rows))
    assert codes(found) == [("UNIT_MIXED", "info")]


@pytest.mark.parametrize("actual,score,severity,low,high", [
    ("部分完成", "15", "error", 7.5, 12.0),   # partly achieved: [50%, 80%) of 15
    ("未完成", "10", "error", 0.0, 7.5),      # not achieved: [0, 50%)
    ("达成预期指标", "10", "warning", 12.0, 15.0),  # achieved but scored below its tier
])
def test_qualitative_tier_mismatch(tmp_path, actual, score, severity, low, high):
    rows = replace(CLEAN, 2, actual=actual, score=score)
    total = str(84 + int(score))
    data = jixiao.read(write(tmp_path, national_form(rows, total=total)))
    assert [(f.code, f.severity) for f in data.flags.itertuples()] == [("QUALITATIVE_TIER_MISMATCH", severity)]
    row = data.indicators.iloc[2]
    assert (row.recomputed_low, row.recomputed_high) == (low, high)


def test_score_over_weight_and_group_over_weight(tmp_path):
    rows = replace(CLEAN, 3, level3="社会影响", weight="15", score="16")
    rows = rows[:4] + [("效益指标（30分）", "可持续影响指标", "持续影响", "效果明显", "达成预期指标", "15", "15")] + rows[4:]
    found = flags(tmp_path, national_form(rows, total="100"))
    assert codes(found) == [("GROUP_OVER_WEIGHT", "error"), ("QUALITATIVE_TIER_MISMATCH", "error"),
                            ("SCORE_OVER_WEIGHT", "error")]
    over = [f for f in found if f[0] == "SCORE_OVER_WEIGHT"][0]
    assert over[2:] == (4, 16.0, 15.0)


@pytest.mark.parametrize("actual", ["", "/", "—", "无", "暂无", "不适用"])
def test_missing_actual_scored(tmp_path, actual):
    rows = replace(CLEAN, 4, actual=actual)  # every blank word of numbers.toml [blank]
    found = flags(tmp_path, national_form(rows))
    assert found == [("MISSING_ACTUAL_SCORED", "error", 5, 10.0, None)]


@pytest.mark.parametrize("total,severity", [("90", "error"), ("99.03", "info")])
def test_total_mismatch(tmp_path, total, severity):
    found = flags(tmp_path, national_form(CLEAN, total=total))
    assert [f[:2] for f in found] == [("TOTAL_MISMATCH", severity)]
    assert found[0][3:] == (float(total), 99.0)


def test_weight_sum_mismatch(tmp_path):
    rows = replace(CLEAN, 0, weight="15", score="15")  # 产出（50分）: 15 + 15 + 15 = 45
    found = flags(tmp_path, national_form(rows, total="94"))
    assert found == [("WEIGHT_SUM_MISMATCH", "error", None, 45.0, 50.0)]  # the form adds its declared groups


def test_grade_mismatch(tmp_path):
    found = flags(tmp_path, national_form(CLEAN, total="99", grade="良好"))
    assert codes(found) == [("GRADE_MISMATCH", "error")]


def test_misplaced_indicator(tmp_path):
    rows = CLEAN[:3] + [("效益指标（30分）", "成本指标", "成本控制", "≤100万元", "90万元", "10", "10"),
                        ("效益指标（30分）", "社会效益指标", "社会影响", "效果明显", "达成预期指标", "20", "20")] + CLEAN[4:]
    found = flags(tmp_path, national_form(rows))
    assert [f[:3] for f in found] == [("MISPLACED_INDICATOR", "warning", 4)]


def test_template_placeholder(tmp_path):
    rows = CLEAN + [("满意度指标（10分）", "服务对象满意度指标", "……", "", "", "", "")]
    found = flags(tmp_path, national_form(rows))
    assert codes(found) == [("TEMPLATE_PLACEHOLDER", "warning")]


def test_unit_mixed_budget(tmp_path):
    found = flags(tmp_path, national_form(CLEAN, budget=("100万", "900000元", "10", "90%", "9")))
    assert codes(found) == [("UNIT_MIXED", "info")]


@pytest.mark.parametrize("budget,executed,mixed", [
    ("200千元", "18万元", True),        # 千元 and 百万元 come from units.toml, not from code
    ("0.2百万元", "180千元", True),
    ("0.002亿元", "180000元", True),
    ("200千元", "180千元", False),
    ("20", "18", False),               # bare numbers: the block's （万元）
])
def test_budget_cells_in_any_money_unit_normalise_to_wan(tmp_path, budget, executed, mixed):
    data = jixiao.read(write(tmp_path, national_form(CLEAN, budget=(budget, executed, "10", "90%", "9"))))
    line = data.budget_lines.iloc[0]
    assert (line["budget_wan"], line["executed_wan"]) == (pytest.approx(20.0), pytest.approx(18.0))
    assert line["recomputed_rate"] == pytest.approx(0.9)
    assert [f.code for f in data.flags.itertuples()] == (["UNIT_MIXED"] if mixed else [])


def test_bare_budget_numbers_take_the_unit_the_block_header_names(tmp_path):
    text = national_form(CLEAN, budget=("200000", "180000", "10", "90%", "9")).replace("项目资金\n（万元）", "项目资金\n（元）")
    data = jixiao.read(write(tmp_path, text))
    line = data.budget_lines.iloc[0]
    assert (line["budget_wan"], line["executed_wan"]) == (pytest.approx(20.0), pytest.approx(18.0))
    assert data.flags.empty


def test_claim_conflict_prose_against_department_table(tmp_path):
    table = dump_rows([
        ["一级指标", "二级指标", "三级指标", "分值", "自评得分"],
        ["投入\n（40分）", "预算配置", "在职人员控制率", "40", "40"],
        ["产出\n（60分）", "职责履行", "重点工作完成情况", "60", "58"],
        ["总分", "", "", "100", "98"],
    ])
    text = "2021年度部门整体支出绩效自评报告\n我单位自评得分95分。\n部门整体支出绩效评价评分表\n" + table
    data = jixiao.read(write(tmp_path, text))
    assert [(f.code, f.claimed, f.recomputed) for f in data.flags.itertuples()] == [("CLAIM_CONFLICT", 95.0, 98.0)]
    assert data.scorecards.iloc[0]["name"] == "部门整体支出绩效评价评分表"


def test_claim_conflict_two_stated_scores(tmp_path):
    """Two sentences claiming different scores (the Henan report's OCR preview crashed here: TypeError)."""
    text = "2021年度项目绩效评价报告\n综合评价得分为65分。\n经评价，本项目自评得分90分。\n"
    data = jixiao.read(write(tmp_path, text))
    assert data.reports.status[0] != "failed"
    conflicts = data.flags[data.flags.code == "CLAIM_CONFLICT"]
    assert [(f.claimed, f.recomputed) for f in conflicts.itertuples()] == [(90.0, 65.0)]
    assert "自评得分前后不一" in conflicts.message.iloc[0]


def test_prose_sum_mismatch(tmp_path):
    text = "2020年度部门整体支出绩效自评报告\n部门整体支出176.18万元，其中：基本支出96.18万元，项目支出70万元。\n"
    found = flags(tmp_path, text)
    assert found == [("PROSE_SUM_MISMATCH", "warning", None, 176.18, pytest.approx(166.18)),
                     ("NO_SCORECARD", "info", None, None, None)]  # prose only: said, not silently ok


def test_prose_share_mismatch(tmp_path):
    text = ("2020年度部门整体支出绩效自评报告\n"
            "基本支出96.18万元，其中：人员经费30.75万元，占基本支出的35%；公用经费65.43万元，占基本支出的68.03%。\n")
    found = flags(tmp_path, text)
    assert [f[:4] for f in found] == [("PROSE_SHARE_MISMATCH", "warning", None, 0.35),
                                      ("NO_SCORECARD", "info", None, None)]
    assert found[0][4] == pytest.approx(30.75 / 96.18)


def test_unparsed_table(tmp_path):
    table = dump_rows([["项目", "预算数", "执行数", "执行率"], ["见附件", "详见附表", "详见附表", "—"]])
    data = jixiao.read(write(tmp_path, "2021年度项目支出绩效自评报告\n" + table))
    assert [(f.code, f.location) for f in data.flags.itertuples()] == [("UNPARSED_TABLE", "p1 t0")]
    assert data.reports.iloc[0]["status"] == "partial"


def test_department_form_with_its_own_budget_block(tmp_path):
    """The national 部门整体支出绩效自评表: budget execution (10 points) and targets in one table, one scorecard."""
    rows = [["部门（单位）名称", "某某局"],
            ["部门预算执行情况（万元）", "", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
            ["", "年度资金总额", "100", "100", "95", "10", "95%", "9.5"],
            ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"]]
    rows += [list(r) for r in CLEAN]
    rows.append(["总分", "", "", "", "", "100", "99.5"])
    data = jixiao.read(write(tmp_path, "2021年度部门整体支出绩效自评表\n" + dump_rows(rows)))
    card = data.scorecards.iloc[0]
    assert len(data.scorecards) == 1 and card["kind"] == "department"
    assert (card["claimed_total"], card["recomputed_total"]) == (99.5, 99.5)
    assert list(data.budget_lines.weight) == [10.0] and data.flags.empty


def test_operator_and_unit_columns(tmp_path):
    """Sichuan/Chongqing layouts: 指标性质 and 计量单位 in their own columns."""
    rows = [["项目名称", "工资性支出"],
            ["一级指标", "二级指标", "三级指标", "指标性质", "年度指标值", "计量单位", "实际完成值", "分值", "得分"],
            ["产出指标", "时效指标", "发放及时率", "≥", "90", "%", "80", "10", "10"],
            ["产出指标", "成本指标", "结余率", "≤", "5", "%", "10", "10", "5"],
            ["总分", "", "", "", "", "", "", "20", "15"]]
    data = jixiao.read(write(tmp_path, dump_rows(rows)))
    rows = data.indicators
    assert list(rows.target_op) == [">=", "<="] and list(rows.target_value) == [0.9, 0.05]
    assert list(rows.recomputed_score) == [pytest.approx(80 / 90 * 10), 5.0]
    found = [(f.code, None if pd.isna(f.indicator_seq) else f.indicator_seq) for f in data.flags.itertuples()]
    assert found == [("INDICATOR_SCORE_MISMATCH", 1), ("WEIGHT_SUM_MISMATCH", None)]  # a 20-point form ≠ 100


def test_project_form_split_over_two_tables(tmp_path):
    """项目名称 and budget in one Word table, the targets in the next: still one project scorecard."""
    head = dump_rows([["项目名称", "测试项目"],
                      ["项目资金\n（万元）", "", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
                      ["", "年度资金总额", "100", "100", "90", "10", "90%", "9"]])
    rows = [["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"]]
    rows += [list(r) for r in CLEAN] + [["总分", "", "", "", "", "100", "99"]]
    data = jixiao.read(write(tmp_path, head + "\n" + dump_rows(rows)))
    assert list(data.scorecards.kind) == ["project"] and list(data.scorecards.claimed_total) == [99.0]
    assert data.flags.empty


def test_weights_in_a_column_after_each_level(tmp_path):
    """一级指标 | 分值 | 二级指标 | 分值 | 三级指标 | 分值 | 得分: each 分值 belongs to the level before it."""
    rows = [["一级指标", "分值", "二级指标", "分值", "三级指标", "分值", "得分"],
            ["投入", "20", "预算执行", "20", "预算执行率", "20", "18"],
            ["产出", "80", "数量指标", "50", "完成数量", "50", "50"],
            ["", "", "质量指标", "30", "合格率", "30", "35"],
            ["总分", "", "", "", "", "100", "103"]]
    data = jixiao.read(write(tmp_path, "部门整体支出绩效评价评分表\n" + dump_rows(rows)))
    rows = data.indicators
    assert list(rows.level1_weight) == [20.0, 80.0, 80.0] and list(rows.level2_weight) == [20.0, 50.0, 30.0]
    assert list(rows.weight) == [20.0, 50.0, 30.0]
    assert sorted((f.code, f.claimed, f.recomputed) for f in data.flags.itertuples()) == [
        ("GROUP_OVER_WEIGHT", 35.0, 30.0), ("GROUP_OVER_WEIGHT", 85.0, 80.0), ("SCORE_OVER_WEIGHT", 35.0, 30.0)]


def test_budget_read_from_the_initial_budget_when_no_adjusted_one(tmp_path):
    rows = [["项目名称", "测试项目"],
            ["项目资金（万元）", "", "年初预算数", "全年执行数", "分值", "执行率", "得分"],
            ["", "年度资金总额", "100", "90", "10", "90%", "9"]]
    data = jixiao.read(write(tmp_path, dump_rows(rows)))
    line = data.budget_lines.iloc[0]
    assert (line.budget_wan, line.executed_wan, line.recomputed_score) == (100.0, 90.0, 9.0)


def test_money_cells_in_words_and_tables_read_alike():
    from jixiao.normalize.recompute import money_of
    from jixiao.patterns.numbers import parse_quantity
    cells = {"680万": (680.0, "万元"), "6727625.90元": (672.76259, "元"), "200千元": (20.0, "千元"),
             "0.2百万元": (20.0, "百万元"), "55": (55.0, "万元"), "2万亿": (2e8, "万亿元")}
    got = {raw: (pytest.approx(money_of(parse_quantity(raw)).wan), money_of(parse_quantity(raw)).written_unit)
           for raw in cells}
    assert got == cells
    assert money_of(parse_quantity("200000"), "元").wan == pytest.approx(20.0)


@pytest.mark.parametrize("claimed,weights,parts,severity,variant", [
    (97.0, [10, 20, 30], 60.0, "warning", "cut_within"),  # 40 points unread: 60 + 40 could give 97
    (60.0, [10, 20, 30], 59.0, "warning", "cut_within"),
    (98.0, [10, 25, 30, 25], 84.0, "error", "cut_beyond"),  # 10 points unread: at most 94 (Ningxia's arithmetic)
    (50.0, [10, 20, 30], 60.0, "error", "cut_below"),  # the rows read already score 60
    (97.0, [10, 20, None], 60.0, "warning", "cut_unknown"),  # a row without its weight: what is unread, unknown
])
def test_total_of_a_form_cut_off_is_an_error_only_out_of_the_unread_rows_reach(claimed, weights, parts, severity,
                                                                             variant):
    """A form the document ends inside of: its total against the rows read, within reach of the points unread."""
    from types import SimpleNamespace as Row

    from jixiao.normalize.checks import total_flags, unread_points
    from jixiao.normalize.flags import fmt, raise_flag
    from jixiao.normalize.forms import Form
    form = Form("project", "p1 t0", cut_off=True, total=claimed, total_raw=fmt(claimed))
    results = [Row(line=Row(weight=w)) for w in weights]
    unread = unread_points(form, [], results, Row(total_weight=100.0))
    (flag,) = total_flags(form, claimed, parts, unread)
    most = None if unread is None else parts + unread
    want = raise_flag("TOTAL_MISMATCH", level=severity, variant=variant, total_raw=form.total_raw, parts=fmt(parts),
                      unread=fmt(unread), most=fmt(most))
    assert (flag.severity, flag.message) == (severity, want.message)


@pytest.mark.parametrize("row,total,severity,variant", [
    (3, "99", "warning", "unscored_within"),  # 69 written, the blank row's 30 points could make 99
    (4, "99", "warning", "unscored_within"),  # 89 + 10
    (4, "100", "error", "unscored_beyond"),  # at most 99
    (3, "60", "error", "unscored_below"),  # the written scores already make 69
])
def test_a_total_over_rows_without_a_score_is_said_not_passed_over(tmp_path, row, total, severity, variant):
    """A row whose score cell is blank (or was not placed by the reader): the total cannot be checked; it was
    passed in silence (claimed_parts None: no TOTAL_MISMATCH, no flag at all, 'every check passed')."""
    from jixiao.normalize.flags import raise_flag
    rows = replace(CLEAN, row, score="")
    found = flags(tmp_path, national_form(rows, total=total))
    written = 99.0 - float(CLEAN[row][6])
    assert [f for f in found if f[0] == "TOTAL_MISMATCH"] == [("TOTAL_MISMATCH", severity, None, float(total), written)]
    assert [f[0] for f in found if f[0] != "TOTAL_MISMATCH"] == []
    message = jixiao.read(write(tmp_path, national_form(rows, total=total))).flags.message.tolist()
    weight = float(CLEAN[row][5])
    want = raise_flag("TOTAL_MISMATCH", level=severity, variant=variant, total_raw=total, parts=f"{written:g}",
                      count=1, unread=f"{weight:g}", most=f"{written + weight:g}")
    assert message == [want.message]


def test_a_total_the_written_scores_make_is_not_flagged_for_a_blank_score(tmp_path):
    rows = replace(CLEAN, 4, score="")  # 89 written: the blank scores 0, the form adds up
    assert flags(tmp_path, national_form(rows, total="89")) == []
