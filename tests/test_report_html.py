"""OUT/report.html: a batch output that opens from disk with no network, shows the batch overview (files unread
first, flags by code and severity, the charts), and every report's scorecards and flags with their evidence."""
from __future__ import annotations

import csv
import html
import re
import shutil
import sqlite3
from html.parser import HTMLParser
from pathlib import Path

import pytest

from jixiao import exports
from jixiao.batch import Options, run_batch

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
SEED2 = SAMPLES / "002_8355fd70a3086172.txt"
BATCH = ["004_35c19541f4036631.txt", "002_8355fd70a3086172.txt", "000_b521ea4f1433165c.txt"]


def report_batch(base: Path) -> Path:
    """Three seeds, seed 002 told again for the next year (a unit with two years), and an empty file."""
    inputs = base / "in"
    inputs.mkdir(parents=True)
    for name in BATCH:
        shutil.copy(SAMPLES / name, inputs / name)
    text = SEED2.read_text(encoding="utf-8")
    assert text.startswith(("2020 年度", "\ufeff")) or "\n2020 年度整体支出绩效自评报告" in text
    (inputs / "002_next_year.txt").write_text(text.replace("2020", "2021"), encoding="utf-8")
    (inputs / "empty.txt").write_bytes(b"")
    out = base / "out"
    run_batch(Options(paths=[str(inputs)], out=str(out), jobs=2))
    return out


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    return report_batch(tmp_path_factory.mktemp("report_html"))


class Page(HTMLParser):
    """The tags of a page that matter here: every element's attributes, flag rows, file rows, images."""

    def __init__(self, text: str):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def rows(self, cls: str) -> list[dict]:
        return [a for t, a in self.tags if t == "tr" and cls in (a.get("class") or "").split()]


