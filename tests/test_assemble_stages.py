"""Stage 2 of the assembler, block segmentation (normalize/segment.py), and the assembler's bookkeeping of forms
(normalize/assemble.py), each on hand-built Tables; stages 1 and 3 are in tests/test_block_readers.py."""
import sys

from jixiao.extract.grid import grid_from_rows
from jixiao.extract.model import Document, Location, Table
from jixiao.normalize import claims, row_kinds as kinds
from jixiao.normalize.assemble import Assembler
from jixiao.normalize.checks import check_form
from jixiao.normalize.profiles import choose_profile
from jixiao.normalize.recompute import recompute_indicator
from jixiao.normalize.row_kinds import read_row
from jixiao.normalize.segment import (
    ACTUALS, BUDGET, BUDGET_ONLY, GROUPS, INDICATORS, Block, segment, still_open,
)

INDICATOR_HEADER = ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"]
BUDGET_HEADER = ["项目资金（万元）", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"]
PROFILE = choose_profile("", None)
LINE = ["产出指标", "数量指标", "项目数量", "≥50个", "50", "20", "20"]


def table(rows: list[list[str]], n: int = 0) -> Table:
    return Table(grid_from_rows(rows), Location(page=1, table=n))


def blocks_of(rows, **kwargs) -> list[Block]:
    t = table(rows)
    return segment([row for r in range(t.n_rows) if (row := read_row(t, r))], **kwargs)


def shape(blocks: list[Block]) -> list[tuple[str, list[int]]]:
    """(kind, rows of its lines) of each block; a key–value block lists its own row."""
    return [(b.kind, [row.r for row in b.lines] if b.is_data else [b.header.r]) for b in blocks]


def test_a_form_is_cut_into_key_value_rows_and_data_blocks():
    blocks = blocks_of([["项目名称", "测试项目"],
                        ["主管部门", "某某局", "实施单位", "某某中心"],
                        BUDGET_HEADER,
                        ["年度资金总额", "100", "100", "90", "10", "90%", "9"],
                        ["其中：财政拨款", "", "", "", "", "", ""],  # a 其中 line without amounts stays in the block
                        INDICATOR_HEADER,
                        LINE,
                        ["总分", "", "", "", "", "100", "99"]])
    assert shape(blocks) == [(kinds.PROJECT_NAME, [0]), (kinds.UNITS, [1]), (BUDGET, [3, 4]),
                             (INDICATORS, [6]), (kinds.TOTAL, [7])]
    assert blocks[2].header.r == 2 and blocks[3].cols["score"] == 6
    assert blocks[4].cols == blocks[3].cols  # a total reads the score column of the block above it
    assert still_open(blocks) is None  # the total closed the form


def test_a_row_without_amounts_ends_a_budget_block():
    blocks = blocks_of([["项目名称", "测试项目"], BUDGET_HEADER, ["年度资金总额", "100", "100", "90", "10", "90%", "9"],
                        ["说明", "预算执行较好", "", "", "", "", ""], ["年度资金总额", "1", "1", "1", "10", "100%", "10"]])
    assert shape(blocks) == [(kinds.PROJECT_NAME, [0]), (BUDGET, [2])]  # rows after the end belong to no block
    assert blocks[1].closed and still_open(blocks) is None


def test_a_budget_table_outside_a_form_stands_alone_and_its_total_row_is_a_line():
    blocks = blocks_of([BUDGET_HEADER, ["2023年", "100", "100", "90", "", "90%", ""], ["总分", "100", "100", "90", "", "", ""]])
    assert shape(blocks) == [(BUDGET_ONLY, [1, 2])]


def test_a_key_value_row_inside_a_block_leaves_it_open():
    blocks = blocks_of([INDICATOR_HEADER, LINE, ["评价等次", "优秀"], LINE])
    assert shape(blocks) == [(INDICATORS, [1]), (kinds.GRADE, [2]), (INDICATORS, [3])]
    assert blocks[2].header is None and blocks[2].cols == blocks[0].cols
    assert still_open(blocks) is blocks[2]


def test_a_summary_header_opens_a_block_only_between_blocks():
    summary = ["评价指标", "权重", "实际得分", "评价结论"]
    inside = blocks_of([INDICATOR_HEADER + [""], summary + ["", "", "", ""], LINE + [""]])
    assert shape(inside) == [(INDICATORS, [1, 2])]
    between = blocks_of([summary, ["1、投入", "6", "5", "优"], ["总分", "100", "95", "优"]], in_form=True)
    assert shape(between) == [(GROUPS, [1]), (kinds.TOTAL, [2])]
    assert between[0].cols["grade"] == 3 == between[1].cols["grade"]  # the 评价结论 column holds the grade


def test_an_indicator_header_without_weights_or_scores_lists_actuals():
    blocks = blocks_of([["三级指标", "年度指标值", "实际完成值"], ["项目数量", "≥50个", "52个"]])
    assert shape(blocks) == [(ACTUALS, [1])]


def test_a_table_continuing_the_block_the_previous_one_left_open():
    first = blocks_of([INDICATOR_HEADER, LINE])
    blocks = blocks_of([LINE, ["总分", "", "", "", "", "100", "99"]], carried=still_open(first))
    assert shape(blocks) == [(INDICATORS, [0]), (kinds.TOTAL, [1])]
    assert blocks[0].carried and blocks[0].header is None and blocks[0].cols == first[0].cols


def test_the_caller_decides_which_block_a_header_opens():
    """The assembler knows its forms: here every budget header belongs to a form waiting for its budget."""
    blocks = blocks_of([BUDGET_HEADER, ["年度资金总额", "100", "100", "90", "10", "90%", "9"]],
                       block_kind=lambda row_kind, row, in_form: BUDGET)
    assert shape(blocks) == [(BUDGET, [1])]


# --- the assembler: which form each block belongs to -------------------------------------------------
def assemble(*tables: Table) -> Assembler:
    return Assembler().run(Document("x.txt", "txt", blocks=list(tables)))


def test_a_table_a_page_break_cut_continues_the_form():
    first = table([["项目名称", "测试项目"], INDICATOR_HEADER, LINE], 0)
    second = table([["", "", "合格率", "≥100%", "100%", "30", "28"], ["总分", "", "", "", "", "50", "48"]], 1)
    [form] = assemble(first, second).forms
    assert [(i.level1, i.level3, i.score_raw) for i in form.indicators] == \
        [("产出指标", "项目数量", "20"), ("产出指标", "合格率", "28")]  # the merged level carries over the break
    assert form.total_raw == "48"


def test_a_budget_table_outside_forms_and_a_department_form_of_budget_then_targets():
    by_year = table([BUDGET_HEADER, ["2023年", "100", "100", "90", "", "90%", ""]], 0)
    department = table([BUDGET_HEADER, ["年度资金总额", "100", "100", "100", "10", "100%", "10"],
                        INDICATOR_HEADER, LINE, ["总分", "", "", "", "", "30", "30"]], 1)
    assembled = assemble(by_year, department)
    [loose] = assembled.budget_tables
    assert [line.line for line in loose.budget_lines] == ["2023年"]
    [form] = assembled.forms  # the second budget block opened a budget table, its targets made it a form
    assert (form.kind, len(form.budget_lines), len(form.indicators), form.total_raw) == ("department", 1, 1, "30")


def test_a_table_restating_an_earlier_forms_scores():
    form_table = table([["项目名称", "测试项目"], INDICATOR_HEADER, LINE, ["总分", "", "", "", "", "20", "20"]], 0)
    restated = table([["三级指标", "得分"], ["项目数量", "18"]], 1)
    assembled = assemble(form_table, restated)
    assert len(assembled.forms) == 1 and not assembled.unparsed
    assert [(s.name, s.stated_raw, s.form_value) for s in assembled.restatements] == [("项目数量", "18", 20.0)]


def test_score_like_headers_with_no_rows_read_are_unparsed():
    assembled = assemble(table([INDICATOR_HEADER, ["", "", "", "", "", "", ""]]))
    assert [u.reason for u in assembled.unparsed] == ["score-like headers but no rows read"]


# --- cells read once, when the form is complete (normalize/cells.py) -----------------------------------
def test_cells_are_read_once_the_form_is_complete_and_recompute_reads_no_text(monkeypatch):
    form_table = table([["项目名称", "测试项目"],
                        ["一级指标", "二级指标", "三级指标", "计量单位", "指标性质", "年度指标值", "分值", "得分"],
                        ["产出指标", "数量指标", "培训人数", "人", "≥", "50", "20", "18"],
                        ["总分", "", "", "", "", "", "20", "18"],
                        ["评价等次", "优秀"]], 0)
    actuals = table([["三级指标", "年度指标值", "实际完成值"], ["培训人数", "50", "45"]], 1)  # fills the actual in late
    [form] = assemble(form_table, actuals).forms
    [line] = form.indicators
    assert (line.target.op, line.target.quantity.value, line.target.quantity.unit) == (">=", 50.0, "人")
    assert (line.actual.quantity.value, line.actual.quantity.unit, line.score) == (45.0, "人", 18.0)
    assert (form.total, form.grade) == (18.0, "优")  # the grade as the profiles name it

    def no_text(*args, **kwargs):
        raise AssertionError("a cell read again after assembly")
    for name, module in list(sys.modules.items()):
        if name.startswith(("jixiao.normalize", "jixiao.patterns")):
            for reader in ("parse_quantity", "parse_target", "number", "normalize_grade", "achievement"):
                if hasattr(module, reader) and name != "jixiao.patterns.numbers":
                    monkeypatch.setattr(module, reader, no_text)
    result = recompute_indicator(line, PROFILE)
    assert (result.quantitative, result.recomputed) == (True, 18.0)
    checked = check_form(form, PROFILE, [], [result])
    assert (checked.claimed_total, checked.claimed_grade) == (18.0, "优")


def test_report_claims_outside_forms_are_read_once_at_assembly(monkeypatch):
    """综合得分 / 评价等次 rows of a cover table (no form open) are typed by the assembler: claims take the values."""
    cover = table([["综合得分", "92.5分"], ["评价等次", "优秀"], ["自评得分", "暂无"]], 0)
    assembled = Assembler().run(Document(source_path="x.txt", format="txt", blocks=[cover]))
    assert [(c.kind, c.raw, c.value, c.location) for c in assembled.kv_claims] == [
        ("score", "92.5分", 92.5, "p1 t0 r0"), ("grade", "优秀", "优", "p1 t0 r1"), ("score", "暂无", None, "p1 t0 r2")]

    def no_text(*args, **kwargs):
        raise AssertionError("a claim read again after assembly")
    monkeypatch.setattr(claims, "number", no_text, raising=False)
    monkeypatch.setattr(claims, "normalize_grade", no_text, raising=False)
    stated = claims.overall_claims([], assembled.kv_claims)
    assert [(c.kind, c.value, c.raw) for c in stated] == [("score", 92.5, "92.5分"), ("grade", "优", "优秀")]
