"""Review marks: what an auditor decided about a flag (confirmed / false_positive / noted, and a note), typed into
the workbook's flags sheet, kept in the `reviews` table of jixiao.sqlite by the flag's fingerprint, and carried
onto the flag by every later run. A mark whose flag no longer appears stays in the table; a review `clear`
withdraws a stored mark (and its note)."""
from __future__ import annotations

import csv
import sqlite3
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from jixiao.normalize.evidence import report_folder_name
from jixiao.normalize.schema import TABLES
from jixiao.normalize.writers.csv_files import write_csv
from jixiao.normalize.writers.audit import REVIEW_CLEAR, REVIEW_MARKS

TABLE = "reviews"
MARKS = REVIEW_MARKS  # the workbook's drop-down: confirmed, false_positive, noted
CLEAR = REVIEW_CLEAR  # and clear: the stored mark is withdrawn
FLAG_COLUMNS = list(TABLES["flags"])
FINGERPRINT, REVIEW, NOTE, SOURCE = (FLAG_COLUMNS.index(c) for c in ("fingerprint", "review", "review_note",
                                                                     "source_path"))
CHUNK = 500  # fingerprints per query (SQLite's parameter limit is 999 on old builds)


@dataclass(frozen=True)
class Mark:
    fingerprint: str
    review: str | None
    note: str | None


@dataclass
class Read:
    """What a workbook (or flags.csv) holds: the marks, and the rows whose mark is not one of MARKS."""

    marks: list[Mark]
    errors: list[str]


def create(conn: sqlite3.Connection) -> None:
    conn.execute(f"CREATE TABLE IF NOT EXISTS {TABLE} (fingerprint TEXT PRIMARY KEY, review TEXT, note TEXT, "
                 "reviewed_at TEXT)")


def normal_mark(value) -> str | None:
    """'False positive', 'false-positive ' -> 'false_positive'; blank -> None."""
    text = "" if value is None else str(value).strip().lower().replace(" ", "_").replace("-", "_")
    return text or None


def read_marks(path: Path) -> Read:
    """The marked rows of a workbook's flags sheet (or of a flags.csv): fingerprint, review, review_note."""
    if path.suffix.lower() == ".csv":
        with open(path, encoding="utf-8-sig", newline="") as fh:
            reader = csv.reader(fh)
            header = next(reader, [])
            rows = list(reader)
    else:
        import openpyxl
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        try:
            if "flags" not in book.sheetnames:
                raise ValueError(f"{path} has no sheet named flags")
            sheet_rows = book["flags"].iter_rows(values_only=True)
            header = [str(v) if v is not None else "" for v in next(sheet_rows, ())]
            rows = [list(r) for r in sheet_rows]
        finally:
            book.close()
    missing = [c for c in ("fingerprint", "review", "review_note") if c not in header]
    if missing:
        raise ValueError(f"{path}: the flags table has no column {', '.join(missing)}")
    at = {c: header.index(c) for c in ("fingerprint", "review", "review_note")}
    marks, errors = [], []
    for number, row in enumerate(rows, start=2):
        fingerprint, raw_review, raw_note = (row[at[c]] if at[c] < len(row) else None
                                             for c in ("fingerprint", "review", "review_note"))
        fingerprint = str(fingerprint or "").strip()
        review = normal_mark(raw_review)
        note = str(raw_note).strip() or None if raw_note is not None else None
        if not fingerprint or (review is None and note is None):
            continue
        if review == CLEAR:
            marks.append(Mark(fingerprint, CLEAR, None))  # a note beside it goes with the mark
            continue
        if review is not None and review not in MARKS:
            errors.append(f"row {number}: review {raw_review!r} is not one of {', '.join(MARKS + (CLEAR,))}")
            continue
        marks.append(Mark(fingerprint, review, note))
    return Read(marks, errors)


@dataclass
class Stored:
    """What store() did: marks new or changed, marks withdrawn, and `clear`s that found no stored mark."""

    changed: int = 0
    withdrawn: int = 0
    nothing_to_clear: list[str] = field(default_factory=list)


