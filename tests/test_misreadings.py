"""Issue 11 item 6: what it reads, it judges right — each misreading fixed at its cause."""
import jixiao
import pandas as pd
from forms import CLEAN, REAL, ROOT, national_form, write
from jixiao.patterns.operators import parse_target
from jixiao.patterns.prose import extract_figures, find_claims


def test_grading_rule_is_not_a_claim():
    rule = "总分一般设置为100分，等级一般划分为四档：90（含）- 100分为优、80（含）- 90分为良、60（含）- 80分为中、60分以下为差。"
    assert find_claims(rule) == []
    assert find_claims("综合评分为90分（含）以上的为“优”，80分（含）至90分的为“良”。") == []
    assert find_claims("对绩效评价结果为优的，予以表扬；对评价结果为中和差的，予以通报。") == []
    claims = find_claims("项目总体评价得65.00分，评价等级为“中”。")
    assert [(c.kind, c.value) for c in claims] == [("score", 65.0), ("grade", "中")]


def test_slogan_numeral_is_no_headcount():
    text = "紧紧围绕统筹推进“五位一体”总体布局和协调推进“四个全面”战略布局，中心现有职工5人。"
    assert [(f.quantity.number, f.quantity.unit) for f in extract_figures(text)] == [(5.0, "人")]


def test_deadline_is_a_time_target():
    for text in ("次月10日前", "每月15号前完成"):
        target = parse_target(text)
        assert (target.op, target.quantity, target.direction) == ("qual", None, "qualitative"), text
    assert parse_target("≥10次").quantity.number == 10.0


def test_prose_sum_keeps_every_listed_part(tmp_path):
    """Chizhou: 30 + 30 + 29.99 = 89.99 agrees with 89.97 to the writer's rounding; all three are parts."""
    text = ("2022年项目支出绩效自评报告\n本项目共完成预算资金89.97万元。其中:30万元用于基建工程项目预算编制;"
            "30万元用于基建工程项目审计;29.99万元用于基建工程项目设计、规划、测绘。\n")
    figures = extract_figures(text.split("\n")[1])
    assert [f.parent for f in figures] == [None, 0, 0, 0]
    data = jixiao.read(write(tmp_path, text))
    assert "PROSE_SUM_MISMATCH" not in set(data.flags.code)


def test_prose_sum_over_counts(tmp_path):
    """Seed 001: 发稿4366篇，其中 305篇 + 1117条 + 500篇 + 2244条 = 4166 (篇 and 条 both count articles; the
    issues (期) between them are no parts)."""
    text = ("2021年度部门整体支出绩效自评报告\n区级平台共发稿4366篇，其中《岳阳日报》“岳阳楼区专版”编发38期，发稿305篇；"
            "岳阳电视台新闻频道“岳阳楼区新闻”编发215期，发稿1117条；《半月动态》共编印20期，发稿500篇；"
            "“岳阳楼区手机报”共编发211期，发稿2244条。\n")
    data = jixiao.read(write(tmp_path, text))
    sums = data.flags[data.flags.code == "PROSE_SUM_MISMATCH"]
    assert [(f.claimed, f.recomputed) for f in sums.itertuples()] == [(4366.0, 4166.0)]
    assert sums.iloc[0]["message"] == "发稿 4366篇 ≠ 其中各项之和 发稿 305篇 + 发稿 1117条 + 发稿 500篇 + 发稿 2244条 = 4166篇"


def test_count_subset_short_of_its_total_is_no_mismatch(tmp_path):
    """其中 singling out two kinds of a count (Henan: 1250台，其中 418台、707台 = the 90% that are 指定设备)."""
    text = ("2024年项目绩效评价报告\n各集训基地共购置新设备1250台，其中世赛指定设备418台，国赛指定设备707台，"
            "指定设备占比90.00%。\n")
    assert "PROSE_SUM_MISMATCH" not in set(jixiao.read(write(tmp_path, text)).flags.code)


