"""`jixiao run` without the command line: find the files, skip those already done, process the rest in
parallel, store each result as it completes, then rewrite the batch tables."""
from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from itertools import chain
from typing import Callable, Iterable, Iterator

from jixiao import engines, exports, manifest, stop
from jixiao.inputs import missing_message, missing_path
from jixiao.dedup import Dedup
from jixiao.discover import Found, discover
from jixiao.lock import Busy, OutputLock
from jixiao.progress import Progress
from jixiao.store import Earlier, Saved, Store
from jixiao.worker import Rows, Task, work as default_work
from jixiao.normalize.schema import Dataset
from jixiao.normalize.writers.atomic import remove_stale_temps

DEFAULT_TIMEOUT = 300.0


class UsageError(Exception):
    """Bad paths or options: exit status 2."""


@dataclass
class Options:
    paths: list[str]
    out: str = "output"
    jobs: int | None = None  # None: all cores
    profile: str | None = None
    ocr: str = "auto"  # OCR engine choice (extract/ocr_engines.py CHOICES)
    force: bool = False
    timeout: float | None = DEFAULT_TIMEOUT
    parquet: bool = False
    jsonl: bool = False
    prune: bool = False  # remove files of earlier runs that are not among these inputs
    engine: str = "local"  # or "dask"
    scheduler: str | None = None


@dataclass
class Result:
    out: Path
    files: int  # inputs found
    processed: int  # of them, stored in this run (read, or a copy of one read)
    skipped: list[tuple[str, str]]  # (path, why) not inputs: hidden, temporary, loops
    earlier: Earlier = field(default_factory=lambda: Earlier([], []))  # files of earlier runs not given now
    copies: int = 0  # of the processed, identical bytes to another file read in this run: read once
    statuses: dict[str, int] = field(default_factory=dict)  # whole batch, by status
    flags: list[tuple[str, str, int]] = field(default_factory=list)  # whole batch: code, severity, count
    failed: list[tuple[str, str]] = field(default_factory=list)  # (source_path, error) for the whole batch
    written: list[str] = field(default_factory=list)  # batch outputs (re)written by this run
    unreviewed: int = 0  # error flags without a review mark (jixiao review)

    @property
    def exported(self) -> bool:
        return bool(self.written)

    @property
    def pruned(self) -> int:
        return len(self.earlier.removed)

    @property
    def exit_code(self) -> int:
        return 1 if self.statuses.get("failed") else 0


def check_options(options: Options) -> None:
    if not options.paths:
        raise UsageError("no input path given")
    missing = [p for p in options.paths if missing_path(p)]
    if missing:
        raise UsageError(missing_message(missing[0]) + "".join(f", {p}" for p in missing[1:]))
    if options.jobs is not None and options.jobs < 1:
        raise UsageError("--jobs must be at least 1")
    if options.timeout is not None and options.timeout <= 0:
        raise UsageError("--timeout must be more than 0 seconds")
    if options.engine == "dask" and not options.scheduler:
        raise UsageError("--engine dask needs --scheduler ADDRESS (e.g. tcp://10.0.0.5:8786)")
    if options.engine == "local" and options.scheduler:
        raise UsageError("--scheduler is only used with --engine dask")
    if Path(options.out).exists() and not Path(options.out).is_dir():
        raise UsageError(f"output {options.out} exists and is not a folder")


def run_batch(options: Options, progress: Progress | None = None,
              work: Callable[[Task], "Rows | Dataset"] = default_work) -> Result:
    """Run (or resume) a batch into options.out. KeyboardInterrupt leaves a consistent, resumable OUT: the next
    run rewrites whatever outputs were not finished."""
    check_options(options)
    progress = progress or Progress(quiet=True)
    out = Path(options.out)
    found = discover(options.paths, exclude=[str(out)])
    lock = OutputLock(out)
    try:
        out.mkdir(parents=True, exist_ok=True)
        lock.acquire()
        probe_writable(out)
    except Busy as err:
        raise UsageError(str(err)) from None
    except OSError as err:
        lock.release()
        raise UsageError(f"cannot write to the output folder {out}: {err.strerror or err}") from None
    try:
        return _run_locked(options, progress, work, out, found)
    finally:
        lock.release()


