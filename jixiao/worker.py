"""The per-file work, safe to run in a worker process or on a Dask worker: one file in, one Dataset out,
whatever happens (an exception becomes a `failed` reports row)."""
from __future__ import annotations

from dataclasses import dataclass

from normalize.ids import file_sha256, report_id_from_sha
from normalize.pipeline import process
from normalize.schema import Dataset, to_frame
from normalize.writers.rows import conform


@dataclass(frozen=True)
class Task:
    """One input file: where to read it, how the user named it, and how to process it."""

    path: str  # absolute: workers may have another working directory
    source_path: str  # as found from the command line (relative stays relative)
    profile: str | None = None
    ocr: bool = False


def work(task: Task) -> Dataset:
    """process() with a safety net: never raises, and the tables always fit the schema."""
    try:
        data = process(task.path, profile=task.profile, ocr=task.ocr, source_path=task.source_path)
        if len(data.reports) != 1:
            return failed(task, f"internal: the pipeline returned {len(data.reports)} reports rows, not 1")
        return Dataset(**{name: conform(name, frame) for name, frame in data.tables().items()})
    except Exception as err:  # a bug in a reader must cost one file, not the batch
        return failed(task, one_line(err))


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


def status_of(data: Dataset) -> str:
    return str(data.reports["status"].iloc[0])
