"""The batch tables, (re)written from jixiao.sqlite at the end of a run: OUT/<table>.csv, OUT/audit.xlsx and,
on request, OUT/<table>.parquet. Each file is replaced atomically."""
from __future__ import annotations

import sqlite3
from pathlib import Path

from jixiao.normalize.schema import TABLES
from jixiao.normalize.writers.audit import write_audit_workbook
from jixiao.normalize.writers.csv_files import write_csv
from jixiao.normalize.writers.parquet_files import write_parquet
from jixiao.normalize.writers.sqlite_db import table_rows

WORKBOOK_NAME = "audit.xlsx"


def export_paths(out: Path, parquet: bool) -> list[Path]:
    paths = [out / f"{table}.csv" for table in TABLES] + [out / WORKBOOK_NAME]
    return paths + ([out / f"{table}.parquet" for table in TABLES] if parquet else [])


def export_all(conn: sqlite3.Connection, out: Path, parquet: bool) -> None:
    for table, columns in TABLES.items():
        write_csv(out / f"{table}.csv", columns, table_rows(conn, table))
        if parquet:
            write_parquet(out / f"{table}.parquet", table, table_rows(conn, table))
    write_audit_workbook(out / WORKBOOK_NAME, conn)
