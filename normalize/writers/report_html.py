"""OUT/report.html: the batch at a glance and every flag with its evidence, one self-contained page (no network:
styles, script and charts inline; evidence pictures and pages from OUT/evidence/). Every text from a document is
escaped. Charts are matplotlib SVG, inlined with their text kept as text, so the browser draws the Chinese."""
from __future__ import annotations

import hashlib
import html
import io
import sqlite3
from collections import Counter, defaultdict
from pathlib import Path

from jixiao.normalize.writers.atomic import atomic_path
from jixiao.normalize.writers.audit import REVIEW_MARKS

STATUS_ORDER = ("failed", "needs_ocr", "needs_converter", "partial", "ok")  # unread files first
SEVERITIES = ("error", "warning", "info")
REASON_CODES = ("UNPARSED_TABLE",)  # flags that say why a report is partial when reports.warnings does not
REASONS_SHOWN = 2  # messages in the files table's reason cell; the report's section lists every flag


STYLE = """
body{font-family:"Noto Sans CJK SC","Noto Sans SC","Microsoft YaHei",sans-serif;margin:1.5em;color:#222}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #bbb;padding:3px 6px;vertical-align:top}
th{background:#eef}tr.error td{background:#fde2e2}tr.warning td{background:#fff4cc}tr.info td{background:#f2f2f2}
.row,.charts{display:flex;flex-wrap:wrap;gap:2em;align-items:flex-start}#files td:nth-child(3){min-width:6em;max-width:14em}#files td:first-child{word-break:break-all;min-width:10em;max-width:30em}#files td:last-child{min-width:10em}.charts figure{margin:0}.charts svg{max-width:460px;height:auto}
img.evidence{max-width:min(480px,100%);border:1px solid #999}iframe.evidence{width:560px;max-width:100%;height:300px;border:1px solid #999}td.message{min-width:16em;max-width:580px}td.where{min-width:6em}h2{word-break:break-all}section.report{border-top:2px solid #99a;margin-top:1.5em}
#filters label{margin-right:1em}
"""
SCRIPT = """
function applyFilters(){
  var sev={};document.querySelectorAll('#filters input[name=severity]').forEach(function(b){sev[b.value]=b.checked});
  var code=document.getElementById('code-filter').value;
  var review=document.getElementById('review-filter').value;
  document.querySelectorAll('tr.flag').forEach(function(r){
    r.hidden=!(sev[r.dataset.severity]&&(code===''||r.dataset.code===code)&&
               (review==='all'||r.dataset.review===review));});
}
document.querySelectorAll('#filters input,#filters select').forEach(function(e){e.addEventListener('change',applyFilters)});
"""
# An evidence page posts its height (normalize/evidence_html.py): its frame is made that tall, at most FRAME_MAX,
# so a few rows do not sit in a 300 px box. In <head>: a frame may load before the page's end is parsed.
FRAME_MAX = 300
FIT_FRAMES = f"""
addEventListener('message',function(m){{var h=m.data&&m.data.evidenceHeight;if(typeof h!=='number'||!(h>0))return;
document.querySelectorAll('iframe.evidence').forEach(function(f){{
if(f.contentWindow===m.source)f.style.height=Math.min({FRAME_MAX},Math.ceil(h))+'px'}})}});
"""


def e(value) -> str:
    """Escaped text for HTML (None as an empty cell)."""
    return "" if value is None else html.escape(str(value), quote=True)


def num(value) -> str:
    return "" if value is None else f"{value:.4f}".rstrip("0").rstrip(".")


def score(recomputed, claimed) -> str:
    """A recomputed score or total rounded as its claimed one is written (2 decimals at least, 4 at most):
    99.8052 beside a claimed 99.81 shows as 99.81, not to four places."""
    if recomputed is None:
        return ""
    shown = num(claimed)
    places = min(max(len(shown.partition(".")[2]), 2), 4)
    return num(round(recomputed, places))


QUERIES = {  # what the page shows, in render()'s argument order
    "reports": "SELECT * FROM reports ORDER BY source_path",
    "scorecards": "SELECT * FROM scorecards ORDER BY report_id, seq",
    "flags": "SELECT * FROM flags ORDER BY report_id, rowid",
    "indicators": "SELECT * FROM indicators ORDER BY report_id, scorecard_id, seq",
}


def page_data(conn: sqlite3.Connection) -> dict[str, tuple[list[str], list[tuple]]]:
    """The rows the page shows, as fetched (column names, tuples): cheap to send to another process."""
    data = {}
    for name, sql in QUERIES.items():
        cursor = conn.execute(sql)
        data[name] = ([d[0] for d in cursor.description], cursor.fetchall())
    return data


