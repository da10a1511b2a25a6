"""The canonical dataset of every seed: scorecards, budget figures, indicator counts, totals and exact flags."""
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest

import jixiao
from jixiao.normalize.schema import GEOMETRY_COLUMNS, TABLES

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
SEED_000 = SAMPLES / "000_b521ea4f1433165c.txt"
SEED_001 = SAMPLES / "001_e7a38e6b87d50f48.txt"
SEED_002 = SAMPLES / "002_8355fd70a3086172.txt"
SEED_003 = SAMPLES / "003_4634e4d09f39b8e4.txt"
SEED_004 = SAMPLES / "004_35c19541f4036631.txt"
HENAN = SAMPLES / "henan_2021-2024_zhiye_jineng_jingsai_jixiao_pingjia_baogao.docx"


@pytest.fixture(scope="module")
def seed004():
    return jixiao.read(SEED_004)


def flags_of(data, seq: int) -> list[tuple]:
    """(code, severity, indicator_seq) of one scorecard's flags, sorted."""
    sid = data.scorecards.set_index("seq").loc[seq, "scorecard_id"]
    rows = data.flags[data.flags.scorecard_id == sid]
    return sorted((r.code, r.severity, None if pd.isna(r.indicator_seq) else int(r.indicator_seq))
                  for r in rows.itertuples())


# seq, name, budget A (raw), executed B (raw), claimed budget score, indicators, claimed total, flags
SEED_004_FORMS = [
    (1, "2021年度两会新媒体宣传", "20", "19.75", 19.75, 9, 99.75, []),
    (2, "2021年度联办临空港报项目", "240", "237.6624", 19.81, 10, 99.81, []),
    (3, "2021年政府门户网站日常维护及优化升级等项目（政采）", "60", "59.5", 19.83, 9, 99.83,
     [("MISPLACED_INDICATOR", "warning", 5),  # moved back, 效益 fits its 20: no GROUP_OVER_WEIGHT (issue 11 6a)
      ("TEMPLATE_PLACEHOLDER", "warning", None), ("TEMPLATE_PLACEHOLDER", "warning", None)]),
    (4, "融媒体各平台系统维保及人员驻场服务项目（政采）", "55", "32.37", 11.77, 9, 91.77,
     [("MISPLACED_INDICATOR", "warning", 5),  # moved back, 效益 fits its 20: no GROUP_OVER_WEIGHT (issue 11 6a)
      ("TEMPLATE_PLACEHOLDER", "warning", None), ("TEMPLATE_PLACEHOLDER", "warning", None)]),
    (5, "区政府门户网站和区级新媒体内容检测等服务项目", "30", "23.36", 15.57, 9, 95.57,
     [("MISPLACED_INDICATOR", "warning", 5),  # moved back, 效益 fits its 20: no GROUP_OVER_WEIGHT (issue 11 6a)
      ("TEMPLATE_PLACEHOLDER", "warning", None), ("TEMPLATE_PLACEHOLDER", "warning", None)]),
    (6, "融媒体各平台设备维修服务项目", "10", "10", 20.0, 9, 100.0,
     [("MISPLACED_INDICATOR", "warning", 5),  # moved back, 效益 fits its 20: no GROUP_OVER_WEIGHT (issue 11 6a)
      ("TEMPLATE_PLACEHOLDER", "warning", None), ("TEMPLATE_PLACEHOLDER", "warning", None)]),
    (7, "摄影摄像器材日常维修维护项目", "9.74", "5.1962", 10.66, 9, 90.66,
     [("BUDGET_SCORE_MISMATCH", "info", None), ("TEMPLATE_PLACEHOLDER", "warning", None)]),
    (8, "全媒体平台创意设计服务", "30", "20.5", 13.666, 10, 92.34,
     [("BUDGET_SCORE_MISMATCH", "info", None), ("MISPLACED_INDICATOR", "warning", 6),
      ("MISPLACED_INDICATOR", "warning", 7), ("MISPLACED_INDICATOR", "warning", 8)]),
    (9, "2021年度新媒体平台线上线下推广", "80", "61.95", 15.49, 10, 95.49,
     [("MISSING_ACTUAL_SCORED", "error", 7)]),
    (10, "采访科运行维护费", "680万", "6727625.90元", 19.0, 9, 98.0,
     [("BUDGET_SCORE_MISMATCH", "warning", None), ("GROUP_OVER_WEIGHT", "error", None),
      ("MISPLACED_INDICATOR", "warning", 9), ("UNIT_MIXED", "info", None)]),
    (11, "2021年度新媒体内容生产服务项目", "260", "255.3710", 19.64, 10, 99.64, []),
    (12, "综合业务管理工作经费", "59.54", "44.5437", 15.0, 9, 85.0,
     [("TOTAL_MISMATCH", "error", None), ("WEIGHT_SUM_MISMATCH", "error", None)]),
    (13, "平台咨询策划服务项目", "30", "19.363028", 12.91, 9, 71.16, []),
    (14, "全年新媒体平台运营推广", "100", "99.519216", 19.9, 13, 99.9,
     [("UNIT_MIXED", "info", 4), ("UNIT_MIXED", "info", 5)]),
    (15, "2020年结转项目", "307.26", "291.12", 18.95, 9, 98.95, []),
    (16, "总编室运行维护费", "410", "315.24", 15.38, 8, 90.38, []),
]


