"""`jixiao run PATH...`: a folder tree (or files) of reports -> the canonical dataset in OUT."""
from __future__ import annotations

import argparse
import os
import signal
import sqlite3
import sys

from jixiao import stop
from jixiao.batch import DEFAULT_TIMEOUT, Options, UsageError, run_batch
from jixiao.progress import Progress
from jixiao.summary import summary_text
from jixiao.commands.options import add_ocr_engine
from jixiao.normalize.profiles import all_profiles

EPILOG = """\
outputs in OUT:
  reports/<name>-<id>/<table>.csv   one folder per report: the six tables as CSV (UTF-8 with BOM)
  <table>.csv                       the batch: reports (one row per input file), scorecards,
                                    budget_lines, indicators, figures, flags
  jixiao.sqlite                     the same six tables, typed, with keys and indexes
  audit.xlsx                        summary sheet + one sheet per table, flags coloured by severity
  <table>.parquet, <table>.jsonl     with --parquet, --jsonl

A rerun skips files already done (same bytes, same settings; a file is known by its resolved path,
however it is spelled) and picks up new or changed ones; an interrupted run (Ctrl-C, SIGTERM, kill -9,
a full disk) resumes where it stopped and rewrites any output it had not finished. Files of earlier runs
that are not among the inputs are kept (--prune removes them); files that no longer exist are removed.
One run at a time per OUT: a second run into a folder in use is refused (exit 2).

exit status:
  0  every file was read (ok or partial; needs_ocr / needs_converter are reported, not failures)
  1  some files failed (see the summary, the failed rows of reports.csv, or --log)
  2  usage error (bad path, bad option), OUT in use or not writable, no space left
  130  interrupted (Ctrl-C); 143 stopped by SIGTERM
"""


def add_parser(sub) -> None:
    p = sub.add_parser("run", help="read reports (files or folders, recursively) into OUT",
                       description="Read every report under PATH... into the canonical dataset in OUT.",
                       epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("paths", nargs="+", metavar="PATH", help="report files or folders (searched recursively)")
    p.add_argument("-o", "--out", default="output", metavar="OUT", help="output folder (default: output)")
    p.add_argument("-j", "--jobs", type=int, metavar="N", help="worker processes (default: all cores)")
    p.add_argument("--profile", metavar="NAME", choices=sorted(all_profiles()),
                   help=f"scoring profile for every file: {', '.join(sorted(all_profiles()))} "
                        "(default: detected per form from its headers)")
    p.add_argument("--force", action="store_true", help="redo every file, even unchanged ones")
    add_ocr_engine(p)
    p.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, metavar="SECONDS",
                   help=f"stop a file after this long and report it failed (default: {DEFAULT_TIMEOUT:g})")
    p.add_argument("--parquet", action="store_true", help="also write OUT/<table>.parquet (needs pyarrow)")
    p.add_argument("--jsonl", action="store_true",
                   help="also write OUT/<table>.jsonl: one JSON object per row (for jq, pandas.read_json(lines=True))")
    p.add_argument("--prune", action="store_true",
                   help="remove files of earlier runs that are not among these inputs (default: kept)")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar and no summary (see the exit status)")
    p.add_argument("--log", metavar="FILE", help="append one line per file and the summary to FILE")
    p.add_argument("--engine", choices=("local", "dask"), default="local",
                   help="local worker processes (default) or an existing Dask cluster")
    p.add_argument("--scheduler", metavar="ADDRESS", help="Dask scheduler address, with --engine dask")
    p.set_defaults(func=run_command)


def run_command(args: argparse.Namespace) -> int:
    options = Options(paths=args.paths, out=args.out, jobs=args.jobs, profile=args.profile, ocr=args.ocr_engine,
                      force=args.force, timeout=args.timeout, parquet=args.parquet, jsonl=args.jsonl,
                      prune=args.prune, engine=args.engine, scheduler=args.scheduler)
    try:
        progress = Progress(quiet=args.quiet, log_path=args.log)
    except OSError as err:
        return usage_error(f"cannot open the log file: {err}")
    try:
        with stop_signals():
            result = run_batch(options, progress)
    except UsageError as err:
        progress.abort(f"usage error: {err}")
        return usage_error(str(err))
    except KeyboardInterrupt as stop:
        # a write stopped inside a zip entry complains from ZipFile.__del__ as the run unwinds: this line says it all
        sys.unraisablehook = lambda unraisable: None
        how = "stopped (SIGTERM)" if isinstance(stop, Terminated) else "interrupted"
        message = f"{how}: what was done is kept in {options.out}/; run the same command again to finish"
        progress.abort(message)
        print(f"jixiao run: {message}", file=sys.stderr)
        return 143 if isinstance(stop, Terminated) else 130
    except sqlite3.OperationalError as err:  # e.g. database or disk is full
        progress.abort(f"error: {err}")
        return usage_error(f"cannot write {os.path.join(options.out, 'jixiao.sqlite')}: {err}")
    except OSError as err:  # no space left, a folder made read-only during the run ...
        progress.abort(f"error: {err}")
        return usage_error(f"cannot write {err.filename or options.out}: {err.strerror or err}")
    progress.finish(summary_text(result, options.parquet))
    return result.exit_code


class Terminated(KeyboardInterrupt):
    """SIGTERM, handled like Ctrl-C: the run stops where it is and leaves OUT consistent."""


class stop_signals:
    """While the batch runs, SIGTERM and Ctrl-C stop it in the main process: the handler records the stop and raises
    it (Terminated, KeyboardInterrupt); where Python swallowed that (in a finalizer), the batch raises it again at
    its next safe point (jixiao/stop.py), and the swallowed one's "Exception ignored" report is not printed. Worker
    processes, which inherit the handler, behave as without it. A signal ignored when the run began stays ignored."""

    SIGNALS = {signal.SIGTERM: Terminated, signal.SIGINT: KeyboardInterrupt}

    def __enter__(self):
        main_pid = os.getpid()

        def handler(signum, frame):
            if os.getpid() != main_pid:
                if signum == signal.SIGINT:
                    signal.default_int_handler(signum, frame)
                signal.signal(signum, signal.SIG_DFL)
                os.kill(os.getpid(), signum)
                return
            stop.ask(self.SIGNALS[signum])
            raise self.SIGNALS[signum]()

        self.previous = {signum: signal.getsignal(signum) for signum in self.SIGNALS}
        for signum, previous in self.previous.items():
            if previous is not signal.SIG_IGN:
                signal.signal(signum, handler)
        self.hook = sys.unraisablehook
        sys.unraisablehook = self.unraisable
        return self

    def unraisable(self, unraisable) -> None:
        if not stop.swallowed(unraisable):
            self.hook(unraisable)

    def __exit__(self, *exc):
        for signum, previous in self.previous.items():
            if previous is not None:  # None: a handler not set from Python, left as it is
                signal.signal(signum, previous)
        sys.unraisablehook = self.hook
        stop.clear()


def usage_error(message: str) -> int:
    print(f"jixiao run: {message}", file=sys.stderr)
    return 2
