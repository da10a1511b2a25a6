"""The auditors' workbook from the batch database: a summary sheet (one row per report file) and one sheet per
table, flag rows coloured by severity."""
from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from jixiao.normalize.schema import TABLES
from jixiao.normalize.writers.sqlite_db import ORDER, count_rows, table_rows
from jixiao.normalize.writers.workbook import Sheet, WorkbookWriter, write_workbook

REVIEW_MARKS = ("confirmed", "false_positive", "noted")  # the flags sheet's review drop-down (jixiao review)
REVIEW_CLEAR = "clear"  # also in the drop-down: `jixiao review` withdraws the stored mark
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
CONTENT_TABLES = [table for table in TABLES if table != "reports"]
EARLIER_CHUNK = 2000  # rows of earlier runs fetched (and sent to the cells) at a time


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
            sheets.append(Sheet(table, list(columns), rows, row_fill=flag_fill,
                                choices={"review": REVIEW_MARKS + (REVIEW_CLEAR,)}))
        else:
            sheets.append(Sheet(table, list(columns), rows))
    return sheets


def write_audit_workbook(target: str | Path, conn: sqlite3.Connection) -> None:
    """The whole workbook from the batch database."""
    write_workbook(target, sheets_of(conn))


class AuditCells:
    """The workbook's cells, written as rows come (XlsxWriter: ~7 µs a cell, ~20 ms a report): the costly part of
    AuditStream, kept apart so that it can run in a process of its own (jixiao/side_process.py)."""

    def __init__(self, target: str | Path):
        self.target = Path(target)
        self.writer: WorkbookWriter | None = None

    def _open(self) -> WorkbookWriter:
        if self.writer is None:
            self.writer = WorkbookWriter(self.target)
            for sheet in sheets_of(None):
                self.writer.add_sheet(sheet)
        return self.writer

    def add(self, tables: dict[str, list[tuple]], content: bool) -> None:
        """One stored file: its reports row, and its content rows when `content`."""
        self.append("reports", tables["reports"])
        if content:
            for table in CONTENT_TABLES:
                self.append(table, tables[table])

    def append(self, table: str, rows: list[tuple]) -> None:
        writer = self._open()
        for row in rows:
            writer.append(table, row)

    def finish(self) -> bool:
        """The file, atomically (True: written)."""
        writer, self.writer = self._open(), None
        writer.finish()
        return True

    def discard(self) -> None:
        if self.writer is not None:
            self.writer.discard()
            self.writer = None


class AuditStream:
    """audit.xlsx built while a batch stores its files, so that writing it is not a long wait at the end.

    Each stored file's rows go to the table sheets at once (in the order files complete); at the end come the
    rows stored by earlier runs and the summary sheet (sorted by path), from the database. If what was streamed
    does not add up to the database (rows replaced after they were streamed), the workbook is written from the
    database alone, so it always shows exactly what jixiao.sqlite holds. The cells are written by `cells`
    (an AuditCells here, or a stand-in that sends them to another process); this object only keeps count."""

    def __init__(self, target: str | Path, cells: AuditCells | None = None):
        self.target = Path(target)
        self.cells = cells if cells is not None else AuditCells(target)
        self.paths: set[str] = set()  # reports rows streamed, by source_path
        self.report_ids: set[str] = set()  # content rows streamed, by report_id
        self.counts = dict.fromkeys(TABLES, 0)
        self.state = "streaming"  # -> "closing" (every row sent) or "rebuild" (write it from the database)

    def add(self, tables: dict[str, list[tuple]], new_content: bool) -> None:
        """One stored file's rows; content rows only when its report's content was (re)stored."""
        report = tables["reports"][0]
        self.paths.add(report[SOURCE_PATH])
        report_id = report[REPORT_ID]
        content = bool(new_content and report_id and report_id not in self.report_ids)
        if content:
            self.report_ids.add(report_id)
        self.cells.add(tables, content)
        for table in TABLES:
            if table == "reports" or content:
                self.counts[table] += len(tables[table])

    def prepare(self, conn: sqlite3.Connection) -> None:
        """Send the rows of earlier runs and the summary, so that the cells can be finished while other
        outputs are written; or decide to rebuild the workbook from the database."""
        if self.state != "streaming":
            return
        if not self.paths:  # nothing streamed: the whole workbook from the database
            self.state = "rebuild"
            return
        streamed = {"reports": json.dumps(sorted(self.paths)), "content": json.dumps(sorted(self.report_ids))}
        for table in TABLES:
            key, ids = ("source_path", streamed["reports"]) if table == "reports" else ("report_id", streamed["content"])
            columns = ", ".join(f'"{c}"' for c in TABLES[table])
            earlier = conn.execute(f'SELECT {columns} FROM "{table}" WHERE "{key}" IS NULL OR "{key}" NOT IN '
                                   f"(SELECT value FROM json_each(?)) ORDER BY {ORDER[table]}", (ids,))
            while rows := earlier.fetchmany(EARLIER_CHUNK):
                self.cells.append(table, rows)
                self.counts[table] += len(rows)
        if any(self.counts[table] != count_rows(conn, table) for table in TABLES):
            self.cells.discard()
            self.state = "rebuild"
            return
        self.cells.append("summary", conn.execute(SUMMARY_SQL).fetchall())
        start = getattr(self.cells, "start_finish", None)  # a side process starts on the file now
        if start is not None:
            start()
        self.state = "closing"

    def finish(self, conn: sqlite3.Connection) -> None:
        self.prepare(conn)
        if self.state == "closing" and self.cells.finish():
            return
        self.cells.discard()  # rows replaced after they were streamed, or the cells were lost
        write_audit_workbook(self.target, conn)

    def discard(self) -> None:
        self.cells.discard()
