"""Files that are not a report at all — a README, a compilation of rules with blank templates, a workbook
jixiao wrote itself — say so (status not_report and the reason), never `ok` with nothing in it."""
from __future__ import annotations

import re
from itertools import chain
from typing import Iterator

import numpy as np

from jixiao.extract.model import Document, Paragraph
from jixiao.normalize.schema import TABLES
from jixiao.normalize.unread import vocabulary

_PINYIN = re.compile(r"\([a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùüǘǚǜńňǹ]+\)")
_CJK = re.compile("[\u4e00-\u9fff]")
_CJK_RUNS = re.compile("[\u4e00-\u9fff]+")  # removed run by run: the same text left, a tenth of the matches
_OWN_COLUMNS = frozenset(c for columns in TABLES.values() for c in columns if "_" in c)  # report_id, …


def not_a_report(document: Document, n_values_read: int) -> str | None:
    """Why the document is not a report (one line), or None. `n_values_read`: budget lines and indicators
    with a number read from the document's forms (a rules compilation's blank templates yield a stray few)."""
    rules = vocabulary()["not_report"]
    own = _own_output(document, rules["min_schema_columns"])
    if own:
        return f"not a report: jixiao's own output ({own})"
    text = _PINYIN.sub("", "\n".join(chain.from_iterable(_block_texts(document))))
    cjk = cjk_count(text)
    # letters are at most the text's characters: Chinese enough of those is enough of the letters (most reports)
    mostly_chinese = cjk >= rules["min_cjk_share"] * len(text)
    letters = 0 if mostly_chinese else cjk + sum(map(str.isalpha, _CJK_RUNS.sub("", text)))  # CJK are letters
    if not mostly_chinese and letters >= rules["min_letters"] and cjk < rules["min_cjk_share"] * letters:
        return f"not a report: mostly non-Chinese text ({cjk} of {letters} letters Chinese)"
    articles = len(re.findall(rules["article"], text))
    if articles >= rules["min_articles"] and articles > 10 * n_values_read:
        return (f"not a report: a compilation of rules ({articles} articles 第…条) with no filled-in "
                "scorecard; its forms are blank templates")
    return None


def cjk_count(text: str) -> int:
    """Characters in U+4E00..U+9FFF, compared as an array of code points (a regex removing them copied the rest of
    a report's text: twenty times the time). Lone surrogates pass as their code points: none is in the range."""
    points = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    return int(np.count_nonzero((points >= 0x4E00) & (points <= 0x9FFF)))


def too_little_text(document: Document) -> str | None:
    """A document from which (text layer or OCR) almost no Chinese was read: nothing in it could be checked,
    which is said (status partial), never an `ok` with nothing in it. cid.pdf: glyphs OCR'd to "3DUfwS3"."""
    enough, cjk, parts = vocabulary()["not_report"]["min_chinese"], 0, []
    for texts in _block_texts(document):  # a report has enough within its first blocks: stop there
        parts += texts
        cjk += len(_CJK.findall("".join(texts)))
        if cjk >= enough:
            return None
    if cjk >= enough:
        return None
    text = "".join(parts)
    shown = " ".join(text.split())[:40]
    how = f"OCR of page(s) {', '.join(map(str, document.ocr_pages))} read" if document.ocr_pages else "the text holds"
    return f"almost no Chinese text read: {how} {cjk} Chinese characters" + (f" (“{shown}”)" if shown else "")


def _block_texts(document: Document) -> Iterator[list[str]]:
    """Each block's texts: a paragraph's, a table's cells' (where they start) row by row."""
    for block in document.blocks:
        if isinstance(block, Paragraph):
            yield [block.norm]
        else:
            yield [cell.norm for row in block.grid for cell in row if cell.origin is None]


def _own_output(document: Document, needed: int) -> str | None:
    """A header row of one of jixiao's tables: "report_id | source_path | status …"."""
    for block in document.blocks:
        rows = [block.norm.replace(",", " ").split()] if isinstance(block, Paragraph) else \
            [[c.norm.strip() for c in row] for row in block.grid[:3]]
        for row in rows:
            names = _OWN_COLUMNS.intersection(row)
            if len(names) >= needed:
                return "columns " + ", ".join(sorted(names)[:4]) + " …"
    return None
