"""Rows of a schema table as plain Python values (None for NULL): what csv, sqlite3 and openpyxl accept."""
from __future__ import annotations

import math
from typing import Iterator

import pandas as pd

from normalize.schema import TABLES


def native(value):
    """pd.NA / NaN -> None; numpy scalars -> Python scalars."""
    if value is None or value is pd.NA:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item"):  # numpy scalar
        return native(value.item())
    return value


def frame_rows(table: str, frame: pd.DataFrame) -> Iterator[tuple]:
    """The frame's rows in the schema's column order (columns the frame lacks are NULL)."""
    columns = [frame[col].tolist() if col in frame else [None] * len(frame) for col in TABLES[table]]
    for values in zip(*columns):
        yield tuple(native(v) for v in values)


def conform(table: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Exactly the schema's columns and dtypes (raises if a value does not fit its column's type)."""
    columns = TABLES[table]
    if list(frame.columns) == list(columns) and all(str(t) == columns[c] for c, t in frame.dtypes.items()):
        return frame.copy(deep=False)  # already conforming (as process() builds them): skip a 2 ms astype a table
    frame = frame.reindex(columns=list(columns))
    return frame.astype(columns)
