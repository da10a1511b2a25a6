"""A form the document ends inside of (an excerpt cut mid-table): its weights cover only the rows read.

A complete form ends with its 总分 row or goes on to more tables; a form with neither, whose table is the
last of the document with little text after it, and which ends half-done (rows the reader could not place,
an indicator without its score, a spare template row last), was cut off. Its weight sums are then sums over part of a
form, reported as warnings that say so (normalize/checks.py), not as errors of the form.
"""
from __future__ import annotations

from jixiao.extract.model import Document, Paragraph, Table
from jixiao.normalize.forms import Form
from jixiao.normalize.label_grammar import TORN

MAX_TAIL = 500  # characters of text after the form's table: a torn-off fragment, not the rest of a report


def mark_cut_off(document: Document, forms: list[Form]) -> None:
    """Set `cut_off` on the last form when the document ends inside it."""
    if not forms:
        return
    form = forms[-1]
    if _total_row_last(form) and not any(TORN in w for w in document.warnings):
        return  # ended by its 总分 row (a head total laid out last by the label grammar is not one)
    tables = [k for k, block in enumerate(document.blocks) if isinstance(block, Table)]
    if not tables or _table_key(form) != _table_key_of(document.blocks[tables[-1]]):
        return
    tail = sum(len(b.text.strip()) for b in document.blocks[tables[-1] + 1:] if isinstance(b, Paragraph))
    form.cut_off = tail <= MAX_TAIL and (bool(document.warnings) or _ends_unfinished(form))
    if form.cut_off:  # said in the report's warnings (status partial): the form's end was never read
        document.warnings.append(f"form {len(forms)} cut off: the document ends inside it (no 总分 row read); "
                                 "its sums cover the rows read")


def _total_row_last(form: Form) -> bool:
    """A 总分 row after the form's rows ends it; a total stated in the form's head (自评得分 98 beside 项目名称,
    before the budget and indicator rows) does not."""
    if form.total_raw is None:
        return form.closed
    rows = [line.location for line in form.indicators] or [line.location for line in form.budget_lines]
    return not rows or _row_number(form.total_location or "") > _row_number(rows[-1])


def _ends_unfinished(form: Form) -> bool:
    """The form's last row is left half-done: an indicator without the score the others have, or a spare
    template row (指标2 | | |) after the last indicator. (With a reader's warning of rows not read, that is
    evidence enough.)"""
    if not form.indicators:
        return False
    last = form.indicators[-1]
    if last.score_raw is None and any(line.score_raw is not None for line in form.indicators[:-1]):
        return True
    return bool(form.placeholders) and form.placeholders[-1].row and \
        _row_number(form.placeholders[-1].location) > _row_number(last.location)


def _row_number(location: str) -> int:
    return int(location.rsplit(" r", 1)[1]) if " r" in location else -1


def _table_key(form: Form) -> str | None:
    """The table the form's last read row sits in ("p1 t0")."""
    where = [line.location for line in form.indicators] or [line.location for line in form.budget_lines]
    where = where or [form.location]
    last = where[-1] or ""
    return last.split(" r")[0] if " t" in last else None


def _table_key_of(table: Table) -> str:
    return str(table.location).split(" r")[0]
