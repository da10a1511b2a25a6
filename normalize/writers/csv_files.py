"""CSV output: UTF-8 with a byte-order mark (so Excel on Windows shows Chinese), NULL as an empty field, text that
Excel would run as a formula prefixed with an apostrophe."""
from __future__ import annotations

import csv
import io
import re
import sqlite3
from pathlib import Path
from typing import Iterable, Iterator

from jixiao.normalize.schema import TABLES, Dataset
from jixiao.normalize.writers.atomic import atomic_new_folder, atomic_path, atomic_write_bytes, remove_stale_temps
from jixiao.normalize.writers.rows import frame_rows
from jixiao.normalize.writers.sqlite_db import ORDER

ENCODING = "utf-8-sig"
# Report text is untrusted: Excel runs a cell starting with = + - @ (or a tab / carriage return before them) as a
# formula (`=HYPERLINK(...)`). Such text gets a leading apostrophe, the usual CSV-injection defence; numbers
# (numeric columns, and text that is just a number such as "-5" or "+3.5%") are left as they are.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
NUMBER_TEXT = re.compile(r"[+-]?(\d[\d,]*(\.\d*)?|\.\d+)%?|[+-]")


def neutralise(value):
    """Text Excel would take as a formula, made plain text; every other value unchanged."""
    if type(value) is str and value.startswith(FORMULA_START) and not NUMBER_TEXT.fullmatch(value):
        return "'" + value
    return value


def neutralised_rows(rows: Iterable[tuple]) -> Iterator[list]:
    """The rows with neutralise() applied, called only on text that starts like a formula (the call on every
    cell was a sixth of csv_bytes' time)."""
    return ([neutralise(v) if type(v) is str and v.startswith(FORMULA_START) else v for v in row] for row in rows)


def write_csv(target: str | Path, header: Iterable[str], rows: Iterable[tuple], neutralised: bool = False) -> int:
    """Write header + rows atomically; returns the number of data rows. The csv module writes None as an
    empty field (NULL) and floats as repr, which round-trips exactly. `neutralised`: the rows' text is already
    made safe (table_csv_rows())."""
    if not neutralised:
        rows = neutralised_rows(rows)
    count = 0
    with atomic_path(target) as tmp:
        with open(tmp, "w", encoding=ENCODING, newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(list(header))
            for count, row in enumerate(rows, start=1):
                writer.writerow(row)
    return count


class PartMissing(Exception):
    """A part of write_csv_parts() is gone or has another header."""


def write_csv_parts(target: str | Path, header: Iterable[str], parts: Iterable[Path]) -> bool:
    """Write header + the bodies of CSV files written with this header (csv_bytes(), as the per-report folders
    are), end to end, atomically. False, writing nothing, if a part is missing or has another header."""
    head = csv_bytes(header, [])
    try:
        with atomic_path(target) as tmp:
            with open(tmp, "wb") as out:
                out.write(head)
                for part in parts:
                    try:
                        data = Path(part).read_bytes()
                    except FileNotFoundError:
                        raise PartMissing(part) from None
                    if not data.startswith(head):
                        raise PartMissing(part)
                    out.write(memoryview(data)[len(head):])
    except PartMissing:
        return False
    return True


def table_csv_rows(conn: sqlite3.Connection, table: str) -> Iterator[tuple]:
    """A batch table's rows as table_rows() gives them, neutralised: SQLite picks out the text that starts like
    a formula and only that reaches neutralise() (a Python call on every cell was most of the write-out's CPU).
    Columns unnamed: ORDER BY then means the table's own columns."""
    conn.create_function("jixiao_neutralise", 1, neutralise, deterministic=True)
    starts = ", ".join("char(%d)" % ord(c) for c in FORMULA_START)
    columns = ", ".join(f"""CASE WHEN typeof("{c}") = 'text' AND substr("{c}", 1, 1) IN ({starts}) """
                        f'THEN jixiao_neutralise("{c}") ELSE "{c}" END' for c in TABLES[table])
    return conn.execute(f'SELECT {columns} FROM "{table}" ORDER BY {ORDER[table]}')


def write_dataset_folder(folder: str | Path, data: Dataset) -> None:
    """One report's six tables as <folder>/<table>.csv."""
    write_rows_folder(folder, {table: frame_rows(table, frame) for table, frame in data.tables().items()})


def write_rows_folder(folder: str | Path, tables: dict[str, Iterable[tuple]]) -> None:
    """One report's six tables, given as rows in the schema's column order, as <folder>/<table>.csv."""
    folder = Path(folder)
    files = {f"{table}.csv": csv_bytes(TABLES[table], rows) for table, rows in tables.items()}
    if not folder.is_dir() and atomic_new_folder(folder, files):
        return
    remove_stale_temps(folder)  # left by a run killed while writing this folder
    for name, data in files.items():
        atomic_write_bytes(folder / name, data)


def csv_bytes(header: Iterable[str], rows: Iterable[tuple]) -> bytes:
    """What write_csv writes, as bytes in memory (a report's tables are small)."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(list(header))
    writer.writerows(neutralised_rows(rows))
    return buffer.getvalue().encode(ENCODING)