def flags(out: Path) -> list[dict]:
    with open(out / "flags.csv", encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def test_report_html_is_a_batch_output_marked_current(out):
    assert "report.html" in [o.name for o in exports.OUTPUTS]
    conn = sqlite3.connect(out / "jixiao.sqlite")
    assert ("report.html",) in conn.execute("SELECT name FROM jixiao_outputs").fetchall()
    assert (out / "report.html").is_file()


def test_opens_from_disk_without_network(out):
    text = (out / "report.html").read_text(encoding="utf-8")
    page = Page(text)
    assert '<meta charset="utf-8">' in text and 'lang="zh-CN"' in text
    assert not [a for t, a in page.tags if t in ("link", "object", "embed")]
    frames = [a for t, a in page.tags if t == "iframe"]  # evidence pages of .txt flags, files in OUT (checked below)
    assert frames and all(a["loading"] == "lazy" and a["src"].startswith("evidence/") for a in frames)
    assert not [a for t, a in page.tags if t == "script" and "src" in a]  # the script is inline
    for tag, attrs in page.tags:
        for name in ("src", "href"):
            value = attrs.get(name)
            if value is None or value.startswith("#"):
                continue
            assert not re.match(r"[a-z]+:", value), (tag, value)  # no http:, no file: — a path inside OUT
            assert (out / value).is_file(), value
    assert not re.search(r"url\((?!#)", text) and "@import" not in text  # only url(#id) of the SVG charts


def test_overview_files_unread_first_and_flags_by_code_and_severity(out):
    text = (out / "report.html").read_text(encoding="utf-8")
    page = Page(text)
    statuses = [a["class"].split()[1] for a in page.rows("file")]
    assert statuses == ["failed", "ok", "ok", "ok", "ok"]  # the empty file first
    rows = flags(out)
    n_error = sum(r["severity"] == "error" for r in rows)
    assert n_error == 4 and f"error flags not yet reviewed: <b>{n_error}</b>" in text
    # seed 004's TOTAL_MISMATCH and WEIGHT_SUM_MISMATCH are errors: one row each in the code × severity table
    assert re.search(r"<tr><td>TOTAL_MISMATCH</td><td>1</td><td></td><td></td></tr>", text)
    assert "empty file (0 bytes)" in text


def test_charts_totals_scores_and_a_unit_by_year(out):
    text = (out / "report.html").read_text(encoding="utf-8")
    ids = [a.get("id") for t, a in Page(text).tags if t == "figure"]
    assert ids == ["chart-totals", "chart-scores", "chart-years"]
    years = text[text.index('id="chart-years"'):]
    years = years[:years.index("</figure>")]
    assert "武汉市新洲区融媒体中心" in years  # the unit told in 2020 and 2021 is drawn, its name as text
    assert "鄂州市融媒体中心" not in years  # one year only: not a series
    assert len(re.findall(r"<svg", text)) == 3


def test_every_flag_with_message_numbers_location_and_evidence(out):
    text = (out / "report.html").read_text(encoding="utf-8")
    page = Page(text)
    shown = {a["id"][2:]: a for a in page.rows("flag")}
    rows = flags(out)
    assert len(rows) == 27 + 2 + 1 and set(shown) == {r["fingerprint"] for r in rows}
    evidence = [a["src"] for t, a in page.tags if t in ("img", "iframe")]  # a picture or a page per flag
    assert sorted(evidence) == sorted(r["evidence"] for r in rows)
    total = [r for r in rows if r["code"] == "TOTAL_MISMATCH"][0]
    assert (shown[total["fingerprint"]]["data-code"], shown[total["fingerprint"]]["data-severity"]) == \
        ("TOTAL_MISMATCH", "error")
    row = text[text.index(f'id="f-{total["fingerprint"]}"'):]
    row = row[:row.index("</tr>")]
    assert total["message"] in row
    assert f"<td>{float(total['claimed']):g}</td><td>{float(total['recomputed']):g}</td>" in row
    assert f"line {total['line_no']}" in row


def test_scorecards_and_their_indicators_per_report(out):
    text = (out / "report.html").read_text(encoding="utf-8")
    section = text[text.index('id="r-64c774c17799194b"'):]
    section = section[:section.index("</section>")]
    assert section.count("<details>") == 16  # seed 004's 16 scorecards, each with its indicators folded
    assert section.count("<tr class=\"flag") == 27


def test_recomputed_totals_are_rounded_as_the_claimed_ones(out):
    text = (out / "report.html").read_text(encoding="utf-8")
    section = text[text.index('id="r-64c774c17799194b"'):]
    section = section[:section.index("</section>")]
    # seed 004's scorecards 2 and 12: recomputed 99.8052 and 104.9626 beside claimed 99.81 and 85
    assert "<td>99.81</td><td>99.81</td>" in section and "<td>85</td><td>104.96</td>" in section
    assert "99.8052" not in section and "104.9626" not in section.split("<tr class=\"flag")[0]


def test_reason_of_a_report_partial_by_an_unread_table_is_shown(tmp_path):
    """A report whose only reason is its UNPARSED_TABLE flag (reports.warnings empty): the files table says it."""
    from forms import dump_rows
    inputs = tmp_path / "in"
    inputs.mkdir()
    table = dump_rows([["项目", "预算数", "执行数", "执行率"], ["见附件", "详见附表", "详见附表", "—"]])
    (inputs / "unread.txt").write_text("2021年度项目支出绩效自评报告\n" + table, encoding="utf-8")
    run_batch(Options(paths=[str(inputs)], out=str(tmp_path / "out"), jobs=1))
    conn = sqlite3.connect(tmp_path / "out" / "jixiao.sqlite")
    assert conn.execute("SELECT status, error, warnings FROM reports").fetchall() == [("partial", None, None)]
    (message,) = conn.execute("SELECT message FROM flags WHERE code = 'UNPARSED_TABLE'").fetchone()
    text = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    row = text[text.index('<tr class="file partial">'):]
    row = row[:row.index("</tr>")]
    assert row.endswith(f"<td>{html.escape(message)}</td>")
