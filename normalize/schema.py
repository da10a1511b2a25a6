"""The canonical dataset's six tables: column names and dtypes (the public contract of docs/schema.md)."""
from __future__ import annotations

import math
from dataclasses import dataclass, fields

import pandas as pd

S, I, F = "string", "Int64", "Float64"  # pandas nullable dtypes: NULL stays NULL, never 0

TABLES: dict[str, dict[str, str]] = {
    "reports": {
        "report_id": S, "source_path": S, "source_format": S, "source_sha256": S, "status": S, "error": S,
        "unit_name": S, "fiscal_year": I, "report_kind": S, "title": S,
        "claimed_score": F, "claimed_grade": S, "recomputed_score": F,
        "n_scorecards": I, "n_indicators": I, "n_flags": I, "warnings": S,
    },
    "scorecards": {
        "report_id": S, "scorecard_id": S, "seq": I, "kind": S, "name": S, "unit_name": S,
        "claimed_total": F, "recomputed_total": F, "claimed_grade": S, "recomputed_grade": S,
        "location": S, "profile": S,
        "page": I, "bbox": S, "table": I, "row": I, "col": I, "line_no": I,
    },
    "budget_lines": {
        "report_id": S, "scorecard_id": S, "seq": I, "line": S,
        "budget_wan": F, "executed_wan": F, "budget_raw": S, "executed_raw": S,
        "claimed_rate": F, "recomputed_rate": F, "weight": F,
        "claimed_score": F, "recomputed_score": F, "location": S,
        "page": I, "bbox": S, "table": I, "row": I, "col": I, "line_no": I,
    },
    "indicators": {
        "report_id": S, "scorecard_id": S, "seq": I, "level1": S, "level2": S, "level3": S,
        "level1_weight": F, "level2_weight": F, "weight": F,
        "target_raw": S, "actual_raw": S,
        "target_op": S, "target_value": F, "target_unit": S,
        "actual_op": S, "actual_value": F, "actual_unit": S,
        "direction": S, "claimed_score": F, "recomputed_score": F,
        "recomputed_low": F, "recomputed_high": F, "location": S,
        "page": I, "bbox": S, "table": I, "row": I, "col": I, "line_no": I,
    },
    "figures": {
        "report_id": S, "seq": I, "label": S, "value": F, "unit": S,
        "value_norm": F, "unit_norm": S, "parent_seq": I, "sentence": S, "location": S,
    },
    "flags": {
        "report_id": S, "scorecard_id": S, "indicator_seq": I, "code": S, "severity": S,
        "message": S, "claimed": F, "recomputed": F, "location": S,
        "page": I, "bbox": S, "table": I, "row": I, "col": I, "line_no": I,
        "source_path": S, "fingerprint": S, "evidence": S, "review": S, "review_note": S,
    },
}

# Where, precisely (docs/schema.md, Conventions): the columns that place a row's claim in its source, all
# indices counted from INDEX_BASE within the document, boxes written as BBOX_FORMAT in PDF points, origin
# top-left (pdfplumber's coordinates). tests/test_docs.py holds docs/schema.md to these.
GEOMETRY_COLUMNS = ("page", "bbox", "table", "row", "col", "line_no")
INDEX_BASE = 1
BBOX_FORMAT = "x0,y0,x1,y1"

# Primary keys (for SQLite and for de-duplication in batch tables).
PRIMARY_KEYS: dict[str, tuple[str, ...]] = {
    "reports": ("source_path",),  # one row per input file; copies share a report_id
    "scorecards": ("scorecard_id",),
    "budget_lines": ("scorecard_id", "seq"),
    "indicators": ("scorecard_id", "seq"),
    "figures": ("report_id", "seq"),
    "flags": (),  # no natural key: a rowid
}

TABLE_NAMES = tuple(TABLES)


_EMPTY: dict[str, pd.DataFrame] = {}  # built once per process: an empty frame costs milliseconds in pandas


def empty_frame(table: str) -> pd.DataFrame:
    if table not in _EMPTY:
        _EMPTY[table] = pd.DataFrame({col: pd.Series(dtype=dtype) for col, dtype in TABLES[table].items()})
    return _EMPTY[table].copy()


def to_frame(table: str, rows: list[dict]) -> pd.DataFrame:
    """Rows (dicts, missing keys = NULL) -> a frame with exactly the table's columns and dtypes."""
    columns = TABLES[table]
    if not rows:
        return empty_frame(table)
    # typed arrays straight into the frame: a third of the time of a Series per column
    return pd.DataFrame({col: pd.array([row.get(col) for row in rows], dtype=dtype)
                         for col, dtype in columns.items()}, copy=False)


_CASTS = {S: str, I: int, F: float}


def _cast(value, cast):
    if type(value) is cast and cast is not float:
        return value  # str(text) and int(n) are themselves: most values are already of their column's type
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if cast is int and isinstance(value, float) and not value.is_integer():
        raise ValueError(f"{value} is not an integer")
    return cast(value)


def to_tuples(table: str, rows: list[dict]) -> list[tuple]:
    """Rows (dicts) -> plain tuples in the schema's column order, each value cast to its column's type: what
    to_frame would hold, without building a frame (the batch path stores rows, not frames)."""
    casts = [(col, _CASTS[dtype]) for col, dtype in TABLES[table].items()]
    return [tuple([_cast(row.get(col), cast) for col, cast in casts]) for row in rows]


@dataclass
class Dataset:
    """One report's canonical dataset (or a batch's union): six DataFrames with the schema's columns."""

    reports: pd.DataFrame
    scorecards: pd.DataFrame
    budget_lines: pd.DataFrame
    indicators: pd.DataFrame
    figures: pd.DataFrame
    flags: pd.DataFrame

    @classmethod
    def empty(cls) -> "Dataset":
        return cls(**{name: empty_frame(name) for name in TABLE_NAMES})

    def tables(self) -> dict[str, pd.DataFrame]:
        return {f.name: getattr(self, f.name) for f in fields(self)}
