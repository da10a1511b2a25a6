"""PDF renditions (scripts/renditions_pdf.py) read as their .docx: the Henan report with and without ruling
lines, seeds 001 and 004 without. Each is held to the .docx rendition's scorecards, budget rows, indicator
rows and flags, and the Henan 附件1 scorecard to the numbers the report states."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import jixiao
from jixiao.extract.pdf import split_stacked

from forms import REAL

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
HENAN = "henan_2021-2024_zhiye_jineng_jingsai_jixiao_pingjia_baogao"
# the scorecard as 附件1 states it: (三级指标 code, 分值, 得分); 28 rows, weights 100, total 65.00
HENAN_ROWS = [
    ("A101", 2, 2.00), ("A102", 3, 0.00), ("A201", 2, 2.00), ("A202", 3, 2.40), ("A301", 3, 3.00), ("A302", 2, 1.00),
    ("B101", 5, 3.33), ("B102", 8, 0.80), ("B201", 5, 3.34), ("B202", 3, 2.00), ("B203", 4, 2.00),
    ("C101", 8, 6.94), ("C102", 3, 3.00), ("C103", 2, 2.00), ("C201", 6, 4.00), ("C202", 3, 2.00), ("C203", 1, 1.00),
    ("C301", 2, 0.94),
    ("D101", 3, 0.00), ("D102", 3, 3.00), ("D103", 2, 0.00), ("D201", 5, 3.75), ("D202", 5, 4.50), ("D203", 5, 2.00),
    ("D301", 2, 1.00), ("D302", 2, 1.00), ("D401", 4, 4.00), ("D402", 4, 4.00),
]
COMPARED = {  # columns that must agree between renditions (ids and locations differ by construction)
    "scorecards": ["kind", "name", "claimed_total", "recomputed_total", "claimed_grade", "recomputed_grade"],
    "budget_lines": ["line", "budget_raw", "executed_raw", "claimed_rate", "claimed_score", "recomputed_score"],
    "indicators": ["level1", "level2", "level3", "level1_weight", "level2_weight", "weight", "target_raw",
                   "actual_raw", "claimed_score", "recomputed_score"],
    "flags": ["code", "severity", "claimed", "recomputed"],
}


def _read(path: Path):
    if not path.exists():
        pytest.skip(f"{path.name} not built (scripts/build_samples.py)")
    return jixiao.read(path)


@pytest.fixture(scope="module")
def henan_docx():
    return _read(SAMPLES / f"{HENAN}.docx")


RENDITIONS = {
    "henan-md": REAL / f"{HENAN}.md",
    "henan-ruled-pdf": SAMPLES / f"{HENAN}.pdf",
}


@pytest.fixture(scope="module", params=sorted(RENDITIONS))
def henan(request):
    return _read(RENDITIONS[request.param])


def test_henan_scorecard_has_its_28_rows_weights_and_scores(henan):
    (card,) = henan.scorecards.itertuples()
    assert (card.claimed_total, card.recomputed_total, card.recomputed_grade) == (65.0, 65.0, "中")
    assert henan.reports.iloc[0][["claimed_score", "claimed_grade"]].tolist() == [65.0, "中"]
    rows = [(i.level3[:4], i.weight, i.claimed_score) for i in henan.indicators.itertuples()]
    assert rows == HENAN_ROWS
    scores = henan.indicators.groupby("level1", sort=False).claimed_score.sum().round(2).to_dict()
    assert scores == {"A决策": 10.40, "B过程": 11.47, "C产出": 19.88, "D效益": 23.25}
    assert henan.flags.empty, henan.flags[["code", "message"]].to_string()  # no CLAIM_CONFLICT: tables agree


def test_henan_rendition_reads_as_its_docx(henan, henan_docx):
    for table, columns in COMPARED.items():
        got, want = getattr(henan, table)[columns], getattr(henan_docx, table)[columns]
        pd.testing.assert_frame_equal(got.reset_index(drop=True), want.reset_index(drop=True), obj=table)


@pytest.fixture(scope="module")
def henan_unruled():
    return _read(SAMPLES / f"{HENAN}_unruled.pdf")


def test_henan_without_lines_reads_its_28_rows_as_the_docx(henan_unruled, henan_docx):
    """The Henan 附件1 without ruling lines: rows anchored on their 三级指标 codes (rows over whole pages, numbers
    inside the 评价意见 text); C202 and D102 stand under a header row the page break cut (三级指 at a page
    foot, 标 at the next top); A102/A302 scores and C102/D402 weights stand only in the restated 附表3-3/3-5/3-6,
    narrow tables stacked from pieces with their own column widths. 表1-1 (a budget table: header words 名称
    金额 占比 备注, 子项目 named without one, 项目名称/子项目 cells merged over their rows with no level word in
    the header) gives the .docx's budget lines. Scorecard, indicator and budget rows as the .docx's, every
    compared column; the restated tables agree with the form (no CLAIM_CONFLICT); 表1-3, left as text lines, is
    not judged as prose across its columns (no PROSE_SUM_MISMATCH)."""
    got = henan_unruled
    (card,) = got.scorecards.itertuples()
    assert (card.claimed_total, card.recomputed_total, card.recomputed_grade) == (65.0, 65.0, "中")
    assert [(i.level3[:4], i.weight, i.claimed_score) for i in got.indicators.itertuples()] == HENAN_ROWS
    scores = got.indicators.groupby("level1", sort=False).claimed_score.sum().round(2).to_dict()
    assert scores == {"A决策": 10.40, "B过程": 11.47, "C产出": 19.88, "D效益": 23.25}
    for table in ("scorecards", "indicators", "budget_lines"):
        pd.testing.assert_frame_equal(getattr(got, table)[COMPARED[table]].reset_index(drop=True),
                                      getattr(henan_docx, table)[COMPARED[table]].reset_index(drop=True), obj=table)
    assert got.budget_lines.line.tolist() == ["省级职业技能竞赛经费", "2022", "2023", "2024", "小计"]  # 表1-1's first block
    # the lists of awards and grants left as text (附件5, 合计: 7455) total money, not scores: no scorecard unread
    assert "UNPARSED_TABLE" not in set(got.flags.code) and got.reports.status.tolist() == ["ok"]
    # no flag at all, as from the .docx: 表1-3's rows laid out in columns are not summed across their cells
    assert got.flags.empty, got.flags[["code", "message"]].to_string()


# ---------------------------------------------------------------- ruled tables stacked without a gap


def _chars(text: str, x0: float, top: float) -> list[dict]:
    return [{"text": ch, "x0": x0 + 10 * i, "x1": x0 + 10 * i + 9, "top": top + 2, "bottom": top + 11}
            for i, ch in enumerate(text)]


def _band(edges: list[float], top: float, texts: list[str]) -> tuple[list[tuple], list[dict]]:
    cells = [(x0, top, x1, top + 15) for x0, x1 in zip(edges, edges[1:])]
    chars = [ch for (x0, _, _, _), text in zip(cells, texts) for ch in _chars(text, x0 + 2, top)]
    return cells, chars


def test_tables_stacked_with_their_own_column_widths_are_cut_apart():
    upper = _band([0, 100, 140, 200, 300], 0, ["指标名称", "权重", "得分", "得分率"]), \
        _band([0, 100, 140, 200, 300], 15, ["A101", "2", "2", "100%"])
    lower = _band([0, 120, 170, 230, 300], 30, ["A302", "2", "1", "50%"]),
    cells = [c for band in upper + lower for c in band[0]]
    chars = [ch for band in upper + lower for ch in band[1]]
    parts = split_stacked(cells, chars)
    assert [sorted({c[1] for c in part}) for part in parts] == [[0, 15], [30]]


def test_a_repeated_header_row_starts_a_new_piece_and_a_form_with_free_rows_stays_whole():
    header = ["一级", "二级", "三级", "得分"]
    bands = [_band([0, 50, 100, 200, 300], 0, header), _band([0, 50, 100, 200, 300], 15, ["A", "A1", "x", "2"]),
             _band([0, 50, 100, 200, 300], 30, header), _band([0, 50, 100, 200, 300], 45, ["", "", "y", "1"])]
    parts = split_stacked([c for b in bands for c in b[0]], [ch for b in bands for ch in b[1]])
    assert [sorted({c[1] for c in part}) for part in parts] == [[0, 15], [30, 45]]
    form = [_band([0, 60, 300], 0, ["总分", "99"]), _band([0, 120, 300], 15, ["原因分析", "无"]),
            _band([0, 60, 150, 200, 300], 30, ["主管部门", "某", "实施单位", "某"])]
    parts = split_stacked([c for b in form for c in b[0]], [ch for b in form for ch in b[1]])
    assert len(parts) == 1  # label rows drawn freehand (two cells) or with other cell counts are one table


# ---------------------------------------------------------------- tables without ruling lines

SEED_001 = "001_e7a38e6b87d50f48"


@pytest.fixture(scope="module")
def seed_001_ruled():
    return _read(SAMPLES / f"{SEED_001}.pdf")


@pytest.fixture(scope="module", params=["", "_shift20"])
def seed_001_unruled(request):
    return _read(SAMPLES / f"{SEED_001}_unruled{request.param}.pdf")


def test_unruled_seed_001_reads_its_scorecard_as_the_ruled_pdf(seed_001_unruled, seed_001_ruled):
    """And pushed 20 points down: 履职效益 ends a page, its （20分） stands alone on the next under the rest of
    the row's 评分标准: the first label of a continued page's level column that is only a bracketed tail runs
    from the page's first row, so it goes on the label cut above (was: （20分） a 二级 of its own over three rows,
    the form judged as read with no flag)."""
    got, want = seed_001_unruled, seed_001_ruled
    columns = COMPARED["scorecards"]
    pd.testing.assert_frame_equal(got.scorecards[columns].reset_index(drop=True),
                                  want.scorecards[columns].reset_index(drop=True))
    (card,) = got.scorecards.itertuples()
    assert (card.claimed_total, card.recomputed_total, card.recomputed_grade) == (98.0, 98.0, "优")
    assert len(got.indicators) == 25
    columns = COMPARED["indicators"]
    pd.testing.assert_frame_equal(got.indicators[columns].reset_index(drop=True),
                                  want.indicators[columns].reset_index(drop=True))
    assert not set(got.flags.code) & {"TOTAL_MISMATCH", "WEIGHT_SUM_MISMATCH", "GROUP_OVER_WEIGHT", "UNPARSED_TABLE"}
    assert got.reports.status.tolist() == ["ok"]


def test_unruled_seed_001_whose_second_level_label_the_layout_cut_short_is_reported_unread():
    """Seed 001 unruled, every table pushed 50 points down: 资产管理（10分） is read over one row too few, its first
    row (管理制度健全性, 3 points) under 预算管理（15分） (18 of 15 and 7 of 10, a false GROUP_OVER_WEIGHT and two
    WEIGHT_SUM_MISMATCH errors, status ok). The rows' weights make 15+15+10 with the 二级 groups' edges moved:
    a misreading (normalize/group_edges.py), the form reported unread, none of the reader's errors said."""
    got = _read(SAMPLES / f"{SEED_001}_unruled_shift50.pdf")
    assert got.reports.status.tolist() == ["partial"]
    assert got.scorecards.empty and got.indicators.empty
    assert sorted(got.flags.code) == ["PROSE_SUM_MISMATCH"] * 3 + ["UNPARSED_TABLE"]  # the prose's, as unshifted
    assert (got.flags.severity != "error").all()
    assert got.flags[got.flags.code == "UNPARSED_TABLE"].message.iloc[0] == (
        "p7 t0: 评分表 指标表头 found, 25 of ~25 rows read, rows do not add up (二级 labels over the wrong rows: "
        "the rows' weights make 15+15+10 with the groups' edges moved): not judged")


