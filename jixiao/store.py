"""The batch's output folder: per-report CSV folders and jixiao.sqlite, one file at a time, crash-safe."""
from __future__ import annotations

import re
import shutil
import sqlite3
from pathlib import Path

from jixiao import manifest
from jixiao.discover import Found
from jixiao.worker import Rows, Task, failed, one_line, report_folder_name, rows_of, write_folder
from jixiao.normalize.schema import TABLES
from jixiao.normalize.writers import sqlite_db

DB_NAME = "jixiao.sqlite"
REPORTS_DIR = "reports"
FOLDER_RE = re.compile(r"-([0-9a-f]{8}|unreadable)$")  # names of the per-report folders (worker.report_folder_name)
SOURCE_PATH = list(TABLES["reports"]).index("source_path")


class Store:
    """OUT/jixiao.sqlite + OUT/reports/. Each file is written as: its CSV folder (atomic files; written by the
    local worker, else here), then one SQLite transaction with its rows and its manifest entry. A kill between
    the two leaves the file undone."""

    def __init__(self, out: str | Path):
        self.out = Path(out)
        self.conn = sqlite_db.connect(self.out / DB_NAME)
        sqlite_db.create_schema(self.conn)
        manifest.create(self.conn)
        self.written: set[str] = set()  # report_ids whose content rows were written in this run

    def close(self) -> None:
        self.conn.close()

    @property
    def reports_dir(self) -> Path:
        return self.out / REPORTS_DIR

    def save(self, found: Found, task: Task, rows: Rows, settings: str) -> Rows:
        """Write one file's result; a result the database rejects (duplicate key) is stored as failed."""
        try:
            self._save(found, rows, settings)
        except sqlite3.IntegrityError as err:
            rows = rows_of(failed(task, f"output rejected by the database: {one_line(err)}"))
            self._save(found, rows, settings)
        return rows

    def _save(self, found: Found, rows: Rows, settings: str) -> None:
        report = rows.report
        report_id = report["report_id"]
        if not rows.folder_written:
            write_folder(self.reports_dir, found.source_path, rows)
        conn = self.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            old = manifest.lookup(conn, found.source_path)
            conn.execute("DELETE FROM reports WHERE source_path = ?", (found.source_path,))
            if report_id and report_id not in self.written:
                sqlite_db.delete_content(conn, report_id)
                for table in sqlite_db.CONTENT_TABLES:
                    sqlite_db.insert_rows(conn, table, rows.tables[table])
            sqlite_db.insert_rows(conn, "reports", rows.tables["reports"])
            manifest.record(conn, found, report["source_sha256"], report_id, report["status"], settings)
            if old and old.report_id and old.report_id != report_id:
                self._drop_unreferenced(old.report_id)
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        if report_id:
            self.written.add(report_id)

    def save_copy(self, found: Found, stored_path: str, settings: str) -> Rows:
        """Store a file whose bytes equal those of an already stored file: its rows, under its own path."""
        rows = self.load(stored_path)
        report = list(rows.tables["reports"][0])
        report[SOURCE_PATH] = found.source_path
        rows.tables["reports"] = [tuple(report)]
        self._save(found, rows, settings)
        return rows

    def load(self, source_path: str) -> Rows:
        """One stored file's rows, read back from the database."""
        reports = sqlite_db.select_rows(self.conn, "reports", "source_path", source_path)
        report_id = Rows({"reports": reports}).report_id
        return Rows({"reports": reports, **{table: sqlite_db.select_rows(self.conn, table, "report_id", report_id)
                                            for table in sqlite_db.CONTENT_TABLES}})

    def _drop_unreferenced(self, report_id: str) -> None:
        if not self.conn.execute("SELECT 1 FROM reports WHERE report_id = ? LIMIT 1", (report_id,)).fetchone():
            sqlite_db.delete_content(self.conn, report_id)

    def prune(self, current: list[Found]) -> int:
        """Forget files that are no longer among the inputs (rows, manifest entries, CSV folders)."""
        conn = self.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.execute("CREATE TEMP TABLE IF NOT EXISTS current_inputs (source_path TEXT PRIMARY KEY)")
            conn.execute("DELETE FROM current_inputs")
            conn.executemany("INSERT OR IGNORE INTO current_inputs VALUES (?)", ((f.source_path,) for f in current))
            gone = conn.execute("DELETE FROM reports WHERE source_path NOT IN (SELECT source_path FROM current_inputs)"
                                ).rowcount
            conn.execute(f"DELETE FROM {manifest.TABLE} WHERE source_path NOT IN "
                         "(SELECT source_path FROM current_inputs)")
            for table in sqlite_db.CONTENT_TABLES:
                conn.execute(f'DELETE FROM "{table}" WHERE report_id NOT IN '
                             "(SELECT report_id FROM reports WHERE report_id IS NOT NULL)")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        self._prune_folders()
        return gone

    def _prune_folders(self) -> None:
        expected = {report_folder_name(path, rid) for path, rid in
                    self.conn.execute("SELECT source_path, report_id FROM reports")}
        folder = self.out / REPORTS_DIR
        if not folder.is_dir():
            return
        for child in folder.iterdir():
            if child.is_dir() and FOLDER_RE.search(child.name) and child.name not in expected:
                shutil.rmtree(child)

    def status_counts(self) -> dict[str, int]:
        return dict(self.conn.execute("SELECT status, COUNT(*) FROM reports GROUP BY status ORDER BY status"))

    def failures(self) -> list[tuple[str, str]]:
        return self.conn.execute("SELECT source_path, error FROM reports WHERE status = 'failed' "
                                 "ORDER BY source_path").fetchall()

    def flag_counts(self) -> list[tuple[str, str, int]]:
        return self.conn.execute("SELECT code, severity, COUNT(*) FROM flags GROUP BY code, severity "
                                 "ORDER BY COUNT(*) DESC, code").fetchall()
