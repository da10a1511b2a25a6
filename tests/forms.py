"""Build small reports in the Word-table-dump .txt layout (one tab-led cell per line, blank line between
rows) so rule tests can state a form in a few lines of Python."""
from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# ../shared/real beside the checkout, as CI lays it out; this workplace also keeps it at /work/shared/real
REAL = next((d for d in (ROOT.parent / "shared" / "real", Path("/work/shared/real")) if d.is_dir()),
            ROOT.parent / "shared" / "real")
# A national form whose every number agrees: the base the rule tests change one cell of
CLEAN = [
    ("产出指标（50分）", "数量指标", "项目数量", "≥50个", "50", "20", "20"),
    ("产出指标（50分）", "质量指标", "合格率", "≥100%", "100%", "15", "15"),
    ("产出指标（50分）", "时效指标", "及时性", "按时完成", "达成预期指标", "15", "15"),
    ("效益指标（30分）", "社会效益指标", "社会影响", "效果明显", "达成预期指标", "30", "30"),
    ("满意度指标（10分）", "服务对象满意度指标", "群众满意度", "≥90%", "95%", "10", "10"),
]


def dump_rows(rows: list[list[str]]) -> str:
    out = []
    for row in rows:
        out.append("")
        for cell in row:
            first, *rest = cell.split("\n")
            out.append("\t" + first)
            out.extend(rest)
    return "\n".join(out) + "\n\n"


def national_form(indicators: list[tuple], *, budget=("100", "90", "10", "90%", "9"), total="99", grade=None,
                  name="测试项目", extra_rows: list[list[str]] = ()) -> str:
    """A 项目支出绩效自评表 in the national (MoF) layout. indicators: (一级, 二级, 三级, 指标值, 完成值, 分值, 得分)."""
    a, b, weight, rate, score = budget
    rows = [
        ["项目名称", name],
        ["主管部门", "某某局", "实施单位", "某某中心"],
        ["项目资金\n（万元）", "", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
        ["", "年度资金总额", a, a, b, weight, rate, score],
        ["绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"],
    ]
    previous = (None, None)
    for level1, level2, level3, target, actual, w, s in indicators:
        shown1 = level1 if level1 != previous[0] else ""
        shown2 = level2 if (level1, level2) != previous else ""
        rows.append(["", shown1, shown2, level3, target, actual, w, s, ""])
        previous = (level1, level2)
    rows.append(["总分", "", "", "", "", "", "100", total, ""])
    if grade:
        rows.append(["评价等次", grade])
    rows.extend(extra_rows)
    return "2022年度项目支出绩效自评表\n单位名称：某某中心\n" + dump_rows(rows)


def write(tmp_path: Path, text: str, name: str = "form.txt") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path
