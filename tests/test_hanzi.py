"""patterns/hanzi.py's cheap test before zhconv's max-match: exact, i.e. the same answers as converting."""
from __future__ import annotations

import random
import re
from operator import ne
from pathlib import Path

from jixiao.patterns import hanzi
from jixiao.patterns.hanzi import is_traditional, may_change, zhconv

ROOT = Path(__file__).resolve().parents[1]
TEXTS = sorted(ROOT.glob("samples/*.txt")) + sorted(Path("/work/shared/real").glob("*_EXCERPT.txt"))
SIMPLIFIED = "项目资金到位率达到百分之百，年度绩效目标全部完成，资金使用合规。"


def converted(text: str) -> str:
    return zhconv.convert(text, "zh-cn")


def traditional_by_converting(text: str) -> bool:
    """is_traditional as it was: the sample converted, the changed characters counted."""
    sample = text[:hanzi.SAMPLE]
    han = len(re.findall("[\u4e00-\u9fff]", sample))
    if han < 10:
        return False
    out = converted(sample)
    changed = sum(map(ne, sample, out)) if len(out) == len(sample) else han
    return changed / han > hanzi.SHARE


def test_every_key_that_converts_is_seen_wherever_it_stands():
    # each key of the zh-cn table whose value differs, inside simplified text and at its edges: may_change must
    # say so whenever the conversion changes the text (the longer keys include phrases written in simplified
    # characters only, e.g. 么女 -> 幺女, that no single-character test sees)
    table = zhconv.zhconv.getdict("zh-cn")
    singles = {k for k, v in table.items() if len(k) == 1 and v != k}
    phrases_of_unchanged_characters = 0
    for key, value in table.items():
        if key == value:
            continue
        phrases_of_unchanged_characters += len(key) > 1 and singles.isdisjoint(key)
        for text in (SIMPLIFIED + key + SIMPLIFIED, key + SIMPLIFIED, SIMPLIFIED + key, key):
            assert may_change(text) or converted(text) == text, key
    assert phrases_of_unchanged_characters > 100


def test_text_without_a_converting_key_converts_to_itself():
    assert not may_change(SIMPLIFIED)
    assert converted(SIMPLIFIED) == SIMPLIFIED
    assert may_change("年度資金") and may_change("么女")  # a traditional character; a phrase of simplified ones
    assert converted("么女") == "幺女"


def test_is_traditional_answers_as_converting_does():
    rng = random.Random(7)
    table = zhconv.zhconv.getdict("zh-cn")
    keys = sorted(k for k, v in table.items() if k != v)
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in TEXTS]
    assert len(texts) > 20
    for text in list(texts):
        for share in (0.0, 0.01, 0.02, 0.03, 0.1):  # traditional keys sprinkled in, around the 2 % threshold
            chars = list(text[:hanzi.SAMPLE])
            for _ in range(int(len(chars) * share)):
                chars.insert(rng.randrange(len(chars) + 1), rng.choice(keys))
            texts.append("".join(chars))
    decided = [is_traditional(t) for t in texts]
    assert decided == [traditional_by_converting(t) for t in texts]
    assert True in decided and False in decided


def test_a_documents_texts_simplified_at_once_are_each_simplified():
    from jixiao import extract
    from jixiao.extract.model import Paragraph
    from jixiao.patterns.hanzi import to_simplified, to_simplified_all
    table = zhconv.zhconv.getdict("zh-cn")
    assert not any("\x00" in k or "\x00" in v for k, v in table.items())  # what makes the joined call exact
    for path in sorted(ROOT.glob("samples/*.hant.txt")) + sorted(Path("/work/shared/real").glob("*fanti*")):
        document = extract.read(path)
        texts = [b.text for b in document.blocks if isinstance(b, Paragraph)] + [
            c.text for t in document.tables for c in t.iter_cells()]
        assert len(texts) > 20
        simplified = to_simplified_all(texts)
        assert simplified == [to_simplified(t) for t in texts] and simplified != texts
    # parts that would run into each other: a key cut in two, a reading after the part's last character
    texts = ["項", "目", "績效自評(jì)", "(xiào)", "", "軟", "體", "a\x00績"]
    assert to_simplified_all(texts) == [to_simplified(t) for t in texts]
    assert to_simplified_all(texts[:-1]) == [to_simplified(t) for t in texts[:-1]]


def test_no_zh_cn_key_or_value_holds_a_piece_separator():
    # zh_cn converts between line breaks, tabs and NULs piece by piece: exact only while no key reads across one
    table = zhconv.zhconv.getdict("zh-cn")
    assert not [k for k, v in table.items() if set("\n\t\x00") & set(k + v)]


def test_zh_cn_by_pieces_equals_one_conversion():
    # the traditional samples whole, and keys cut by separators (a key's characters apart: each piece alone)
    texts = [path.read_text(encoding="utf-8") for path in TEXTS if ".hant" in path.name or "fanti" in path.name]
    assert len(texts) >= 3
    table = zhconv.zhconv.getdict("zh-cn")
    rng = random.Random(7)
    longer = sorted(k for k in table if len(k) > 2)
    for _ in range(2000):
        key = rng.choice(longer)
        cut = rng.randrange(1, len(key))
        apart = rng.choice(["\n", "\t", "\x00", "\n\n"])
        texts.append(f"前{key[:cut]}{apart}{key[cut:]}后{key}")
    for text in texts:
        assert hanzi.zh_cn(text) == converted(text)


def test_every_pair_a_longer_key_starts_with_is_where_may_change_looks():
    # may_change looks only where a character some pair starts with stands before one some pair ends with:
    # every pair must be such a place, inside text and at its end
    _, by_pair, _, pair_start = hanzi._changing_keys()
    assert len(by_pair) > 1000
    for pair in by_pair:  # the pair at the end of the text: found where it starts (its end is no place)
        assert [m.start() for m in pair_start.finditer(f"项目{pair}")][-1:] == [2], pair
