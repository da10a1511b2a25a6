"""Every sample in every shape, held to its .docx: the rendition matrix (issue 11, "build for the family").

For each sample with a .docx in samples/ (seeds 004 and 001, the Henan report) and each rendition of it that
is committed or can be built here — PDFs with and without ruling lines, out of order; pipe rows, cells run
together, one cell per line (three variants), an OCR preview, traditional characters; `pdftotext -layout`
and `-raw` dumps of every PDF; .xlsx, LibreOffice's .html and .doc; Markdown with HTML and with pipe tables —
the pipeline's output is compared with the .docx's, form by form (by name): card (totals, grade), budget rows,
indicator rows (levels, weights, targets, actuals, scores), flags. Scanned PDFs are left to
tests/test_ocr_scans.py (minutes of OCR).

    python scripts/rendition_matrix.py --table            # the Markdown table (tests/test_rendition_matrix.py)
    python scripts/rendition_matrix.py --table --only 004 --keep DIR   # one sample, renditions kept in DIR
    python scripts/rendition_matrix.py --update [--only henan]   # rewrite those samples' rows in the test
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import renditions_md  # noqa: E402  (beside this script)
import renditions_office  # noqa: E402
import renditions_text  # noqa: E402

SAMPLES = ROOT / "samples"
# ../shared/real beside the checkout, as CI lays it out; this workplace also keeps it at /work/shared/real
REAL = next((d for d in (ROOT.parent / "shared" / "real", Path("/work/shared/real")) if d.is_dir()),
            ROOT.parent / "shared" / "real")
SHORT = {"004_35c19541f4036631": "004", "001_e7a38e6b87d50f48": "001",
         "henan_2021-2024_zhiye_jineng_jingsai_jixiao_pingjia_baogao": "henan"}
HEADER = ("| sample | rendition | status | forms exact | forms found | rows exact | mismatches |\n"
          "|---|---|---|---|---|---|---|")
# what each field of an indicator row is called in the summary
ROW_FIELDS = ("level1", "level2", "level3", "level1_weight", "level2_weight", "weight", "target_raw", "actual_raw",
              "claimed_score", "recomputed_score")
ROW_LABEL = {"level1": "levels", "level2": "levels", "level3": "name", "level1_weight": "levels",
             "level2_weight": "levels", "weight": "weight", "target_raw": "target", "actual_raw": "actual",
             "claimed_score": "score", "recomputed_score": "recomputed"}
CARD_FIELDS = ("kind", "claimed_total", "recomputed_total", "claimed_grade", "recomputed_grade")
BUDGET_FIELDS = ("line", "budget_raw", "executed_raw", "claimed_rate", "weight", "claimed_score", "recomputed_score")
FLAG_FIELDS = ("code", "severity", "claimed", "recomputed")


def stems() -> list[str]:
    """Every sample that has a .docx: the reference rendition."""
    return sorted(p.stem for p in SAMPLES.glob("*.docx"))


def short(stem: str) -> str:
    return SHORT.get(stem, stem)


# ---------------------------------------------------------------- renditions


def committed(stem: str) -> dict[str, Path]:
    """Renditions in samples/ (label: the file name after the stem)."""
    return {p.name[len(stem):]: p for p in sorted(SAMPLES.iterdir())
            if p.is_file() and p.name.startswith(stem) and p.name[len(stem)] in "._" and p.suffix != ".docx"}


def built(stem: str, work: Path, office: bool = True) -> dict[str, Path]:
    """Renditions written into `work`: text shapes and pdftotext dumps, Markdown, .xlsx, and (office=True, with
    LibreOffice) .html and .doc."""
    out = work / stem
    out.mkdir(parents=True, exist_ok=True)
    paths = renditions_text.build(out, stems=(stem,), every=True, source=SAMPLES)
    paths += renditions_md.build(out, stems=(stem,))
    paths += renditions_office.build(out, stems=(stem,), office=office)
    found = {p.name[len(stem):]: p for p in paths}
    real_md = REAL / f"{stem}.md"
    if real_md.exists():
        found[".md (real)"] = real_md
    return found


def renditions(stem: str, work: Path, office: bool = True) -> dict[str, Path]:
    """Every rendition of a sample by label, in a stable order (the .docx first)."""
    every = {**committed(stem), **built(stem, work, office)}
    return {".docx": SAMPLES / f"{stem}.docx", **dict(sorted(every.items()))}


# ---------------------------------------------------------------- comparison


def _plain(value) -> str | None:
    text = str(value)
    return None if text in ("<NA>", "nan", "None") else text


def _tuples(frame, columns) -> list[tuple]:
    return [tuple(_plain(v) for v in row) for row in frame[list(columns)].itertuples(index=False)]


@dataclass
class Form:
    card: tuple
    budget: list[tuple]
    rows: list[tuple]
    flags: list[tuple]


def forms(data) -> dict[str, Form]:
    """Each scorecard by name (a repeated name numbered: name#2)."""
    out: dict[str, Form] = {}
    for card in data.scorecards.itertuples():
        base = card.name if isinstance(card.name, str) and card.name else "(no name)"  # NaN: a form read without one
        name = base if base not in out else f"{base}#{sum(k.split('#')[0] == base for k in out) + 1}"
        sid = card.scorecard_id
        out[name] = Form(card=tuple(_plain(getattr(card, c)) for c in CARD_FIELDS),
                         budget=_tuples(data.budget_lines[data.budget_lines.scorecard_id == sid], BUDGET_FIELDS),
                         rows=_tuples(data.indicators[data.indicators.scorecard_id == sid], ROW_FIELDS),
                         flags=sorted(_tuples(data.flags[data.flags.scorecard_id == sid], FLAG_FIELDS)))
    return out


def report_flags(data) -> Counter:
    """Flags of no scorecard, by code."""
    loose = data.flags[data.flags.scorecard_id.isna()]
    return Counter(loose.code)


@dataclass
class Outcome:
    sample: str
    rendition: str
    status: str
    forms: int  # of the .docx
    found: int
    exact: int
    rows: int  # of the .docx
    rows_exact: int
    notes: list[str] = field(default_factory=list)

    def line(self) -> str:
        return (f"| {self.sample} | {self.rendition} | {self.status} | {self.exact}/{self.forms} | "
                f"{self.found}/{self.forms} | {self.rows_exact}/{self.rows} | {'; '.join(self.notes) or '—'} |")


def row_differences(want: list[tuple], got: list[tuple]) -> tuple[int, Counter, int, int]:
    """(rows exact, fields that differ in rows of the same name, rows missing, rows extra)."""
    left, right = Counter(want), Counter(got)
    same = left & right
    missing, extra = list((left - same).elements()), list((right - same).elements())
    fields: Counter = Counter()
    for row in list(missing):
        twin = next((r for r in extra if r[2] == row[2]), None)
        if twin is None:
            continue
        missing.remove(row)
        extra.remove(twin)
        fields.update({ROW_LABEL[f] for f, a, b in zip(ROW_FIELDS, row, twin) if a != b})
    return sum(same.values()), fields, len(missing), len(extra)


def compare(sample: str, rendition: str, docx, data) -> Outcome:
    want, got = forms(docx), forms(data)
    out = Outcome(sample, rendition, str(data.reports.status.iloc[0]), len(want), len(set(want) & set(got)), 0,
                  sum(len(f.rows) for f in want.values()), 0)
    differ: Counter = Counter()  # what differs, over the forms found
    fields: Counter = Counter()
    missing = extra = 0
    flag_want: Counter = Counter()  # flags of the forms found, by code
    flag_got: Counter = Counter()
    for name, form in want.items():
        if name not in got:
            continue
        mine = got[name]
        exact, row_fields, lost, added = row_differences(form.rows, mine.rows)
        out.rows_exact += exact
        fields += row_fields
        missing, extra = missing + lost, extra + added
        parts = {"total": form.card[1:3] != mine.card[1:3], "grade": form.card[3:] != mine.card[3:],
                 "kind": form.card[0] != mine.card[0], "budget": form.budget != mine.budget,
                 "rows": form.rows != mine.rows, "flags": form.flags != mine.flags}
        differ.update(k for k, v in parts.items() if v)
        flag_want.update(f[0] for f in form.flags)
        flag_got.update(f[0] for f in mine.flags)
        out.exact += not any(parts.values())
    out.notes += _summary(out, differ, fields, missing, extra)
    strangers = sorted(set(got) - set(want))
    if strangers:
        out.notes.append(f"{len(strangers)} forms not in the .docx ({sum(len(got[n].rows) for n in strangers)} rows)")
    out.notes += _flag_changes("form flags", flag_want, flag_got)
    out.notes += _flag_changes("report flags", report_flags(docx), report_flags(data))
    return out


def _summary(out: Outcome, differ: Counter, fields: Counter, missing: int, extra: int) -> list[str]:
    notes = []
    if out.found < out.forms:
        notes.append(f"{out.forms - out.found} unread")
    if out.found > out.exact:
        what = ", ".join(f"{k} {n}" for k, n in sorted(differ.items()))
        notes.append(f"{out.found - out.exact} differ ({what})")
    row_notes = [f"{k} {n}" for k, n in sorted(fields.items())]
    row_notes += [f"missing {missing}"] * bool(missing) + [f"extra {extra}"] * bool(extra)
    if row_notes:
        notes.append("rows: " + ", ".join(row_notes))
    return notes


def _flag_changes(what: str, want: Counter, got: Counter) -> list[str]:
    """Flag codes the rendition adds or lacks (report flags: UNPARSED_TABLE for what it left unread)."""
    changes = [f"+{code}×{n}" for code, n in sorted((got - want).items())]
    changes += [f"−{code}×{n}" for code, n in sorted((want - got).items())]
    return [f"{what} {' '.join(changes)}"] if changes else []


def matrix(only: tuple[str, ...] = (), keep: Path | None = None, office: bool = True) -> list[Outcome]:
    import jixiao

    outcomes = []
    with tempfile.TemporaryDirectory(prefix="matrix_") as tmp:
        work = keep or Path(tmp)
        for stem in stems():
            if only and short(stem) not in only and stem not in only:
                continue
            docx = jixiao.read(SAMPLES / f"{stem}.docx")
            for label, path in renditions(stem, work, office).items():
                outcomes.append(compare(short(stem), label, docx, jixiao.read(path, errors="row")))
    return outcomes


def table(outcomes: list[Outcome]) -> str:
    return "\n".join([HEADER, *(o.line() for o in outcomes)]) + "\n"


TEST = ROOT / "tests" / "test_rendition_matrix.py"


def update_test(outcomes: list[Outcome], test: Path = TEST) -> None:
    """Rewrite the expected table in the test: the rows of the samples measured, the others kept."""
    text = test.read_text(encoding="utf-8")
    head, _, rest = text.partition('EXPECTED = """\\\n')
    old, _, tail = rest.partition('"""')
    measured = {o.sample for o in outcomes}
    kept = [line for line in old.splitlines()[2:] if line.strip() and line.split(" | ")[0].lstrip("| ") not in measured]
    order = [short(stem) for stem in stems()]
    rows = sorted(kept + [o.line() for o in outcomes],
                  key=lambda line: order.index(line.split(" | ")[0].lstrip("| ")))  # stable: labels keep their order
    test.write_text(head + 'EXPECTED = """\\\n' + "\n".join([HEADER, *rows]) + '\n"""' + tail, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--table", action="store_true", help="print the Markdown table")
    parser.add_argument("--update", action="store_true", help=f"rewrite the expected rows in {TEST.name}")
    parser.add_argument("--only", nargs="*", default=(), help="samples (004, 001, henan or a stem)")
    parser.add_argument("--keep", type=Path, help="write the renditions into this folder and keep them")
    parser.add_argument("--no-office", action="store_true", help="no LibreOffice .html/.doc renditions")
    args = parser.parse_args(argv)
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
    outcomes = matrix(tuple(args.only), args.keep, office=not args.no_office)
    if args.update:
        update_test(outcomes)
    print(table(outcomes) if args.table else "\n".join(o.line() for o in outcomes))
    return 0


if __name__ == "__main__":
    sys.exit(main())