def _run_locked(options: Options, progress: Progress, work, out: Path, found) -> Result:
    remove_stale_temps(out)
    for scratch in out.glob(".jixiao-xlsx-*"):  # a workbook's sheet files, left by a run killed while writing it
        shutil.rmtree(scratch, ignore_errors=True)
    store = Store(out)
    remove_stale_temps(store.reports_dir)  # a report's folder being made (atomic_new_folder) by a run killed with -9
    exporter = exports.Exporter(store.conn, out, exports.wanted(options), store.folders)
    store.listeners.append(exporter.stored)
    try:
        settings = manifest.settings_key(options.profile, options.ocr)
        todo = [f for f in found.files if options.force or not manifest.is_done(store.conn, f, settings)]
        unchanged = len(found.files) - len(todo)
        if unchanged:
            progress.note(f"{unchanged} of {len(found.files)} files unchanged since the last run: skipped "
                          "(--force redoes them)")
        earlier = store.prune(found.files, remove_absent=options.prune)
        copies = 0
        if todo:
            exporter.start_streams()
            progress.start(len(todo))
        dedup = Dedup()
        for found_file, task, rows in outcomes(options, dedup.leaders(todo), work, store.reports_dir, len(todo)):
            report_done(progress, found_file, store.save(found_file, task, rows, settings))
            dedup.stored(found_file)
            for copy, stored_path in dedup.take_ready():
                report_done(progress, copy, store.save_copy(copy, stored_path, settings))
                copies += 1
            stop.check()  # a stop swallowed while this file was stored
        for copy, stored_path in dedup.take_ready():  # copies found after their first copy was stored
            report_done(progress, copy, store.save_copy(copy, stored_path, settings))
            copies += 1
        progress.close()
        stop.check()
        store.prune_folders()  # folders of reports whose content changed in this run
        written = exporter.write(progress)
        progress.close()
        return Result(out=out, files=len(found.files), processed=len(todo), skipped=found.skipped, earlier=earlier,
                      copies=copies, statuses=store.status_counts(), flags=store.flag_counts(),
                      failed=store.failures(), written=written, unreviewed=store.unreviewed_errors())
    finally:
        exporter.discard()
        progress.close()
        store.close()


def probe_writable(out: Path) -> None:
    """Fail now, before any work, if files cannot be created in OUT (read-only, not ours, full)."""
    fd, probe = tempfile.mkstemp(prefix=".jixiao-probe-", suffix=".tmp", dir=out)
    os.close(fd)
    os.unlink(probe)


def report_done(progress: Progress, found: Found, saved: Saved) -> None:
    """Flags count once per distinct report, as in the outputs (a copy adds its row, not its flags again)."""
    rows = saved.rows
    progress.done(found.source_path, rows.status, rows.error, rows.n_flags if saved.new_content else 0)


def outcomes(options: Options, todo: Iterable[tuple[Found, str | None]], work: Callable[[Task], Dataset], reports_dir: Path,
             n_files: int = 1):
    # local workers write each file's CSV folder themselves; Dask workers may not see OUT, so the store does
    folder = str(reports_dir.resolve()) if options.engine == "local" else None
    out = str(Path(options.out).resolve())  # evidence pictures are drawn by the workers (Dask ones: OUT shared)
    ocr_jobs = max((options.jobs or os.cpu_count() or 1) // max(n_files, 1), 1)  # fewer files than cores: pages share them
    items = ((f, Task(f.path, f.source_path, options.profile, options.ocr, folder, out, ocr_jobs, sha))
             for f, sha in todo)
    items = peek(items)
    if items is None:  # nothing to do: start no pool, contact no scheduler
        return
    try:
        if options.engine == "dask":
            yield from engines.run_dask(items, options.scheduler, options.timeout, work)
        else:
            yield from engines.run_local(items, options.jobs or os.cpu_count() or 1, options.timeout, work)
    except engines.EngineError as err:
        raise UsageError(str(err)) from err


def peek(items: Iterator) -> Iterator | None:
    """The same items, or None if there are none."""
    first = next(items, None)
    return None if first is None else chain([first], items)
