"""Forms flattened into text (issue 11 item 3): the real excerpts of /work/shared/real read into scorecards,
budget rows and indicator rows with the values the forms state; what cannot be read is said."""
from __future__ import annotations

import subprocess
import sys

import pytest

import jixiao
from jixiao.normalize.flat_forms import level_of, place
from jixiao.patterns.flat_text import pipe_blocks, split_glued, split_pipe_row
from jixiao.patterns.hanzi import clean_script, to_simplified

from forms import REAL  # noqa: E402


def real(stem: str) -> jixiao.Dataset:
    return jixiao.read(next(REAL.glob(f"{stem}*_EXCERPT.txt")))


def budget(data) -> list[tuple]:
    return [(r.line, r.budget_raw, r.executed_raw, r.claimed_rate, r.weight, r.claimed_score)
            for r in data.budget_lines.itertuples()]


def indicators(data) -> list[tuple]:
    return [(r.level1, r.level2, r.level3, r.target_raw, r.actual_raw, r.weight, r.claimed_score)
            for r in data.indicators.itertuples()]


def rows(frame) -> list[tuple]:
    return [tuple(None if _missing(v) else v for v in row) for row in frame]


def _missing(v) -> bool:
    try:
        return bool(v != v) or v is None or str(v) == "<NA>"
    except (TypeError, ValueError):
        return str(v) == "<NA>"


# ---------------------------------------------------------------- string level


def test_pipe_row_cells_keep_inner_empties_and_drop_padding():
    assert split_pipe_row("其中:当年财政拨款 | 7.29 | 7.29 | | 100% | |||||", leading=False) == [
        "其中:当年财政拨款", "7.29", "7.29", "", "100%"]
    assert split_pipe_row("| 年度资金总额 | 7.29 | 10.00 | ||", leading=True) == ["年度资金总额", "7.29", "10.00"]


def test_pipe_rows_split_over_lines_are_joined_by_the_table_width():
    lines = ["标题 | ||", "项目资金 |", "年初预算数 | 全年执行数 |", "年度资金总额 | 1 | 2 |"]
    block = pipe_blocks(lines)[0]
    assert block.rows == [["标题"], ["项目资金", "年初预算数", "全年执行数"], ["年度资金总额", "1", "2"]]


def test_traditional_script_with_readings_reads_as_simplified():
    assert to_simplified("項(xiàng)目支出績效自評表 ﹦") == "项目支出绩效自评表 ="
    assert clean_script("项目支出绩效自评表，年度资金总额") is None  # simplified text is left alone
    assert clean_script("年度資金總額 當年財政撥款 上年結轉資金 其他資金") == "年度资金总额 当年财政拨款 上年结转资金 其他资金"


