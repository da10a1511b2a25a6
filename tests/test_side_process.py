"""audit.xlsx's cells written in a side process (jixiao/side_process.py): the same workbook as written in the main
process, a lost side process costs nothing but time, its errors reach the main process, and it leaves nothing."""
from __future__ import annotations

import errno
import gc
import io
import os
import signal
import sqlite3
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from jixiao import exports, side_process
from jixiao.batch import Options, run_batch
from jixiao.side_process import SideCells
from jixiao.normalize.writers.audit import AuditCells, AuditStream

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
TXT = sorted(SAMPLES.glob("*.txt"))


def make_inputs(folder: Path, n: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        (folder / f"r{i:02d}.txt").write_bytes(TXT[i % len(TXT)].read_bytes() + b"\n" + b" " * (i + 1) + b"\n")
    return sorted(folder.iterdir())


def sheet_parts(path: Path) -> dict[str, bytes]:
    """Every part of the .xlsx but its creation time."""
    with zipfile.ZipFile(path) as book:
        return {name: book.read(name) for name in book.namelist() if name != "docProps/core.xml"}


def in_main_process(target: Path) -> AuditStream:
    return AuditStream(target)


def test_the_side_process_writes_the_workbook_the_main_process_would(tmp_path, monkeypatch):
    inputs = make_inputs(tmp_path / "in", 6)
    for out in (tmp_path / "side", tmp_path / "main"):
        if out.name == "main":
            side = next(o for o in exports.OUTPUTS if o.name == exports.WORKBOOK_NAME)
            monkeypatch.setattr(exports, "OUTPUTS", [o for o in exports.OUTPUTS if o.name != side.name] +
                                [exports.Output(side.name, side.write, stream=in_main_process)])
        run_batch(Options(paths=list(map(str, inputs[:2])), out=str(out), jobs=1))  # earlier rows, then new ones
        run_batch(Options(paths=[str(tmp_path / "in")], out=str(out), jobs=1))
    side, main = sheet_parts(tmp_path / "side" / "audit.xlsx"), sheet_parts(tmp_path / "main" / "audit.xlsx")
    assert side.keys() == main.keys() and "xl/worksheets/sheet4.xml" in side
    assert [name for name in side if side[name] != main[name]] == []
    assert [p.name for p in (tmp_path / "side").glob(".*")] == [".jixiao.lock"]  # no temp file, no scratch


def stored_db(tmp_path: Path) -> sqlite3.Connection:
    """A batch's database with 3 reports, and their rows as the stream got them."""
    run_batch(Options(paths=list(map(str, make_inputs(tmp_path / "in", 3))), out=str(tmp_path / "out"), jobs=1))
    return sqlite3.connect(tmp_path / "out" / "jixiao.sqlite")


def test_a_lost_side_process_means_the_workbook_is_written_from_the_database(tmp_path):
    conn = stored_db(tmp_path)
    target = tmp_path / "book.xlsx"
    cells = SideCells(AuditCells, target)
    stream = AuditStream(target, cells)
    stream.add({"reports": conn.execute("SELECT * FROM reports LIMIT 1").fetchall()}, False)
    os.kill(cells.process.pid, signal.SIGKILL)  # out of memory, say
    cells.process.join()
    stream.finish(conn)
    assert sheet_parts(target)["xl/worksheets/sheet1.xml"].count(b"<row ") == 4  # header + the 3 reports
    assert sorted(p.name for p in tmp_path.iterdir()) == ["book.xlsx", "in", "out"]


class FullDisk(AuditCells):
    def append(self, table, rows):
        raise OSError(errno.ENOSPC, "No space left on device", str(self.target))


def test_an_error_in_the_side_process_reaches_the_main_process(tmp_path):
    conn = stored_db(tmp_path)
    target = tmp_path / "book.xlsx"
    stream = AuditStream(target, SideCells(FullDisk, target))
    stream.add({"reports": conn.execute("SELECT * FROM reports LIMIT 1").fetchall()}, False)
    with pytest.raises(OSError) as raised:
        stream.finish(conn)
    assert raised.value.errno == errno.ENOSPC
    stream.discard()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in", "out"]


def gone_by(process, seconds: float = 60) -> bool:
    """The process has left (or was killed) within `seconds`: a bounded wait, never a hang."""
    process.join(seconds)
    return not process.is_alive()


def test_discard_stops_the_side_process_and_removes_its_files(tmp_path, capfd):
    target = tmp_path / "book.xlsx"
    cells = SideCells(AuditCells, target)
    cells.add({"reports": [("a.txt",) + (None,) * 16]}, False)
    deadline = time.monotonic() + 60
    while not list(tmp_path.glob(".*")) and time.monotonic() < deadline:  # its temp files exist
        time.sleep(0.05)
    assert list(tmp_path.glob(".*"))
    cells.discard()
    assert gone_by(cells.process, 0)  # discard() returns only once it is gone
    assert list(tmp_path.iterdir()) == []
    assert capfd.readouterr().err == ""


class Finalizer:
    """A garbage cycle whose __del__ runs long enough for a SIGTERM to land in it."""

    def __init__(self, marker: Path):
        self.marker, self.cycle = marker, self

    def __del__(self):
        self.marker.touch()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:  # Python code running: where the signal handler runs
            pass


class CollectsGarbage(AuditCells):
    def append(self, table, rows):
        super().append(table, rows)
        Finalizer(self.target.with_name("in-finalizer"))
        gc.collect()


def test_a_sigterm_landing_in_a_finalizer_still_stops_the_side_process(tmp_path, capfd):
    # the handler raised an exception, which Python swallows in a __del__: the side process served on, and
    # discard() waited for it (a full test run hung here)
    cells = SideCells(CollectsGarbage, tmp_path / "book.xlsx")
    cells.add({"reports": [("a.txt",) + (None,) * 16]}, False)
    deadline = time.monotonic() + 60
    while not (tmp_path / "in-finalizer").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert (tmp_path / "in-finalizer").exists()
    os.kill(cells.process.pid, signal.SIGTERM)
    try:
        assert gone_by(cells.process, 20) and cells.process.exitcode == 0  # left by itself, before __del__ ended
    finally:
        cells.discard()  # kills it otherwise
    assert [p.name for p in tmp_path.iterdir()] == ["in-finalizer"]
    assert capfd.readouterr().err == ""


ORPHAN = """\
import os, sys
from jixiao.side_process import SideCells
from jixiao.normalize.writers.audit import AuditCells
cells = SideCells(AuditCells, sys.argv[1])
print(cells.process.pid, flush=True)
os._exit(0)  # as kill -9 would: no cleanup
"""


def test_the_side_process_leaves_when_the_main_process_is_killed(tmp_path):
    done = subprocess.run([sys.executable, "-c", ORPHAN, str(tmp_path / "book.xlsx")], capture_output=True,
                          text=True, timeout=120)
    pid = int(done.stdout)
    deadline = time.monotonic() + 60
    while Path(f"/proc/{pid}").exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not Path(f"/proc/{pid}").exists() or "Z" in Path(f"/proc/{pid}/stat").read_text().split()[2]


def test_report_html_drawn_by_the_side_process_is_the_page_the_main_process_draws(tmp_path):
    from jixiao.normalize.writers.report_html import write_report_html
    conn = stored_db(tmp_path)
    write_report_html(conn, tmp_path / "main.html")
    side = (tmp_path / "out" / "report.html").read_bytes()
    assert side == (tmp_path / "main.html").read_bytes() and b"<svg" in side


def test_report_html_rows_are_read_by_the_side_process_not_the_main_process(tmp_path, monkeypatch):
    # the main process queried and pickled them (~0.4 s at 400 files) while the write-out waited
    readers = tmp_path / "readers"
    page_data = exports.page_data

    def noted(conn):
        with open(readers, "a") as fh:
            fh.write(f"{os.getpid()}\n")
        return page_data(conn)
    monkeypatch.setattr(exports, "page_data", noted)
    stored_db(tmp_path)
    pids = readers.read_text().split()
    assert len(pids) == 1 and int(pids[0]) != os.getpid()
    assert b"<svg" in (tmp_path / "out" / "report.html").read_bytes()


DRAW_PAGE = """\
import sqlite3, sys
from jixiao.normalize.writers.report_html import write_report_html
write_report_html(sqlite3.connect(sys.argv[1]), sys.argv[2])
"""


def test_report_html_is_the_same_bytes_whatever_the_hash_seed(tmp_path):
    # flag codes with the same count (tied rows) were ordered by set order, which follows PYTHONHASHSEED
    run_batch(Options(paths=[str(p) for p in TXT], out=str(tmp_path / "out"), jobs=1))
    pages = []
    for seed in ("1", "2", "3"):
        page = tmp_path / f"seed{seed}.html"
        subprocess.run([sys.executable, "-c", DRAW_PAGE, str(tmp_path / "out" / "jixiao.sqlite"), str(page)],
                       env={**os.environ, "PYTHONHASHSEED": seed}, check=True, timeout=600)
        pages.append(page.read_bytes())
    assert pages[0] == pages[1] == pages[2] and pages[0].count(b"<tr><td>") > 10


class StuckInAZipEntry:
    """Cells whose finish() stops inside a zip entry, as XlsxWriter's close() does while it stores a sheet."""

    def __init__(self, part: Path):
        self.part = Path(part)
        sys.unraisablehook = sys.__unraisablehook__  # pytest's hook, inherited through the fork, would hide it

    def finish(self) -> None:
        archive = zipfile.ZipFile(self.part, "w")
        entry = archive.open("xl/worksheets/sheet1.xml", "w")
        entry.write(b"<worksheet/>")
        io.BufferedIOBase.close(entry)  # as when SIGTERM lands inside the entry's close(): the zip is still writing
        self.part.with_name("in-entry").touch()
        time.sleep(60)

    def discard(self) -> None:
        self.part.unlink(missing_ok=True)


def test_stopped_inside_a_zip_entry_the_side_process_prints_nothing(tmp_path, capfd):
    # CI saw "Exception ignored in: ZipFile.__del__" on Ctrl-C during the write-out: stderr must stay one line
    target = tmp_path / "book.xlsx"
    cells = SideCells(StuckInAZipEntry, target)
    cells.start_finish()
    deadline = time.monotonic() + 60
    while not (tmp_path / "in-entry").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert (tmp_path / "in-entry").exists()
    cells.discard()
    assert gone_by(cells.process, 0) and not cells.part.exists()
    assert capfd.readouterr().err == ""


def test_signalled_as_soon_as_it_is_forked_the_side_process_leaves_quietly(tmp_path, capfd):
    # Ctrl-C reaches the whole process group, a side process forked a moment before included
    cells = SideCells(AuditCells, tmp_path / "book.xlsx")
    os.kill(cells.process.pid, signal.SIGINT)
    os.kill(cells.process.pid, signal.SIGTERM)
    assert gone_by(cells.process) and cells.process.exitcode == 0  # not killed before its handlers, no traceback
    cells.discard()
    assert list(tmp_path.iterdir()) == []
    assert capfd.readouterr().err == ""


class SignalledOnItsWayOut(AuditCells):
    """SIGTERM (the main process's discard(), a killpg) lands after the file is done, as the process exits
    (see serve_then_sigterm)."""


def serve_then_sigterm(serve):
    def serve_and_signal(*args) -> None:
        serve(*args)
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(0.5)  # its handler runs here, after serve() is over
    return serve_and_signal


class SignalledInItsCleanup(FullDisk):
    """SIGTERM lands while the side process cleans up after an error."""

    def discard(self) -> None:
        os.kill(os.getpid(), signal.SIGTERM)
        super().discard()


@pytest.mark.parametrize("cells", [SignalledOnItsWayOut, SignalledInItsCleanup])
def test_a_late_sigterm_is_no_traceback(tmp_path, capfd, monkeypatch, cells):
    conn = stored_db(tmp_path)
    if cells is SignalledOnItsWayOut:  # the side process is forked from here: it runs the patched serve()
        monkeypatch.setattr(side_process, "serve", serve_then_sigterm(side_process.serve))
    target = tmp_path / "book.xlsx"
    stream = AuditStream(target, SideCells(cells, target))
    stream.add({"reports": conn.execute("SELECT * FROM reports LIMIT 1").fetchall()}, False)
    if cells is SignalledOnItsWayOut:
        stream.finish(conn)
        assert sheet_parts(target)["xl/worksheets/sheet1.xml"].count(b"<row ") == 4
    else:
        with pytest.raises(OSError):
            stream.finish(conn)
        stream.discard()
    assert stream.cells.process.exitcode == 0
    written = ["book.xlsx"] if cells is SignalledOnItsWayOut else []
    assert sorted(p.name for p in tmp_path.iterdir()) == written + ["in", "out"]  # no temp file left
    assert capfd.readouterr().err == ""
