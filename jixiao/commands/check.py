"""`jixiao check FILE`: one report's scorecards and flags, as tables in the terminal."""
from __future__ import annotations

import argparse
import json
import os
import sys

import pandas as pd

from jixiao.inputs import refuse_unless_file
from jixiao.text_table import render
from jixiao.worker import Task, dataset
from jixiao.normalize.schema import Dataset
from jixiao.commands.options import add_ocr_engine
from jixiao.normalize.profiles import all_profiles

SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}
EPILOG = """\
examples:
  jixiao check report.docx                       report, scorecards and flags
  jixiao check report.docx --severity error      only the error flags
  jixiao check report.docx --code TOTAL_MISMATCH --code WEIGHT_SUM_MISMATCH
  jixiao check report.docx --indicators          also every indicator row (targets, actuals, scores)
  jixiao check report.docx --json | jq '.flags[].code'

exit status: 0 the report was read (whatever its flags), 1 it could not be read, 2 usage error
(no such file, a folder given)
"""


def add_filters(p) -> None:
    """--severity / --code, shared with `jixiao flags`."""
    p.add_argument("--severity", action="append", metavar="LEVEL", choices=list(SEVERITY_ORDER),
                   help="only flags of this severity: error, warning, info (repeat for several)")
    p.add_argument("--code", action="append", metavar="CODE", type=str.upper,
                   help="only flags with this code (repeat for several; `jixiao flags` lists them)")


def keep_flag(args, code: str, severity: str) -> bool:
    return (not args.severity or severity in args.severity) and (not args.code or code in args.code)