def write_page(data: dict[str, tuple[list[str], list[tuple]]], target: str | Path) -> None:
    """report.html from page_data(), atomically."""
    text = render(*([dict(zip(names, row)) for row in rows] for names, rows in data.values()))
    with atomic_path(target) as tmp:
        Path(tmp).write_text(text, encoding="utf-8")


def write_report_html(conn: sqlite3.Connection, target: str | Path) -> None:
    write_page(page_data(conn), target)


def import_charts() -> None:
    """matplotlib, as charts() imports it (a side process does this while the batch runs)."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot  # noqa: F401


def _by(rows: list[dict], key: str) -> dict:
    grouped = defaultdict(list)
    for row in rows:
        grouped[row[key]].append(row)
    return grouped


def render(reports: list[dict], scorecards: list[dict], flags: list[dict], indicators: list[dict] = ()) -> str:
    parts = ['<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">',
             "<title>jixiao 绩效自评核查报告</title>", f"<style>{STYLE}</style><script>{FIT_FRAMES}</script></head><body>",
             "<h1>jixiao 绩效自评核查报告</h1>"]
    cards, found, rows = _by(scorecards, "report_id"), _by(flags, "report_id"), _by(indicators, "report_id")
    parts += overview(reports, scorecards, flags)
    parts += filters(flags)
    seen = set()
    for report in sorted(reports, key=_status_rank):
        report_id = report["report_id"]
        if _anchor(report) in seen:  # copies of one report (same bytes, two paths) are shown once
            continue
        seen.add(_anchor(report))
        parts += report_section(report, cards[report_id], found[report_id], rows[report_id])
    parts.append(f"<script>{SCRIPT}</script></body></html>")
    return "\n".join(parts)


def _anchor(report: dict) -> str:
    """The id of a report's section: its report_id, or for a file not read its path."""
    if report["report_id"]:
        return "r-" + report["report_id"]
    return "f-" + hashlib.sha1((report["source_path"] or "").encode()).hexdigest()[:12]


def _status_rank(report: dict) -> tuple:
    status = report["status"] or "failed"
    return (STATUS_ORDER.index(status) if status in STATUS_ORDER else 0, report["source_path"] or "")


def overview(reports: list[dict], scorecards: list[dict], flags: list[dict]) -> list[str]:
    """Counts side by side (files by status, flags by code and severity), the charts, then the files table."""
    counts = Counter(r["status"] for r in reports)
    status = ["<div><h3>文件状态 Files by status</h3><table><tr><th>status</th><th>files</th></tr>"]
    status += [f"<tr><td>{e(s)}</td><td>{counts[s]}</td></tr>"
               for s in sorted(counts, key=lambda s: STATUS_ORDER.index(s) if s in STATUS_ORDER else 0)]
    unreviewed = sum(1 for f in flags if f["severity"] == "error" and not f.get("review"))
    status.append(f"</table><p>error flags not yet reviewed: <b>{unreviewed}</b></p></div>")
    by_code = Counter((f["code"], f["severity"]) for f in flags)
    codes = ["<div><h3>问题 Flags by code and severity</h3><table><tr><th>code</th>"
             + "".join(f"<th>{s}</th>" for s in SEVERITIES) + "</tr>"]
    total = Counter(code for code, _ in by_code.elements())
    codes += [f"<tr><td>{e(code)}</td>" + "".join(f"<td>{by_code[(code, s)] or ''}</td>" for s in SEVERITIES) + "</tr>"
              for code in sorted(total, key=lambda c: (-total[c], c))]  # ties by name: the same page every run
    codes.append("</table></div>")
    out = ["<h2>总览 Overview</h2>", '<div class="row">' + "".join(status + codes) + "</div>",
           '<div class="charts">' + "".join(charts(reports, scorecards)) + "</div>"]
    per_report = Counter((f["report_id"], f["severity"]) for f in flags)
    unread = _by([f for f in flags if f["code"] in REASON_CODES], "report_id")
    out.append('<h3>文件 Files (unread first)</h3><table id="files"><tr><th>file</th><th>status</th><th>unit</th>'
               "<th>year</th><th>claimed</th><th>recomputed</th>"
               + "".join(f"<th>{s}</th>" for s in SEVERITIES) + "<th>reason</th></tr>")
    for r in sorted(reports, key=_status_rank):
        out.append(f'<tr class="file {e(r["status"])}"><td><a href="#{_anchor(r)}">{e(r["source_path"])}'
                   f"</a></td><td>{e(r['status'])}</td><td>{e(r['unit_name'])}</td><td>{e(r['fiscal_year'])}</td>"
                   f"<td>{num(r['claimed_score'])}</td><td>{score(r['recomputed_score'], r['claimed_score'])}</td>"
                   + "".join(f"<td>{per_report[(r['report_id'], s)] or ''}</td>" for s in SEVERITIES)
                   + f"<td>{e(reason(r, unread.get(r['report_id'], [])))}</td></tr>")
    out.append("</table>")
    return out