def test_misplaced_indicator_explains_its_group_overflow(tmp_path):
    """Seed 004's 门户网站日常维护 form: a 10-point 成本指标 under 效益指标（20分）."""
    rows = [
        ("产出指标（40分）", "数量指标", "维护设备数量", "≥10台", "10台", "10", "10"),
        ("产出指标（40分）", "质量指标", "机房正常使用", "正常", "正常", "10", "10"),
        ("效益指标（20分）", "成本指标", "年度维护成本增加率", "≤5%", "0%", "10", "10"),
        ("效益指标（20分）", "社会效益指标", "政务公开社会影响力", "提升", "提升", "10", "10"),
        ("效益指标（20分）", "可持续影响指标", "核心设备正常使用", "正常", "正常", "10", "10"),
        ("满意度指标（20分）", "服务对象满意度指标", "科室满意度", "≥90%", "95%", "20", "20"),
    ]
    data = jixiao.read(write(tmp_path, national_form(rows, total="90", grade="优秀")))
    codes = list(data.flags.code)
    assert "GROUP_OVER_WEIGHT" not in codes
    misplaced = data.flags[data.flags.code == "MISPLACED_INDICATOR"].iloc[0]
    assert misplaced["message"].endswith("移回“产出指标”后各组得分: 效益指标 20/20，产出指标 30/40")


def test_henan_project_unit_line_is_the_unit(tmp_path):
    text = ("2021-2024年省级职业技能竞赛经费绩效评价报告\n项目单位：河南省人力资源和社会保障厅  委托单位：河南省财政厅\n"
            "项目总体评价得65.00分，评价等级为“中”。\n")
    assert jixiao.read(write(tmp_path, text)).reports.iloc[0]["unit_name"] == "河南省人力资源和社会保障厅"


# --- residual misreadings on ../shared/real (issue 11) ------------------------------------------------


def _real(stem: str) -> jixiao.Dataset:
    return jixiao.read(next(REAL.glob(f"{stem}*_EXCERPT.txt")))


def _flags(data) -> list[tuple]:
    number = lambda v: None if pd.isna(v) else float(v)  # noqa: E731
    return [(f.code, f.severity, number(f.claimed), number(f.recomputed)) for f in data.flags.itertuples()]


def _cut_before_total(text: str) -> str:
    return text[:text.index("\t总分")]


def test_weight_sum_of_a_form_the_document_ends_inside_is_a_warning(tmp_path):
    """An excerpt cut mid-form (no 总分 row, nothing after its table, its last row without the score the
    others have): its weights cover only the rows read."""
    rows = CLEAN[:3] + [("效益指标（30分）", "社会效益指标", "社会影响", "效果明显", "达成预期指标", "30", "")]
    data = jixiao.read(write(tmp_path, _cut_before_total(national_form(rows))))
    assert _flags(data) == [("WEIGHT_SUM_MISMATCH", "warning", 90.0, 100.0)]
    assert data.flags.iloc[0]["message"] == "全表分值合计 90 ≠ 100（文件在此表中截断，无总分行：只合计了读到的行）"
    report = data.reports.iloc[0]
    assert (report.status, report.warnings) == (
        "partial", "form 1 cut off: the document ends inside it (no 总分 row read); its sums cover the rows read")


def test_weight_sum_of_a_whole_form_stays_an_error(tmp_path):
    data = jixiao.read(write(tmp_path, national_form(CLEAN[:4], total="89")))
    assert _flags(data) == [("WEIGHT_SUM_MISMATCH", "error", 90.0, 100.0)]
    assert data.flags.iloc[0]["message"] == "全表分值合计 90 ≠ 100"
    assert data.reports.iloc[0].status == "ok"


def test_truncated_real_excerpts_soften_their_weight_sum():
    """Jinzhai, Chizhou and Shandong end mid-form: the weights read fall short of 100 because rows were cut."""
    for stem, read in (("anhui_jinzhai", 70.0), ("chizhou_guichi", 90.0), ("shandong_jinan", 90.0)):
        data = _real(stem)
        assert _flags(data)[-1] == ("WEIGHT_SUM_MISMATCH", "warning", read, 100.0), stem
        assert set(data.flags.severity) == {"warning"}, stem
        assert data.reports.iloc[0].status == "partial", stem
        assert "form 1 cut off" in data.reports.iloc[0].warnings, stem


def test_hebei_spare_template_rows_are_one_flag():
    """Hebei: the template's spare 指标2 / …… rows left empty (lone-space cells) are one flag, not 17; the
    excerpt ends inside the form before its 总分 row, so there is no claimed total to take."""
    data = _real("hebei_langfang")
    assert _flags(data) == [("TEMPLATE_PLACEHOLDER", "warning", None, None)]
    assert data.flags.iloc[0]["message"] == "模板留空的占位行 17 行: “指标2”×8、“……”×8、“指标1”"
    card = data.scorecards.iloc[0]
    assert pd.isna(card.claimed_total)  # no 总分 row in the text
    assert round(card.recomputed_total, 4) == 97.2407  # 8.6204 + 88.6204: 37.24 of 43.2 executed, and done
    assert data.reports.iloc[0].status == "partial"