@pytest.mark.parametrize("seq,name,budget,executed,score,n_indicators,total,flags", SEED_004_FORMS)
def test_seed004_every_form(seed004, seq, name, budget, executed, score, n_indicators, total, flags):
    card = seed004.scorecards.set_index("seq").loc[seq]
    assert card["name"] == name
    assert card["kind"] == "project" and card["profile"] == "hubei-2021"
    assert card["claimed_total"] == total
    line = seed004.budget_lines[seed004.budget_lines.scorecard_id == card["scorecard_id"]]
    assert list(line.budget_raw) == [budget] and list(line.executed_raw) == [executed]
    assert list(line.claimed_score) == [score] and list(line.weight) == [20.0]
    assert (seed004.indicators.scorecard_id == card["scorecard_id"]).sum() == n_indicators
    assert flags_of(seed004, seq) == flags


def test_seed004_report_row(seed004):
    report = seed004.reports.iloc[0]
    assert report["status"] == "ok" and report["report_kind"] == "project"
    assert report["unit_name"] == "东西湖区融媒体中心" and report["fiscal_year"] == 2021
    assert (report["n_scorecards"], report["n_indicators"], report["n_flags"]) == (16, 151, 27)


def test_seed004_printed_scoring_notes_are_not_figures(seed004):
    """备注 3.定性指标计分原则：…100-80%（含80%）…: the template's rules, repeated under every form."""
    assert seed004.figures.empty


def test_seed004_fourth_form_budget_and_rates(seed004):
    line = seed004.budget_lines.iloc[3]
    assert (line.budget_wan, line.executed_wan) == (55.0, 32.37)
    assert line.claimed_rate == pytest.approx(0.5885)
    assert line.recomputed_rate == pytest.approx(32.37 / 55)
    assert line.recomputed_score == pytest.approx(20 * 32.37 / 55)


def test_seed004_mixed_units_normalised_to_wan(seed004):
    """采访科运行维护费: 680万 vs 6727625.90元 -> 680 and 672.762590 万元, rate agrees with 98.94%."""
    line = seed004.budget_lines.iloc[9]
    assert line.budget_wan == 680.0
    assert line.executed_wan == pytest.approx(672.76259)
    assert line.recomputed_rate == pytest.approx(0.98936, abs=1e-5)
    flag = seed004.flags[(seed004.flags.code == "BUDGET_SCORE_MISMATCH") & (seed004.flags.severity == "warning")]
    assert list(flag.claimed) == [19.0] and float(flag.recomputed.iloc[0]) == pytest.approx(19.7871, abs=1e-4)
    assert list(flag.location) == ["p1 t9 r6"]


def test_seed004_rounding_is_info_not_error(seed004):
    """摄影摄像器材: 10.66 claimed, 20 × 5.1962/9.74 = 10.6698 recomputed: rounding only."""
    flag = seed004.flags[seed004.flags.code == "BUDGET_SCORE_MISMATCH"].iloc[0]
    assert (flag.severity, flag.claimed) == ("info", 10.66)
    assert flag.recomputed == pytest.approx(10.6698, abs=1e-4)


def test_seed004_total_and_weight_sum_of_zonghe_yewu(seed004):
    flags = seed004.flags[seed004.flags.scorecard_id.str.endswith("-12")].set_index("code")
    assert (flags.loc["TOTAL_MISMATCH", "claimed"], flags.loc["TOTAL_MISMATCH", "recomputed"]) == (85.0, 105.0)
    assert (flags.loc["WEIGHT_SUM_MISMATCH", "claimed"], flags.loc["WEIGHT_SUM_MISMATCH", "recomputed"]) == (100.0, 80.0)


