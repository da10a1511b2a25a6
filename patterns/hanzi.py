"""Traditional characters to simplified, and pinyin annotations dropped: mirror sites convert form pages to
traditional script and insert readings after characters (項(xiàng)目, 指標(biāo)). The vocabulary is simplified, so
such text is read through its simplified form. Conversion: zhconv's shipped table (no download, pure Python)."""
from __future__ import annotations

import re
from functools import cache, lru_cache
from operator import ne
from pathlib import Path

from jixiao.patterns.imports import without_pkg_resources


def _import_zhconv():
    """zhconv, its table read by path from its own folder (patterns/imports.py)."""
    zhconv = without_pkg_resources("zhconv")
    zhconv.zhconv.DICTIONARY = str(Path(zhconv.zhconv.__file__).with_name("zhcdict.json"))  # the same table, by path
    return zhconv


zhconv = _import_zhconv()

# "(xiàng)" after a Han character: a reading, not content. Tone-marked letters make it a reading, not a code.
_PINYIN = re.compile(r"(?<=[\u3400-\u9fff])[(（]([a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-zü]*)[)）]")
_SMALL_FORMS = {0xFE66: "=", 0xFE64: "<", 0xFE65: ">", 0xFE62: "+", 0xFE63: "-"}  # small-form variants of signs
_SMALL_FORM = re.compile("[%s]" % "".join(map(chr, _SMALL_FORMS)))
_HAN = re.compile("[\u4e00-\u9fff]")
SAMPLE = 4000  # characters looked at to decide whether a text is in traditional script
SHARE = 0.02  # more than this share of its Han characters change: the text is traditional


def has_readings(text: str) -> bool:
    return bool(_PINYIN.search(text))


def is_traditional(text: str) -> bool:
    """Whether enough characters of the text's start have a different simplified form."""
    sample = text[:SAMPLE]
    if not may_change(sample):  # zhconv's max-match costs ~2 ms a sample; most texts hold no key
        return False
    han = len(_HAN.findall(sample))
    if han < 10:
        return False
    converted = zh_cn(sample)
    changed = sum(map(ne, sample, converted)) if len(converted) == len(sample) else han
    return changed / han > SHARE


@cache
def _changing_keys() -> tuple[frozenset[str], dict[str, tuple[int, ...]], frozenset[str], re.Pattern[str]]:
    """zhconv's zh-cn keys whose value differs from them: single characters; and the longer keys, by their first
    two characters (with the lengths of the keys starting so); and where such a pair may start (a character some
    pair starts with, before one some pair ends with)."""
    table = zhconv.zhconv.getdict("zh-cn")
    singles = frozenset(k for k, v in table.items() if len(k) == 1 and v != k)
    longer = frozenset(k for k, v in table.items() if len(k) > 1 and v != k)
    lengths: dict[str, set[int]] = {}
    for key in longer:
        lengths.setdefault(key[:2], set()).add(len(key))
    firsts, seconds = ("".join(sorted({pair[k] for pair in lengths})) for k in (0, 1))
    pair_start = re.compile(f"[{re.escape(firsts)}](?=[{re.escape(seconds)}])")
    return singles, {pair: tuple(sorted(n)) for pair, n in lengths.items()}, longer, pair_start


def may_change(text: str) -> bool:
    """Whether zh-cn conversion could change the text: some key whose value differs occurs in it. When none
    does, every key zhconv's max-match takes maps to itself, so the text converts to itself (exact)."""
    singles, by_pair, longer, pair_start = _changing_keys()
    if not singles.isdisjoint(text):
        return True
    for match in pair_start.finditer(text):  # every place a pair stands, and others (a fifth of all pairs' cost)
        start = match.start()
        if any(text[start:start + n] in longer for n in by_pair.get(text[start:start + 2], ())):
            return True
    return False


def to_simplified(text: str) -> str:
    """Readings dropped, small-form signs made ordinary, characters simplified."""
    return zh_cn(plain_signs(_PINYIN.sub("", text)))


_PIECES = re.compile("([\n\t\x00])")  # in no zh-cn key nor value (tests/test_hanzi.py): max-match stops at each


def zh_cn(text: str) -> str:
    """zhconv.convert(text, "zh-cn"), a piece between line breaks, tabs and NULs at a time: no key holds one, so
    the max-match never reads across it (the same text). Pieces are remembered: a traditional .txt converts its
    script sample, its text and then its cells, which are the text's lines and tab-separated pieces again."""
    parts = _PIECES.split(text)
    parts[::2] = map(_zh_cn_piece, parts[::2])
    return "".join(parts)


@lru_cache(maxsize=1 << 15)
def _zh_cn_piece(piece: str) -> str:
    return zhconv.convert(piece, "zh-cn") if piece else piece


_APART = "\x00"  # in no zhconv key nor value, no sign or reading pattern: nothing read across it


def to_simplified_all(texts: list[str]) -> list[str]:
    """[to_simplified(t) for t in texts], the reading and sign passes run once over the texts joined by a
    character no key, value or pattern holds (every match stops at it: the same results; by part when a text
    holds that character). zh_cn() splits the joined text at that character again: each text's pieces are
    converted (and remembered) one by one."""
    if any(_APART in text for text in texts):
        return [to_simplified(text) for text in texts]
    return to_simplified(_APART.join(texts)).split(_APART)


def clean_script(text: str) -> str | None:
    """The simplified text when the text is traditional or carries readings; None when it needs nothing."""
    if has_readings(text) or is_traditional(text):
        return to_simplified(text)
    signs = plain_signs(text)
    return signs if signs != text else None


def plain_signs(text: str) -> str:
    """Small-form signs (﹦﹤﹥﹢﹣) made ordinary; translated only when one occurs (a dict translate pays a
    failed lookup per other character: ~1 ms for 20 k characters)."""
    return text.translate(_SMALL_FORMS) if _SMALL_FORM.search(text) else text
