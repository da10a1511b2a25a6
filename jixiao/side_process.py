"""The workbook's cells in a process of their own. XlsxWriter costs ~7 µs a cell, ~20 ms a report: written in the
main process, that was three quarters of its CPU, and the main process is what every worker waits on. Here the
main process only sends each stored file's rows down a pipe (~0.3 ms) and keeps storing; the side process writes
the cells, finishes the file while the main process writes the CSVs and report.html, and the main process puts
the file in place, in the write-out's order (a run stopped before then leaves the old file, marked stale).

The side process is forked before the worker pool (so it holds none of the pool's pipes) and never touches
SQLite (a connection must not be used across a fork): the main process sends it every row, including those of
earlier runs and the summary. Stopped (SIGTERM), it leaves at once and prints nothing; the main process removes
what it wrote (discard(), or finish() finding it gone); stranded by a kill -9 of the main process, it cleans up
itself."""
from __future__ import annotations

import multiprocessing
import os
import shutil
import signal
from pathlib import Path
from typing import Callable, Protocol

POLL_SECONDS = 1.0  # how often an idle side process checks that the main process is still there
STOP_SECONDS = 2.0  # how long discard() waits for the side process to leave on SIGTERM before killing it
STOP_SIGNALS = {signal.SIGINT, signal.SIGTERM}


class Cells(Protocol):
    """What runs in the side process (normalize/writers/audit.py AuditCells)."""

    def add(self, tables: dict[str, list[tuple]], content: bool) -> None: ...

    def append(self, table: str, rows: list[tuple]) -> None: ...

    def finish(self) -> bool: ...

    def discard(self) -> None: ...


class SideCells:
    """A Cells whose calls run on factory(a temp path) in a side process. add/append do not wait; finish() waits
    for the file and moves it onto `target` (False if the side process was lost: the caller writes the file
    itself); discard() stops the side process and removes what it wrote."""

    def __init__(self, factory: Callable[[Path], Cells], target: str | Path):
        self.target = Path(target)
        # a name remove_stale_temps() matches: a run killed with -9 leaves it to the next run to remove
        self.part = self.target.with_name(f".{self.target.name}.{os.getpid()}.part.tmp")
        context = multiprocessing.get_context("fork")
        self.pipe, child_end = context.Pipe()
        self.process = context.Process(target=side_main, args=(factory, self.part, child_end, os.getpid()),
                                       name=f"jixiao {self.target.name}", daemon=True)
        # forked with Ctrl-C and SIGTERM held back: they reach it once serve() has its handlers (a signal in
        # between would print a KeyboardInterrupt traceback, or kill it before it could clean up)
        held = signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
        try:
            self.process.start()
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, held)
        child_end.close()
        self.lost = False
        self.finishing = False

    def _send(self, *message) -> None:
        if self.lost:
            return
        try:
            self.pipe.send(message)
        except (BrokenPipeError, ConnectionResetError):  # the side process died (killed, out of memory)
            self.lost = True

    def add(self, tables: dict[str, list[tuple]], content: bool) -> None:
        self._send("add", tables, content)

    def append(self, table: str, rows: list[tuple]) -> None:
        self._send("append", table, rows)

    def call(self, method: str, *args) -> None:
        """Any other method of the object in the side process (not waited for)."""
        self._send(method, *args)

    def start_finish(self) -> None:
        """Every row is sent: the side process finishes the file now (while the caller does other work)."""
        if not self.finishing:
            self.finishing = True
            self._send("finish")

    def finish(self) -> bool:
        self.start_finish()
        try:
            status, error = (None, None) if self.lost else self.pipe.recv()
        except (EOFError, ConnectionResetError):
            status, error = None, None
        self.process.join()
        self.pipe.close()
        if status == "error":
            raise error
        if status != "done":
            self.lost = True
            self.remove_leftovers()
            return False
        os.replace(self.part, self.target)
        return True

    def discard(self) -> None:
        if self.process.is_alive():
            self.process.terminate()  # SIGTERM: the side process leaves at once (see serve())
            self.process.join(STOP_SECONDS)
            if self.process.is_alive():  # not scheduled in time on a loaded machine, say
                self.process.kill()
                self.process.join()
        self.pipe.close()
        self.remove_leftovers()  # what it was writing, whether it left by itself or was killed

    def remove_leftovers(self) -> None:
        """What a side process killed mid-write left: the part file, its temp file, the workbook's sheet folder."""
        Path(self.part).unlink(missing_ok=True)
        for path in self.part.parent.glob(f".{self.part.name}.*"):
            path.unlink(missing_ok=True)
        for path in self.part.parent.glob(f".jixiao-xlsx-{self.part.name}-*"):
            shutil.rmtree(path, ignore_errors=True)


def side_main(factory: Callable[[Path], Cells], part: Path, pipe, parent: int) -> None:
    """The side process's life: serve(), then leave at once (exit status 0). Not through the interpreter's exit
    (flushing stdio, finalizers, joining threads): the process is a fork of a possibly multi-threaded parent, and a
    lock another thread held at the fork (sys.stderr's, say) would block that exit for ever. Its files are closed."""
    try:
        serve(factory, part, pipe, parent)
    finally:
        os._exit(0)


def serve(factory: Callable[[Path], Cells], part: Path, pipe, parent: int) -> None:
    """The side process: run the calls received until "finish", then answer ("done" | "error", exception).
    SIGTERM ends it there and then with exit status 0, printing nothing. Not by raising in the handler: the
    handler runs wherever Python code runs, a finalizer the collector called included, and an exception raised
    there is swallowed ("Exception ignored in __del__"): the side process served on and discard() waited for
    ever. What it was writing is removed by the main process (SideCells.discard, .finish)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole group: the main process decides
    signal.signal(signal.SIGTERM, leave)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)  # held back since the fork (SideCells)
    try:
        run_calls(factory, part, pipe, parent)
    except BaseException:  # the pipe closed, ...: never a traceback from here, the main process reports
        pass


def leave(signum, frame) -> None:
    """SIGTERM: no cleanup, no finalizer (a zip stopped mid-entry would complain from ZipFile.__del__)."""
    os._exit(0)


def run_calls(factory: Callable[[Path], Cells], part: Path, pipe, parent: int) -> None:
    cells = None
    error: BaseException | None = None
    try:
        cells = factory(part)
        while True:
            if not pipe.poll(POLL_SECONDS):
                if os.getppid() != parent:  # the main process is gone (kill -9)
                    return
                continue
            method, *args = pipe.recv()
            if method == "finish":
                break
            if error is None:
                try:
                    getattr(cells, method)(*args)
                except Exception as err:  # e.g. no space left: reported when the file is asked for
                    error = err
        if error is None:
            try:
                cells.finish()
                cells = None
            except Exception as err:
                error = err
        answer(pipe, error)
    finally:
        if cells is not None:
            cells.discard()


def answer(pipe, error: BaseException | None) -> None:
    if error is None:
        pipe.send(("done", None))
        return
    try:
        pipe.send(("error", error))
    except Exception:  # an exception that does not pickle
        pipe.send(("error", RuntimeError(f"{type(error).__name__}: {error}")))