SEED_004 = "004_35c19541f4036631"


@pytest.fixture(scope="module", params=["", "_shift40", "_shift60", "_shift90", "_shift120", "_shift130"])
def seed_004_unruled(request):
    return _read(SAMPLES / f"{SEED_004}_unruled{request.param}.pdf")


def test_unruled_seed_004_reads_as_its_docx(seed_004_unruled):
    """16 project forms on 17 pages without lines: headers cut at a page foot with their （A）（B） tails on the
    next page, a budget row's number wrapped beside the indicator header, placeholder level labels
    “效益指标（XX分）”, spare ……rows, labels and cells cut by page breaks. Every compared column as the .docx,
    its four real errors (form 12's weights and total, form 10's group, form 9's empty actual) kept: the
    arithmetic gate (normalize/misread.py) lets a correctly read form's own mismatches through. The same with
    every table pushed 40 points down (scripts/renditions_pdf.py SHIFTED: the page breaks land elsewhere; form
    10's last row ends the page with its wrapped level label's 指标 under the row's bottom edge, the table
    still runs on to the next page, where its last group and 总分 stand). And 120 points down: budget headers
    alone at a page foot, their row (（20分） 年度财政资金总额 30 …) on the next page (the header re-placed on the
    row's cells: extract/pdf.py _first_row_spans); an indicator header at a page foot over a row of words only
    (（80分） 产出指标 业务完成率 业务完成率, beside its score: no header), the outer label's 标 under the header.
    And 90 points down: 效益指标（40分） centred over four rows at a page top, the first of which could go on
    under the label of the page before (a row left under no label costs more than a label 5 pt off centre).
    And 60 points down: form 3's spare …… row stands alone at a page top under the tail of its level label
    （20分）: a row of its own (its TEMPLATE_PLACEHOLDER kept), not the rest of the row above the page break cut
    (were: ≥90%\n…… one target cell; 20 and 50 points down the same). And 130 points down: an indicator header
    alone at a page foot whose （A） does not run on into the first row's target below it on the next page (was:
    年初目标值（A）\n3套, the row's target lost); a 二级 label wrapped over two rows at a page foot (服务对象满 /
    意度指标) read as one label over both (were two labels cut apart); a row's last lines at a page foot
    (单次活动推广曝光 / 量, ≥100000 / 次) folded into it though the next page starts with its cut tail （5分）
    (was: a row of their own, its weight and score apart from its name: the form's total not recomputed)."""
    got, want = seed_004_unruled, _read(SAMPLES / f"{SEED_004}.docx")
    assert (len(got.scorecards), len(got.indicators), len(got.budget_lines)) == (16, 151, 16)
    for table, columns in COMPARED.items():
        a, b = getattr(got, table)[columns], getattr(want, table)[columns]
        if table == "flags":
            a, b = a.sort_values(columns).astype(str), b.sort_values(columns).astype(str)
        pd.testing.assert_frame_equal(a.reset_index(drop=True), b.reset_index(drop=True), obj=table)
    errors = got.flags[got.flags.severity == "error"].sort_values("code")
    assert [(f.code, f.claimed, None if pd.isna(f.recomputed) else f.recomputed) for f in errors.itertuples()] == [
        ("GROUP_OVER_WEIGHT", 24.0, 20.0), ("MISSING_ACTUAL_SCORED", 8.0, None),
        ("TOTAL_MISMATCH", 85.0, 105.0), ("WEIGHT_SUM_MISMATCH", 100.0, 80.0)]
    assert got.reports.status.tolist() == ["ok"]


