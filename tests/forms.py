"""Build small reports in the Word-table-dump .txt layout (one tab-led cell per line, blank line between
rows) so rule tests can state a form in a few lines of Python."""
from __future__ import annotations

from pathlib import Path


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
