"""Find the input files under the paths given: recursive, symlink loops followed once, hidden and temporary
files skipped and reported."""
from __future__ import annotations

import os
from dataclasses import dataclass, field

TEMP_PREFIXES = ("~$", ".~lock.", "~")  # Office owner files, LibreOffice locks, editor temp copies
TEMP_SUFFIXES = ("~", ".tmp", ".temp", ".part", ".crdownload", ".swp")


@dataclass(frozen=True)
class Found:
    path: str  # absolute
    source_path: str  # as reached from the path on the command line
    size: int  # at discovery: the manifest's quick "unchanged?" test
    mtime_ns: int
    key: str = ""  # resolved (symlinks, `.`, `..`): how the manifest knows the file, whatever its spelling


@dataclass
class Discovery:
    files: list[Found] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (path, why)


def is_skipped_name(name: str) -> str | None:
    """Why a file or folder name is not an input, or None if it is one."""
    if name.startswith(TEMP_PREFIXES) or name.endswith(TEMP_SUFFIXES):
        return "temporary file"
    if name.startswith("."):
        return "hidden"
    return None


def discover(paths: list[str], exclude: list[str] = ()) -> Discovery:
    """Every input file under `paths` once (by the path it was reached by), in a stable order.

    `exclude` holds folders never to enter (the output folder, when it sits inside an input folder).
    A path that does not exist raises FileNotFoundError (a usage error)."""
    for path in paths:
        if not os.path.lexists(path):
            raise FileNotFoundError(path)
    result = Discovery()
    seen: set[str] = set()
    excluded = {os.path.realpath(p) for p in exclude}
    for path in paths:
        if os.path.isdir(path):
            walk(path, result, seen, excluded)
        else:
            add_file(path, result, seen, explicit=True)
    return result


def walk(root: str, result: Discovery, seen: set[str], excluded: set[str]) -> None:
    visited: set[tuple[int, int]] = set()  # (device, inode) of folders entered: a symlink loop is entered once
    for folder, dirs, files in os.walk(root, followlinks=True, onerror=lambda err: skip(result, err)):
        stat = os.stat(folder)
        if (stat.st_dev, stat.st_ino) in visited:
            result.skipped.append((folder, "folder already visited (symlink loop)"))
            dirs.clear()
            continue
        visited.add((stat.st_dev, stat.st_ino))
        if os.path.realpath(folder) in excluded:
            result.skipped.append((folder, "output folder"))
            dirs.clear()
            continue
        dirs.sort()
        for name in list(dirs):
            why = is_skipped_name(name)
            if why:
                result.skipped.append((os.path.join(folder, name), f"{why} folder"))
                dirs.remove(name)
        for name in sorted(files):
            add_file(os.path.join(folder, name), result, seen, explicit=False)


def add_file(path: str, result: Discovery, seen: set[str], explicit: bool) -> None:
    source_path = os.path.normpath(path)
    key = os.path.realpath(path)
    if key in seen:  # the same file by another spelling (`in/a.txt`, `/abs/./in/a.txt`, a symlink): once
        return
    why = None if explicit else is_skipped_name(os.path.basename(path))
    if why is None and not os.path.isfile(path):
        why = "not a regular file" if os.path.exists(path) else "broken symlink"
    if why:
        result.skipped.append((source_path, why))
        return
    stat = os.stat(path)
    seen.add(key)
    result.files.append(Found(os.path.abspath(path), source_path, stat.st_size, stat.st_mtime_ns, key))


def skip(result: Discovery, err: OSError) -> None:
    result.skipped.append((err.filename or "?", f"unreadable folder ({err.strerror})"))