def test_unruled_seed_004_form_whose_level_labels_the_layout_misplaced_is_reported_unread():
    """Seed 004 unruled, every table pushed 70 points down. LibreOffice centres 满意度指标（20分） of form 13
    (采访科运行维护费) in the first of its two rows, so the reader gives 效益指标（20分） one of its three rows:
    read so, the form has two groups over their points (产出 45 of 40, 满意度 26 of 20) where the document has
    one (效益 24 of 20). The gate (normalize/group_edges.py) sees the rows at the groups' edges (经济效益指标,
    生态效益指标) belong to the group beside them and reports the form unread instead of judging it (was: status
    ok, a false GROUP_OVER_WEIGHT error). Form 6's page starts with the tail 指标 of the 二级 label 可持续影响 the
    page before ended on: a row the page break cut, not part of the next 二级 label (was: 指标服务对象满).
    Every other form reads as the .docx."""
    got, want = _read(SAMPLES / f"{SEED_004}_unruled_shift70.pdf"), _read(SAMPLES / f"{SEED_004}.docx")
    lost = "采访科运行维护费"
    assert got.reports.status.tolist() == ["partial"]
    (flag,) = got.flags[got.flags.code == "UNPARSED_TABLE"].itertuples()
    assert flag.message == (
        "p11 t1: 指标表头 found, 9 of ~9 rows read, rows do not add up (一级 labels over the wrong rows: "
        "经济效益指标（提高影响力）、生态效益指标（提高影响力） at a group's edge belong to the group beside it (2 group "
        "sums fail as read, 1 with them moved over)): not judged")
    assert lost not in set(got.scorecards.name) and len(got.scorecards) == 15
    kept = set(want.scorecards[want.scorecards.name != lost].scorecard_id)
    for table, columns in COMPARED.items():
        a = getattr(got, table)
        b = getattr(want, table)
        a, b = a[a.scorecard_id.notna()][columns], b[b.scorecard_id.isin(kept)][columns]
        if table == "flags":
            a, b = a.sort_values(columns).astype(str), b.sort_values(columns).astype(str)
        pd.testing.assert_frame_equal(a.reset_index(drop=True), b.reset_index(drop=True), obj=table)