def test_seed004_merged_levels_carry_down_with_weights(seed004):
    first = seed004.indicators[seed004.indicators.scorecard_id.str.endswith("-01")]
    assert list(first.level1) == ["产出指标"] * 5 + ["效益指标"] * 2 + ["满意度指标"] * 2
    assert list(first.level1_weight) == [40.0] * 5 + [20.0] * 2 + [20.0] * 2
    row = first.iloc[1]
    assert (row.level2, row.level3, row.target_raw, row.actual_raw) == ("质量指标", "新媒体推广留存率", "≥90%", "95%")
    assert (row.target_op, row.target_value, row.target_unit, row.actual_value) == (">=", 0.9, "%", 0.95)
    assert row.direction == "positive" and row.claimed_score == 8.0


def test_seed004_inline_weight_recomputed_quantitatively(seed004):
    """平台咨询策划服务项目: 报告材料（12分）, ≥16套 vs 11 -> 12 × 11/16 = 8.25, as claimed."""
    form = seed004.indicators[seed004.indicators.scorecard_id.str.endswith("-13")]
    row = form[form.level3 == "报告材料"].iloc[0]
    assert (row.weight, row.claimed_score, row.recomputed_score) == (12.0, 8.25, 8.25)
    partly = form[form.level3 == "月度运营数据分析"].iloc[0]
    assert (partly.recomputed_low, partly.recomputed_high, partly.claimed_score) == (2.5, 4.0, 3.0)


@pytest.mark.parametrize("rendition", [".docx", ".pdf"])
def test_seed004_renditions_give_the_same_dataset(seed004, rendition):
    other = jixiao.read(SEED_004.with_suffix(rendition))
    for table in ("scorecards", "budget_lines"):
        where = ("report_id", "scorecard_id", "location", *GEOMETRY_COLUMNS)  # the same values, found elsewhere
        columns = [c for c in TABLES[table] if c not in where]
        pd.testing.assert_frame_equal(getattr(other, table)[columns], getattr(seed004, table)[columns])
    assert Counter(other.flags.code) == Counter(seed004.flags.code)
    assert len(other.indicators) == len(seed004.indicators)


def test_seed001_department_scoring_table():
    data = jixiao.read(SEED_001)
    report = data.reports.iloc[0]
    assert report["report_kind"] == "department" and report["fiscal_year"] == 2021
    assert report["unit_name"] == "岳阳市岳阳楼区融媒体中心"
    assert (report["claimed_score"], report["claimed_grade"], report["recomputed_score"]) == (98.0, "优", 98.0)
    card = data.scorecards.iloc[0]
    assert (card["kind"], card["claimed_total"], card["recomputed_grade"]) == ("department", 98.0, "优")
    assert len(data.scorecards) == 1 and len(data.indicators) == 25
    levels = data.indicators.groupby("level1", sort=False).level1_weight.first().to_dict()
    assert levels == {"投入": 15.0, "过程": 40.0, "产出": 25.0, "效果": 20.0}
    assert data.indicators.weight.sum() == 100.0  # the merged 15 of 经济/社会/生态效益 counted once
    assert data.indicators.claimed_score.sum() == 98.0
    sums = data.flags[data.flags.code == "PROSE_SUM_MISMATCH"]  # counts in the prose (issue 11 item 6b)
    assert [(f.claimed, f.recomputed) for f in sums.itertuples()] == [(129.0, 171.0), (4366.0, 4166.0)]
    assert set(data.flags.code) == {"PROSE_SUM_MISMATCH"}


def test_seed001_prose_in_narrative_box():
    data = jixiao.read(SEED_001)
    figures = data.figures.set_index("seq")
    assert (figures.loc[1, "label"], figures.loc[1, "value"], figures.loc[1, "unit"]) == ("人数", 23.0, "人")
    assert list(figures[figures.parent_seq == 1].value) == [12.0, 3.0, 8.0]


def test_seed002_department_targets_summary_and_actuals():
    data = jixiao.read(SEED_002)
    assert len(data.scorecards) == 1 and len(data.indicators) == 55
    card = data.scorecards.iloc[0]
    assert (card["claimed_total"], card["claimed_grade"], card["recomputed_total"]) == (98.0, "优", 98.0)
    weights = data.indicators.groupby("level1").weight.sum().to_dict()
    assert weights == {"投入": 6.0, "过程": 11.0, "产出": 63.0, "效果": 20.0}
    news = data.indicators[data.indicators.level3 == "全年采摄新闻"].iloc[0]
    assert (news.target_raw, news.actual_raw, news.weight, news.recomputed_score) == ("3000 篇 (条)", "3250 篇（条）", 3.0, 3.0)
    drifted = data.indicators[data.indicators.level3 == "作品社会影响力"].iloc[0]
    assert (drifted.level1, drifted.weight, drifted.target_raw) == ("效果", 2.0, "效益显著")


