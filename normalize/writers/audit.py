"""The auditors' workbook from the batch database: a summary sheet (one row per report file) and one sheet per
table, flag rows coloured by severity."""
from __future__ import annotations

import sqlite3
from pathlib import Path

from jixiao.normalize.schema import TABLES
from jixiao.normalize.writers.sqlite_db import count_rows, table_rows
from jixiao.normalize.writers.workbook import Sheet, write_workbook

SEVERITY_FILLS = {"error": "FFC7CE", "warning": "FFEB9C", "info": "E7E6E6"}  # red, amber, grey

SUMMARY_HEADER = [
    "source_path", "report_id", "status", "error", "unit_name", "fiscal_year", "report_kind",
    "claimed_score", "recomputed_score", "difference", "claimed_grade",
    "n_scorecards", "n_indicators", "flags_error", "flags_warning", "flags_info",
]
SUMMARY_SQL = """
SELECT r.source_path, r.report_id, r.status, r.error, r.unit_name, r.fiscal_year, r.report_kind,
       r.claimed_score, r.recomputed_score, r.recomputed_score - r.claimed_score, r.claimed_grade,
       r.n_scorecards, r.n_indicators,
       COALESCE(f.n_error, 0), COALESCE(f.n_warning, 0), COALESCE(f.n_info, 0)
FROM reports AS r
LEFT JOIN (SELECT report_id,
                  SUM(severity = 'error') AS n_error,
                  SUM(severity = 'warning') AS n_warning,
                  SUM(severity = 'info') AS n_info
           FROM flags GROUP BY report_id) AS f ON f.report_id = r.report_id
ORDER BY r.source_path
"""
SHEET_NAMES = ["summary", *TABLES]


def summary_fill(row: tuple) -> str | None:
    """A report with error flags is red, with warnings amber, a file that could not be read grey."""
    n_error, n_warning = row[-3], row[-2]
    if n_error:
        return SEVERITY_FILLS["error"]
    if n_warning:
        return SEVERITY_FILLS["warning"]
    return SEVERITY_FILLS["info"] if row[2] not in ("ok", "partial") else None


def flag_fill(row: tuple) -> str | None:
    return SEVERITY_FILLS.get(row[list(TABLES["flags"]).index("severity")])


def write_audit_workbook(target: str | Path, conn: sqlite3.Connection) -> None:
    sheets = [Sheet("summary", SUMMARY_HEADER, conn.execute(SUMMARY_SQL), count_rows(conn, "reports"), summary_fill)]
    for table, columns in TABLES.items():
        fill = flag_fill if table == "flags" else None
        sheets.append(Sheet(table, list(columns), table_rows(conn, table), count_rows(conn, table), fill))
    write_workbook(target, sheets)