def reason(report: dict, flags: list[dict]) -> str:
    """Why a file is not plainly ok: its error, else its warnings, else its flags saying what was not read."""
    if report["error"] or report["warnings"]:
        return report["error"] or report["warnings"]
    messages = list(dict.fromkeys(f["message"] for f in flags if f["message"]))
    more = f" (+{len(messages) - REASONS_SHOWN} more)" if len(messages) > REASONS_SHOWN else ""
    return "; ".join(messages[:REASONS_SHOWN]) + more


def charts(reports: list[dict], scorecards: list[dict]) -> list[str]:
    """Claimed vs recomputed total per scorecard; claimed scores and grades; per unit the score by year."""
    import matplotlib  # imported here: only writing report.html needs it
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator
    plt.rcParams["svg.fonttype"] = "none"  # text stays text: the browser draws Chinese with its own fonts
    plt.rcParams["font.family"] = ["Noto Sans CJK SC", "DejaVu Sans"]
    out = []
    pairs = [(c["claimed_total"], c["recomputed_total"]) for c in scorecards
             if c["claimed_total"] is not None and c["recomputed_total"] is not None]
    if pairs:
        fig, ax = plt.subplots(figsize=(4.6, 4))
        xs, ys = zip(*pairs)
        low, high = min(xs + ys) - 2, max(xs + ys) + 2
        ax.plot([low, high], [low, high], color="#999", lw=1)
        off = [abs(x - y) > 0.05 for x, y in pairs]
        ax.scatter([x for x, o in zip(xs, off) if not o], [y for y, o in zip(ys, off) if not o], s=14, c="#4a7")
        ax.scatter([x for x, o in zip(xs, off) if o], [y for y, o in zip(ys, off) if o], s=22, c="#d33")
        ax.set_xlabel("claimed total 自评总分")
        ax.set_ylabel("recomputed total 重算总分")
        ax.set_title("scorecards: claimed vs recomputed")
        out.append(_svg(fig, plt, "chart-totals"))
    scores = [r["claimed_score"] for r in reports if r["claimed_score"] is not None]
    grades = Counter(r["claimed_grade"] for r in reports if r["claimed_grade"])
    if scores or grades:
        fig, (a1, a2) = plt.subplots(1, 2, figsize=(6, 3))
        a1.hist(scores or [0], bins=10, color="#58a")
        a1.set_title("claimed scores")
        names = [g for g in ("优", "良", "中", "差") if g in grades] + sorted(set(grades) - {"优", "良", "中", "差"})
        a2.bar(names, [grades[g] for g in names], color="#a85")
        a2.set_title("claimed grades 等次")
        for ax in (a1, a2):  # counts of files: whole numbers on the axis
            ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        fig.tight_layout()
        out.append(_svg(fig, plt, "chart-scores"))
    by_unit = defaultdict(dict)
    for r in reports:
        if r["unit_name"] and r["fiscal_year"] and r["claimed_score"] is not None:
            by_unit[r["unit_name"]][r["fiscal_year"]] = r["claimed_score"]
    series = {u: ys for u, ys in by_unit.items() if len(ys) >= 2}
    if series:
        fig, ax = plt.subplots(figsize=(5, 3.4))
        for unit, years in sorted(series.items())[:12]:
            ax.plot(sorted(years), [years[y] for y in sorted(years)], marker="o", label=unit)
        ax.set_title("claimed score by year, per unit")
        ax.legend(fontsize=7)
        fig.tight_layout()
        out.append(_svg(fig, plt, "chart-years"))
    return out


def _svg(fig, plt, name: str) -> str:
    buffer = io.StringIO()
    with plt.rc_context({"svg.hashsalt": name}):  # ids unique per chart on one page, and the same every run
        fig.savefig(buffer, format="svg", metadata={"Date": None})
    plt.close(fig)
    text = buffer.getvalue()
    return f'<figure id="{name}">' + text[text.index("<svg"):] + "</figure>"


def filters(flags: list[dict]) -> list[str]:
    codes = sorted({f["code"] for f in flags})
    boxes = "".join(f'<label><input type="checkbox" name="severity" value="{s}" checked> {s}</label>'
                    for s in SEVERITIES)
    options = '<option value="">all codes</option>' + "".join(f'<option value="{e(c)}">{e(c)}</option>' for c in codes)
    reviews = '<option value="all">any review</option><option value="">not reviewed</option>' + "".join(
        f'<option value="{m}">{m}</option>' for m in REVIEW_MARKS)
    return [f'<div id="filters"><b>filter:</b> {boxes}<select id="code-filter">{options}</select>'
            f'<select id="review-filter">{reviews}</select></div>']


