"""The six tables in one SQLite file: typed columns, primary keys, indexes on the ids (for sqlite3 / Datasette)."""
from __future__ import annotations

import sqlite3
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Iterator

import pandas as pd

from jixiao.normalize.schema import PRIMARY_KEYS, TABLES
from jixiao.normalize.writers.rows import frame_rows

SQL_TYPES = {"string": "TEXT", "Int64": "INTEGER", "Float64": "REAL"}

# reports has one row per input file (two copies of one report are two rows); the other tables are keyed by
# content (report_id), so identical bytes under two paths are stored once.
KEYS: dict[str, tuple[str, ...]] = {**PRIMARY_KEYS, "reports": ("source_path",)}
CONTENT_TABLES = tuple(t for t in TABLES if t != "reports")
INDEXES: dict[str, tuple[str, ...]] = {
    "reports": ("report_id", "status"),
    "scorecards": ("report_id",),
    "budget_lines": ("report_id",),
    "indicators": ("report_id",),
    "figures": ("report_id",),
    "flags": ("report_id", "scorecard_id", "code"),
}
# Batch exports are sorted so that two runs over the same inputs give byte-identical files.
ORDER: dict[str, str] = {
    "reports": "source_path",
    "scorecards": "report_id, seq",
    "budget_lines": "report_id, scorecard_id, seq",
    "indicators": "report_id, scorecard_id, seq",
    "figures": "report_id, seq",
    "flags": "report_id, rowid",
}


def connect(path: str | Path) -> sqlite3.Connection:
    """WAL + synchronous=NORMAL: a committed file survives kill -9 of the writer; readers never block it."""
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, timeout=30, isolation_level=None)  # explicit BEGIN/COMMIT per file
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    return conn


def create_table_sql(table: str) -> str:
    columns = [f'"{col}" {SQL_TYPES[dtype]}' for col, dtype in TABLES[table].items()]
    if KEYS[table]:
        columns.append(f"PRIMARY KEY ({', '.join(KEYS[table])})")
    return f'CREATE TABLE IF NOT EXISTS "{table}" (\n  ' + ",\n  ".join(columns) + "\n)"


def create_schema(conn: sqlite3.Connection) -> None:
    """Create the six tables and their indexes; add columns the schema gained since the file was made."""
    for table in TABLES:
        conn.execute(create_table_sql(table))
        existing = {row[1] for row in conn.execute(f'PRAGMA table_info("{table}")')}
        for col, dtype in TABLES[table].items():
            if col not in existing:
                conn.execute(f'ALTER TABLE "{table}" ADD COLUMN "{col}" {SQL_TYPES[dtype]}')
        for col in INDEXES[table]:
            conn.execute(f'CREATE INDEX IF NOT EXISTS "ix_{table}_{col}" ON "{table}" ("{col}")')


def insert_frame(conn: sqlite3.Connection, table: str, frame: pd.DataFrame) -> int:
    """Insert the frame's rows (raises sqlite3.IntegrityError on a duplicate key)."""
    return insert_rows(conn, table, frame_rows(table, frame))


def insert_rows(conn: sqlite3.Connection, table: str, rows: Iterable[tuple]) -> int:
    """Insert rows in the schema's column order (raises sqlite3.IntegrityError on a duplicate key)."""
    return conn.executemany(insert_sql(table), rows).rowcount


@lru_cache(maxsize=None)
def insert_sql(table: str) -> str:
    columns = TABLES[table]
    names = ", ".join(f'"{c}"' for c in columns)
    return f'INSERT INTO "{table}" ({names}) VALUES ({", ".join("?" * len(columns))})'


def delete_content(conn: sqlite3.Connection, report_id: str) -> None:
    """Remove one report's rows from the content-addressed tables."""
    for table in CONTENT_TABLES:
        conn.execute(f'DELETE FROM "{table}" WHERE report_id = ?', (report_id,))


def count_rows(conn: sqlite3.Connection, table: str) -> int:
    return conn.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]


def select_rows(conn: sqlite3.Connection, table: str, key: str, value) -> list[tuple]:
    """The rows of a table whose column `key` equals value, in the schema's column order and export order."""
    columns = ", ".join(f'"{c}"' for c in TABLES[table])
    return conn.execute(f'SELECT {columns} FROM "{table}" WHERE "{key}" = ? ORDER BY {ORDER[table]}',
                        (value,)).fetchall()


def table_rows(conn: sqlite3.Connection, table: str) -> Iterator[tuple]:
    """All rows of a table in the schema's column order, sorted for reproducible exports (streamed). A cursor,
    not a generator: one left unfinished by an interrupt is dropped quietly after the connection closes."""
    columns = ", ".join(f'"{c}"' for c in TABLES[table])
    return conn.execute(f'SELECT {columns} FROM "{table}" ORDER BY {ORDER[table]}')
