"""One file in, one Dataset out — always, with a reports row saying what happened (never a traceback)."""
from __future__ import annotations

from pathlib import Path

from jixiao import extract
from jixiao.extract.model import Document
from jixiao.extract.safety import check_regular_file
from jixiao.normalize.assemble import assemble
from jixiao.normalize.block_readers import is_subline
from jixiao.normalize.checks import FormResult, budget_flags, check_form
from jixiao.normalize.claims import claim_flags, overall_claims
from jixiao.normalize.cut_off import mark_cut_off
from jixiao.normalize.flags import Flag, raise_flag
from jixiao.normalize.flat_forms import unflatten
from jixiao.normalize.forms import BudgetLine
from jixiao.normalize.ids import file_sha256, report_id_from_sha, scorecard_id
from jixiao.normalize.profiles import choose_profile
from jixiao.normalize.prose import read_prose
from jixiao.normalize.evidence import report_folder_name, write_evidence
from jixiao.normalize.locate import add_locations
from jixiao.normalize.misread import find_misread, misread_flag
from jixiao.normalize.recompute import recompute_budget, recompute_indicator
from jixiao.normalize.report_meta import find_title, find_unit, find_year, report_kind, says_project
from jixiao.normalize.rows import budget_row, flag_row, indicator_row, scorecard_row
from jixiao.normalize.schema import TABLE_NAMES, Dataset, to_frame
from jixiao.normalize.not_report import not_a_report, too_little_text
from jixiao.normalize.unread import unread_flags


RowTables = dict[str, list[dict]]  # table name -> rows (dicts; a missing key is NULL)


def process(path: str | Path, *, profile: str | None = None, ocr: str = "auto", ocr_jobs: int = 1,
            source_path: str | None = None) -> Dataset:
    """Read, recognise, normalise one report. `source_path` is the path as the user gave it (default: path)."""
    tables = process_rows(path, profile=profile, ocr=ocr, ocr_jobs=ocr_jobs, source_path=source_path)
    return Dataset(**{name: to_frame(name, tables.get(name, [])) for name in TABLE_NAMES})


def process_rows(path: str | Path, *, profile: str | None = None, ocr: str = "auto", ocr_jobs: int = 1,
                 source_path: str | None = None, sha256: str | None = None,
                 evidence_out: str | None = None) -> RowTables:
    """process() as plain rows: the batch runner stores rows, and skipping the frames is a third of the time.
    sha256: the file's hash when the caller already computed it (the batch's dedup), so it is read once.
    With `evidence_out` (OUT), each flag's evidence picture is drawn into OUT/evidence/ (normalize/evidence.py)."""
    source_path = str(source_path if source_path is not None else path)
    report = {"source_path": source_path, "report_kind": "unknown",
              "n_scorecards": 0, "n_indicators": 0, "n_flags": 0}
    try:
        size = check_regular_file(path)  # before hashing: opening a FIFO would block forever
        sha = sha256 or file_sha256(path)
        report.update(source_sha256=sha, report_id=report_id_from_sha(sha))
        report["source_format"] = fmt = extract.detect_format(path, size=size)  # checked, sniffed and hashed once
        document = extract.read(path, ocr=ocr, ocr_jobs=ocr_jobs, fmt=fmt)
    except extract.ReadError as err:
        report.update(status=err.status, error=str(err))
        return _only_report(report)
    except OSError as err:
        report.update(status="failed", error=f"cannot read file: {err.strerror or err}")
        return _only_report(report)
    report.update(status="ok", source_format=document.format)
    try:
        tables = build_rows(document, report, profile)
        if evidence_out:
            add_evidence(document, tables, evidence_out)
        return tables
    except KeyError as err:  # an unknown --profile name
        if profile and profile in str(err):
            raise
        return _internal_error(report, err)
    except Exception as err:  # noqa: BLE001 — one bad file must never stop a batch
        return _internal_error(report, err)


