"""The batch CSVs as the per-report CSVs put end to end. Each stored file's six tables are already written as CSVs in
its folder (OUT/reports/<folder>/, by the worker), neutralised and formatted as the batch CSVs are; sorted by path
(reports) or by report_id (the content tables), their bodies are the batch CSVs' rows. Reading them back costs a
fifth of fetching every row from SQLite and writing it again through csv.writer.

Only folders this run wrote are used, and only when they account for every row of the database: every reports row
stored in this run, every report's content written in this run in export order, no two files sharing a folder
name. Otherwise (a rerun that skipped unchanged files, say) parts() says None and the CSV comes from the database."""
from __future__ import annotations

import sqlite3
from pathlib import Path

from jixiao.normalize.schema import TABLES
from jixiao.normalize.writers.sqlite_db import ORDER

# per content table: the positions of the export order's columns after report_id (flags: insertion order)
SORT_COLUMNS = {table: [list(TABLES[table]).index(c.strip()) for c in ORDER[table].split(",")[1:]
                        if c.strip() in TABLES[table]]
                for table in TABLES if table != "reports"}


def sql_key(value) -> tuple:
    """SQLite's ORDER BY for one value: NULL, then numbers, then text (by code point: BINARY on UTF-8)."""
    if value is None:
        return (0,)
    return (2, value) if isinstance(value, str) else (1, value)


def in_export_order(table: str, rows: list[tuple]) -> bool:
    """A report's rows already in the order ORDER BY gives them within the report."""
    columns = SORT_COLUMNS[table]
    keys = [tuple(sql_key(row[c]) for c in columns) for row in rows]
    return all(a <= b for a, b in zip(keys, keys[1:]))


class FolderParts:
    """What this run stored where: fed by Store after each committed file; asked by the write-out."""

    def __init__(self, reports_dir: Path):
        self.reports_dir = reports_dir
        self.folder_of: dict[str, str] = {}  # source_path -> its folder, written in this run
        self.writer_of: dict[str, str] = {}  # folder -> the source_path that wrote it last
        self.content_of: dict[str, str] = {}  # report_id -> the folder its content rows were written to
        self.usable = True  # False: some folder cannot stand for its rows (shared name, rows not in export order)

    def stored(self, source_path: str, report_id: str | None, folder: str, tables: dict[str, list[tuple]],
               new_content: bool) -> None:
        if self.writer_of.get(folder, source_path) != source_path:  # two files, one folder name: the last one wins
            self.usable = False
        self.folder_of[source_path] = folder
        self.writer_of[folder] = source_path
        if new_content and report_id:
            self.content_of[report_id] = folder
            if not all(in_export_order(table, tables[table]) for table in SORT_COLUMNS):
                self.usable = False

    def parts(self, conn: sqlite3.Connection, table: str) -> list[Path] | None:
        """The CSV files whose bodies, in this order, are the batch table's rows; None if the database holds rows
        this run's folders do not account for."""
        if not self.usable:
            return None
        reports = conn.execute("SELECT source_path, report_id FROM reports ORDER BY source_path").fetchall()
        if any(path not in self.folder_of for path, _ in reports):
            return None
        if table == "reports":
            folders = [self.folder_of[path] for path, _ in reports]
        else:
            held = conn.execute(f'SELECT DISTINCT report_id FROM "{table}"').fetchall()
            if any(report_id not in self.content_of for (report_id,) in held):  # NULL or an earlier run's
                return None
            folders = [self.content_of[report_id] for report_id in sorted({rid for _, rid in reports if rid})]
        return [self.reports_dir / folder / f"{table}.csv" for folder in folders]
