"""jieba's tokenizer with its prefix dictionary read a first character at a time.

jieba's dictionary and the domain words (~500 k entries) take 0.5 s of marshal.load, and every worker paid
that on its first prose sentence. Cutting a text looks up only substrings of it (jieba's get_DAG, then calc
on the same text), so the entries starting with one of its characters give the same words. Those entries are
kept in a file of shards, one per first character, built once from jieba's own loading (keyed by jieba's
version, its dictionary file and the domain words) in the temp folder, where jieba keeps its own cache.
"""
from __future__ import annotations

import hashlib
import logging
import marshal
import mmap
import os
import struct
import tempfile
import threading
from pathlib import Path

from jixiao.patterns.imports import without_pkg_resources

FORMAT = 1  # bump when the file's layout changes
_HEAD = struct.Struct("<Q")  # the header's length, then the header (marshal), then the shards (marshal each)


def tokenizer(userdict: Path):
    """A jieba Tokenizer over jieba's dictionary and userdict's words: sharded when the shard file can be
    read or written, else jieba's whole dictionary in memory (the same words either way)."""
    jieba = without_pkg_resources("jieba")
    jieba.setLogLevel(logging.WARNING)  # jieba reports dictionary loading at DEBUG on stderr
    path = shard_path(jieba, userdict)
    shards = _read(path)
    if shards is None:
        whole = _whole(jieba, userdict)
        _write(path, whole)
        return whole
    total, index, data = shards
    return _sharded_class(jieba)(total, index, data)


def shard_path(jieba, userdict: Path) -> Path:
    dictionary = Path(jieba.__file__).with_name(jieba.DEFAULT_DICT_NAME)
    stat = dictionary.stat()
    key = hashlib.sha256(repr((FORMAT, jieba.__version__, stat.st_size, stat.st_mtime_ns)).encode()
                         + userdict.read_bytes()).hexdigest()[:16]
    return Path(tempfile.gettempdir()) / f"jixiao-jieba-{os.getuid()}-{key}.shards"


def _whole(jieba, userdict: Path):
    tok = jieba.Tokenizer()
    tok.initialize()
    tok.load_userdict(str(userdict))
    return tok


def _sharded_class(jieba):
    class ShardedTokenizer(jieba.Tokenizer):
        """FREQ holds the shards of the characters cut so far; get_DAG loads those of a new text first."""

        def __init__(self, total: int, index: dict, data) -> None:
            super().__init__()
            self.FREQ, self.total, self.initialized = {}, total, True
            self._index, self._data, self._loaded, self._loading = index, data, set(), threading.Lock()

        def get_DAG(self, sentence):
            if not self._loaded.issuperset(sentence):
                with self._loading:  # dask runs tasks in threads: a character is marked
                    for ch in set(sentence) - self._loaded:  # loaded only once its entries are in FREQ
                        if ch in self._index:
                            start, size = self._index[ch]
                            self.FREQ.update(marshal.loads(self._data[start:start + size]))
                        self._loaded.add(ch)
            return super().get_DAG(sentence)

    return ShardedTokenizer


def _read(path: Path) -> tuple[int, dict, mmap.mmap] | None:
    """(total, {first character: (offset, size)}, the file mapped), or None when it is missing or not ours."""
    try:
        with open(path, "rb") as f:
            if os.fstat(f.fileno()).st_uid != os.getuid():
                return None  # another user's file in a shared temp folder: not trusted
            data = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
        (size,) = _HEAD.unpack_from(data)
        version, total, index = marshal.loads(data[_HEAD.size:_HEAD.size + size])
    except (OSError, ValueError, EOFError, TypeError, AttributeError, struct.error):
        return None
    if version != FORMAT:
        return None
    return total, {ch: (start + _HEAD.size + size, length) for ch, (start, length) in index.items()}, data


def _write(path: Path, tok) -> None:
    """The shard file, written to a temp file renamed onto it (workers building it at once each write whole)."""
    shards: dict[str, dict[str, int]] = {}
    for word, freq in tok.FREQ.items():
        shards.setdefault(word[0], {})[word] = freq
    blobs, index, offset = [], {}, 0
    for ch, entries in shards.items():
        blob = marshal.dumps(entries)
        index[ch] = (offset, len(blob))
        blobs.append(blob)
        offset += len(blob)
    header = marshal.dumps((FORMAT, tok.total, index))
    try:
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=path.name + ".")
    except OSError:
        return  # a read-only temp folder: each run loads the whole dictionary, as jieba does
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(_HEAD.pack(len(header)))
            f.write(header)
            f.writelines(blobs)
        os.replace(temp, path)
    except OSError:
        Path(temp).unlink(missing_ok=True)
