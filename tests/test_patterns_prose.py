"""Facts in the prose of seeds 000 and 003 (every figure, paragraph by paragraph), and of seed 002."""
import math
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from jixiao.patterns.prose import extract_figures, find_budget_statements, find_claims, split_sentences

SEEDS = Path(__file__).resolve().parents[1] / "samples"


def paragraph(seed: str, containing: str) -> str:
    """The line of a seed text dump that contains the given words."""
    path = next(SEEDS.glob(f"{seed}_*.txt"))
    return next(line for line in path.read_text(encoding="utf-8").splitlines() if containing in line)


def table(figures):
    return [(f.label, round(f.quantity.value_norm, 6), f.kind, f.parent) for f in figures]


# ---- seed 000 -----------------------------------------------------------------------------------

def test_000_claimed_score():
    p = paragraph("000", "我单位自评得分95分")
    assert table(extract_figures(p)) == [("自评得分", 95.0, "score", None)]
    claims = find_claims(p)
    assert [(c.kind, c.value, c.subject) for c in claims] == [("score", 95.0, None)]


def test_000_execution_rate():
    p = paragraph("000", "总体预算执行率达到84.47%")
    assert table(extract_figures(p)) == [("执行率", 0.8447, "percent", None)]


@pytest.mark.parametrize("name,amount", [
    ("鄂州市融媒体中心扩版及宣传运行维护项目", 250.0),
    ("鄂州市融媒体中心网站及客户端运行维护费项目", 220.0),
    ("鄂州市融媒体中心鄂州市融媒体中心专用设备购置及维护费项目", 200.0),
])
def test_000_project_budget_sentences(name, amount):
    p = paragraph("000", name + "全年预算数")
    assert table(extract_figures(p)) == [
        ("全年预算数", amount, "money", None), ("执行数", amount, "money", None), ("执行率", 1.0, "percent", None),
    ]
    [statement] = find_budget_statements(p)
    assert statement.name == name
    assert (statement.budget.value_norm, statement.executed.value_norm, statement.rate.value_norm) == (amount, amount, 1.0)


def test_000_total_with_parts_and_shares_across_sentences():
    p = paragraph("000", "部门决算总支出5633.04万元")
    figures = extract_figures(p)
    assert table(figures) == [
        ("决算总支出", 5633.04, "money", None),
        ("基本支出", 4963.04, "money", 0),
        ("基本支出占支出", 0.8811, "percent", None),
        ("项目支出", 670.0, "money", 0),
        ("项目支出占支出", 0.1189, "percent", None),
    ]
    assert [(f.share_of, f.share_part) for f in figures] == [(None, None), (None, None), (0, 1), (None, None), (0, 3)]


def test_000_appropriation():
    p = paragraph("000", "当年财政拨款680万元")
    assert table(extract_figures(p)) == [("当年财政拨款", 680.0, "money", None)]


def test_000_coverage():
    p = paragraph("000", "项目自评覆盖率均100%")
    assert table(extract_figures(p)) == [("自评覆盖率", 1.0, "percent", None)]


def test_000_problem_statement():
    p = paragraph("000", "仅表述为完成100%")
    assert table(extract_figures(p)) == [("完成", 1.0, "percent", None)]


def test_000_cost_and_income_indicators():
    assert table(extract_figures(paragraph("000", "工资及费用小于等于6669万元"))) == [("工资及费用", 6669.0, "money", None)]
    assert table(extract_figures(paragraph("000", "创收收入3300万元"))) == [("创收收入", 3300.0, "money", None)]


def test_000_numbers_that_are_not_figures():
    # years, 财预〔…〕, list markers, counts and days are not money/percent/score/headcount figures
    for words in ("（1）、宣传党中央大政方针", "播出电视及广播天数365天", "保证鄂州日报扩版工作的正常运转", "仅设置2-3条指标"):
        assert extract_figures(paragraph("000", words)) == []


