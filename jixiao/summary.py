"""The text printed at the end of `jixiao run`: files by status, flags by code and severity, outputs."""
from __future__ import annotations

from collections import defaultdict

from jixiao.batch import Result
from jixiao.exports import WORKBOOK_NAME
from jixiao.store import DB_NAME, REPORTS_DIR

SHOWN = 10  # failed / skipped files listed by name; the rest are counted
SEVERITIES = ("error", "warning", "info")


def summary_text(result: Result, parquet: bool = False) -> str:
    lines = [f"{result.files} files: {result.processed} processed, {result.files - result.processed} unchanged"
             + (f"; {len(result.skipped)} skipped (not inputs)" if result.skipped else "")]
    if result.copies:
        lines.append(f"  read: {result.processed - result.copies}; the other {result.copies} processed files are "
                     "byte-identical copies of those (read once, one row each)")
    lines.append("  by status: " + (", ".join(f"{s} {n}" for s, n in result.statuses.items()) or "none"))
    lines += listed("failed", result.failed)
    lines += listed("skipped", result.skipped)
    lines += flag_lines(result.flags)
    if result.unreviewed:
        lines.append(f"  error flags not yet reviewed: {result.unreviewed} (mark them in {WORKBOOK_NAME}'s flags sheet, "
                     f"then jixiao review {result.out})")
    removed, kept = result.earlier.removed, result.earlier.kept
    if removed:
        lines.append(f"  removed from the outputs: {len(removed)} files of earlier runs")
        lines += [f"    {path}: {why}" for path, why in removed[:SHOWN]]
        if len(removed) > SHOWN:
            lines.append(f"    … and {len(removed) - SHOWN} more")
    if kept:
        lines.append(f"  kept: {len(kept)} files of earlier runs not among these inputs (--prune removes them)")
    out = result.out
    lines.append(f"outputs in {out}/: {REPORTS_DIR}/<name>-<id>/*.csv (one folder per report), "
                 f"<table>.csv, {DB_NAME}, {WORKBOOK_NAME}, report.html" + (", <table>.parquet" if parquet else "")
                 + ("" if result.exported else " (unchanged: already current)"))
    return "\n".join(lines)


def listed(label: str, items: list[tuple[str, str]]) -> list[str]:
    if not items:
        return []
    lines = [f"  {label}:"] + [f"    {path}: {why}" for path, why in items[:SHOWN]]
    if len(items) > SHOWN:
        lines.append(f"    … and {len(items) - SHOWN} more")
    return lines


def flag_lines(flags: list[tuple[str, str, int]]) -> list[str]:
    totals = defaultdict(int)
    by_code: dict[str, dict[str, int]] = defaultdict(dict)
    for code, severity, count in flags:
        totals[severity] += count
        by_code[code][severity] = count
    total = sum(totals.values())
    head = f"  flags: {total}" + (" (" + ", ".join(f"{s} {totals[s]}" for s in SEVERITIES if totals[s]) + ")"
                                  if total else "")
    width = max((len(code) for code in by_code), default=0)
    rows = [f"    {code:<{width}}  " + ", ".join(f"{s} {n}" for s, n in sorted(counts.items(), key=severity_order))
            for code, counts in by_code.items()]
    return [head] + rows


def severity_order(item: tuple[str, int]) -> int:
    return SEVERITIES.index(item[0]) if item[0] in SEVERITIES else len(SEVERITIES)
