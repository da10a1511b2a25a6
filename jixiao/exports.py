"""The batch outputs written from jixiao.sqlite: OUT/<table>.csv, OUT/audit.xlsx, on request OUT/<table>.parquet,
and whatever else is registered here. Each file is replaced atomically.

Adding an output is one call:

    exports.register(Output("report.html", write_report_html))   # write(conn, target) writes target atomically

The database remembers which outputs are current (table jixiao_outputs): every transaction that changes the
batch's rows forgets them all, and an output is marked current only once its file is in place. So a run stopped
anywhere (Ctrl-C, kill -9, a full disk) leaves them marked stale, and the next run rewrites exactly those."""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Protocol

from jixiao import stop
from jixiao.normalize.schema import TABLES
from jixiao.side_process import SideCells
from jixiao.normalize.writers.audit import AuditCells, AuditStream, write_audit_workbook
from jixiao.folder_parts import FolderParts
from jixiao.normalize.writers.csv_files import table_csv_rows, write_csv, write_csv_parts
from jixiao.normalize.writers.jsonl_files import write_jsonl
from jixiao.normalize.writers.report_html import import_charts, page_data, write_page, write_report_html
from jixiao.normalize.writers.sqlite_db import table_rows

WORKBOOK_NAME = "audit.xlsx"
STATE_TABLE = "jixiao_outputs"


class Stream(Protocol):
    """An output built while files are stored (to spare the wait at the end)."""

    def add(self, tables: dict[str, list[tuple]], new_content: bool) -> None: ...

    # optional: every row is in, start finishing (in the background) while other outputs are written
    def prepare(self, conn: sqlite3.Connection) -> None: ...

    def finish(self, conn: sqlite3.Connection) -> None: ...  # write the file, atomically

    def discard(self) -> None: ...


@dataclass(frozen=True)
class Output:
    name: str  # file name in OUT
    write: Callable[[sqlite3.Connection, Path], None]  # (conn, OUT/name): write it atomically from the database
    option: str | None = None  # written only when Options.<option> is true (e.g. "parquet")
    stream: Callable[[Path], Stream] | None = None  # optional: fed each stored file's rows during the run
    table: str | None = None  # a batch CSV of this table: put together from the per-report CSVs when it can be


def workbook_stream(target: Path) -> AuditStream:
    """audit.xlsx streamed, its cells written by a side process (jixiao/side_process.py)."""
    return AuditStream(target, SideCells(AuditCells, target))


class ReportPage:
    """report.html in a side process: matplotlib imported while the batch runs (~1 s), the page drawn while
    the main process writes the CSVs."""

    def __init__(self, target: Path):
        self.target, self.data = target, None
        import_charts()

    def put(self, data: dict) -> None:
        self.data = data

    def read(self, database: str) -> None:
        """The page's rows read here, from the batch database on a connection of this process's own (opened
        after the fork): the main process neither queries nor pickles them (~0.4 s at 400 files)."""
        conn = sqlite3.connect(database, timeout=30)
        try:
            self.data = page_data(conn)
        finally:
            conn.close()

    def finish(self) -> bool:
        write_page(self.data, self.target)
        return True

    def discard(self) -> None:
        pass


class PageStream:
    """report.html as a Stream: nothing to add while files are stored; at the write-out the side process reads
    the rows (every file is committed by then) and draws the page (written here instead if it is lost)."""

    def __init__(self, target: Path):
        self.target = target
        self.side = SideCells(ReportPage, target)

    def add(self, tables: dict[str, list[tuple]], new_content: bool) -> None:
        pass

    def prepare(self, conn: sqlite3.Connection) -> None:
        if not self.side.finishing:
            database = conn.execute("PRAGMA database_list").fetchone()[2]  # '' for a database in memory
            if database:
                self.side.call("read", database)
            else:
                self.side.call("put", page_data(conn))
            self.side.start_finish()

    def finish(self, conn: sqlite3.Connection) -> None:
        self.prepare(conn)
        if not self.side.finish():
            write_report_html(conn, self.target)

    def discard(self) -> None:
        self.side.discard()


def _csv(table: str) -> Callable[[sqlite3.Connection, Path], None]:
    return lambda conn, target: write_csv(target, TABLES[table], table_csv_rows(conn, table), neutralised=True)


