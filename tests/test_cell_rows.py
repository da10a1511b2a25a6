"""One cell per line with the rows not marked or cells run together (normalize/cell_rows.py), or rows apart
by blank lines (patterns/flat_text.rows_apart): a third-party scorecard with coded level cells, long text
columns between its 分值 and 得分, and a page piece under a repeated header (a 二级's points, a name's end and
a 评价意见's end the page break cut), read row by row; without its total row it is reported, not guessed."""
from __future__ import annotations

from pathlib import Path

import jixiao

HEADER = ["一级指标", "二级指标", "三级指标", "分值", "评分标准", "评价意见", "得分"]
ROWS = [
    HEADER,
    ["A投入20分", "A1资金落实20分", "A101资金到位率", "20", "到位率100%得满分", "资金全部到位，符合要求。", "20"],
    ["B产出50分", "B1产出数量30分", "B101完成数量", "30", "完成得满分，每少1%扣1分", "完成计划的90%，扣3分。", "27"],
    ["B2产出质量", "B201合格", "20", "合格率≥95%得满分", "合格率98%，符合要求，", "20"],  # 一级 merged above
    HEADER,  # the next page's piece: the row's 二级 points, the end of its name and of its 评价意见 under it
    ["", "20分", "率", "", "", "抽检结果见附表。"],
    ["C效益30分", "C1社会效益30分", "C101服务对象满意度", "30", "满意度90%以上得满分", "问卷满意度为85%，扣5分。", "25"],
]
TOTAL = ["合计", "", "100", "", "", "", "92"]
BEFORE = ["某某项目绩效评价报告", "评价单位：某某事务所", "附件：绩效评价指标评分表"]
AFTER = ["其他需要说明的问题", "无"]
READ = [("A投入", "A1资金落实", "A101资金到位率", 20.0, 20.0, 20.0, 20.0),
        ("B产出", "B1产出数量", "B101完成数量", 50.0, 30.0, 30.0, 27.0),
        ("B产出", "B2产出质量", "B201合格率", 50.0, 20.0, 20.0, 20.0),
        ("C效益", "C1社会效益", "C101服务对象满意度", 30.0, 30.0, 30.0, 25.0)]


def cells_text(rows: list[list[str]]) -> str:
    """Every cell followed by a blank line, an empty cell a line holding one space: rows not marked."""
    out = [line for p in BEFORE for line in (p, "")]
    out += [line for row in rows for c in row for line in (c or " ", "")]
    return "\n".join(out + [line for p in AFTER for line in (p, "")]) + "\n"


def rows_apart_text(rows: list[list[str]]) -> str:
    """A row's cells on consecutive lines, a blank line after each row."""
    out = [line for p in BEFORE for line in (p, "")]
    out += [line for row in rows for line in [c or " " for c in row] + [""]]
    return "\n".join(out + [line for p in AFTER for line in (p, "")]) + "\n"


def dense_text(rows: list[list[str]]) -> str:
    """One cell per line, no blank line at all: empty cells not written (a browser's copy of the page)."""
    return "\n".join(BEFORE + [c for row in rows for c in row if c] + AFTER) + "\n"


def runon_text(rows: list[list[str]]) -> str:
    """The table's cells run together on one line, apart by spaces, empty cells not written."""
    return "\n".join(BEFORE + [" ".join(c for row in rows for c in row if c)] + AFTER) + "\n"


def indicators(data) -> list[tuple]:
    return [(r.level1, r.level2, r.level3, r.level1_weight, r.level2_weight, r.weight, r.claimed_score)
            for r in data.indicators.itertuples()]


def test_coded_scorecard_one_cell_per_line_is_read_row_by_row(tmp_path: Path):
    for name, shape in (("cells", cells_text), ("rows", rows_apart_text), ("dense", dense_text), ("runon", runon_text)):
        text = shape(ROWS + [TOTAL])
        path = tmp_path / f"coded.{name}.txt"
        path.write_text(text, encoding="utf-8")
        data = jixiao.read(path)
        assert indicators(data) == READ, name
        assert list(data.scorecards.name) == ["附件：绩效评价指标评分表"], name
        assert list(data.scorecards.claimed_total) == [92.0] and list(data.scorecards.recomputed_total) == [92.0]
        assert data.flags.empty and data.reports.status[0] == "ok", name


def test_coded_scorecard_without_its_total_row_is_reported_not_guessed(tmp_path: Path):
    """No 合计 row: where the form ends is not known, so its rows are not cut (UNPARSED_TABLE, no scorecard)."""
    for name, shape in (("cells", cells_text), ("dense", dense_text), ("runon", runon_text)):
        path = tmp_path / f"coded.{name}.txt"
        path.write_text(shape(ROWS), encoding="utf-8")
        data = jixiao.read(path)
        assert data.scorecards.empty and data.indicators.empty, name
        assert data.reports.status[0] == "partial" and "UNPARSED_TABLE" in set(data.flags.code), name