def store(conn: sqlite3.Connection, marks: list[Mark]) -> Stored:
    """Keep the marks (a changed mark replaces the stored one and its time; `clear` deletes it)."""
    now = datetime.now(timezone.utc).isoformat(timespec="seconds")
    done = Stored()
    for mark in marks:
        if mark.review == CLEAR:
            if conn.execute(f"DELETE FROM {TABLE} WHERE fingerprint = ?", (mark.fingerprint,)).rowcount:
                done.withdrawn += 1
            else:
                done.nothing_to_clear.append(mark.fingerprint)
            continue
        old = conn.execute(f"SELECT review, note FROM {TABLE} WHERE fingerprint = ?", (mark.fingerprint,)).fetchone()
        if old == (mark.review, mark.note):
            continue
        conn.execute(f"INSERT OR REPLACE INTO {TABLE} VALUES (?, ?, ?, ?)",
                     (mark.fingerprint, mark.review, mark.note, now))
        done.changed += 1
    return done


def apply(conn: sqlite3.Connection) -> int:
    """Every stored mark onto the batch's flags, a withdrawn one off; returns how many flags carry one."""
    conn.execute(f"UPDATE flags SET (review, review_note) = (SELECT review, note FROM {TABLE} AS r "
                 f"WHERE r.fingerprint = flags.fingerprint) WHERE fingerprint IN (SELECT fingerprint FROM {TABLE})")
    conn.execute(f"UPDATE flags SET review = NULL, review_note = NULL WHERE (review IS NOT NULL OR review_note IS NOT "
                 f"NULL) AND (fingerprint IS NULL OR fingerprint NOT IN (SELECT fingerprint FROM {TABLE}))")
    return conn.execute("SELECT COUNT(*) FROM flags WHERE review IS NOT NULL OR review_note IS NOT NULL").fetchone()[0]


def carry(conn: sqlite3.Connection, flags: list[tuple]) -> list[tuple]:
    """A file's new flag rows with the marks stored for their fingerprints."""
    fingerprints = [f[FINGERPRINT] for f in flags if f[FINGERPRINT]]
    marks: dict[str, tuple] = {}
    for start in range(0, len(fingerprints), CHUNK):
        part = fingerprints[start:start + CHUNK]
        marks.update((fp, (review, note)) for fp, review, note in conn.execute(
            f"SELECT fingerprint, review, note FROM {TABLE} WHERE fingerprint IN ({','.join('?' * len(part))})",
            part))
    if not marks:
        return flags
    carried = []
    for flag in flags:
        if flag[FINGERPRINT] in marks:
            flag = list(flag)
            flag[REVIEW], flag[NOTE] = marks[flag[FINGERPRINT]]
            flag = tuple(flag)
        carried.append(flag)
    return carried


def rewrite_folders(conn: sqlite3.Connection, reports_dir: Path, fingerprints: list[str]) -> int:
    """The flags.csv of every per-report folder (OUT/reports/<folder>/) holding one of these flags, rewritten from
    the flags table so that it carries the marks as they are now; returns how many were rewritten."""
    folders: dict[Path, tuple[str, str]] = {}
    for start in range(0, len(fingerprints), CHUNK):
        part = fingerprints[start:start + CHUNK]
        for source_path, report_id in conn.execute(
                "SELECT DISTINCT r.source_path, r.report_id FROM reports AS r JOIN flags AS f ON f.report_id = "
                f"r.report_id WHERE f.fingerprint IN ({','.join('?' * len(part))})", part):
            folders[reports_dir / report_folder_name(source_path, report_id)] = (source_path, report_id)
    for folder, (source_path, report_id) in folders.items():
        if not folder.is_dir():
            continue
        rows = [list(row) for row in conn.execute(
            f"SELECT {', '.join(f'[{c}]' for c in FLAG_COLUMNS)} FROM flags WHERE report_id = ? ORDER BY rowid",
            (report_id,))]
        for row in rows:  # a copy of a report (same bytes, another path) keeps its own path in its folder
            row[SOURCE] = source_path
        write_csv(folder / "flags.csv", FLAG_COLUMNS, rows)
    return len(folders)


def unreviewed_errors(conn: sqlite3.Connection) -> int:
    return conn.execute("SELECT COUNT(*) FROM flags WHERE severity = 'error' AND review IS NULL").fetchone()[0]


def kept_without_flag(conn: sqlite3.Connection) -> int:
    """Marks whose flag is not in the batch now (kept: the flag may come back)."""
    return conn.execute(f"SELECT COUNT(*) FROM {TABLE} WHERE fingerprint NOT IN "
                        "(SELECT fingerprint FROM flags WHERE fingerprint IS NOT NULL)").fetchone()[0]
