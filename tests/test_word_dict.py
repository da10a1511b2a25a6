"""patterns/word_dict.py: jieba's dictionary read a first character at a time gives jieba's own words (issue 10
item 10: loading all of it cost each worker 0.5 s on its first prose sentence)."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from jixiao.patterns import prose, word_dict

SAMPLES = Path(__file__).resolve().parents[1] / "samples"


@pytest.fixture(scope="module")
def whole():
    return word_dict._whole(word_dict.without_pkg_resources("jieba"), prose.USERDICT)


def sample_texts() -> list[str]:
    texts = []
    for path in sorted(SAMPLES.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        texts += text.split("\n") + re.split(r"[，。；]", text)
    return texts


def test_sharded_tokenizer_cuts_every_sample_line_and_clause_as_jieba_does(tmp_path, monkeypatch, whole):
    monkeypatch.setattr(word_dict, "shard_path", lambda jieba, userdict: tmp_path / "words.shards")
    word_dict.tokenizer(prose.USERDICT)  # no file yet: built from the whole dictionary
    sharded = word_dict.tokenizer(prose.USERDICT)
    assert type(sharded).__name__ == "ShardedTokenizer" and sharded.total == whole.total
    texts = sample_texts()
    assert len(texts) > 5000
    assert [sharded.lcut(t, HMM=False) for t in texts] == [whole.lcut(t, HMM=False) for t in texts]
    # the domain words of the userdict are in the shards too
    assert sharded.lcut("决算总支出为100万元，自评得分95分", HMM=False) == [
        "决算总支出", "为", "100", "万元", "，", "自评得分", "95", "分"]


def test_only_the_shards_of_the_characters_cut_are_loaded(tmp_path, monkeypatch, whole):
    monkeypatch.setattr(word_dict, "shard_path", lambda jieba, userdict: tmp_path / "words.shards")
    word_dict.tokenizer(prose.USERDICT)
    sharded = word_dict.tokenizer(prose.USERDICT)
    sharded.lcut("项目资金执行率为98%", HMM=False)
    assert set(word[0] for word in sharded.FREQ) == set("项目资金执行率为98%") & set(word[0] for word in whole.FREQ)
    assert len(sharded.FREQ) < len(whole.FREQ) / 50


def test_a_damaged_or_missing_shard_file_falls_back_to_the_whole_dictionary_and_is_rebuilt(tmp_path, monkeypatch):
    path = tmp_path / "words.shards"
    monkeypatch.setattr(word_dict, "shard_path", lambda jieba, userdict: path)
    path.write_bytes(b"\x05\x00\x00\x00\x00\x00\x00\x00garbage")
    first = word_dict.tokenizer(prose.USERDICT)
    assert type(first).__name__ == "Tokenizer" and first.lcut("自评得分", HMM=False) == ["自评得分"]
    assert type(word_dict.tokenizer(prose.USERDICT)).__name__ == "ShardedTokenizer"  # rewritten whole


def test_prose_words_do_not_import_pkg_resources():
    # jieba imports setuptools' pkg_resources (0.1-0.7 s) only to find its files; word_dict imports it without
    code = ("import sys; from jixiao.patterns.prose import words; "
            "print(words('自评得分95分'), 'pkg_resources' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "['自评得分', '95', '分'] False"


def test_threads_cutting_at_once_get_jieba_words(tmp_path, monkeypatch, whole):
    # dask runs tasks in threads: a thread must not cut with a character marked loaded before its entries are
    # in FREQ (a shard load slowed here so that the other thread comes in meanwhile)
    import threading
    import time
    monkeypatch.setattr(word_dict, "shard_path", lambda jieba, userdict: tmp_path / "words.shards")
    word_dict.tokenizer(prose.USERDICT)
    sharded = word_dict.tokenizer(prose.USERDICT)
    loads, first_load = word_dict.marshal.loads, threading.Event()

    def slow_first_load(data):  # the shard of 决 loads slowly; the second thread cuts meanwhile
        entries = loads(data)
        if "决算总支出" in entries and not first_load.is_set():
            first_load.set()
            time.sleep(0.3)
        return entries

    monkeypatch.setattr(word_dict.marshal, "loads", slow_first_load)
    text = "决算总支出为100万元，项目资金执行率为98%，自评得分95分"
    got = {}
    first = threading.Thread(target=lambda: got.setdefault("first", sharded.lcut(text, HMM=False)))
    first.start()
    first_load.wait()
    got["second"] = sharded.lcut(text, HMM=False)
    first.join()
    assert got == {"first": whole.lcut(text, HMM=False), "second": whole.lcut(text, HMM=False)}
