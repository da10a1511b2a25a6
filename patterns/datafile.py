"""Loading the TOML data files a domain expert edits, checked against a small schema kept beside each loader.

A typo'd key or a number written as text must fail at load with the file and the key named, not later as a
silently ignored rule. A schema is plain Python:

    str, int, float, bool      that type (float accepts an integer; bool is never a number)
    [spec]                     a list whose items match spec
    (spec, spec)               a list of exactly that many items, each matching its spec
    {"key": spec, ...}         a table with these keys; Optional(spec) marks a key that may be absent;
                               any other key is an error
    Table(spec)                a table with keys of the author's choosing (words, codes), values matching spec
    Either(spec, spec)         a value matching one of the specs
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any


class DataFileError(ValueError):
    """A data file that does not match its schema; the message names the file and the key."""


@dataclass(frozen=True)
class Optional:
    spec: Any


@dataclass(frozen=True)
class Table:
    spec: Any


@dataclass(frozen=True)
class Either:
    specs: tuple

    def __init__(self, *specs: Any) -> None:
        object.__setattr__(self, "specs", specs)


_TYPE_NAMES = {str: "text", int: "an integer", float: "a number", bool: "true or false"}


def load(path: Path, schema: Any) -> dict:
    """The file's data, checked against schema; DataFileError naming the file and key otherwise."""
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as err:
        raise DataFileError(f"{path}: not valid TOML: {err}") from None
    check(data, schema, str(path))
    return data


def check(value: Any, spec: Any, file: str, key: str = "") -> None:
    """Raise DataFileError when value does not match spec (see the module's doc)."""
    problem = _problem(value, spec, key)
    if problem is not None:
        raise DataFileError(f"{file}: {problem}")


def _problem(value: Any, spec: Any, key: str) -> str | None:
    where = f"key {key!r}" if key else "top level"
    if isinstance(spec, Either):
        problems = [_problem(value, s, key) for s in spec.specs]
        return None if any(p is None for p in problems) else problems[0]
    if isinstance(spec, type):
        ok = isinstance(value, spec) and not (isinstance(value, bool) and spec is not bool)
        if spec is float and isinstance(value, int) and not isinstance(value, bool):
            ok = True
        return None if ok else f"{where}: expected {_TYPE_NAMES[spec]}, got {value!r}"
    if isinstance(spec, list):
        if not isinstance(value, list):
            return f"{where}: expected a list, got {value!r}"
        return next((p for i, item in enumerate(value) if (p := _problem(item, spec[0], f"{key}[{i}]"))), None)
    if isinstance(spec, tuple):
        if not isinstance(value, list) or len(value) != len(spec):
            return f"{where}: expected a list of {len(spec)} items, got {value!r}"
        return next((p for i, (item, s) in enumerate(zip(value, spec)) if (p := _problem(item, s, f"{key}[{i}]"))),
                    None)
    if isinstance(spec, Table):
        if not isinstance(value, dict):
            return f"{where}: expected a table, got {value!r}"
        return next((p for k, v in value.items() if (p := _problem(v, spec.spec, _join(key, k)))), None)
    if isinstance(spec, dict):
        if not isinstance(value, dict):
            return f"{where}: expected a table, got {value!r}"
        unknown = [k for k in value if k not in spec]
        if unknown:
            return f"unknown key {_join(key, unknown[0])!r} (known here: {', '.join(spec)})"
        for k, s in spec.items():
            if k not in value:
                if not isinstance(s, Optional):
                    return f"missing key {_join(key, k)!r}"
                continue
            problem = _problem(value[k], s.spec if isinstance(s, Optional) else s, _join(key, k))
            if problem is not None:
                return problem
        return None
    raise TypeError(f"not a schema: {spec!r}")


def _join(key: str, k: str) -> str:
    return f"{key}.{k}" if key else k
