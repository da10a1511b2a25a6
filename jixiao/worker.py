"""The per-file work, safe to run in a worker process or on a Dask worker: one file in, one Dataset out,
whatever happens (an exception becomes a `failed` reports row). `run_task` is what the engines run: it turns
the Dataset into plain rows (cheap to send back and to store) and, given the folder, writes the file's CSVs."""
from __future__ import annotations

import gc
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pandas as pd

from jixiao.normalize.evidence import report_folder_name  # noqa: F401 — OUT/reports/<this>, used by store
from jixiao.normalize.ids import file_sha256, report_id_from_sha
from jixiao.normalize.pipeline import RowTables, process_rows
from jixiao.normalize.schema import TABLES, Dataset, to_frame, to_tuples
from jixiao.normalize.writers.csv_files import write_csv, write_rows_folder
from jixiao.normalize.writers.rows import conform, frame_row_list


@dataclass(frozen=True)
class Task:
    """One input file: where to read it, how the user named it, and how to process it."""

    path: str  # absolute: workers may have another working directory
    source_path: str  # as found from the command line (relative stays relative)
    profile: str | None = None
    ocr: str = "auto"  # OCR engine for pages without a text layer (extract/ocr_engines.py CHOICES)
    reports_dir: str | None = None  # absolute OUT/reports: the worker writes the file's CSV folder there
    out: str | None = None  # absolute OUT: the worker draws the flags' evidence pictures into OUT/evidence
    ocr_jobs: int = 1  # pages of this file OCR'd at a time (cores left over when there are few files)
    sha256: str | None = None  # the file's hash, when the batch already computed it (dedup): read once


@dataclass
class Rows:
    """One file's six tables as rows of plain values in the schema's column order (None for NULL)."""

    tables: dict[str, list[tuple]]
    folder_written: bool = False  # the CSV folder is already written (by the worker)

    @property
    def report(self) -> dict:
        return dict(zip(TABLES["reports"], self.tables["reports"][0]))

    @property
    def report_id(self) -> str | None:
        return self.report["report_id"]

    @property
    def status(self) -> str:
        return self.report["status"]

    @property
    def error(self) -> str | None:
        return self.report["error"]

    @property
    def n_flags(self) -> int:
        return len(self.tables["flags"])


def rows_of(data: Dataset | RowTables) -> Rows:
    """A Dataset, or process_rows()'s plain rows, as tuples in the schema's order (values cast to their types)."""
    if isinstance(data, Dataset):
        return Rows({table: frame_row_list(table, frame) for table, frame in data.tables().items()})
    return Rows({table: to_tuples(table, data.get(table, [])) for table in TABLES})


def write_folder(reports_dir: str | Path, source_path: str, rows: Rows) -> None:
    """The file's six tables as CSVs in its own folder (each file atomically)."""
    write_rows_folder(Path(reports_dir) / report_folder_name(source_path, rows.report_id), rows.tables)


def write_flags_csv(reports_dir: str | Path, source_path: str, rows: Rows) -> None:
    """The flags.csv of the file's folder again (the review marks carried onto its flags in the main process)."""
    folder = Path(reports_dir) / report_folder_name(source_path, rows.report_id)
    write_csv(folder / "flags.csv", TABLES["flags"], rows.tables["flags"])


def run_task(task: Task, work: Callable[[Task], "Rows | Dataset"]) -> Rows:
    """work() in a worker, its result as rows; the CSV folder written here when the task names OUT/reports,
    so the main process only stores rows."""
    result = work(task)
    rows = result if isinstance(result, Rows) else rows_of(result)
    settle_heap()
    if task.reports_dir:
        write_folder(task.reports_dir, task.source_path, rows)
        rows.folder_written = True
    return rows


_settled = False


YOUNG_OBJECTS = 10_000  # a file's objects mostly die by their reference counts: collect the young ones this seldom


def settle_heap() -> None:
    """Once per worker, after its first file: what imports and the first file built (modules, vocabularies,
    caches) is moved out of the collector's sight (gc.freeze), so its full passes no longer walk it again and
    again (~10 % of a .txt file's CPU); objects still die by their reference counts as before. The young
    generation is collected after YOUNG_OBJECTS new objects, not 700 (~8 passes a file down to ~0.1: ~5 %)."""
    global _settled
    if not _settled:
        _settled = True
        gc.collect()  # the first file's cyclic garbage first: frozen objects are never collected
        gc.freeze()
        gc.set_threshold(YOUNG_OBJECTS, *gc.get_threshold()[1:])


def work(task: Task) -> Rows:
    """process_rows() with a safety net: never raises, and every value fits its column's type."""
    try:
        data = process_rows(task.path, profile=task.profile, ocr=task.ocr, ocr_jobs=task.ocr_jobs,
                            source_path=task.source_path, sha256=task.sha256, evidence_out=task.out)
        if len(data.get("reports", [])) != 1:
            return rows_of(failed(task, f"internal: the pipeline returned {len(data.get('reports', []))} "
                                        f"reports rows, not 1"))
        return rows_of(data)
    except Exception as err:  # a bug in a reader must cost one file, not the batch
        return rows_of(failed(task, one_line(err)))


def dataset(task: Task) -> Dataset:
    """work() as DataFrames with the schema's dtypes (for `jixiao check`): the same safety net."""
    rows = work(task)
    return Dataset(**{table: conform(table, pd.DataFrame(rows.tables[table], columns=list(TABLES[table]),
                                                         dtype=object))
                      for table in TABLES})


def failed(task: Task, error: str) -> Dataset:
    """A Dataset holding only a `failed` reports row (ids computed here: the worker may have died)."""
    try:
        sha = file_sha256(task.path)
    except OSError:
        sha = None
    report = {
        "report_id": report_id_from_sha(sha) if sha else None, "source_path": task.source_path,
        "source_sha256": sha, "source_format": None, "status": "failed", "error": error,
        "report_kind": "unknown", "n_scorecards": 0, "n_indicators": 0, "n_flags": 0,
    }
    data = Dataset.empty()
    data.reports = to_frame("reports", [report])
    return data


def one_line(err: BaseException) -> str:
    """`ValueError: bad thing` on one line, short enough for a table cell."""
    text = " ".join(str(err).split()) or "no message"
    return f"{type(err).__name__}: {text}"[:300]
