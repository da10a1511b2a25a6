"""The batch's output folder: per-report CSV folders and jixiao.sqlite, one file at a time, crash-safe."""
from __future__ import annotations

import os
import re
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from jixiao import exports, manifest, reviews
from jixiao.discover import Found
from jixiao.folder_parts import FolderParts
from jixiao.worker import (Rows, Task, failed, one_line, report_folder_name, rows_of, write_flags_csv,
                           write_folder)
from jixiao.normalize.schema import TABLES
from jixiao.normalize.writers import sqlite_db

DB_NAME = "jixiao.sqlite"
REPORTS_DIR = "reports"
EVIDENCE_DIR = "evidence"  # normalize/evidence.py draws OUT/evidence/<report folder>/<fingerprint>.png
FOLDER_RE = re.compile(r"-([0-9a-f]{8}|unreadable)$")  # names of the per-report folders (worker.report_folder_name)
SOURCE_PATH = list(TABLES["reports"]).index("source_path")


@dataclass
class Saved:
    """What storing one file did."""

    rows: "Rows"
    new_content: bool  # its report's content rows were written (False: a copy of content already stored)


@dataclass
class Earlier:
    """Files of earlier runs that are not among this run's inputs."""

    removed: list[tuple[str, str]]  # (source_path, why)
    kept: list[str]  # source_paths still in the outputs


