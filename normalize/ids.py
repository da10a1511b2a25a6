"""Stable ids: the same input bytes give the same ids on every run and machine."""
from __future__ import annotations

import hashlib
from pathlib import Path


def file_sha256(path: str | Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def report_id_from_sha(sha256: str) -> str:
    return sha256[:16]


def scorecard_id(report_id: str, seq: int) -> str:
    return f"{report_id}-{seq:02d}"
