"""Prose -> figures rows, stated claims and budget sentences, with the PROSE_SUM / PROSE_SHARE checks."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from jixiao.extract.model import Document, Paragraph
from jixiao.extract.textnorm import normalize_text
from jixiao.normalize.flags import Flag, raise_flag
from jixiao.normalize.label_grammar import ocr_clean
from jixiao.normalize.table_view import labels, lone_rows
from jixiao.normalize.tolerance import agrees, decimals
from jixiao.patterns.numbers import Quantity, multiplier_word
from jixiao.patterns.prose import (BudgetStatement, Claim, Figure, count_min_parts, extract_figures,
                                   find_budget_statements, find_claims)
from jixiao.patterns.wrapped_text import (Margin, goes_on, has_column_gap, numbered_preview, page_marks_removed,
                                         wrap_margin)

_NOTE_START = re.compile(r"^\s*(?:备注|注|说明|\d+\s*[.、．])")  # a numbered note under a form
COUNT_KINDS = frozenset({"count"})  # counts are summed (PROSE_SUM_MISMATCH), not listed in figures
RESTATED_MIN = 20  # characters: a sentence this long written twice is one statement restated, not two
HEADING_MAX = 30  # characters of a heading a converter ran into the sentence after it
_CLAUSE_MARK = re.compile(r"[，,；;：:、。！？!?]")
_SENTENCE = re.compile(r"[^。！？!?]*[。！？!?]?")  # a sentence with its full stop (the last may lack one)
# between the cells of a row laid out in columns (normalised text holds no tab): figures are read over the
# row, as they stand; sums and shares are judged within a cell, never across cells of different columns
CELL_BREAK = "\t"


@dataclass
class LocatedClaim:
    claim: Claim
    location: str


@dataclass
class LocatedBudget:
    statement: BudgetStatement
    location: str


@dataclass
class ProseFacts:
    figures: list[dict] = field(default_factory=list)  # figures rows without report_id
    flags: list[Flag] = field(default_factory=list)
    claims: list[LocatedClaim] = field(default_factory=list)
    budgets: list[LocatedBudget] = field(default_factory=list)


def written_unit(quantity: Quantity) -> str | None:
    """The unit as written, multiplier included: 1.7万余条 -> 万条, 5633.04万元 -> 万元."""
    return (multiplier_word(quantity.multiplier) + (quantity.unit or "")) or None


def prose_blocks(document: Document) -> list[tuple[str, str, bool]]:
    """(text, location, summed) of every paragraph, of the cells of one-column tables (narrative boxes), and of
    the lone rows a table opens with (a workbook's lines above a form: the paragraphs a .docx has there). A
    paragraph that is a table row laid out in columns has its cells parted by CELL_BREAK. Text hard-wrapped at a
    margin (pdftotext dumps, OCR previews) is read a paragraph at a time, not a line at a time; summed is False
    for the rows of a table laid out in text columns (a table's cells are not prose: as a .docx table's are not)."""
    out: list[tuple[str, str, bool]] = []
    paragraphs = [b for b in document.blocks if isinstance(b, Paragraph)]
    margin = wrap_margin([p.text for p in paragraphs]) if document.format == "txt" else None
    lines = dict(zip(map(id, paragraphs), _unwrapped(paragraphs, margin))) if margin else {}
    for block in document.blocks:
        if isinstance(block, Paragraph) and margin:
            out += lines[id(block)]
        elif isinstance(block, Paragraph):
            out.append((CELL_BREAK.join(filter(None, map(normalize_text, block.cells()))), str(block.location), True))
        else:
            rows = range(block.n_rows) if block.n_cols == 1 else range(lone_rows(block)[0])
            out += [(block.text(r, 0), block.row_location_text(r), True) for r in rows]
    return out


def _unwrapped(paragraphs: list[Paragraph], margin: Margin) -> list[list[tuple[str, str, bool]]]:
    """For each line of hard-wrapped text, the paragraphs that start on it: a line that reached the margin
    mid-sentence goes on in the next one (其中 a、b… 专项 / 赛 42 个); a row of a table laid out in columns (a cell
    gap in it, indented beside such a line, or starting in a column far from the left margin) stands alone, not
    summed. An OCR preview (every line numbered) has its page marks removed, its OCR confusions undone, and its
    sentences read one by one: it keeps no paragraph ends, so a 其中 list never runs on into the next sentence."""
    preview = numbered_preview([p.text for p in paragraphs])
    texts = page_marks_removed([p.text for p in paragraphs])
    texts = [ocr_clean(text) for text in texts] if preview else texts  # 表演赛项目IO个 is 10
    rows = [has_column_gap(text) or margin.in_column(text)
            or text[:1].isspace() and any(map(has_column_gap, texts[max(k - 1, 0):k + 2])) for k, text in enumerate(texts)]
    out: list[list[tuple[str, str, bool]]] = []
    for k, (paragraph, text) in enumerate(zip(paragraphs, texts)):
        if k and not rows[k] and not rows[k - 1] and goes_on(texts[k - 1], margin):
            start = next(j for j in range(k - 1, -1, -1) if out[j])  # the line its paragraph started on
            text_so_far, location, _ = out[start][0]
            out[start][0] = (text_so_far + normalize_text(text), location, True)
            out.append([])
            continue
        out.append([(normalize_text(text), str(paragraph.location), not rows[k])])
    if preview:
        out = [[(sentence, location, summed) for text, location, summed in entry
                for sentence in _SENTENCE.findall(text) if sentence.strip()] for entry in out]
    return out


def read_prose(document: Document) -> ProseFacts:
    facts = ProseFacts()
    seen: dict[str, list[str]] = {}
    for block_text, location, summed in prose_blocks(document):
        for text in block_text.split("\n"):
            _read_text(facts, text, location, _unrestated(text, seen) if summed else "")
    return facts


def _unrestated(text: str, seen: dict[str, list[str]]) -> str:
    """The text without the sentences read before, word for word (a summary box restating the body, a table
    cell and the report's prose holding one paragraph): one statement, its sums judged once (its figures are
    listed where each stands). A
    sentence read before also when a heading was run into it (cells run together: 绩效情况2021年，…)
    seen: sentences read, by their last RESTATED_MIN characters."""
    kept = []
    for sentence in _SENTENCE.findall(text):
        key = "".join(sentence.split())
        if len(key) < RESTATED_MIN:
            kept.append(sentence)
            continue
        earlier = seen.setdefault(key[-RESTATED_MIN:], [])
        if any(_restates(key, other) or _restates(other, key) for other in earlier):
            continue
        earlier.append(key)
        kept.append(sentence)
    return "".join(kept)


def _restates(longer: str, sentence: str) -> bool:
    """longer is sentence, or sentence with a heading run into its start (no punctuation in it: a line
    wrapped mid-sentence leaves its clauses before the wrap, commas and all)."""
    lead = longer[:len(longer) - len(sentence)]
    return longer.endswith(sentence) and len(lead) <= HEADING_MAX and not _CLAUSE_MARK.search(lead)


def _read_text(facts: ProseFacts, text: str, location: str, judged: str) -> None:
    """judged: the text without sentences whose sums were judged where they stood before; both with the
    cells of a row laid out in columns parted by CELL_BREAK."""
    text = text.replace(CELL_BREAK, " ")
    if _NOTE_START.match(text) and any(note in text for note in labels()["rule_notes"]):
        return  # the form's printed scoring rules ("3.定性指标计分原则：…100-80%…"), not the report's figures
    figures = extract_figures(text)
    base = len(facts.figures)
    for figure in figures:
        facts.figures.append(_figure_row(figure, base, len(facts.figures) + 1, location))
    for cell in judged.split(CELL_BREAK) if judged else ():
        if cell != text:
            figures = extract_figures(cell)
        facts.flags += sum_flags(figures, location) + share_flags(figures, location)
        facts.flags += sum_flags(extract_figures(cell, kinds=COUNT_KINDS), location, count_min_parts())  # 发稿4366篇，其中…
    facts.claims += [LocatedClaim(c, location) for c in find_claims(text)]
    facts.budgets += [LocatedBudget(b, location) for b in find_budget_statements(text)]


def _figure_row(figure: Figure, base: int, seq: int, location: str) -> dict:
    q = figure.quantity
    return {
        "seq": seq, "label": figure.label, "value": q.number, "unit": written_unit(q),
        "value_norm": q.value_norm, "unit_norm": q.unit_norm,
        "parent_seq": base + figure.parent + 1 if figure.parent is not None else None,
        "sentence": figure.sentence, "location": location,
    }


def _tolerance(quantities: list[Quantity]) -> float:
    """The writer's precision: half a unit of the most precise number written (in normalised units), once per
    number summed, so "5.5 = 1.5 + 4 + 0 + 0" is held to 0.05, not to the 0.5 an integer "0" would allow."""
    halves = []
    for q in quantities:
        scale = abs(q.value_norm / q.number) if q.number else 1.0
        if q.number:
            halves.append(0.5 * 10 ** -decimals(q.raw) * scale)
    return (min(halves) if halves else 0.0) * len(quantities) + 1e-9


def sum_flags(figures: list[Figure], location: str, short_min_parts: int = 2) -> list[Flag]:
    """short_min_parts: how many parts a breakdown short of its total needs to be checked (counts: a subset
    is often singled out); parts exceeding the total are always checked."""
    flags = []
    for i, total in enumerate(figures):
        parts = [f for f in figures if f.parent == i]
        if len(parts) < 2 or total.quantity.approx or any(p.quantity.approx for p in parts):
            continue
        parts = [p for p in parts if p.quantity.unit_class == total.quantity.unit_class]
        if len(parts) < 2:
            continue
        tol = _tolerance([total.quantity] + [p.quantity for p in parts])
        running, agrees_somewhere = 0.0, False
        for part in parts:  # a prefix of the parts that sums exactly counts as agreeing
            running += part.quantity.value_norm
            agrees_somewhere |= abs(running - total.quantity.value_norm) <= tol
        if not agrees_somewhere and (running > total.quantity.value_norm or len(parts) >= short_min_parts):
            listed = " + ".join(f"{p.label} {p.quantity.raw}" for p in parts)
            flags.append(raise_flag("PROSE_SUM_MISMATCH", location=location, claimed=total.quantity.value_norm,
                                    recomputed=running, label=total.label, raw=total.quantity.raw, parts=listed,
                                    sum=float(running), unit=total.quantity.unit_norm or ""))
    return flags


def share_flags(figures: list[Figure], location: str) -> list[Flag]:
    flags = []
    for figure in figures:
        if figure.share_of is None or figure.share_part is None:
            continue
        base, part = figures[figure.share_of].quantity, figures[figure.share_part].quantity
        if not base.value_norm or base.unit_class != part.unit_class:
            continue
        ratio = part.value_norm / base.value_norm
        claimed_pct = figure.quantity.value_norm * 100
        if not agrees(claimed_pct, ratio * 100, figure.quantity.raw):
            flags.append(raise_flag("PROSE_SHARE_MISMATCH", location=location, claimed=figure.quantity.value_norm,
                                    recomputed=ratio, part_label=figures[figure.share_part].label, part=part.raw,
                                    base_label=figures[figure.share_of].label, base=base.raw,
                                    raw=figure.quantity.raw, pct=float(ratio * 100)))
    return flags