def _words(rows: list[tuple[float, list[tuple[float, str]]]]) -> list[dict]:
    """Words of 10-point lines: (top, [(x0, text) …]), each character 10 points wide."""
    return [{"text": t, "x0": x, "x1": x + 10 * len(t), "top": top, "bottom": top + 10}
            for top, words in rows for x, t in words]


def test_unruled_rows_anchor_on_numbers_with_centred_wrapped_and_merged_cells():
    from jixiao.extract.pdf_unruled import find_unruled

    # a header, then rows with no gap between them: each 得分 number is a row; the 三级 name of the second
    # row wraps over two lines centred on its number; the 一级 label is centred over all three rows
    words = _words([
        (0, [(0, "一级指标"), (60, "三级指标"), (160, "分值"), (200, "得分")]),
        (15, [(60, "甲"), (160, "5"), (200, "5")]),
        (30, [(60, "乙乙乙乙乙")]),
        (36, [(0, "产出")]),
        (37.5, [(160, "3"), (200, "2")]),
        (45, [(60, "乙乙")]),
        (60, [(60, "丙"), (160, "2"), (200, "2")]),
    ])
    (table,) = find_unruled(words, 0, 220)
    assert len(table.edges) - 1 == 4  # header + 3 rows
    edges = table.edges
    second = [c for c in table.cells if c[0] <= 60 < c[2] and c[1] <= 40 <= c[3]]
    assert second and second[0][1] < 30 and second[0][3] > 55  # both lines of 乙乙乙乙乙乙乙 in one cell
    level = [c for c in table.cells if c[0] <= 0 < c[2] and c[1] >= edges[1] - 0.01]
    assert len(level) == 1 and level[0][3] == edges[-1]  # 产出 one merged cell over the three rows