def test_000_every_figure_in_the_seed():
    path = next(SEEDS.glob("000_*.txt"))
    found = [f for line in path.read_text(encoding="utf-8").splitlines() for f in extract_figures(line)]
    assert len(found) == 1 + 2 + 9 + 5 + 1 + 1 + 1 + 1 + 1  # score, rates (×2), budget sentences, total, …
    assert sorted({f.kind for f in found}) == ["money", "percent", "score"]


# ---- seed 003 -----------------------------------------------------------------------------------

def test_003_total_with_parts():
    p = paragraph("003", "部门整体支出176.18万元")
    assert table(extract_figures(p)) == [
        ("部门整体支出", 176.18, "money", None), ("基本指出", 96.18, "money", 0), ("项目支出", 80.0, "money", 0),
    ]


def test_003_basic_expenditure_with_shares_across_a_semicolon():
    p = paragraph("003", "财政拨款基本支出96.18万元")
    figures = extract_figures(p)
    assert table(figures) == [
        ("基本支出", 96.18, "money", None),
        ("人员经费", 30.75, "money", 0),
        ("人员经费占基本支出", 0.3197, "percent", None),
        ("公用经费", 65.43, "money", 0),
        ("公用经费占基本支出", 0.6803, "percent", None),
    ]
    assert [(f.share_of, f.share_part) for f in figures[2::2]] == [(0, 1), (0, 3)]


def test_003_project_expenditure():
    p = paragraph("003", "2020年度项目支出80万元")
    assert table(extract_figures(p)) == [("项目支出", 80.0, "money", None)]


def test_003_staff():
    p = paragraph("003", "核定全额事业编8名")
    assert table(extract_figures(p)) == [
        ("全额事业编", 8.0, "headcount", None), ("到位", 4.0, "headcount", None),
        ("主任", 1.0, "headcount", None), ("副主任", 2.0, "headcount", None),
    ]


def test_003_counts_only_when_asked():
    p = paragraph("003", "共在大祥发布发稿1551篇")
    assert extract_figures(p) == []
    counts = extract_figures(p, kinds={"count"})
    assert [f.quantity.value for f in counts] == [1551, 3570, 98, 243, 1356, 36, 30]
    assert counts[-1].quantity.approx  # 共30余篇


def test_003_every_figure_in_the_seed():
    path = next(SEEDS.glob("003_*.txt"))
    found = [f for line in path.read_text(encoding="utf-8").splitlines() for f in extract_figures(line)]
    assert len(found) == 4 + 3 + 5 + 1


# ---- seed 002: nested 其中, claims with subjects, budget sentences ---------------------------------

def test_002_nested_parts_in_parentheses_are_excluded_from_the_outer_sum():
    p = paragraph("002", "总编制人数 101 人")
    figures = extract_figures(p)
    assert table(figures) == [
        ("总编制人数", 101.0, "headcount", None), ("行政编制", 21.0, "headcount", 0),
        ("事业编制", 80.0, "headcount", 0), ("参照公务员法管理", 12.0, "headcount", 2),
        ("在职实有人数", 93.0, "headcount", None), ("行政编制", 8.0, "headcount", 4),
        ("事业编制", 57.0, "headcount", 4), ("参照公务员法管理", 8.0, "headcount", 6),
        ("内聘用人员", 28.0, "headcount", 4),
    ]
    outer = sum(f.quantity.value for f in figures if f.parent == 0)
    assert outer == 101


def test_002_parts_stop_at_a_comparison():
    p = paragraph("002", "“三公经费”决算2.96万元")
    assert [f.parent for f in extract_figures(p)] == [None, 0, None, None]


def test_002_group_claims():
    claims = find_claims(paragraph("002", "投入分析"))
    assert [(c.kind, c.value, c.subject) for c in claims] == [("score", 5.0, "投入")]
    claims = find_claims(paragraph("002", "过程分析"))
    assert [(c.kind, c.value, c.subject) for c in claims] == [("score", 10.0, "过程")]
    claims = find_claims(paragraph("002", "产出分析"))
    assert [(c.kind, c.value, c.subject) for c in claims] == [("score", 63.0, "产出")]


