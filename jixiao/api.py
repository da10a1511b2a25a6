"""The Python API: `jixiao.read(path)` -> Dataset, raising like open() does when there is no report to read."""
from __future__ import annotations

import errno
import os
from pathlib import Path

from jixiao.inputs import missing_path
from jixiao.normalize.schema import Dataset

UNREADABLE = ("failed", "needs_ocr", "needs_converter")  # statuses for which read() raises ReportError


class ReportError(Exception):
    """The file exists but jixiao could not read a report from it. `status` is the reports.status it would get
    (failed, needs_ocr, needs_converter), `reason` the one-line reason, `dataset` the Dataset with that row."""

    def __init__(self, path: str, status: str, reason: str, dataset: Dataset):
        super().__init__(f"{path}: {reason} ({status})")
        self.path, self.status, self.reason, self.dataset = path, status, reason, dataset


def read(path: str | os.PathLike, *, profile: str | None = None, ocr: str = "auto", errors: str = "raise",
         source_path: str | None = None) -> Dataset:
    """Read one report into a Dataset: six pandas DataFrames (reports, scorecards, budget_lines, indicators,
    figures, flags) with the dtypes of docs/schema.md.

        data = jixiao.read("report.docx")
        data.flags[data.flags.severity == "error"]

    profile: a scoring profile name (`hubei-2021`, `mof-2020`; default: detected per form).
    ocr: the OCR engine for PDF pages without a text layer: auto (default), rapidocr, tesseract, off.
    errors: "raise" (default) raises FileNotFoundError for a missing path, IsADirectoryError for a folder and
        jixiao.ReportError (with .status, .reason and .dataset) for a file that could not be read (status failed,
        needs_ocr or needs_converter); "row" never raises for the file: you get the Dataset with its one
        reports row saying what went wrong, as `jixiao run` stores it.
    source_path: the path recorded in reports.source_path (default: path as given).
    """
    from jixiao.normalize.pipeline import process
    if errors not in ("raise", "row"):
        raise ValueError(f"errors must be 'raise' or 'row', not {errors!r}")
    if errors == "raise":
        missing = missing_path(path)
        if missing:
            raise missing
        if os.path.isdir(path):
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), os.fspath(path))
    data = process(Path(path), profile=profile, ocr=ocr, source_path=source_path or os.fspath(path))
    report = data.reports.iloc[0]
    if errors == "raise" and report["status"] in UNREADABLE:
        raise ReportError(os.fspath(path), report["status"], str(report["error"]), data)
    return data
