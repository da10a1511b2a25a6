"""One file in, one Dataset out — always, with a reports row saying what happened (never a traceback)."""
from __future__ import annotations

from pathlib import Path

import extract
from normalize.ids import file_sha256, report_id_from_sha
from normalize.schema import Dataset, to_frame


def process(path: str | Path, *, profile: str | None = None, ocr: bool = False,
            source_path: str | None = None) -> Dataset:
    """Read, recognise, normalise one report. `source_path` is the path as the user gave it (default: path)."""
    source_path = str(source_path if source_path is not None else path)
    sha = file_sha256(path)
    report = {"report_id": report_id_from_sha(sha), "source_path": source_path, "source_sha256": sha,
              "report_kind": "unknown", "n_scorecards": 0, "n_indicators": 0, "n_flags": 0}
    try:
        report["source_format"] = extract.detect_format(path)
        document = extract.read(path, ocr=ocr)
    except extract.ReadError as err:
        report.update(status=err.status, error=str(err))
        return _only_report(report)
    report.update(status="ok", source_format=document.format)
    # TODO(normalize): scorecards, indicators, figures, flags
    return _only_report(report)


def _only_report(report: dict) -> Dataset:
    data = Dataset.empty()
    data.reports = to_frame("reports", [report])
    return data