def test_unruled_rows_anchor_on_codes_when_rows_run_long():
    from jixiao.extract.pdf_unruled import find_unruled

    # rows as tall as a long 评价意见 (six lines), numbers like scores inside its text (该指标得 2.00 分), the
    # second row's code, 分值 and 得分 centred in it: one row per 三级指标 code, cut at the blank strip (cell
    # padding) between two rows, never at a number
    opinion = "意见意见意见意见意见意见"
    first = [(15 + 13 * k, [(200, opinion if k != 3 else "该指标得"), (320, "2.00")] if k == 3 else [(200, opinion)])
             for k in range(6)]
    first[0][1][:0] = [(0, "A决策"), (60, "A101"), (160, "2")]
    first[0][1].append((420, "2.00"))
    second = [(102 + 13 * k, [(200, opinion)]) for k in range(6)]
    second[2][1][:0] = [(60, "A102"), (160, "3")]
    second[2][1].append((420, "0.50"))
    words = _words([(0, [(0, "一级指标"), (60, "三级指标"), (160, "分值"), (200, "评价意见"), (420, "得分")])]
                   + first + second)
    (table,) = find_unruled(words, 0, 460)
    assert len(table.edges) - 1 == 3  # the header and two rows, though 4 numbers stand in the 得分-like places
    header, row1, row2 = zip(table.edges, table.edges[1:])
    assert row1[0] < 15 and 90 < row1[1] < 102 and row2[0] < 102 and row2[1] > 175
    score = [c for c in table.cells if c[0] <= 425 < c[2]]
    assert [(round(c[1]), round(c[3])) for c in score] == [tuple(map(round, e)) for e in (header, row1, row2)]


