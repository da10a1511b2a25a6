"""Report-level facts from the opening paragraphs: title, unit, fiscal year, kind."""
from __future__ import annotations

import re

from jixiao.extract.model import Document, Paragraph
from jixiao.normalize.table_view import label_pattern, labels, unit_name

TITLE_WORDS = re.compile("|".join(map(re.escape, sorted(labels()["title_words"], key=len, reverse=True))))
ATTACHMENT = re.compile(r"^\s*附\s*件\s*[\d\-－—一二三四五六七八九十]*\s*[：:]?\s*")
YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
UNIT_LINE = re.compile(rf"(?:{label_pattern('unit_line').pattern})\s*[：:]\s*([^\s_＿]{{2,40}})")
LABEL_ONLY = re.compile(rf"(?:{label_pattern('unit_line').pattern})\s*[：:]\s*$")
UNIT_SUFFIX = re.compile("(" + "|".join(map(re.escape, sorted(labels()["unit_suffixes"], key=len, reverse=True))) + ")$")
SENTENCE_END = re.compile(r"[。；;！!？?，,：:]$")
TITLE_SCAN = 15  # the title is among the first paragraphs


def heading_lines(document: Document) -> list[str]:
    """The document's opening lines: its paragraphs, and the title rows a spreadsheet or web page keeps inside
    a table (a row holding one text, merged across, above the form's first row of cells)."""
    return [text for text, _ in _heading_lines(document)]


def _heading_lines(document: Document) -> list[tuple[str, int]]:
    """(line, block index): lines of two blocks are two lines, not one title Word broke (a sheet's name)."""
    lines: list[tuple[str, int]] = []
    for b, block in enumerate(document.blocks):
        if isinstance(block, Paragraph):
            lines.append((block.norm, -1))
        else:
            for r in range(min(block.n_rows, TITLE_SCAN)):
                texts = list(dict.fromkeys(t for t in (c.norm.strip() for c in block.grid[r]) if t))
                if len(texts) > 1:
                    break
                lines += [(t, b) for t in texts]
        if len(lines) >= 40:
            break
    return lines


def find_title(document: Document) -> tuple[str | None, int | None]:
    """The title line (two short lines joined when Word broke it), and its index in heading_lines."""
    lines = _heading_lines(document)[:TITLE_SCAN]
    paragraphs = [text for text, _ in lines]
    for i, text in enumerate(paragraphs):
        text = ATTACHMENT.sub("", text).strip()
        if not text or len(text) > 60 or SENTENCE_END.search(text) or not TITLE_WORDS.search(text):
            continue
        same_block = i > 0 and lines[i - 1][1] == lines[i][1]  # two paragraphs, or two rows of one table
        previous = ATTACHMENT.sub("", paragraphs[i - 1]).strip() if same_block else ""
        if len(text) <= 10 and previous and not SENTENCE_END.search(previous) and len(previous) <= 40:
            return previous + text, i - 1
        return text, i
    return None, None


def find_unit(document: Document, title: str | None, title_index: int | None) -> str | None:
    lines = heading_lines(document)
    for k, line in enumerate(lines[:40]):
        if LABEL_ONLY.search(line) and k + 1 < len(lines):
            line += lines[k + 1]  # "单位名称：" with the name on the next line (LibreOffice's HTML)
        match = UNIT_LINE.search(line)
        if match and "XX" not in match.group(1).upper():
            return unit_name(match.group(1).strip("（("))
    if title_index:
        previous = ATTACHMENT.sub("", lines[title_index - 1]).strip()
        if 2 < len(previous) <= 30 and UNIT_SUFFIX.search(previous):
            return previous
    if title:
        match = re.search(r"^(.{2,30}?)(?:19|20)\d{2}\s*年", title) or \
            re.search(r"年度?(.{2,30}?)(?:部门|单位|整体|项目|机关)", title)
        if match and UNIT_SUFFIX.search(match.group(1).strip()):
            return match.group(1).strip()
    return None


def find_year(document: Document, title: str | None) -> int | None:
    for text in [title or ""] + heading_lines(document)[:TITLE_SCAN]:
        match = YEAR.search(text)
        if match:
            return int(match.group(1))
    return None


def says_project(title: str | None) -> bool:
    """A title about a project (…项目绩效评价报告, 项目支出绩效自评表), not a department's whole spending."""
    return bool(title) and "项目" in title and "整体" not in title


def report_kind(form_kinds: list[str], title: str | None) -> str:
    kinds = set(form_kinds)
    if len(kinds) > 1:
        return "mixed"
    if kinds:
        return kinds.pop()
    title = title or ""
    if "项目" in title:
        return "project"
    if re.search(r"部门|整体|单位", title):
        return "department"
    return "unknown"
