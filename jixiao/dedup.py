"""Identical bytes are read once per run: later copies wait for the first copy's result and reuse it
(the same content gives the same rows anyway; only reports.source_path differs)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Iterator

from jixiao.discover import Found
from jixiao.normalize.ids import file_sha256


@dataclass
class Dedup:
    waiting: dict[str, list[Found]] = field(default_factory=dict)  # sha -> copies waiting for the in-flight first
    leader_sha: dict[str, str] = field(default_factory=dict)  # source_path of an in-flight first copy -> sha
    finished: dict[str, str] = field(default_factory=dict)  # sha -> source_path of the stored first copy
    ready: list[tuple[Found, str]] = field(default_factory=list)  # (copy, stored first copy) to store now

    def leaders(self, files: Iterable[Found]) -> Iterator[tuple[Found, str | None]]:
        """The files to process, with their hash (the worker need not read them twice): the first of each
        content; the others are parked as copies."""
        for found in files:
            try:
                sha = file_sha256(found.path)
            except OSError:  # unreadable: let the worker report it
                yield found, None
                continue
            if sha in self.finished:
                self.ready.append((found, self.finished[sha]))
            elif sha in self.waiting:
                self.waiting[sha].append(found)
            else:
                self.waiting[sha] = []
                self.leader_sha[found.source_path] = sha
                yield found, sha

    def stored(self, leader: Found) -> None:
        """The first copy is stored: its waiting copies become ready."""
        sha = self.leader_sha.pop(leader.source_path, None)
        if sha is None:
            return
        self.finished[sha] = leader.source_path
        self.ready.extend((copy, leader.source_path) for copy in self.waiting.pop(sha, []))

    def take_ready(self) -> list[tuple[Found, str]]:
        ready, self.ready = self.ready, []
        return ready
