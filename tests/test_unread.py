"""Never silent: text that looks like a scorecard and was not read is reported (UNPARSED_TABLE, status
partial); a file that is no report says so (status not_report); a prose-only report says it has no scorecard."""

import pytest

import jixiao
from forms import CLEAN, REAL, ROOT, dump_rows, national_form, write



def unread(data):
    return [(f.location, f.message) for f in data.flags.itertuples() if f.code == "UNPARSED_TABLE"]


def test_run_together_form_in_one_line_is_read(tmp_path):
    """A form flattened into one line of text (the Chizhou excerpt's shape) is read by the flattened-form
    grammar (normalize/flat_forms.py) and checked like any other: no UNPARSED_TABLE, its own sums flagged."""
    text = ("项目支出绩效自评表 (2022年度) 项目名称 委托业务项目 项目资金 (万元) 年初预算数 全年预算数 全年执行数 分值 "
            "执行率 得分 年度资金总额: 90 90 89.97 10 99.97% 10 绩效指标 一级指标 二级指标 三级指标 年度指标值 "
            "实际完成值 分值 得分 产出指标(50分) 数量指标 项目数量 ≥50个 50 8 8 质量指标 合格率 ≥95% 100% 7 7 "
            "时效指标 完成及时率 =100% 100% 10 10 总分 100 95\n")
    data = jixiao.read(write(tmp_path, text))
    assert list(data.scorecards["name"]) == ["委托业务项目"] and data.scorecards.claimed_total[0] == 95
    assert list(data.indicators.level3) == ["项目数量", "合格率", "完成及时率"]
    assert unread(data) == []
    assert sorted(data.flags.code) == ["TOTAL_MISMATCH", "WEIGHT_SUM_MISMATCH", "WEIGHT_SUM_MISMATCH"]


def test_form_read_in_full_raises_nothing(tmp_path):
    data = jixiao.read(write(tmp_path, national_form(CLEAN, total="99", grade="优秀")))
    assert data.flags.empty and data.reports.iloc[0]["status"] == "ok"


def test_form_one_cell_per_line_is_read(tmp_path):
    """Each cell on a line of its own (a web page's table flattened): header words split over lines are
    joined and the rows read (normalize/flat_forms.py)."""
    cells = ["一级指标", "二级指标", "三级指标", "年度", "指标值", "实际", "完成值", "分值", "得分",
             "产出指标", "数量指标", "指标1工程资金金额", "43.2", "37.24", "10", "9",
             "质量指标", "指标1工程完工率", "100", "100", "10", "10"]
    data = jixiao.read(write(tmp_path, "项目支出绩效自评表\n\n" + "\n\n".join(cells) + "\n"))
    assert list(data.indicators.level3) == ["指标1工程资金金额", "指标1工程完工率"]
    assert list(data.indicators.claimed_score) == [9.0, 10.0] and unread(data) == []


def test_blank_template_is_not_an_unread_scorecard(tmp_path):
    rows = [["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"],
            ["产出指标", "数量指标", "指标1：", "", "", "", ""], ["", "", "指标2：", "", "", "", ""],
            ["", "质量指标", "……", "", "", "", ""]]
    data = jixiao.read(write(tmp_path, "附件\n项目支出绩效自评表\n" + dump_rows(rows)))
    assert unread(data) == []


def test_a_total_of_money_or_counts_is_no_scorecard_total(tmp_path):
    """A table left as text ending 合计 2806 1669.7 (a list of awards: people and 万元) or 合计: 7455 is no
    scorecard's total: a score is at most 100 (scorecard_vocabulary.toml max_value); 合计 95 in the same
    place is one, unread."""
    rows = "年份 类别 数量（人/个） 金额（万元）\n2023 省级竞赛获奖选手奖金 1453 547.7\n"
    for total, flagged in (("合计 2806 1669.7", False), ("合计: 7455", False), ("合计 95", True)):
        data = jixiao.read(write(tmp_path, "某某项目绩效评价报告\n" + rows + total + "\n"))
        assert bool(unread(data)) is flagged, (total, unread(data))


def test_prose_only_report_says_no_scorecard(tmp_path):
    data = jixiao.read(write(tmp_path, "2021年度某某局部门整体支出绩效自评报告\n我局自评得分95分，评价等级为优。\n"))
    assert list(data.flags.code) == ["NO_SCORECARD"] and data.reports.iloc[0]["status"] == "ok"