def build_rows(document: Document, report: dict, profile_override: str | None = None) -> RowTables:
    report_id = report["report_id"]
    document = unflatten(document)  # forms flattened into text become tables; traditional script simplified
    assembled = assemble(document)
    mark_cut_off(document, assembled.forms)
    title, title_index = find_title(document)
    results: list[FormResult] = []
    scorecards, budget_rows, indicator_rows, flags = [], [], [], []
    for form in assembled.forms:
        if form.kind == "department" and says_project(title):
            form.kind = "project"  # a 评分表 with no 项目名称 row, in a report about one project (Henan)
        profile = choose_profile(form.header_text, profile_override)
        scored = next((line for line in form.budget_lines if not is_subline(line.line)), None)
        budgets = [recompute_budget(line, profile, form.budget_block_weight if line is scored else None)
                   for line in form.budget_lines]  # the block's （10分） is the total line's, not its 其中 lines
        indicators = [recompute_indicator(line, profile) for line in form.indicators]
        results.append(check_form(form, profile, budgets, indicators))
    misread = find_misread(document, results)  # forms read from unruled tables whose rows do not add up
    results = [r for i, r in enumerate(results) if i not in misread]
    kept = {id(r.form) for r in results}
    assembled.forms = [f for f in assembled.forms if id(f) in kept]  # their rows are not "read" (unread.py)
    assembled.restatements = [s for s in assembled.restatements if id(s.form) in kept]
    for seq, result in enumerate(results, 1):
        budgets, indicators = result.budgets, result.indicators
        sid = scorecard_id(report_id, seq)
        scorecards.append(scorecard_row(result, report_id, sid, seq))
        budget_rows += [budget_row(b, report_id, sid, i) for i, b in enumerate(budgets, 1)]
        indicator_rows += [indicator_row(r, report_id, sid, i) for i, r in enumerate(indicators, 1)]
        for flag in result.flags:
            flag.scorecard_id = sid
        flags += result.flags

    prose = read_prose(document)
    flags += prose.flags
    budget_rows += _prose_budget_rows(prose, profile_override, report_id)
    flags += _restatement_flags(assembled, results, report_id)
    budget_rows += _loose_budget_rows(assembled, profile_override, report_id, flags,
                                     sum(row["scorecard_id"] is None for row in budget_rows))
    not_report = not_a_report(document, _values_read(indicator_rows, budget_rows))
    if not_report and scorecards:  # a blank template is not a report's scorecard: said, not counted
        not_report += f" ({len(scorecards)} blank forms read, not kept as scorecards)"
        results, scorecards, indicator_rows = [], [], []
        budget_rows = [row for row in budget_rows if row["scorecard_id"] is None]
        flags = [flag for flag in flags if flag.scorecard_id is None]
    little = None if not_report else too_little_text(document)
    document.warnings += [little] if little else []
    for table in [] if not_report else assembled.unparsed:  # a blank template is not an unread form
        flags.append(raise_flag("UNPARSED_TABLE", variant="table", location=table.location, reason=table.reason))
    flags += [misread_flag(m) for m in misread.values()]
    unread = [] if not_report else unread_flags(document, assembled, {m.table_location for m in misread.values()})
    flags += unread
    if not scorecards and not unread and not misread and not assembled.unparsed and not not_report:
        flags.append(raise_flag("NO_SCORECARD"))
    claims = overall_claims(prose.claims, assembled.kv_claims)
    flags += claim_flags(claims, prose.claims, results)

    departments = [r for r in results if r.form.kind == "department"]
    main = departments[0] if len(departments) == 1 else (results[0] if len(results) == 1 else None)
    score_claims = [c for c in claims if c.kind == "score"]
    grade_claims = [c for c in claims if c.kind == "grade"]
    report.update(
        unit_name=find_unit(document, title, title_index) or (main.form.unit_name if main else None),
        fiscal_year=find_year(document, title), title=title,
        report_kind=report_kind([r.form.kind for r in results], title),
        claimed_score=score_claims[0].value if score_claims else (main.claimed_total if main else None),
        claimed_grade=(grade_claims[0].value if grade_claims else (main.claimed_grade if main else None)),
        recomputed_score=main.recomputed_total if main else None,
        n_scorecards=len(scorecards), n_indicators=len(indicator_rows), n_flags=len(flags),
    )
    if document.warnings or (assembled.unparsed and not not_report) or unread or misread or document.needs_ocr:
        report["status"] = "partial"
        report["warnings"] = warnings_summary(document.warnings)
    if not_report:
        report.update(status="not_report", error=not_report)
    for i, row in enumerate(prose.figures):
        row["report_id"] = report_id
    tables = {"reports": [report], "scorecards": scorecards, "budget_lines": budget_rows,
              "indicators": indicator_rows, "figures": prose.figures,
              "flags": [flag_row(f, report_id) for f in flags]}
    add_locations(document, tables, report["source_path"])
    return tables