def test_group_claim_with_text_glued_before_its_clause():
    """An OCR preview glues a table's cells and a heading before the clause: the group word just before its
    指标共 is the subject, as in the paragraph alone (was: the report's own score, a false CLAIM_CONFLICT
    65.00 vs 10.40 error in the Henan report's preview)."""
    alone = find_claims("决策指标共15分，评价得分10.40分，得分率69.33%")
    glued = find_claims("565.00得分率69.33%45.88%79.52%66.43%65.00%（二）绩效分析1.决策指标绩效分析决策指标共15分，"
                        "评价得分10.40分，得分率69.33%")
    assert [(c.kind, c.value, c.subject) for c in glued] == [(c.kind, c.value, c.subject) for c in alone] == [
        ("score", 10.4, "决策")]


def test_002_overall_claim_with_grade():
    claims = find_claims(paragraph("002", "本次绩效评价的综合得分为98分"))
    assert [(c.kind, c.value, c.subject) for c in claims] == [("score", 98.0, None), ("grade", "优", None)]


def test_002_budget_sentence_prefers_the_adjusted_budget():
    text = ("2020 年度批复年初预算为 1967.13 万元，年度追加预算1783.87 万元，预算调整数 3751 万元，"
            "实际执行数为 3751 万元，预算执行率为 100%；")
    [s] = find_budget_statements(text)
    assert (s.budget_initial.value, s.budget.value, s.executed.value, s.rate.value_norm) == (1967.13, 3751, 3751, 1.0)


@pytest.mark.parametrize("text,claims", [
    ("对南县财政局2020年度机关整体支出开展了绩效评价,综合评分为97分。", [("score", 97.0)]),           # 湖南 南县
    ("本部门对2017 年整体支出开展绩 效自评,自评得分\n90 分,存在的问题", [("score", 90.0)]),              # wanglu 2017
    ("该项目绩效评价总体得分为65.00分。依据…规定，项目评价级别为“中”。", [("score", 65.0), ("grade", "中")]),  # 河南
    ("绩效自评综合得分 98分 评价等次 优秀", [("score", 98.0), ("grade", "优")]),                          # seed 001
    ("90分以上的为优秀、80-90（不含90）分为良好", []),                                                   # grade bands, not claims
])
def test_claims_in_real_sentences(text, claims):
    assert [(c.kind, c.value) for c in find_claims(text)] == claims


def test_split_sentences_keeps_wrapped_lines_and_quotes():
    text = "一是强化意识，加强学习，\n改进预算管理。二是“做到客观的分析。”三是统筹！\n\n四是"
    assert split_sentences(text) == ["一是强化意识，加强学习，\n改进预算管理。", "二是“做到客观的分析。”", "三是统筹！", "四是"]


def test_jieba_is_quiet():
    code = "from patterns.prose import extract_figures; extract_figures('自评得分95分')"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=Path(__file__).resolve().parents[1])
    assert result.returncode == 0
    assert result.stderr == ""


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(list("其中包括占的支出基本项目万元%％人名分得分自评0123456789.，,。；;（）()：")
                                + ["决算总支出", "评价等次为", "优秀", "预算数为", "执行数", "执行率"]), max_size=40))
def test_fuzz_prose_never_raises(pieces):
    text = "".join(pieces)
    figures = extract_figures(text)
    for f in figures:
        assert math.isfinite(f.quantity.value_norm)
        assert f.parent is None or 0 <= f.parent < len(figures)

    for c in find_claims(text):
        assert isinstance(c.value, str) or math.isfinite(c.value)
    find_budget_statements(text)


def test_budget_sentence_cut_after_an_amount_has_no_unit_for_a_name():
    """Seed 002 ¶63 starts mid-sentence: "1783.87 万元，预算调整数 3751 万元，实际执行数为 3751 万元…"."""
    (statement,) = find_budget_statements("1783.87 万元，预算调整数 3751 万元，实际执行数为 3751 万元，预算执行率为 100%；")
    assert statement.name is None and statement.budget.value == 3751.0 and statement.executed.value == 3751.0
