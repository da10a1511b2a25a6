"""一级 labels given the wrong rows by a reader of text alignment (normalize/group_edges.py, called by the misread
gate): the form is reported unread, not judged with the reader's group sums; the same rows in a table with its
cells known (ruled, or a Word dump) are judged as read, and an author's misplaced indicator in a correctly read
aligned form stays a MISPLACED_INDICATOR. The real case, seed 004 unruled pushed down 70 points (采访科运行维护费:
效益指标（20分） read over one of its three rows), is in tests/test_renditions_pdf.py."""
from __future__ import annotations

from forms import CLEAN, national_form, write

from jixiao import extract
from jixiao.extract.model import Table
from jixiao.normalize.pipeline import build_rows

# the 时效指标 row (15 points) read under 效益指标（30分）: 产出 35 of 50, 效益 45 of 30, the form still 100
MISLABELLED = [("效益指标（30分）",) + row[1:] if row[2] == "及时性" else row for row in CLEAN]
ERRORS = {"WEIGHT_SUM_MISMATCH", "GROUP_OVER_WEIGHT"}


def _run(tmp_path, rows, aligned: bool, total: str = "99") -> tuple[dict, dict]:
    document = extract.read(write(tmp_path, national_form(rows, total=total)))
    for block in document.blocks:
        if isinstance(block, Table):
            block.from_alignment = aligned  # as the unruled PDF reader marks its tables
    report = {"report_id": "r", "status": "ok", "source_path": document.source_path}
    return report, build_rows(document, report)


def _codes(tables) -> list[tuple[str, str]]:
    return sorted((f["code"], f["severity"]) for f in tables["flags"])


def test_groups_whose_weights_fit_with_their_edges_moved_are_a_misreading(tmp_path):
    report, tables = _run(tmp_path, MISLABELLED, aligned=True)
    assert report["status"] == "partial"
    assert tables["scorecards"] == [] and tables["indicators"] == []
    (flag,) = [f for f in tables["flags"] if f["code"] == "UNPARSED_TABLE"]
    assert "一级 labels over the wrong rows: the rows' weights make 50+30+10 with the groups' edges moved" in flag["message"]
    assert not ERRORS & {f["code"] for f in tables["flags"]}


def test_the_same_rows_with_their_cells_known_are_judged_as_read(tmp_path):
    report, tables = _run(tmp_path, MISLABELLED, aligned=False)
    assert report["status"] == "ok"
    assert _codes(tables) == [("MISPLACED_INDICATOR", "warning"), ("WEIGHT_SUM_MISMATCH", "error"),
                              ("WEIGHT_SUM_MISMATCH", "error")]


def test_an_edge_row_moved_home_that_fixes_fewer_sums_is_no_misreading(tmp_path):
    # the author's 时效指标 row under 效益 with weights that fit nowhere else (产出 35+5 of 50): judged as read
    rows = [("效益指标（30分）", "时效指标", "及时性", "按时完成", "达成预期指标", "5", "5") if r[2] == "及时性" else r
            for r in CLEAN]
    rows = [r[:5] + ("25", "25") if r[2] == "社会影响" else r for r in rows]
    report, tables = _run(tmp_path, rows, aligned=True, total="84")
    assert report["status"] == "ok"
    assert len(tables["scorecards"]) == 1
    assert _codes(tables) == [("MISPLACED_INDICATOR", "warning"), ("WEIGHT_SUM_MISMATCH", "error")]


def test_rows_under_no_second_level_label_beside_rows_under_one_are_a_misreading(tmp_path):
    # the first row of 产出指标 without its 二级 (a merged 数量指标 cell read over too few rows), a group sum off
    rows = [r[:1] + ("",) + r[2:] if r[2] == "项目数量" else r for r in CLEAN]
    rows = [r[:5] + ("10", "10") if r[2] == "及时性" else r for r in rows]
    report, tables = _run(tmp_path, rows, aligned=True, total="94")
    assert report["status"] == "partial"
    (flag,) = [f for f in tables["flags"] if f["code"] == "UNPARSED_TABLE"]
    assert "rows do not add up (rows of 产出指标 under no 二级 label beside rows under one)" in flag["message"]
    report, tables = _run(tmp_path, rows, aligned=False, total="94")  # cells known: judged as read
    assert report["status"] == "ok"
    assert _codes(tables) == [("WEIGHT_SUM_MISMATCH", "error")]  # 产出指标 45 of 50


def test_a_label_whose_points_stand_in_the_cell_below_it_is_a_misjoined_label(tmp_path):
    # 社会效益指标 over its first row, its （30分） alone over the next: one label cut in two, in any table
    rows = CLEAN[:3] + [("效益指标（30分）", "社会效益指标", "社会影响", "效果明显", "达成预期指标", "15", "15"),
                        ("效益指标（30分）", "（30分）", "品牌影响", "效果明显", "达成预期指标", "15", "15")] + CLEAN[4:]
    report, tables = _run(tmp_path, rows, aligned=False)
    assert report["status"] == "partial"
    (flag,) = [f for f in tables["flags"] if f["code"] == "UNPARSED_TABLE"]
    assert "rows misjoined (level cells cut from the one above (（30分）))" in flag["message"]
