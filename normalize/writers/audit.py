"""The auditors' workbook from the batch database: a summary sheet (one row per report file) and one sheet per
table, flag rows coloured by severity."""
from __future__ import annotations

import sqlite3
from pathlib import Path

from jixiao.normalize.schema import TABLES
from jixiao.normalize.writers.sqlite_db import count_rows, table_rows
from jixiao.normalize.writers.workbook import Sheet, WorkbookWriter, write_workbook

REVIEW_MARKS = ("confirmed", "false_positive", "noted")  # the flags sheet's review drop-down (jixiao review)
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
SOURCE_PATH = list(TABLES["reports"]).index("source_path")
REPORT_ID = list(TABLES["reports"]).index("report_id")


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


def sheets_of(conn: sqlite3.Connection | None) -> list[Sheet]:
    """The workbook's sheets; their rows from the database (none without one)."""
    summary_rows = conn.execute(SUMMARY_SQL) if conn is not None else ()
    sheets = [Sheet("summary", SUMMARY_HEADER, summary_rows, row_fill=summary_fill)]
    for table, columns in TABLES.items():
        rows = table_rows(conn, table) if conn is not None else ()
        if table == "flags":
            sheets.append(Sheet(table, list(columns), rows, row_fill=flag_fill, choices={"review": REVIEW_MARKS}))
        else:
            sheets.append(Sheet(table, list(columns), rows))
    return sheets


def write_audit_workbook(target: str | Path, conn: sqlite3.Connection) -> None:
    """The whole workbook from the batch database."""
    write_workbook(target, sheets_of(conn))


class AuditStream:
    """audit.xlsx built while a batch stores its files, so that writing it is not a long wait at the end.

    Each stored file's rows go to the table sheets at once (in the order files complete); finish() adds the
    rows stored by earlier runs and the summary sheet (sorted by path) from the database. If what was streamed
    does not add up to the database (rows replaced after they were streamed), the workbook is written from
    the database alone, so it always shows exactly what jixiao.sqlite holds."""

    def __init__(self, target: str | Path):
        self.target = Path(target)
        self.writer: WorkbookWriter | None = None
        self.paths: set[str] = set()  # reports rows streamed, by source_path
        self.report_ids: set[str] = set()  # content rows streamed, by report_id
        self.counts = dict.fromkeys(TABLES, 0)

    def add(self, tables: dict[str, list[tuple]], new_content: bool) -> None:
        """One stored file's rows; content rows only when its report's content was (re)stored."""
        if self.writer is None:
            self.writer = WorkbookWriter(self.target)
            for sheet in sheets_of(None):
                self.writer.add_sheet(sheet)
        report = tables["reports"][0]
        self.paths.add(report[SOURCE_PATH])
        self._append("reports", tables["reports"])
        report_id = report[REPORT_ID]
        if new_content and report_id and report_id not in self.report_ids:
            self.report_ids.add(report_id)
            for table in TABLES:
                if table != "reports":
                    self._append(table, tables[table])

    def _append(self, table: str, rows: list[tuple]) -> None:
        for row in rows:
            self.writer.append(table, row)
        self.counts[table] += len(rows)

    def finish(self, conn: sqlite3.Connection) -> None:
        if self.writer is None:
            write_audit_workbook(self.target, conn)
            return
        writer, self.writer = self.writer, None
        try:
            for table in TABLES:
                kept = (lambda row: row[SOURCE_PATH] not in self.paths) if table == "reports" else \
                       (lambda row, i=list(TABLES[table]).index("report_id"): row[i] not in self.report_ids)
                for row in table_rows(conn, table):
                    if kept(row):
                        writer.append(table, row)
                        self.counts[table] += 1
            if any(self.counts[table] != count_rows(conn, table) for table in TABLES):
                writer.discard()
                write_audit_workbook(self.target, conn)
                return
            for row in conn.execute(SUMMARY_SQL):
                writer.append("summary", row)
        except BaseException:
            writer.discard()
            raise
        writer.finish()

    def discard(self) -> None:
        if self.writer is not None:
            self.writer.discard()
            self.writer = None