class Store:
    """OUT/jixiao.sqlite + OUT/reports/. Each file is written as: its CSV folder (atomic files; written by the
    local worker, else here), then one SQLite transaction with its rows and its manifest entry. A kill between
    the two leaves the file undone."""

    def __init__(self, out: str | Path):
        self.out = Path(out)
        self.conn = sqlite_db.connect(self.out / DB_NAME)
        sqlite_db.create_schema(self.conn)
        manifest.create(self.conn)
        exports.create_state(self.conn)
        reviews.create(self.conn)
        self.listeners: list = []  # called with (tables, new_content) after each file is committed
        self.folders = FolderParts(self.reports_dir)  # which folder holds which stored rows (batch CSVs from them)

    def close(self) -> None:
        self.conn.close()

    @property
    def reports_dir(self) -> Path:
        return self.out / REPORTS_DIR

    def save(self, found: Found, task: Task, rows: Rows, settings: str) -> Saved:
        """Write one file's result; a result the database rejects (duplicate key) is stored as failed."""
        try:
            return self._save(found, rows, settings)
        except sqlite3.IntegrityError as err:
            rows = rows_of(failed(task, f"output rejected by the database: {one_line(err)}"))
            return self._save(found, rows, settings)

    def _save(self, found: Found, rows: Rows, settings: str) -> Saved:
        report = rows.report
        report_id = report["report_id"]
        marked = reviews.carry(self.conn, rows.tables["flags"])  # the auditor's marks stay
        if marked is not rows.tables["flags"]:  # some: the report's CSV folder carries them too
            rows.tables["flags"] = marked
            if rows.folder_written:
                write_flags_csv(self.reports_dir, found.source_path, rows)
        if not rows.folder_written:
            write_folder(self.reports_dir, found.source_path, rows)
        new_content = bool(report_id) and report_id not in self.folders.content_of  # not yet written in this run
        conn = self.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            old = manifest.lookup(conn, found.key)
            conn.execute("DELETE FROM reports WHERE source_path = ?", (found.source_path,))
            if old and old.source_path != found.source_path:  # the same file, spelled differently last time
                conn.execute("DELETE FROM reports WHERE source_path = ?", (old.source_path,))
            if new_content:
                sqlite_db.delete_content(conn, report_id)
                for table in sqlite_db.CONTENT_TABLES:
                    sqlite_db.insert_rows(conn, table, rows.tables[table])
            sqlite_db.insert_rows(conn, "reports", rows.tables["reports"])
            manifest.record(conn, found, report["source_sha256"], report_id, report["status"], settings)
            if old and old.report_id and old.report_id != report_id:
                self._drop_unreferenced(old.report_id)
            exports.forget_all(conn)
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        self.folders.stored(found.source_path, report_id, report_folder_name(found.source_path, report_id),
                            rows.tables, new_content)
        for listener in self.listeners:
            listener(rows.tables, new_content)
        return Saved(rows, new_content)

    def save_copy(self, found: Found, stored_path: str, settings: str) -> Saved:
        """Store a file whose bytes equal those of an already stored file: its rows, under its own path."""
        rows = self.load(stored_path)
        report = list(rows.tables["reports"][0])
        report[SOURCE_PATH] = found.source_path
        rows.tables["reports"] = [tuple(report)]
        return self._save(found, rows, settings)

    def load(self, source_path: str) -> Rows:
        """One stored file's rows, read back from the database."""
        reports = sqlite_db.select_rows(self.conn, "reports", "source_path", source_path)
        report_id = Rows({"reports": reports}).report_id
        return Rows({"reports": reports, **{table: sqlite_db.select_rows(self.conn, table, "report_id", report_id)
                                            for table in sqlite_db.CONTENT_TABLES}})

    def _drop_unreferenced(self, report_id: str) -> None:
        if not self.conn.execute("SELECT 1 FROM reports WHERE report_id = ? LIMIT 1", (report_id,)).fetchone():
            sqlite_db.delete_content(self.conn, report_id)

    def prune(self, current: list[Found], remove_absent: bool = False) -> Earlier:
        """Files of earlier runs not among the inputs: those that no longer exist are removed from the outputs
        (rows, manifest entries, CSV folders), and so are the others when `remove_absent` (--prune); the rest
        are kept. Rows no manifest entry accounts for (left by an older jixiao) are removed too."""
        conn = self.conn
        given = {f.key for f in current}
        removed: list[tuple[str, str]] = []
        kept: list[str] = []
        gone_keys: list[str] = []
        for key, source_path in manifest.entries(conn):
            if key in given:
                continue
            if not os.path.exists(key):
                removed.append((source_path, "no longer exists"))
            elif remove_absent:
                removed.append((source_path, "not among the inputs (--prune)"))
            else:
                kept.append(source_path)
                continue
            gone_keys.append(key)
        known = {source_path for _, source_path in manifest.entries(conn)}
        orphans = [p for (p,) in conn.execute("SELECT source_path FROM reports") if p not in known]
        removed += [(p, "not in the manifest (left by an older jixiao)") for p in orphans]
        if removed:
            conn.execute("BEGIN IMMEDIATE")
            try:
                for source_path, _ in removed:
                    conn.execute("DELETE FROM reports WHERE source_path = ?", (source_path,))
                conn.executemany(f"DELETE FROM {manifest.TABLE} WHERE path = ?", ((k,) for k in gone_keys))
                for table in sqlite_db.CONTENT_TABLES:
                    conn.execute(f'DELETE FROM "{table}" WHERE report_id NOT IN '
                                 "(SELECT report_id FROM reports WHERE report_id IS NOT NULL)")
                exports.forget_all(conn)
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
        self.prune_folders()
        return Earlier(sorted(removed), kept)

    def prune_folders(self) -> None:
        expected = {report_folder_name(path, rid) for path, rid in
                    self.conn.execute("SELECT source_path, report_id FROM reports")}
        for folder in (self.out / REPORTS_DIR, self.out / EVIDENCE_DIR):  # CSV folders and evidence pictures
            if not folder.is_dir():
                continue
            for child in folder.iterdir():
                if child.is_dir() and FOLDER_RE.search(child.name) and child.name not in expected:
                    shutil.rmtree(child)

    def status_counts(self) -> dict[str, int]:
        return dict(self.conn.execute("SELECT status, COUNT(*) FROM reports GROUP BY status ORDER BY status"))

    def failures(self) -> list[tuple[str, str]]:
        return self.conn.execute("SELECT source_path, error FROM reports WHERE status = 'failed' "
                                 "ORDER BY source_path").fetchall()

    def unreviewed_errors(self) -> int:
        return reviews.unreviewed_errors(self.conn)

    def flag_counts(self) -> list[tuple[str, str, int]]:
        return self.conn.execute("SELECT code, severity, COUNT(*) FROM flags GROUP BY code, severity "
                                 "ORDER BY COUNT(*) DESC, code").fetchall()