def test_unruled_rows_of_a_piece_with_its_own_column_widths_are_a_table_of_their_own():
    from jixiao.extract.pdf_unruled import find_unruled

    # a restated table stacked from two pieces (MinerU's tables of one long report): the second piece's
    # numbers stand 15 points further right, across the first piece's column boundaries (3.00 half in 权重,
    # half in 得分). Its rows become a table of their own, on the same columns moved onto its blank strips.
    words = _words([
        (0, [(0, "指标名称"), (150, "权重"), (200, "得分"), (250, "得分率")]),
        (15, [(0, "A101甲甲"), (150, "2.00"), (200, "2.00"), (250, "100%")]),
        (30, [(0, "A102乙乙"), (150, "3.00"), (200, "0.00"), (250, "0%")]),
        (45, [(0, "A201丙丙丙丙丙丙"), (165, "3.00"), (215, "2.40"), (265, "80%")]),
        (60, [(0, "合计"), (165, "8.00"), (215, "4.40"), (265, "55%")]),
    ])
    first, second = find_unruled(words, 0, 320)
    assert len(first.edges) - 1 == 3 and len(second.edges) - 1 == 2 and second.own_columns

    def cells(table, top):
        row = sorted((c for c in table.cells if c[1] <= top + 5 <= c[3]), key=lambda c: c[0])
        return ["".join(w["text"] for w in words if w["top"] == top and c[0] <= (w["x0"] + w["x1"]) / 2 < c[2])
                for c in row]
    assert cells(first, 30) == ["A102乙乙", "3.00", "0.00", "0%"]
    assert cells(second, 45) == ["A201丙丙丙丙丙丙", "3.00", "2.40", "80%"]
    assert cells(second, 60) == ["合计", "8.00", "4.40", "55%"]


def test_a_level_label_cut_by_the_page_break_is_completed_by_the_next_pages_first_cell():
    """Unruled tables joined across pages (extract/pdf.py label_runs_on): 满意度 / 服务对象满 in the last row of
    a page and 指标（16分） / 意度指标 in the first of the next are one label each; two whole labels, or two
    labels written without 指标 (产出, 效益), are not; a bracketed tail (（20分）) ends the label above."""
    from jixiao.extract.pdf import Box, Line, label_runs_on

    def box(*texts):
        return Box(0, 0, 1, 1, 0, 100, 0, 12 * len(texts),
                   [Line(t, 0, 10 * len(t), 12 * k, 12 * k + 10, 10) for k, t in enumerate(texts)], estimated=True)
    assert label_runs_on(box("满意度"), box("指标", "（16分）"))
    assert label_runs_on(box("服务对象满"), box("意度指标"))
    assert label_runs_on(box("预算执行", "情况（万元）"), box("（20分）"))
    assert not label_runs_on(box("产出指标（40分）"), box("效益指标（20分）"))
    assert not label_runs_on(box("产出"), box("效益"))