def test_seed002_report_and_prose_budget_lines():
    data = jixiao.read(SEED_002)
    report = data.reports.iloc[0]
    assert (report["unit_name"], report["fiscal_year"], report["report_kind"]) == ("武汉市新洲区融媒体中心", 2020, "department")
    assert report["claimed_grade"] == "优"
    flag = data.flags.iloc[0]  # "预算数 5.5 万元，其中公务接待费 1.5 元，公务用车运行维护费 4 万元…": 元 for 万元
    assert len(data.flags) == 1 and (flag.code, flag.severity, flag.claimed) == ("PROSE_SUM_MISMATCH", "warning", 5.5)
    assert flag.recomputed == pytest.approx(4.00015)
    prose = data.budget_lines[data.budget_lines.scorecard_id.isna()]
    purchase = prose[prose.budget_wan == 360.54].iloc[0]
    assert (purchase.executed_wan, purchase.claimed_rate) == (225.42, 0.6252)


def test_seed000_prose_only_report():
    data = jixiao.read(SEED_000)
    report = data.reports.iloc[0]
    assert (report["status"], report["n_scorecards"], report["claimed_score"]) == ("ok", 0, 95.0)
    assert report["fiscal_year"] == 2021 and report["unit_name"] == "鄂州市融媒体中心"
    lines = data.budget_lines
    assert list(lines.budget_wan) == [250.0, 220.0, 200.0] and list(lines.executed_wan) == [250.0, 220.0, 200.0]
    assert list(lines.claimed_rate) == [1.0, 1.0, 1.0] and lines.scorecard_id.isna().all()
    total = data.figures[data.figures.label == "决算总支出"].iloc[0]
    parts = data.figures[data.figures.parent_seq == total.seq]
    assert list(parts.label) == ["基本支出", "项目支出"] and list(parts.value) == [4963.04, 670.0]
    assert list(data.flags.code) == ["NO_SCORECARD"]  # prose only, no table left unread: no UNPARSED_TABLE


def test_seed003_prose_totals_parts_and_shares():
    data = jixiao.read(SEED_003)
    report = data.reports.iloc[0]
    assert (report["unit_name"], report["fiscal_year"], report["report_kind"]) == ("大祥区融媒体中心", 2020, "department")
    figures = data.figures
    total = figures[figures.value == 176.18].iloc[0]
    assert list(figures[figures.parent_seq == total.seq].value) == [96.18, 80.0]
    share = figures[figures.unit == "%"]
    assert list(share.value_norm) == [0.3197, 0.6803]
    assert list(data.flags.code) == ["NO_SCORECARD"]  # 30.75 + 65.43 = 96.18 and both shares agree


def test_henan_third_party_report():
    data = jixiao.read(HENAN)
    report = data.reports.iloc[0]
    assert (report["claimed_score"], report["claimed_grade"]) == (65.0, "中")
    card = data.scorecards.iloc[0]
    assert (card["kind"], card["claimed_total"], card["recomputed_total"], card["recomputed_grade"]) == \
        ("project", 65.0, 65.0, "中")  # a project evaluation: 职业技能竞赛经费
    assert len(data.scorecards) == 1 and len(data.indicators) == 28  # 6 + 5 + 7 + 10 三级指标, as the report says
    assert data.indicators.weight.sum() == 100.0
    scores = data.indicators.groupby("level1", sort=False).claimed_score.sum().round(2).to_dict()
    assert scores == {"A决策": 10.40, "B过程": 11.47, "C产出": 19.88, "D效益": 23.25}
    levels = data.indicators.groupby("level1", sort=False).level1_weight.first().to_dict()
    assert levels == {"A决策": 15.0, "B过程": 25.0, "C产出": 25.0, "D效益": 35.0}
    first = data.indicators.iloc[0]
    assert (first.level2, first.level2_weight, first.level3, first.weight, first.claimed_score) == \
        ("A1项目立项", 5.0, "A101立项依据充分性", 2.0, 2.0)
    assert data.flags.empty, data.flags[["code", "message"]].to_string()
