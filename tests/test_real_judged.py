"""Issue 11 items 1, 3, 6 on ../shared/real: each excerpt read as a careful auditor reads it (exact values),
and the cause of each misjudgement fixed for the family (synthetic forms beside the real ones)."""
import jixiao
import pandas as pd
import pytest
from forms import REAL, dump_rows, write


def real(stem: str):
    return jixiao.read(next(REAL.glob(stem + "*")))


def sichuan_form(scores: bool, total_row: list[str]) -> str:
    """A 510000_0013zp form (预算执行情况(10分), 权重/得分 columns, 其中 lines whose 权重 and 得分 are "/")."""
    s = (lambda v: v) if scores else (lambda v: "")
    rows = [
        ["项目名称", "某某项目"],
        ["主管部门", "某某局", "实施单位（盖章）", "某某中心"],
        ["预算执行情况(10分)", "年度预算数(万元)", "年初预算", "调整后预算数", "预算执行数", "预算执行率", "权重", "得分"],
        ["", "总额", "10", "10", "9", "90%", "10", s("9")],
        ["", "其中:财政资金", "10", "10", "9", "90%", "/", "/"],
        ["", "单位资金", "0", "0", "0", "0%", "/", "/"],
        ["绩效指标(90分)", "一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位", "完成值", "权重", "得分"],
        ["", "产出指标", "数量指标", "项目数量", "≥", "50", "个", "50", "60", s("60")],
        ["", "效益指标", "社会效益指标", "覆盖率", "=", "100", "%", "100", "30", s("30")],
        total_row,
    ]
    return "部门预算项目支出绩效自评表(2023年度)\n" + dump_rows(rows)


def test_budget_block_weight_is_the_total_lines_not_its_sub_lines(tmp_path):
    """预算执行情况(10分): the 总额 line is worth 10; its 其中 lines ("/") are not scored, nor counted twice."""
    data = jixiao.read(write(tmp_path, sichuan_form(True, ["合计", "100", "99"])))
    budget = data.budget_lines
    assert budget.line.tolist() == ["总额", "其中:财政资金", "单位资金"]
    assert budget.weight.tolist()[0] == 10.0 and budget.weight.isna().tolist() == [False, True, True]
    card = data.scorecards.iloc[0]
    assert (card.claimed_total, card.recomputed_total, card.unit_name) == (99.0, 99.0, "某某中心")
    assert data.flags.empty


def test_total_row_of_an_unscored_form_is_the_weights_sum(tmp_path):
    """合计 | 100 when no 得分 cell is filled is the 权重 column's sum, not a claimed score (Qingshen)."""
    data = jixiao.read(write(tmp_path, sichuan_form(False, ["合计", "100"])))
    assert data.scorecards.claimed_total.isna().all() and data.flags.empty
    filled = jixiao.read(write(tmp_path, sichuan_form(False, ["合计", "100", "97"]), "filled.txt"))
    assert filled.scorecards.claimed_total.tolist() == [97.0]  # a total the form does state stays its claim


def test_qingshen_unscored_form():
    data = real("sichuan_qingshen")
    card = data.scorecards.iloc[0]
    assert (card["name"], card.unit_name) == ("51000021R000000019951-工资性支出", "青神县发展和改革局")
    assert pd.isna(card.claimed_total) and pd.isna(card.recomputed_total)
    assert data.reports.iloc[0].status == "ok" and data.flags.empty


def test_daying_tail_of_a_form_is_reported_and_the_next_form_read():
    data = real("sichuan_daying")
    card = data.scorecards.iloc[0]
    assert (card["name"], card.unit_name) == ("51092324T000010263357-2023年全县安可替代补助资金项目", "大英县司法局")
    assert data.budget_lines[["line", "weight", "claimed_score", "recomputed_score"]].astype(object).where(
        data.budget_lines[["line", "weight", "claimed_score", "recomputed_score"]].notna(), None).values.tolist() == [
        ["总额", 10.0, 10.0, 10.0], ["其中:财政资金", None, None, None], ["财政专户管理资金", None, None, None],
        ["单位资金", None, None, None]]
    assert data.flags[["code", "message"]].values.tolist() == [
        ["UNPARSED_TABLE", "p1 ¶1: 绩效自评表 指标表头 found, 0 of ~1 rows read; no 项目名称 or budget rows before it: the text "
         "begins inside the form (its start is not in the text)"]]


def test_jinzhai_unit_from_its_bumen_row():
    data = real("anhui_jinzhai")
    assert data.scorecards.unit_name.tolist() == ["金寨县茶谷和美丽乡村建设服务中心"]
    assert data.reports.iloc[0].unit_name == "金寨县茶谷和美丽乡村建设服务中心"


@pytest.mark.parametrize("stem,recomputed", [("shandong_jinan", 70.0), ("sichuan_daying", None)])
def test_budget_sub_lines_are_not_summed(stem, recomputed):
    """Shandong 10 + 50 + 10 read (was 80: its 其中 line counted the budget's 10 twice)."""
    got = real(stem).scorecards.recomputed_total.iloc[0]
    assert (pd.isna(got) if recomputed is None else got == recomputed)