WARNINGS_MAX = 4000  # characters of reports.warnings (a spreadsheet cell stays readable); cut between warnings


def warnings_summary(warnings: list[str], limit: int = WARNINGS_MAX) -> str | None:
    """The reader's warnings, `; `-joined, whole: never cut inside one (a row named as not read stays whole);
    past `limit`, "… and N more warnings" says how many were left out."""
    kept: list[str] = []
    size = 0
    for i, warning in enumerate(warnings):
        more = len(warnings) - i
        if kept and size + 2 + len(warning) > limit:
            return "; ".join(kept) + f"; … and {more} more warning{'s' if more > 1 else ''}"
        kept.append(warning)
        size += len(warning) + 2 * (len(kept) > 1)
    return "; ".join(kept) or None


def _restatement_flags(assembled, results: list[FormResult], report_id: str) -> list[Flag]:
    """A score stated again in another table (附表 得分情况表) that the form contradicts: CLAIM_CONFLICT."""
    ids = {id(r.form): scorecard_id(report_id, i) for i, r in enumerate(results, 1)}
    return [raise_flag("CLAIM_CONFLICT", variant="restated", location=s.location, claimed=s.stated,
                       recomputed=s.form_value, scorecard_id=ids.get(id(s.form)), name=s.name, stated_raw=s.stated_raw,
                       form_value=s.form_value)
            for s in assembled.restatements]


def _loose_budget_rows(assembled, profile_override, report_id: str, flags: list[Flag], first_seq: int) -> list[dict]:
    """Budget tables outside any form (a report's budget by year): rows without a scorecard, rates checked."""
    rows = []
    for form in assembled.budget_tables:
        profile = choose_profile(form.header_text, profile_override)
        for line in form.budget_lines:
            result = recompute_budget(line, profile, None)
            flags += [f for f in budget_flags(result) if f.code != "BUDGET_SCORE_MISMATCH"]
            row = budget_row(result, report_id, None, first_seq + len(rows) + 1)
            rows.append(row)
    return rows


def _prose_budget_rows(prose, profile_override: str | None, report_id: str) -> list[dict]:
    """Budget lines stated in words ("…全年预算数为250万元，执行数为250万元，完成预算100％"), recomputed as any
    budget line; no score is stated, so none is recomputed."""
    profile = choose_profile("", profile_override)
    rows = []
    for seq, located in enumerate(prose.budgets, 1):
        statement = located.statement
        line = BudgetLine(line=statement.name or "预算执行（文字）", budget_raw=_raw(statement.budget),
                          budget_q=statement.budget, executed_q=statement.executed, rate_q=statement.rate,
                          executed_raw=_raw(statement.executed), rate_raw=_raw(statement.rate), score_raw=None,
                          weight=None, location=located.location)
        rows.append(budget_row(recompute_budget(line, profile, None), report_id, None, seq))
    return rows


def _raw(quantity) -> str | None:
    return quantity.raw if quantity is not None else None


def _values_read(indicator_rows: list[dict], budget_rows: list[dict]) -> int:
    """Rows holding a claimed score or an amount: what a filled-in form has and a blank template lacks."""
    return sum(r.get("claimed_score") is not None for r in indicator_rows) + \
        sum(r.get("budget_wan") is not None for r in budget_rows)


def add_evidence(document: Document, tables: RowTables, out: str) -> None:
    """Evidence pictures for the flags; a picture that cannot be drawn costs its picture, said in warnings."""
    report = tables["reports"][0]
    try:
        write_evidence(document, tables["flags"], out, report_folder_name(report["source_path"], report["report_id"]))
    except Exception as err:  # noqa: BLE001 — a drawing problem must not lose the file's rows
        note = f"evidence pictures not drawn: {type(err).__name__}: {err}"[:300]
        report["warnings"] = "; ".join(filter(None, [report.get("warnings"), note]))


def _only_report(report: dict) -> RowTables:
    return {"reports": [report]}


def _internal_error(report: dict, err: Exception) -> RowTables:
    report.update(status="failed", error=f"internal error while normalising: {type(err).__name__}: {err}"[:300])
    return _only_report(report)
