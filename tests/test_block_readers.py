"""The assembler's stages tested directly on hand-built Tables: row classification (normalize/row_kinds.py)
and the block readers (normalize/block_readers.py), without going through a reader or a .txt dump."""
import pytest

from jixiao.extract.grid import Span, build_grid, grid_from_rows
from jixiao.extract.model import Document, Location, Table
from jixiao.normalize import row_kinds as kinds
from jixiao.normalize.assemble import Assembler
from jixiao.normalize.block_readers import (
    Carry, Restatement, read_actual_line, read_budget_line, read_group_line, read_indicator_line, read_restated_line,
    read_total, read_units,
)
from jixiao.normalize.forms import Form, IndicatorLine
from jixiao.normalize.row_kinds import classify, read_row
from jixiao.normalize.table_view import header_fields

INDICATOR_HEADER = ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"]


def table(rows: list[list[str]]) -> Table:
    return Table(grid_from_rows(rows), Location(page=1, table=0))


def kind(rows, r=0, in_form=True, open_kind=None):
    return classify(read_row(table(rows), r), in_form=in_form, open_kind=open_kind)


@pytest.mark.parametrize("row,in_form,open_kind,expected", [
    (["项目名称", "测试项目"], False, None, kinds.PROJECT_NAME),
    (["主管部门", "某某局", "实施单位", "某某中心"], True, None, kinds.UNITS),
    (["主管部门", "某某局"], False, None, kinds.UNITS),  # one pair above a form names the next form's unit
    (["主管部门", "某某局", "实施单位", "某某中心"], False, None, kinds.LINE),  # else only inside a form
    (["项目资金（万元）", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"], True, None, kinds.BUDGET_HEADER),
    (INDICATOR_HEADER, True, None, kinds.INDICATOR_HEADER),
    (["评价指标", "权重", "实际得分"], True, None, kinds.GROUP_HEADER),
    (["评价指标", "权重", "实际得分"], True, "indicators", kinds.LINE),  # only between blocks
    (["总分", "100", "99"], True, "indicators", kinds.TOTAL),
    (["总分", "100", "99"], True, "budget_only", kinds.LINE),  # a budget table's 合计 row is a line
    (["总分", "100", "99"], False, None, kinds.LINE),
    (["评价等次", "优秀"], False, None, kinds.GRADE),
    (["综合得分", "95"], False, None, kinds.CLAIMED_SCORE),
    (["自评得分", "95"], True, None, kinds.LINE),  # inside a form a score row is the form's, not the report's
    (["产出指标", "数量指标", "项目数量", "≥50个", "50", "20", "20"], True, "indicators", kinds.LINE),
])
def test_row_kinds(row, in_form, open_kind, expected):
    assert kind([row], in_form=in_form, open_kind=open_kind) == expected


def test_empty_row_is_no_row():
    assert read_row(table([["", ""], ["a", ""]]), 0) is None


def test_budget_line_reads_amounts_rate_score_and_the_header_weight():
    t = table([["项目资金", "年初预算数", "全年预算数", "全年执行数", "执行率", "得分"],
               ["年度资金总额", "100", "100", "90", "90%", "9"],
               ["其中：财政拨款", "", "", "", "", ""],
               ["说明", "", "", "", "", ""]])
    form = Form(kind="project", location="p1", budget_block_weight=10.0)
    cols = header_fields(t, 0)
    assert read_budget_line(form, t, 1, cols, "r1") is True
    assert read_budget_line(form, t, 2, cols, "r2") is True   # a 其中 line without amounts keeps the block open
    assert read_budget_line(form, t, 3, cols, "r3") is False  # anything else without amounts ends it
    [line] = form.budget_lines
    assert (line.line, line.budget_raw, line.executed_raw, line.rate_raw, line.score_raw, line.weight) == \
        ("年度资金总额", "100", "90", "90%", "9", 10.0)


def test_indicator_lines_carry_merged_levels_down_and_read_weights_in_labels():
    t = Table(build_grid([Span(0, c, h) for c, h in enumerate(INDICATOR_HEADER)]
                         + [Span(1, 0, "产出指标（50分）", rowspan=2), Span(1, 1, "数量指标", rowspan=2)]
                         + [Span(1, c, v) for c, v in enumerate(["项目数量", "≥50个", "50", "20", "20"], 2)]
                         + [Span(2, c, v) for c, v in enumerate(["合格率", "≥100%", "100%", "30", "28"], 2)]),
              Location())
    form, carry, cols = Form(kind="project", location="p1"), Carry(), header_fields(t, 0)
    assert read_indicator_line(form, t, 1, cols, carry, "r1") and read_indicator_line(form, t, 2, cols, carry, "r2")
    assert [(i.level1, i.level1_weight, i.level2, i.level3, i.target_raw, i.actual_raw, i.weight, i.score_raw)
            for i in form.indicators] == [
        ("产出指标", 50.0, "数量指标", "项目数量", "≥50个", "50", 20.0, "20"),
        ("产出指标", 50.0, "数量指标", "合格率", "≥100%", "100%", 30.0, "28"),
    ]


def test_a_row_split_by_a_page_break_joins_the_line_above():
    t = table([INDICATOR_HEADER,
               ["产出指标", "数量指标", "B102制度执", "≥1项", "1项", "5", "5"],
               ["", "", "行有效性", "", "", "", ""]])
    form, carry, cols = Form(kind="project", location="p1"), Carry(), header_fields(t, 0)
    read_indicator_line(form, t, 1, cols, carry, "r1")
    read_indicator_line(form, t, 2, cols, carry, "r2", continued=True)
    assert [i.level3 for i in form.indicators] == ["B102制度执行有效性"]


def test_merged_cells_written_into_every_position_they_span():
    """docling's Markdown repeats a merged cell's text in each row and column it covers: the budget row's label is
    its own (not the block's side label from the row above), a spare template row (…… across the row) is one
    placeholder row, not an indicator; the template label repeated down its rows is flagged once."""
    side = "预算执行情况（万元）（20分）"
    t = table([[side, side, side, "预算数（A）", "执行数（B）", "执行率（B/A）", "得分"],
               [side, "年度财政资金总额", "年度财政资金总额", "60", "59.5", "99.17%", "19.83"]])
    form = Form(kind="project", location="p1", budget_block_weight=20.0)
    assert read_budget_line(form, t, 1, header_fields(t, 0), "r1") is True
    assert [line.line for line in form.budget_lines] == ["年度财政资金总额"]
    label = "效益指标（XX分）\n效益指标（20分）"
    t = table([INDICATOR_HEADER, [label, "成本指标", "年度维护成本增加率", "≤8%", "≤8%", "10", "10"],
               [label, "社会效益指标", "影响", "明显", "明显", "10", "10"],
               ["满意度指标（20分）", "……", "……", "……", "……", "……", "……"]])
    form = Form(kind="project", location="p1")
    carry = Carry()
    for r in (1, 2, 3):
        assert read_indicator_line(form, t, r, header_fields(t, 0), carry, f"r{r}") is True
    assert [(i.level1, i.level3) for i in form.indicators] == [("效益指标", "年度维护成本增加率"), ("效益指标", "影响")]
    assert [(p.text, p.row) for p in form.placeholders] == [(label, False), ("……", False)]


def test_placeholder_level_label_is_flagged_and_the_filled_in_label_kept():
    t = table([INDICATOR_HEADER, ["效益指标（XX分）\n效益指标（30分）", "社会效益", "社会影响", "明显", "明显", "30", "30"]])
    form = Form(kind="project", location="p1")
    read_indicator_line(form, t, 1, header_fields(t, 0), Carry(), "r1")
    assert [(i.level1, i.level1_weight) for i in form.indicators] == [("效益指标", 30.0)]
    assert [p.text for p in form.placeholders] == ["效益指标（XX分）\n效益指标（30分）"]


@pytest.mark.parametrize("label", ["效益指标（XX分）效益指标（30分）", "效益指标（XX分） 效益指标（30分）"])
def test_placeholder_glued_to_the_filled_in_label(label):
    """A converter that joins a cell's lines (MinerU's HTML, docling's pipe tables): the same reading."""
    t = table([INDICATOR_HEADER, [label, "社会效益", "社会影响", "明显", "明显", "30", "30"]])
    form = Form(kind="project", location="p1")
    read_indicator_line(form, t, 1, header_fields(t, 0), Carry(), "r1")
    assert [(i.level1, i.level1_weight) for i in form.indicators] == [("效益指标", 30.0)]
    assert [p.text for p in form.placeholders] == [label]


def test_units_total_and_group_rows():
    form = Form(kind="project", location="p1")
    assert read_units(form, [(0, "主管部门"), (1, "某某局"), (2, "实施单位"), (3, "某某中心")])
    assert (form.unit_name, form.unit_rank) == ("某某中心", 0)  # the implementing unit wins
    t = table([["总分", "", "100", "99.5", "优"]])
    read_total(form, t, 0, {"score": 3, "grade": 4}, "r9")
    assert (form.total_raw, form.grade_raw, form.total_location, form.closed) == ("99.5", "优", "r9", True)
    g = table([["评价指标", "权重", "评级分值", "实际得分"], ["1、投入", "6%", "6", "5"]])
    read_group_line(form, g, 1, {"score": 3}, [1, 2], "r1")
    assert [(x.label, x.weight, x.score_raw) for x in form.groups] == [("投入", 6.0, "5")]


def test_actuals_table_fills_the_named_indicator():
    form = Form(kind="department", location="p1")
    form.indicators.append(IndicatorLine("产出", "数量", "项目数量", None, None, 20.0, "≥50个", None, "20", "r1"))
    t = table([["三级指标", "年度指标值", "实际完成值"], ["项目数量", "≥50个", "52个"]])
    assert read_actual_line(form, t, 1, header_fields(t, 0), "r1")
    assert form.indicators[0].actual_raw == "52个"


def test_restated_score_that_disagrees_is_kept_as_a_restatement():
    form = Form(kind="project", location="p1")
    form.indicators.append(IndicatorLine("产出", "数量", "项目数量", None, None, 20.0, "≥50个", "50", "20", "r1"))
    t = table([["三级指标", "得分"], ["项目数量", "18"]])
    found: list[Restatement] = []
    assert read_restated_line(form, t, 1, header_fields(t, 0), "t9 r1", found)
    assert [(s.name, s.stated_raw, s.form_value, s.location) for s in found] == [("项目数量", "18", 20.0, "t9 r1")]


def test_the_assembler_runs_the_stages_on_a_hand_built_table():
    t = table([["项目名称", "测试项目"],
               ["项目资金", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
               ["年度资金总额", "100", "100", "90", "10", "90%", "9"],
               INDICATOR_HEADER,
               ["产出指标", "数量指标", "项目数量", "≥50个", "50", "90", "90"],
               ["总分", "", "", "", "", "100", "99"]])
    assembled = Assembler().run(Document("x.txt", "txt", blocks=[t]))
    [form] = assembled.forms
    assert (form.kind, form.name, len(form.budget_lines), len(form.indicators), form.total_raw) == \
        ("project", "测试项目", 1, 1, "99")


@pytest.mark.parametrize("text", ["效益指标（XX分）效益指标（20分）", "效益指标（xx分）\n效益指标（20分）", "产出指标\n（ＸＸ分）……",
                                  "……", " ．．", "。。", "··", "产出指标（40分）", "满意度指标", "A.B", "成本指标\n(30分)", ""])
def test_a_label_without_a_template_mark_is_kept_as_it_is(text, monkeypatch):
    # drop_placeholders returns at once a label with no XX and no two dots in a row (_MAY_MARK): what the long
    # way (every line tried for a template mark) gives, on labels with and without marks
    import re

    from jixiao.normalize import block_readers as br
    quick_form, long_form = Form(kind="project", location="p1 t0"), Form(kind="project", location="p1 t0")
    quick = br.drop_placeholders(quick_form, text or None, "p1 t0 r3")
    monkeypatch.setattr(br, "_MAY_MARK", re.compile(""))  # matches every text: the long way
    assert quick == br.drop_placeholders(long_form, text or None, "p1 t0 r3")
    assert quick_form.placeholders == long_form.placeholders