def test_readme_is_not_a_report(tmp_path):
    text = "# Notes\n\n" + "This folder holds the inputs of the project, one file per report. " * 10
    data = jixiao.read(write(tmp_path, text))
    report = data.reports.iloc[0]
    assert report["status"] == "not_report" and report["error"].startswith("not a report: mostly non-Chinese text")
    assert data.flags.empty


def test_jixiao_workbook_is_not_a_report(tmp_path):
    """audit.xlsx read back: jixiao's own output, not a report."""
    from openpyxl import Workbook
    book = Workbook()
    book.active.append(["source_path", "report_id", "status", "error", "unit_name", "fiscal_year"])
    book.active.append(["a.docx", "0123abcd", "ok", None, "某某局", 2021])
    path = tmp_path / "audit.xlsx"
    book.save(path)
    report = jixiao.read(path).reports.iloc[0]
    assert report["status"] == "not_report"
    assert report["error"] == "not a report: jixiao's own output (columns fiscal_year, report_id, source_path, unit_name …)"


@pytest.mark.skipif(not REAL.is_dir(), reason="../shared/real not present")
def test_real_files_are_never_silently_ok():
    """Every file in ../shared/real: scorecards, or an UNPARSED_TABLE, or a NO_SCORECARD (prose only), or
    not_report — never `ok` with nothing said."""
    for path in sorted(REAL.iterdir()):
        data = jixiao.read(path)
        report = data.reports.iloc[0]
        said = set(data.flags.code) & {"UNPARSED_TABLE", "NO_SCORECARD"}
        assert report["n_scorecards"] > 0 or said or report["status"] == "not_report", path.name


@pytest.mark.skipif(not REAL.is_dir(), reason="../shared/real not present")
def test_regulations_compilation_is_not_a_report():
    data = jixiao.read(REAL / "ZY2025_yusuan_jixiao_zhengce_huibian_templates.md")
    report = data.reports.iloc[0]
    assert report["status"] == "not_report" and "compilation of rules" in report["error"]
    assert "UNPARSED_TABLE" not in set(data.flags.code)  # its blank templates are templates
    # its 13 blank forms are said, not counted as the report's scorecards (nor their rows and template flags)
    assert report["error"].endswith("its forms are blank templates (13 blank forms read, not kept as scorecards)")
    assert (report["n_scorecards"], report["n_indicators"]) == (0, 0)
    assert (len(data.scorecards), len(data.indicators), len(data.flags)) == (0, 0, 0)
    assert data.budget_lines.scorecard_id.isna().all()


def test_warnings_summary_cuts_between_warnings_and_says_how_many_more():
    from jixiao.normalize.pipeline import warnings_summary
    assert warnings_summary(["a" * 10, "b" * 10, "c" * 10], 25) == "aaaaaaaaaa; bbbbbbbbbb; … and 1 more warning"
    assert warnings_summary(["a" * 10, "b" * 20, "c" * 10], 25) == "aaaaaaaaaa; … and 2 more warnings"
    assert warnings_summary(["a" * 30], 25) == "a" * 30  # one warning is never cut
    assert warnings_summary([]) is None


@pytest.mark.skipif(not REAL.is_dir(), reason="../shared/real not present")
@pytest.mark.parametrize(("stem", "messages"), [
    # the tail of a form: 4 rows (足额保障率=100% 22.5 …) and 合计100, its header above the excerpt's start
    ("dyrmt_xiangmu", ["p1 ¶0: 绩效自评表 总分行 found, 0 of ~4 rows read; no header before it (the form's start is "
                       "not in the text): which column each number is, unknown"]),
    # a garbled grid ending in 总分 (its rows' weight and score before each name: 5 5 可行性, 3 2 执行规范, 10 10 总分),
    # then a 得分表 cut after 6 of its rows (相关性(5 分) 5 …)
    ("wanglu_2017", ["p1 ¶21: 总分行 found, 0 of ~12 rows read; no header before it (the form's start is not in the "
                     "text): which column each number is, unknown", "p1 ¶25: 得分表 指标表头 found, 0 of ~6 rows read"]),
    # the tail of a form (one row, 合计 100) before the next form: its 项目名称 and budget rows are before the excerpt
    ("sichuan_daying", ["p1 ¶1: 绩效自评表 指标表头 found, 0 of ~1 rows read; no 项目名称 or budget rows before it: the "
                        "text begins inside the form (its start is not in the text)"]),
    # 自评总分 97.6 stated again above the form read (the excerpt's source line): that form's total, not unread
    ("chongqing_kexuecheng", []),
])
def test_real_forms_left_unread_say_what_is_missing(stem, messages):
    data = jixiao.read(next(REAL.glob(f"{stem}*")))
    assert list(data.flags[data.flags.code == "UNPARSED_TABLE"].message) == messages
    assert data.reports.iloc[0].status == "partial"


