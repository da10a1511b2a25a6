"""Scores and grades stated more than once (prose, cover tables, forms) must agree: CLAIM_CONFLICT."""
from __future__ import annotations

from dataclasses import dataclass

from jixiao.normalize.table_view import compact
from jixiao.normalize.checks import FormResult
from jixiao.normalize.flags import Flag, raise_flag
from jixiao.normalize.forms import KvClaim
from jixiao.normalize.prose import LocatedClaim
from jixiao.normalize.tolerance import agrees


@dataclass
class StatedClaim:
    kind: str  # score | grade
    value: float | str
    raw: str
    location: str


def overall_claims(prose_claims: list[LocatedClaim], kv_claims: list[KvClaim]) -> list[StatedClaim]:
    """Report-level claims: prose claims about the whole report, and 综合得分 / 评价等次 rows outside forms
    (read once by the assembler)."""
    claims = [StatedClaim(c.claim.kind, c.claim.value, c.claim.raw, c.location)
              for c in prose_claims if c.claim.subject is None]
    claims += [StatedClaim(c.kind, c.value, c.raw, c.location) for c in kv_claims if c.value is not None]
    return claims


def claim_flags(claims: list[StatedClaim], prose_claims: list[LocatedClaim],
                results: list[FormResult]) -> list[Flag]:
    flags = []
    scores = [c for c in claims if c.kind == "score"]
    for other in scores[1:]:
        if not agrees(float(other.value), float(scores[0].value), other.raw):
            flags.append(_conflict("scores", other.location, other.value, scores[0].value, first=scores[0].raw,
                                   first_location=scores[0].location, other=other.raw))
    totals = [r for r in results if r.claimed_total is not None]
    departments = [r for r in totals if r.form.kind == "department"]
    whole = departments if len(departments) == 1 else totals  # the form the report's own score is about
    if scores and len(whole) == 1:
        form = whole[0]
        claim = scores[0]
        if not agrees(float(claim.value), form.claimed_total, claim.raw) and \
                not agrees(form.claimed_total, float(claim.value), form.form.total_raw):
            flags.append(_conflict("form_total", claim.location, claim.value, form.claimed_total, raw=claim.raw,
                                   total_raw=form.form.total_raw))
    flags += _subject_conflicts(prose_claims, results)
    return flags


def _subject_conflicts(prose_claims: list[LocatedClaim], results: list[FormResult]) -> list[Flag]:
    """"投入分析：（指标分值 6 分，评价得分 5 分）" against the per-level summary row for 投入."""
    flags = []
    groups = {compact(g.label): g for r in results for g in r.form.groups}
    for located in prose_claims:
        claim = located.claim
        if claim.kind != "score" or not claim.subject:
            continue
        group = groups.get(compact(claim.subject))
        value = group.score if group else None
        if value is not None and not agrees(float(claim.value), value, claim.raw):
            flags.append(_conflict("subject", located.location, claim.value, value, subject=claim.subject,
                                   raw=claim.raw, group_raw=group.score_raw))
    return flags


def _conflict(variant: str, location: str, claimed, against, **fields) -> Flag:
    # not `other`: the "scores" message has a field of that name, passed in fields
    return raise_flag("CLAIM_CONFLICT", variant=variant, location=location, claimed=float(claimed),
                      recomputed=float(against), **fields)



