"""The same refusal, in the same words and with the same exit status (2), from every command given a path."""
from __future__ import annotations

import errno
import os
import sys

USAGE_ERROR = 2


def missing_path(path: str | os.PathLike) -> FileNotFoundError | None:
    """FileNotFoundError for a path that does not exist (a dangling symlink included), else None."""
    if os.path.exists(path):
        return None
    why = "dangling symlink" if os.path.islink(path) else os.strerror(errno.ENOENT)
    return FileNotFoundError(errno.ENOENT, why, os.fspath(path))


def missing_message(path: str) -> str:
    """What every command says of a path that does not exist (`jixiao run` too, through batch.UsageError)."""
    err = missing_path(path)
    return f"no such file or folder: {path}" + (" (a dangling symlink)" if err and err.strerror == "dangling symlink"
                                                else "")


def refuse_unless_file(command: str, path: str) -> int | None:
    """None when `path` is a file to read; else print why on stderr and return the exit status (2)."""
    if missing_path(path):
        why = missing_message(path)
    elif os.path.isdir(path):
        why = f"{path} is a folder: give one report file (jixiao run reads folders)"
    else:
        return None
    print(f"jixiao {command}: {why}", file=sys.stderr)
    return USAGE_ERROR