HENAN_PDF = ROOT / "samples" / "henan_2021-2024_zhiye_jineng_jingsai_jixiao_pingjia_baogao.pdf"


@pytest.mark.skipif(not HENAN_PDF.exists(), reason="Henan PDF rendition not built (scripts/build_samples.py)")
def test_a_form_over_page_pieces_is_counted_as_one_form():
    """The Henan 附件1 scorecard in its ruled PDF: 21 tables from p14 to p30 (its header repeated on each page
    but two, rows cut by the page breaks, a score slid onto the next page under an empty name). Were nothing
    read, it is one unread form of ~29 rows (its 28 indicator rows, D401 counted twice: its name and 分值 written
    again after the page break; a row is a number in 分值, or in another column with its name before the points
    columns — C102 shifted, D402 without its 分值 — and the tails of cut rows are not rows), not 20 regions of
    0-3 rows; 表2-1's two pieces on p38 (the second without a header) are one of ~9. Read in part (pages 14-20), the rows read over all its pieces against the whole form's."""
    from jixiao import extract
    from jixiao.normalize.unread import unread_flag, unread_regions
    document = extract.read(HENAN_PDF)
    found = [(r, n) for r, n in unread_regions(document, []) if r.kind == "indicators"]
    assert [(r.location, r.expected, r.pieces, r.pages, n) for r, n in found[:2]] == [
        ("p14 t0 r0", 29, 21, (14, 30), 0), ("p38 t0 r0", 9, 2, (38, 38), 0)]
    assert unread_flag([found[0][0]], 0).message == (
        "p14 t0 r0: 指标体系评分表 指标表头 found, 0 of ~29 rows read (one form over 21 tables, p14–p30)")
    read = [f"{t.location} r{r}" for t in document.tables if 14 <= t.location.page <= 20
            for r in range(1, t.n_rows) if t.n_cols > 3 and t.text(r, 3).isdigit()]  # the rows of pp. 14-20
    (region, rows), *_ = [(r, n) for r, n in unread_regions(document, read) if r.kind == "indicators"]
    assert (len(read), region.location, rows, region.expected) == (12, "p14 t0 r0", 12, 29)
    assert unread_flag([region], rows).message.endswith("12 of ~29 rows read (one form over 21 tables, p14–p30)")


def test_rows_whose_numbers_come_before_their_names_are_counted(tmp_path):
    """PDF text that puts each row's weight and score before its name (5 5 可行性 …), a 总分 after them and no
    header: the rows are counted (a pair whose score is over its weight is no row), none read."""
    lines = ["项目决策(20分)科学决策必要性", "5 5 可行性", "5 4 绩效目标明确性", "5 5 合理性", "3 2 执行规范",
             "2019 2020 年度", "10 10 总分 85"]
    data = jixiao.read(write(tmp_path, "\n".join(lines) + "\n"))
    assert [m for _, m in unread(data)] == [
        "p1 ¶6: 总分行 found, 0 of ~5 rows read; no header before it (the form's start is not in the text): which "
        "column each number is, unknown"]


def test_chinese_characters_counted_as_the_regex_counts_them():
    """not_a_report counts U+4E00..U+9FFF on the code points as an array: the count a regex gives, at the range's
    edges, beside characters outside the basic plane and a lone surrogate, and on the samples' texts."""
    import re
    from jixiao import extract
    from jixiao.normalize.not_report import cjk_count
    regex = re.compile("[\u4e00-\u9fff]")
    edges = "\u4dff\u4e00\u9fff\ua000 ab 😀中\ud800文"
    texts = [edges, "", "plain"] + [extract.read(p).text for p in sorted((ROOT / "samples").glob("*.txt"))]
    assert cjk_count(edges) == 4
    assert [cjk_count(t) for t in texts] == [len(regex.findall(t)) for t in texts]