def test_one_spare_template_row_keeps_its_own_message(tmp_path):
    rows = CLEAN + [("满意度指标（10分）", "服务对象满意度指标", "……", "", "", "", "")]
    data = jixiao.read(write(tmp_path, national_form(rows)))
    assert list(data.flags.message) == ["模板占位内容未填写: “……”"]


def test_lijiang_under_claimed_scores_are_real_findings():
    """Checked by hand against the text: each target is met exactly (﹦72890元 / 72890, ﹦100% / 100, ≥95% /
    95) yet the form gives 9.00 of 10, 19 of 20, 19.00 of 20, 27.00 of 30 with no reason stated (the 偏差原因
    column is empty): under-claims the form itself makes, warnings (少报), not misreadings."""
    data = _real("yunnan_lijiang")
    assert _flags(data) == [("INDICATOR_SCORE_MISMATCH", "warning", 9.0, 10.0),
                            ("INDICATOR_SCORE_MISMATCH", "warning", 19.0, 20.0),
                            ("INDICATOR_SCORE_MISMATCH", "warning", 19.0, 20.0),
                            ("INDICATOR_SCORE_MISMATCH", "warning", 27.0, 30.0)]
    assert data.flags.iloc[0]["message"] == "卫片执法补助经费: 目标 72890，完成 72890，分值 10，应得 10，写为 9.00（少报）"


def test_placeholder_wrapped_in_its_cell_leaves_no_fragment(tmp_path):
    """Seed 004's PDF: the cell reads "效益指标（XX" / "分）" / "效益指标（20分）" — the tail of the
    placeholder is no part of the label (was "分）效益指标")."""
    rows = [r if r[0] != "效益指标（30分）" else ("效益指标（XX\n分）\n效益指标（30分）",) + r[1:] for r in CLEAN]
    data = jixiao.read(write(tmp_path, national_form(rows)))
    assert sorted(set(data.indicators.level1)) == ["产出指标", "效益指标", "满意度指标"]
    assert data.indicators.level1_weight.tolist() == [50.0, 50.0, 50.0, 30.0, 10.0]
    assert list(data.flags.code) == ["TEMPLATE_PLACEHOLDER"]


def test_text_with_almost_no_chinese_is_not_a_silent_ok(tmp_path):
    """cid.pdf's glyphs OCR'd to "3DUfwS3", or any text with next to no Chinese: nothing could be checked."""
    data = jixiao.read(write(tmp_path, "3DUfwS3\n"))
    report = data.reports.iloc[0]
    assert (report.status, report.warnings) == (
        "partial", "almost no Chinese text read: the text holds 0 Chinese characters (“3DUfwS3”)")


def test_restated_sentence_is_judged_once(tmp_path):
    """A paragraph written twice (seed 001's 基本概况 box and its 评价报告综述; a converter that ran a heading into
    it: 绩效情况2021年，…) is one statement: its sum flagged once. Its figures are still listed where each stands.
    A line wrapped mid-sentence is not such a restatement: its clauses before the wrap keep the sum judged."""
    sentence = "区级平台共发稿4366篇，其中专版发稿305篇；新闻发稿1117条；动态发稿500篇；手机报发稿2244条。"
    text = f"2021年度部门整体支出绩效自评报告\n{sentence}\n一、绩效情况\n整体支出绩效情况{sentence}\n"
    data = jixiao.read(write(tmp_path, text))
    assert list(data.flags.code).count("PROSE_SUM_MISMATCH") == 1 and len(data.figures) == 0  # counts: summed only
    wrapped = "2021年度部门整体支出绩效自评报告\n区级平台共发稿4366篇，其中专版发稿305篇；" \
               "\n新闻发稿1117条；动态发稿500篇；手机报发稿2244条。\n"
    data = jixiao.read(write(tmp_path, wrapped + sentence + "\n"))
    assert list(data.flags.code).count("PROSE_SUM_MISMATCH") == 1  # the wrapped copy cannot be summed: the whole one is