def _jsonl(table: str) -> Callable[[sqlite3.Connection, Path], None]:
    return lambda conn, target: write_jsonl(target, TABLES[table], table_rows(conn, table))


def _parquet(table: str) -> Callable[[sqlite3.Connection, Path], None]:
    def write(conn: sqlite3.Connection, target: Path) -> None:
        from jixiao.normalize.writers.parquet_files import write_parquet  # pyarrow only when asked for
        write_parquet(target, table, table_rows(conn, table))
    return write


OUTPUTS: list[Output] = [
    *(Output(f"{table}.csv", _csv(table), table=table) for table in TABLES),
    Output(WORKBOOK_NAME, lambda conn, target: write_audit_workbook(target, conn), stream=workbook_stream),
    Output("report.html", write_report_html, stream=PageStream),  # the batch at a glance, every flag with its evidence picture
    *(Output(f"{table}.parquet", _parquet(table), option="parquet") for table in TABLES),
    *(Output(f"{table}.jsonl", _jsonl(table), option="jsonl") for table in TABLES),
]


def register(output: Output) -> None:
    """Add a batch output (replacing one of the same name)."""
    OUTPUTS[:] = [o for o in OUTPUTS if o.name != output.name] + [output]


def wanted(options) -> list[Output]:
    return [o for o in OUTPUTS if o.option is None or getattr(options, o.option, False)]


def create_state(conn: sqlite3.Connection) -> None:
    conn.execute(f"CREATE TABLE IF NOT EXISTS {STATE_TABLE} (name TEXT PRIMARY KEY, written_at TEXT)")


def forget_all(conn: sqlite3.Connection) -> None:
    """Every output is stale (call inside each transaction that changes the batch's rows)."""
    conn.execute(f"DELETE FROM {STATE_TABLE}")


def stale(conn: sqlite3.Connection, out: Path, outputs: list[Output]) -> list[Output]:
    """Outputs not written since the rows last changed, or whose file is gone."""
    current = {name for (name,) in conn.execute(f"SELECT name FROM {STATE_TABLE}")}
    return [o for o in outputs if o.name not in current or not (out / o.name).is_file()]


class Exporter:
    """Writes the stale outputs of one run; streamed outputs are fed while files are stored."""

    def __init__(self, conn: sqlite3.Connection, out: Path, outputs: list[Output], folders: FolderParts | None = None):
        self.conn, self.out, self.outputs = conn, out, outputs
        self.folders = folders  # what this run wrote to the per-report folders (batch runs)
        self.streams: dict[str, Stream] = {}

    def start_streams(self) -> None:
        """The run will change rows: streamed outputs start collecting."""
        self.streams = {o.name: o.stream(self.out / o.name) for o in self.outputs if o.stream}

    def stored(self, tables: dict[str, list[tuple]], new_content: bool) -> None:
        for stream in self.streams.values():
            stream.add(tables, new_content)

    def write(self, progress=None) -> list[str]:
        """Write every stale output, marking each current once in place; returns their names."""
        todo = stale(self.conn, self.out, self.outputs)
        todo.sort(key=lambda o: o.name in self.streams)  # streamed ones last: they finish meanwhile, elsewhere
        for output in todo:
            prepare = getattr(self.streams.get(output.name), "prepare", None)  # optional
            if prepare is not None:
                prepare(self.conn)
        if progress and todo:
            progress.start(len(todo), desc="writing", unit="output")
        for output in todo:
            stop.check()  # a stop swallowed while the previous output was written
            target = self.out / output.name
            stream = self.streams.pop(output.name, None)
            if stream is not None:
                stream.finish(self.conn)
            elif not self.from_folders(output, target):
                output.write(self.conn, target)
            self.conn.execute(f"INSERT OR REPLACE INTO {STATE_TABLE} VALUES (?, ?)",
                              (output.name, datetime.now(timezone.utc).isoformat(timespec="seconds")))
            if progress:
                progress.step(output.name)
        self.discard()
        return [o.name for o in todo]

    def from_folders(self, output: Output, target: Path) -> bool:
        """A batch CSV as the per-report CSVs end to end, when they hold exactly the database's rows."""
        if output.table is None or self.folders is None:
            return False
        parts = self.folders.parts(self.conn, output.table)
        return parts is not None and write_csv_parts(target, TABLES[output.table], parts)

    def discard(self) -> None:
        for stream in self.streams.values():
            stream.discard()
        self.streams = {}
