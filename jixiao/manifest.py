"""What was already done: one row per input file (resolved path, the path as given, content hash, size, mtime,
settings) in jixiao.sqlite, written in the same transaction as the file's rows, so the two can never disagree.
Files are known by their resolved path, so `in/a.txt` and `/abs/./in/a.txt` are the same file."""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime, timezone
from importlib.metadata import PackageNotFoundError, version as package_version

from jixiao.discover import Found
from jixiao.normalize.ids import file_sha256

TABLE = "jixiao_manifest"
CREATE_SQL = f"""CREATE TABLE IF NOT EXISTS {TABLE} (
  path TEXT PRIMARY KEY,
  source_path TEXT NOT NULL,
  sha256 TEXT,
  size INTEGER,
  mtime_ns INTEGER,
  settings TEXT NOT NULL,
  report_id TEXT,
  status TEXT,
  done_at TEXT
)"""


@dataclass(frozen=True)
class Entry:
    source_path: str
    sha256: str | None
    size: int
    mtime_ns: int
    settings: str
    report_id: str | None


def jixiao_version() -> str:
    try:
        return package_version("jixiao")
    except PackageNotFoundError:
        return "unknown"


def settings_key(profile: str | None, ocr: str) -> str:
    """Everything that changes a file's result besides its bytes: a change means every file is redone."""
    return f"jixiao {jixiao_version()}; profile={profile or 'auto'}; ocr={ocr}"


def create(conn: sqlite3.Connection) -> None:
    columns = {row[1] for row in conn.execute(f"PRAGMA table_info({TABLE})")}
    if columns and "path" not in columns:  # made by a jixiao that keyed files by their spelling: redo them once
        conn.execute(f"DROP TABLE {TABLE}")
    conn.execute(CREATE_SQL)
    conn.execute(f"CREATE INDEX IF NOT EXISTS ix_{TABLE}_source_path ON {TABLE} (source_path)")


def lookup(conn: sqlite3.Connection, path: str) -> Entry | None:
    """The entry of a file by its resolved path."""
    row = conn.execute(f"SELECT source_path, sha256, size, mtime_ns, settings, report_id FROM {TABLE} "
                       "WHERE path = ?", (path,)).fetchone()
    return Entry(*row) if row else None


def entries(conn: sqlite3.Connection) -> list[tuple[str, str]]:
    """(resolved path, source_path) of every file done."""
    return conn.execute(f"SELECT path, source_path FROM {TABLE} ORDER BY source_path").fetchall()


def was_stopped(conn: sqlite3.Connection, source_path: str) -> bool:
    row = conn.execute("SELECT error FROM reports WHERE source_path = ?", (source_path,)).fetchone()
    return bool(row and row[0] and row[0].startswith(RETRIED_ERRORS))


def record(conn: sqlite3.Connection, found: Found, sha256: str | None, report_id: str | None, status: str,
           settings: str) -> None:
    """Mark a file done (call inside the transaction that writes its rows)."""
    conn.execute(f"DELETE FROM {TABLE} WHERE source_path = ? AND path != ?", (found.source_path, found.key))
    conn.execute(
        f"INSERT OR REPLACE INTO {TABLE} VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (found.key, found.source_path, sha256, found.size, found.mtime_ns, settings, report_id, status,
         datetime.now(timezone.utc).isoformat(timespec="seconds")),
    )


# A file stopped by the time limit or a worker crash is tried again (perhaps with a longer --timeout).
RETRIED_ERRORS = ("timed out after", "worker crashed")


def is_done(conn: sqlite3.Connection, found: Found, settings: str) -> bool:
    """Done before with the same settings and the same bytes (same size+mtime, or else the same SHA-256)."""
    entry = lookup(conn, found.key)
    if entry is None or entry.settings != settings or was_stopped(conn, entry.source_path):
        return False
    if (entry.size, entry.mtime_ns) == (found.size, found.mtime_ns):
        return True
    try:
        same = entry.sha256 is not None and file_sha256(found.path) == entry.sha256
    except OSError:
        return False
    if same:  # touched but not changed: remember the new mtime so the next run need not hash it again
        conn.execute(f"UPDATE {TABLE} SET size = ?, mtime_ns = ? WHERE path = ?",
                     (found.size, found.mtime_ns, found.key))
    return same