def _where(flag: dict) -> str:
    parts = [flag.get("location") or ""]
    for key, label in (("page", "page"), ("table", "table"), ("row", "row"), ("col", "col"), ("line_no", "line")):
        if flag.get(key) is not None:
            parts.append(f"{label} {flag[key]}")
    return " · ".join(p for p in parts if p)


def report_section(report: dict, cards: list[dict], flags: list[dict], indicators: list[dict]) -> list[str]:
    out = [f'<section class="report" id="{_anchor(report)}"><h2>{e(report["source_path"])}</h2>',
           (f"<p>{e(report['unit_name'])} · {e(report['fiscal_year'])} · {e(report['report_kind'])} · "
            f"status {e(report['status'])} · claimed {num(report['claimed_score'])} {e(report['claimed_grade'])}"
            f" · recomputed {score(report['recomputed_score'], report['claimed_score'])}</p>")]
    if report["error"]:
        out.append(f"<p><b>{e(report['error'])}</b></p>")
    if cards:
        out.append("<table><tr><th>#</th><th>kind</th><th>name</th><th>claimed</th><th>recomputed</th>"
                   "<th>grade</th><th>recomputed grade</th></tr>")
        out += [f"<tr><td>{c['seq']}</td><td>{e(c['kind'])}</td><td>{e(c['name'])}</td>"
                f"<td>{num(c['claimed_total'])}</td><td>{score(c['recomputed_total'], c['claimed_total'])}</td>"
                f"<td>{e(c['claimed_grade'])}</td><td>{e(c['recomputed_grade'])}</td></tr>" for c in cards]
        out.append("</table>")
        out += indicator_details(cards, indicators)
    if flags:
        out.append("<table><tr><th>severity</th><th>code</th><th>message and evidence</th><th>claimed</th>"
                   "<th>recomputed</th><th>where</th><th>review</th></tr>")
        out += [flag_row(f) for f in flags]
        out.append("</table>")
    out.append("</section>")
    return out


def indicator_details(cards: list[dict], indicators: list[dict]) -> list[str]:
    """Each scorecard's indicator rows, folded; a row whose claimed score differs from the recomputed is marked."""
    by_card = _by(indicators, "scorecard_id")
    out = []
    for card in cards:
        rows = by_card.get(card["scorecard_id"])
        if not rows:
            continue
        out.append(f"<details><summary>{e(card['name'] or card['kind'])}: {len(rows)} indicators</summary>"
                   "<table><tr><th>#</th><th>一级</th><th>二级</th><th>三级</th><th>weight</th><th>target</th>"
                   "<th>actual</th><th>claimed</th><th>recomputed</th></tr>")
        for r in rows:
            differs = None not in (r["claimed_score"], r["recomputed_score"]) and \
                abs(r["claimed_score"] - r["recomputed_score"]) > 0.005
            mark = ' class="warning"' if differs else ""
            out.append(f"<tr{mark}><td>{r['seq']}</td><td>{e(r['level1'])}</td>"
                       f"<td>{e(r['level2'])}</td><td>{e(r['level3'])}</td><td>{num(r['weight'])}</td>"
                       f"<td>{e(r['target_raw'])}</td><td>{e(r['actual_raw'])}</td><td>{num(r['claimed_score'])}</td>"
                       f"<td>{score(r['recomputed_score'], r['claimed_score'])}</td></tr>")
        out.append("</table></details>")
    return out


def flag_row(f: dict) -> str:
    """One flag: the message with its evidence under it — a page crop (.png) as a picture, the rows around the
    cell (.html) in a frame loaded when scrolled to — and a link to open it on its own."""
    evidence, shown = f.get("evidence") or "", ""
    if evidence.endswith(".html"):
        shown = (f'<br><iframe class="evidence" loading="lazy" src="{e(evidence)}" title="evidence '
                 f'{e(f["fingerprint"])}"></iframe><br><a href="{e(evidence)}">open</a>')
    elif evidence:
        shown = (f'<br><a href="{e(evidence)}"><img class="evidence" loading="lazy" src="{e(evidence)}" '
                 f'alt="evidence {e(f["fingerprint"])}"></a>')
    review = " ".join(filter(None, [e(f.get("review")), e(f.get("review_note"))]))
    return (f'<tr class="flag {e(f["severity"])}" id="f-{e(f["fingerprint"])}" data-severity="{e(f["severity"])}" '
            f'data-code="{e(f["code"])}" data-review="{e(f.get("review"))}"><td>{e(f["severity"])}</td>'
            f'<td>{e(f["code"])}</td><td class="message">{e(f["message"])}{shown}</td><td>{num(f["claimed"])}</td>'
            f'<td>{num(f["recomputed"])}</td><td class="where">{e(_where(f))}</td><td>{review}</td></tr>')