def test_row_of_a_table_laid_out_in_columns_is_not_one_sentence():
    """Henan report as a PDF without ruling lines, p7 表1-3 (年度 赛项类别 竞赛计划 实际实施内容 未实施赛项) read as
    text lines: the 竞赛计划 cell (88个赛项，其中…13个赛事36个) and the 实际实施内容 cell (实际举办28个赛) stand on one
    line, parted by a column gap wider than a space. Its counts are summed within a cell, never across the gap
    (were 88 ≠ 13 + 36 + 28: a false PROSE_SUM_MISMATCH in an ok report); its figures are listed as before."""
    from jixiao.extract.model import Document, Location, Paragraph
    from jixiao.extract.pdf import Unruled, open_pdf, read_page
    from jixiao.normalize.prose import read_prose

    with open_pdf(ROOT / "samples" / "henan_2021-2024_zhiye_jineng_jingsai_jixiao_pingjia_baogao_unruled.pdf") as pdf:
        lines = [p.block for p in read_page(pdf.pages[6], Unruled()) if isinstance(p.block, Paragraph)]
    row = next(p for p in lines if p.text.startswith("36个赛事88个赛项"))
    assert [c.strip() for c in row.cells()] == ["36个赛事88个赛项，其中符合财政补贴条件的有13个赛事36个", "实际举办28个赛"]
    prose = next(p for p in lines if p.text.startswith("获奖选手、专家教练团队及选送单位奖金"))
    assert prose.column_breaks == ()  # a sentence's spaces are no column gap
    as_row = read_prose(Document("h.pdf", "pdf", blocks=[row]))
    assert as_row.flags == [] and [f["value"] for f in as_row.figures] == []  # counts: summed only, never listed
    sentence = Paragraph(row.text, Location(7, paragraph=0))  # the same text read as one sentence: summed across
    assert [f.code for f in read_prose(Document("h.pdf", "pdf", blocks=[sentence])).flags] == ["PROSE_SUM_MISMATCH"]


def test_chizhou_bare_actual_is_read_in_its_targets_percent_and_the_unit_code_is_no_name():
    """Chizhou 项目支出绩效自评表 (cells run together): 委托业务报告合格率 ≥100百分比 | 100 — the actual is 100% as its
    target (1.0, as the recompute already read it for the score), not a bare 100 against a target of 1.0; the
    实施单位 cell 219001-池州市贵池区棠溪镇人民政府 carries the unit's budget code (主管部门 219-…), which the schema has
    no field for: the unit is 池州市贵池区棠溪镇人民政府, for the form and for the report."""
    data = jixiao.read(REAL / "chizhou_guichi_tangxi_2022_xiangmu_zipingbiao_EXCERPT.txt")
    row = data.indicators[data.indicators.level3 == "委托业务报告合格率"].iloc[0]
    assert (row.target_value, row.target_unit, row.actual_value, row.actual_unit) == (1.0, "%", 1.0, "%")
    cost = data.indicators[data.indicators.level3 == "项目总成本"].iloc[0]  # ≤90万元 | 90: 90 万元
    assert (cost.actual_value, cost.actual_unit, cost.recomputed_score) == (90.0, "万元", 8.0)
    assert data.scorecards.unit_name.tolist() == data.reports.unit_name.tolist() == ["池州市贵池区棠溪镇人民政府"]


def test_bare_actual_under_a_percent_target_is_that_percent(tmp_path):
    """A bare actual 95 under ≥100%: 95%, written as 0.95 and scored 0.95 of the weight (not 95 ≥ 1.0, full)."""
    data = jixiao.read(write(tmp_path, national_form([("产出指标", "质量指标", "验收合格率", "≥100%", "95", "10", "9.5")])))
    row = data.indicators.iloc[0]
    assert (row.actual_value, row.actual_unit, row.recomputed_score) == (0.95, "%", 9.5)


def test_unit_code_before_a_name_is_not_the_name():
    from jixiao.normalize.table_view import unit_name

    assert unit_name("219001-池州市贵池区棠溪镇人民政府") == "池州市贵池区棠溪镇人民政府"
    assert unit_name("【106019】岳阳楼区融媒体中心") == "岳阳楼区融媒体中心"
    assert unit_name("106019 岳阳楼区融媒体中心") == "岳阳楼区融媒体中心"
    for name in ("东西湖区融媒体中心", "2021年度项目单位", "12345", "3D打印中心"):
        assert unit_name(name) == name