def add_parser(sub) -> None:
    p = sub.add_parser("check", help="show one report's scorecards (claimed vs recomputed) and flags",
                       description="Read one report and show its scorecards and flags in the terminal (tables fit "
                                   "its width; long messages wrap), or as JSON.",
                       epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("file", metavar="FILE", help="a report (.docx, .pdf, .txt, ...)")
    p.add_argument("--profile", metavar="NAME", choices=sorted(all_profiles()),
                   help=f"scoring profile: {', '.join(sorted(all_profiles()))} (default: detected per form)")
    add_ocr_engine(p)
    add_filters(p)
    p.add_argument("--indicators", action="store_true", help="also list the indicators: targets, actuals, scores")
    p.add_argument("--json", action="store_true",
                   help="one JSON object: report, scorecards, flags (and indicators with --indicators)")
    p.set_defaults(func=check_command)


def check_command(args: argparse.Namespace) -> int:
    refused = refuse_unless_file("check", args.file)
    if refused is not None:
        return refused
    data = dataset(Task(os.path.abspath(args.file), args.file, args.profile, args.ocr_engine))
    if args.severity or args.code:
        data.flags = data.flags[[keep_flag(args, c, s) for c, s in zip(data.flags["code"], data.flags["severity"])]]
    try:
        print(check_json(data, args.indicators) if args.json else check_text(data, args.indicators))
    except BrokenPipeError:  # `jixiao check x | head`
        sys.stderr.close()
    return 1 if data.reports["status"].iloc[0] == "failed" else 0


def check_text(data: Dataset, indicators: bool = False) -> str:
    parts = [report_text(data), scorecards_text(data)]
    if indicators:
        parts.append(indicators_text(data))
    return "\n\n".join(parts + [flags_text(data)])


def check_json(data: Dataset, indicators: bool = False) -> str:
    """The report row and its tables as JSON (NULL as null; the schema's column names)."""
    tables = ["scorecards"] + (["indicators"] if indicators else []) + ["flags"]
    payload = {"report": records(data.reports)[0], **{table: records(getattr(data, table)) for table in tables}}
    return json.dumps(payload, ensure_ascii=False, indent=1)


def records(frame: pd.DataFrame) -> list[dict]:
    return json.loads(frame.to_json(orient="records", force_ascii=False))


def indicators_text(data: Dataset) -> str:
    frame = data.indicators
    if frame.empty:
        return "indicators: none found"
    rows = [[f"form {str(i['scorecard_id']).rsplit('-', 1)[-1]} {text(i['location'], '')}".strip(), text(i["seq"]),
             number(i["weight"]), number(i["claimed_score"]), number(i["recomputed_score"]), text(i["target_raw"]),
             text(i["actual_raw"]), f"{text(i['level2'], '')} / {text(i['level3'])}"]
            for _, i in frame.iterrows()]
    header = ["where", "#", "weight", "claimed", "recomputed", "target", "actual", "二级 / 三级"]
    return f"indicators ({len(rows)})\n" + render(header, rows, numeric={1, 2, 3, 4})


def report_text(data: Dataset) -> str:
    r = data.reports.iloc[0]
    lines = [f"{text(r['source_path'])}  [{text(r['source_format'])}]  report_id {text(r['report_id'])}  "
             f"status {text(r['status'])}"]
    if not pd.isna(r["error"]):
        lines.append(f"error: {r['error']}")
    if not pd.isna(r["warnings"]):
        lines.append(f"warnings: {r['warnings']}")  # rows seen but not read, forms cut off: why status is partial
    lines.append(f"unit {text(r['unit_name'])}  year {text(r['fiscal_year'])}  kind {text(r['report_kind'])}")
    if not pd.isna(r["title"]):
        lines.append(f"title {r['title']}")
    lines.append(f"score claimed {number(r['claimed_score'])} ({text(r['claimed_grade'])}), "
                 f"recomputed {number(r['recomputed_score'])}")
    return "\n".join(lines)


def scorecards_text(data: Dataset) -> str:
    frame = data.scorecards
    if frame.empty:
        return "scorecards: none found"
    rows = [[text(s["seq"]), text(s["kind"]), text(s["name"]), number(s["claimed_total"]),
             number(s["recomputed_total"]), text(s["claimed_grade"]), text(s["recomputed_grade"]),
             text(s["location"])] for _, s in frame.iterrows()]
    header = ["#", "kind", "name", "claimed", "recomputed", "grade", "recomputed grade", "where"]
    return f"scorecards ({len(rows)})\n" + render(header, rows, numeric={0, 3, 4})


def flags_text(data: Dataset) -> str:
    frame = data.flags
    status = data.reports["status"].iloc[0] if not data.reports.empty else None
    if frame.empty and status == "not_report":
        return "flags: none (not a report: nothing was checked)"
    if frame.empty and status == "partial":
        return "flags: none; not everything was read (warnings above)"
    if frame.empty:
        return "flags: none (every check that could run, passed)"  # only when nothing was left unread
    frame = frame.assign(_order=frame["severity"].map(SEVERITY_ORDER).fillna(3)).sort_values("_order", kind="stable")
    counts = frame["severity"].value_counts()
    head = ", ".join(f"{s} {counts[s]}" for s in SEVERITY_ORDER if s in counts)
    rows = [[text(f["code"]), text(f["severity"]), where(f), number(f["claimed"]), number(f["recomputed"]),
             text(f["message"])] for _, f in frame.iterrows()]
    header = ["code", "severity", "where", "claimed", "recomputed", "message"]
    unread = int((frame["code"] == "UNPARSED_TABLE").sum())
    tail = f"\nleft unread: {unread} region(s) that look like a scorecard (UNPARSED_TABLE above)" if unread else ""
    return f"flags ({len(rows)}: {head})\n" + render(header, rows, numeric={3, 4}) + tail


def where(flag) -> str:
    """Location, with the scorecard and indicator it concerns when there is one."""
    parts = [text(flag["location"], "")]
    if not pd.isna(flag["scorecard_id"]):
        parts.append(f"form {str(flag['scorecard_id']).rsplit('-', 1)[-1]}")
    if not pd.isna(flag["indicator_seq"]):
        parts.append(f"ind {flag['indicator_seq']}")
    return " ".join(p for p in parts if p) or "—"


def text(value, empty: str = "—") -> str:
    return empty if pd.isna(value) else str(value)


def number(value) -> str:
    if pd.isna(value):
        return "—"
    return f"{float(value):.4f}".rstrip("0").rstrip(".")
