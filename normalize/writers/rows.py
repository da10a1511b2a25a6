"""Rows of a schema table as plain Python values (None for NULL): what csv, sqlite3 and openpyxl accept."""
from __future__ import annotations

import math
from typing import Iterator

import pandas as pd

from jixiao.normalize.schema import TABLES

NULLABLE_DTYPES = ("string", "Int64", "Float64")  # the schema's: their arrays convert to Python values at once


def native(value):
    """pd.NA / NaN -> None; numpy scalars -> Python scalars."""
    if value is None or value is pd.NA:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item"):  # numpy scalar
        return native(value.item())
    return value


def column_values(column: pd.Series) -> list:
    """A column as Python values, NULL as None: one vectorised conversion for the schema's nullable dtypes."""
    if str(column.dtype) not in NULLABLE_DTYPES:
        return [native(v) for v in column.tolist()]  # e.g. object or numpy columns: value by value
    values = column.array.to_numpy(dtype=object, na_value=None).tolist()
    if column.dtype == "Float64":  # a NaN that is not NA is still NULL for csv and sqlite
        return [None if v is not None and math.isnan(v) else v for v in values]
    return values


def frame_rows(table: str, frame: pd.DataFrame) -> Iterator[tuple]:
    """The frame's rows in the schema's column order (columns the frame lacks are NULL)."""
    yield from frame_row_list(table, frame)


def frame_row_list(table: str, frame: pd.DataFrame) -> list[tuple]:
    """frame_rows as a list."""
    columns = [column_values(frame[col]) if col in frame else [None] * len(frame) for col in TABLES[table]]
    return list(zip(*columns))


def conform(table: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Exactly the schema's columns and dtypes (raises if a value does not fit its column's type)."""
    columns = TABLES[table]
    if list(frame.columns) == list(columns) and all(str(t) == columns[c] for c, t in frame.dtypes.items()):
        return frame.copy(deep=False)  # already conforming (as process() builds them): skip a 2 ms astype a table
    frame = frame.reindex(columns=list(columns))
    return frame.astype(columns)