def test_key_value_rows_over_a_header_alone_get_their_own_label_column():
    """Key-value rows above a budget header left alone at a page foot (extract/pdf_unruled.py form_rows): the
    columns come from the header only, its first label (预算执行) spanning to 预算数, and the values start inside
    that first column; the labels' own blank strip ends their column (项目名称 | 区政府门户网站项目, two cells)."""
    from jixiao.extract.pdf_unruled import find_unruled

    def words(rows):
        return [{"text": t, "x0": x, "x1": x + 10 * len(t), "top": top, "bottom": top + 10}
                for top, ws in rows for x, t in ws]
    # a form's key-value rows, then its budget header at the foot of the page (its row on the next one): the
    # columns come from the header alone, whose first label (预算执行) spans to 预算数; the values of the
    # key-value rows start inside that first column
    page = words([
        (0, [(10, "项目名称"), (80, "区政府门户网站项目")]),
        (15, [(10, "主管部门"), (70, "区融媒体中心"), (200, "实施单位"), (260, "技术科")]),
        (30, [(10, "项目类别"), (65, "部门预算项目")]),
        (45, [(10, "预算执行"), (150, "预算数"), (220, "执行数"), (280, "执行率"), (330, "得分")]),
    ])
    tables = find_unruled(page, 10, 370)
    form = tables[0]
    assert len(form.edges) - 1 == 3 and tables[-1].header_only
    first = sorted(c for c in form.cells if c[1] <= 5 <= c[3])
    assert first[0][2] < 65  # 项目名称 alone in its cell, the name in the next


def test_unruled_row_at_the_page_foot_does_not_set_the_tables_alignment():
    """Seed 004 unruled pushed down 100 points, page 13's foot (word boxes as pdfplumber gives them): the last
    row (重点选题策划执行 / 率) stands at the page foot with its numbers on its first line, as LibreOffice lays a
    row out there, though the table's cells are centred; 数量指标 is centred over the two rows above. Judged
    with that row, the table read as top-aligned and 数量指标 went to the second row alone (the first row
    without a 二级, silently); the alignment is judged without the row at the page foot."""
    from jixiao.extract.pdf_unruled import find_unruled

    lines = [
        (671.9, [(68.8, "年度绩效目"), (355.2, "年初目标值"), (420.4, "实际完成值")]),
        (679.5, [(135.0, "一级指标"), (197.4, "二级指标"), (279.6, "三级指标"), (495.7, "得分")]),
        (687.0, [(89.8, "标"), (367.1, "（A）"), (432.6, "（B）")]),
        (702.1, [(72.4, "（80"), (96.7, "分）"), (135.0, "产出指标"), (263.9, "新媒体发布稿件"), (361.1, "≥260"),
                 (391.2, "条"), (437.8, "268"), (503.2, "8")]),
        (709.7, [(197.4, "数量指标")]),
        (717.2, [(133.3, "（40"), (157.6, "分）"), (269.1, "业务交流会议"), (372.2, "3"), (380.1, "场"), (437.4, "3"),
                 (445.3, "场"), (503.2, "8")]),
        (732.3, [(197.4, "质量指标"), (258.6, "重点选题策划执行"), (365.4, "≥90%"), (435.9, "95%"), (503.2, "8")]),
        (747.4, [(295.4, "率")]),
    ]
    width = {"≥260": 28.0, "（A）": 28.6, "（B）": 28.0, "≥90%": 31.9, "95%": 21.4, "268": 17.5}  # else by glyphs
    words = [{"text": t, "x0": x, "x1": x + width.get(t, sum(5.85 if ch.isascii() else 10.5 for ch in t)),
              "top": top, "bottom": top + 10.5} for top, row in lines for x, t in row]
    (table,) = find_unruled(words, 62.0, 534.0)
    (cell,) = [c for c in table.cells if c[0] <= 218 < c[2] and c[1] <= 715 < c[3]]  # 数量指标's cell
    assert cell[1] < 702.1 and 717.2 + 10.5 < cell[3] < 732.3  # over the first two rows, not the third