def test_script_conversion_does_not_import_pkg_resources():
    # zhconv would import setuptools' pkg_resources (0.3–0.7 s of every run) to find its table; patterns/hanzi.py
    # has it read the same table by path. A fresh interpreter: the conversion works and pkg_resources is not loaded.
    code = ("import sys; from jixiao.patterns.hanzi import to_simplified; "
            "print(to_simplified('績效'), 'pkg_resources' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["绩效", "False"]


def test_cells_go_under_the_column_they_fit_when_merged_cells_are_missing():
    kinds = [None, "level1", "level2", "level3", "target", "actual", "weight", "score", "deviation"]
    assert place(["指标2:建设美丽宜居自然村庄数量", "≥200", "202", "10", "10"], kinds) == [
        "", "", "", "指标2:建设美丽宜居自然村庄数量", "≥200", "202", "10", "10", ""]
    assert place(["质量指标", "验收通过率", "≥95%", "100%", "5", "5"], kinds)[2:8] == [
        "质量指标", "验收通过率", "≥95%", "100%", "5", "5"]
    budget_kinds = ["line", "budget_initial", "budget", "executed", "weight", "rate", "score"]
    assert place(["其中:当年财政拨款", "7.29", "7.29", "7.29", "100%"], budget_kinds) == [
        "其中:当年财政拨款", "7.29", "7.29", "7.29", "", "100%", ""]


def test_level_names_from_data():
    assert level_of("产出指标(50分)") == 1 and level_of("数量指标") == 2 and level_of("(30分)") == 1
    assert level_of("指标1:开展精品示范村建设数量") is None


# ---------------------------------------------------------------- real excerpts: pipe rows


def test_jinzhai_department_form_from_pipe_rows():
    data = real("anhui_jinzhai")
    card = data.scorecards.iloc[0]
    assert len(data.scorecards) == 1 and card.kind == "department"
    assert rows(budget(data)) == [
        ("年度资金总额", "329.77", "338.31", 1.0259, 10.0, None),
        ("其中:当年财政拨款", "329.77", "338.31", 1.0259, None, None),
    ]
    assert rows(indicators(data)) == [
        ("产出指标", "数量指标", "指标1:开展精品示范村建设数量", "≤4", "4", 10.0, 10.0),
        ("产出指标", "数量指标", "指标2:建设美丽宜居自然村庄数量", "≥200", "202", 10.0, 10.0),
        ("产出指标", "数量指标", "指标3:完成农村户用卫生厕所改造数量", "≥2000", "3061", 10.0, 10.0),
        ("产出指标", "数量指标", "指标4:新建省级中心村数量", "≥10", "10", 10.0, 10.0),
        ("产出指标", "质量指标", "指标1:美丽宜居自然村庄验收通过率", "≥95%", "100%", 5.0, 5.0),
        ("产出指标", "质量指标", "指标2:户用卫生厕所改造验收通过率", "≥95%", "100%", 5.0, 5.0),
        ("产出指标", "时效指标", "指标1:完成美丽宜居自然村庄验收时间", "9月前", "7月", 5.0, 5.0),
        ("产出指标", "时效指标", "指标2:完成户用卫生厕所改造验收时间", "11月前", "10月", 5.0, 5.0),
    ]
    report = data.reports.iloc[0]
    assert report.status == "partial" and report.fiscal_year == 2023
    assert "15 of 16 rows read; not read: 成本指标 | 指标1:" in report.warnings  # the cut-off row is said


def test_lijiang_traditional_pipe_form_reads_as_the_simplified_form():
    data = real("yunnan_lijiang")
    card = data.scorecards.iloc[0]
    assert (card.kind, card["name"], card.unit_name) == ("project", "2020年省级自然资源卫片执法补助经费支出绩效自评表",
                                                      "丽江市古城区自然资源局")
    assert card.recomputed_total == 100.0 and _missing(card.claimed_total)
    assert rows(budget(data)) == [
        ("年度资金总额", "7.29", "7.29", 1.0, 10.0, 10.0),
        ("其中:当年财政拨款", "7.29", "7.29", 1.0, None, None),
    ]
    assert rows(indicators(data)) == [
        ("产出指标", "数量指标", "卫片执法补助经费", "72890", "72890", 10.0, 9.0),
        ("产出指标", "质量指标", "项目验收合格率", "100", "100", 20.0, 19.0),
        ("产出指标", "时效指标", "项目完成及时率", "100", "100", 20.0, 19.0),
        ("效益指标", "社会效益指标", "违法行为责停率", "95", "95", 30.0, 27.0),
        ("满意度指标", "服务对象满意度指标", "满意度", "95", "95", 10.0, None),  # the excerpt ends here
    ]
    assert sorted(data.flags.code) == ["INDICATOR_SCORE_MISMATCH"] * 4
    assert data.reports.iloc[0].fiscal_year == 2020


def test_daying_pipe_rows_starting_mid_form_report_the_cut_tail_and_read_the_next_form():
    data = real("sichuan_daying")
    assert list(data.scorecards.name) == ["51092324T000010263357-2023年全县安可替代补助资金项目"]
    assert data.scorecards.iloc[0].unit_name == "大英县司法局"
    assert rows(budget(data)) == [
        ("总额", "3.36", "3.36", 1.0, 10.0, 10.0),
        ("其中:财政资金", "3.36", "3.36", 1.0, None, None),  # "/": the block's （10分） is the 总额 line's
        ("财政专户管理资金", "0.00", "0.00", 0.0, None, None),
        ("单位资金", "0.00", "0.00", 0.0, None, None),
    ]
    assert rows(indicators(data)) == [("产出指标", "质量指标", "完成安可产品购买并按要求支付资金", "100", None, None, None)]
    report = data.reports.iloc[0]
    assert report.status == "partial" and "form cut off at its start (7 rows)" in report.warnings
    # the cut-off tail (合计 100 over a 90-point block) raises no false mismatch: it is reported as unread
    assert data.flags[["code", "message"]].values.tolist() == [
        ["UNPARSED_TABLE", "p1 ¶1: 绩效自评表 指标表头 found, 0 of ~1 rows read; no 项目名称 or budget rows before it: the text "
         "begins inside the form (its start is not in the text)"]]


def test_qingshen_one_cell_per_pipe_line_form():
    data = real("sichuan_qingshen")
    card = data.scorecards.iloc[0]
    # 实施单位 (盖章) names the unit; 合计 | 100 is the 权重 column's sum: no 得分 cell is filled, no total claimed
    assert (card["name"], card.unit_name) == ("51000021R000000019951-工资性支出", "青神县发展和改革局")
    assert data.scorecards.claimed_total.isna().all()
    assert data.flags.empty
    assert rows(budget(data)) == [
        ("总额", "251.89", "251.89", 1.0, 10.0, None),
        ("其中:财政资金", "251.89", "251.89", 1.0, None, None),
        ("财政专户管理资金", "0.00", "0.00", 0.0, None, None),
        ("单位资金", "0.00", "0.00", 0.0, None, None),
    ]
    assert rows(indicators(data)) == [
        ("产出指标", "数量指标", "发放(缴纳)覆盖率", "100", None, 60.0, None),
        ("效益指标", "社会效益指标", "足额保障率(参保率)", "100", None, 30.0, None),
    ]
    assert data.indicators.target_unit.tolist()[0] == "%"


@pytest.mark.parametrize("stem", ["anhui_jinzhai", "yunnan_lijiang", "sichuan_daying", "sichuan_qingshen"])
def test_pipe_excerpts_are_never_silent(stem):
    data = real(stem)
    assert len(data.scorecards) == 1 and len(data.indicators) >= 1


# ---------------------------------------------------------------- real excerpts: one cell per line, run together


def test_hebei_one_cell_per_line_with_lone_space_empty_cells():
    data = real("hebei_langfang")
    card = data.scorecards.iloc[0]
    assert (card["name"], card.unit_name, card.kind) == ("办公宿舍楼、食堂及餐厅暖通改造经费", "廊坊市食品工程学校", "project")
    assert rows(budget(data)) == [
        ("年度资金总额", "43.2", "37.24", 0.86, 10.0, 9.0),
        ("其中:当年财政拨款", "43.2", "37.24", None, None, None),
    ]
    assert rows(indicators(data)) == [
        ("产出指标", "数量指标", "指标1工程资金金额", "43.2", "37.24", 10.0, 9.0),
        ("产出指标", "质量指标", "指标1工程完工率", "100", "100", 10.0, 10.0),
        ("产出指标", "质量指标", "指标2工程验收合格率", "100", "100", 10.0, 10.0),
        ("产出指标", "时效指标", "指标1项目完成及时率", "100", "100", 10.0, 10.0),
        ("产出指标", "成本指标", "指标1成本控制率", "100", "100", 10.0, 10.0),  # 成本指标 under 产出: a 二级
        ("效益指标", "经济效益指标", "指标1安全率", "100", "100", 10.0, 10.0),  # "经济效益" / "指标" joined
        ("效益指标", "社会效益指标", "指标1学校发展能力", "100", "100", 10.0, 10.0),
        ("效益指标", "可持续影响指标", "指标1长期使用性", "100", "100", 10.0, 10.0),
        ("满意度指标", "服务对象满意度指标", "指标1学生满意度", "100", "100", 10.0, 10.0),
    ]
    assert set(data.flags.code) == {"TEMPLATE_PLACEHOLDER"}  # the template's 指标2 / …… rows left unfilled
    assert data.reports.iloc[0].fiscal_year == 2019


def test_chizhou_cells_run_together_on_one_line():
    data = real("chizhou_guichi")
    card = data.scorecards.iloc[0]
    assert (card["name"], card.unit_name) == ("委托业务项目", "池州市贵池区棠溪镇人民政府")  # 219001- is its budget code
    assert rows(budget(data)) == [
        ("年度资金总额:", "0", "0", 0.0, 10.0, 0.0),
        ("其中:本年财政拨款", "89.974", "89.974", None, None, None),
    ]
    got = rows(indicators(data))
    assert len(got) == 9
    assert got[0] == ("产出指标", "数量指标", "基建工程委托业务项目数量", "≥50个", "50", 8.0, 8.0)
    assert got[2] == ("产出指标", "质量指标", "经费支出合规性", "严格执行相关制度规定", "达成预期指标", 8.0, 8.0)
    assert got[5] == ("产出指标", "成本指标", "单项业务成本", "符合相关规定", "达成预期指标", 10.0, 10.0)
    assert got[8] == ("效益指标", "可持续影响指标", "对推动基建项目“四项制度”健全和落实的持续性影响", "效果明显", "达成预期指标",
                      10.0, 10.0)
    assert list(data.indicators.level1_weight.unique()) == [50.0, 30.0]
    report = data.reports.iloc[0]
    assert report.status == "partial" and "not read: 公众满" in report.warnings and report.fiscal_year == 2022


def test_shandong_run_together_rows_with_lost_level_names():
    data = real("shandong_jinan")
    card = data.scorecards.iloc[0]
    assert (card["name"], card.unit_name) == ("商品和服务支出", "济南市历城区文化馆")
    assert rows(budget(data)) == [
        ("年度资金总额", "45", "45", 1.0, 10.0, 10.0),
        ("其中:财政拨款", "45", "45", None, None, None),
    ]
    assert rows(indicators(data)) == [
        ("(50分)", "数量指标", "全年免费开放", "100%", "100%", 12.5, 12.5),
        ("(50分)", "质量指标", "免费开放管理制度健全、执行有效性", "100%", "100%", 12.5, 12.5),
        ("(50分)", "时效指标", "免费开放率", "100%", "100%", 12.5, 12.5),
        ("(50分)", "成本指标", "实际成本与工作内容的匹配程度", "45万", "45万", 12.5, 12.5),
        ("(30分)", "经济效益指标", "承担重要公益服务项目、助推民生事业发展", "100%", "100%", 10.0, 10.0),
    ]
    # the lone (50分) / (30分) where the 一级 names belong open their groups with those points
    assert list(data.indicators.level1_weight) == [50.0, 50.0, 50.0, 50.0, 30.0]
    assert data.reports.iloc[0].status == "partial" and data.reports.iloc[0].fiscal_year == 2019
    # 4 × 12.5 make the 50 (no flag); the excerpt ends in the (30分) group, whose 10 read is said as cut off
    assert data.flags[["code", "severity", "message"]].values.tolist() == [
        ["WEIGHT_SUM_MISMATCH", "warning", "(30分): 下级分值合计 10 ≠ 声明的 30 分（文件在此表中截断，无总分行：只合计了读到的行）"],
        ["WEIGHT_SUM_MISMATCH", "warning", "全表分值合计 90 ≠ 100（文件在此表中截断，无总分行：只合计了读到的行）"]]


@pytest.mark.parametrize("stem", ["wanglu"])  # shanxi_jishan: read by its column queue (tests/test_label_grammar.py)
def test_text_whose_spaces_cut_cells_is_left_to_the_unread_detector(stem):
    data = real(stem)
    assert data.scorecards.empty and "UNPARSED_TABLE" in set(data.flags.code)


@pytest.mark.parametrize(("token", "cells"), [
    ("安装坡面水标尺10≥266米≥266米10", ["安装坡面水标尺", "10", "≥266米", "≥266米", "10"]),
    ("公用经费标准5符合相关文件要求符合相关文件要求5", ["公用经费标准", "5", "符合相关文件要求", "符合相关文件要求", "5"]),
    ("业务完成率高业务完成率高10", ["业务完成率高", "业务完成率高", "10"]),
    ("新媒体产品5个5个8", ["新媒体产品", "5个", "5个", "8"]),
    # weight 33 with target 5万元3 leaves no score; weight 3, 35万元, score 3 is the one complete reading
    ("维修(维护)所需成本335万元35万元3", ["维修(维护)所需成本", "3", "35万元", "35万元", "3"]),
    ("标尺12≥266米≥266米15", ["标尺12≥266米≥266米15"]),  # score 15 over weight 12: no reading, left whole
    ("1010", ["1010"]), ("2020年", ["2020年"]), ("有所提升", ["有所提升"]),
])
def test_cells_run_together_without_a_space_split_where_target_equals_actual(token, cells):
    assert split_glued(token) == cells
