"""Seed 004 without ruling lines, every table pushed down by N points, held to its .docx form by form
(issue 11, "never silent"): each form is either exact or reported unread (UNPARSED_TABLE, status partial),
never `ok` with a wrong level, total, grade or a false flag.

    python scripts/unruled_sweep.py                      # shifts 0..150 by 10 and 35 75 105, PDFs in a temp dir
    python scripts/unruled_sweep.py --keep /tmp/sweep 70 100   # those shifts, PDFs kept (and reused) in DIR
    python scripts/unruled_sweep.py --stem 001_e7a38e6b87d50f48    # another sample with a .docx

One line a shift: forms exact / forms of the .docx, the status, the forms that differ and what differs in
them, and SILENT when a differing form is not reported unread (the failure this sweep looks for).
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import build_samples  # noqa: E402  (beside this script)
import rendition_matrix  # noqa: E402
import renditions_pdf  # noqa: E402

STEM = "004_35c19541f4036631"
SHIFTS = tuple(range(0, 151, 10)) + (35, 75, 105)


def rendition(stem: str, shift: int, work: Path) -> Path:
    """A sample unruled, pushed down `shift` points (built once into `work`)."""
    name = f"{stem}{renditions_pdf.UNRULED}_shift{shift}"
    pdf = work / f"{name}.pdf"
    if not pdf.exists():
        docx = renditions_pdf.unruled_docx(build_samples.SAMPLES / f"{stem}.docx", work / f"{name}.docx", shift)
        build_samples.docx_to_pdf(docx)
        docx.unlink()
    return pdf


def unread_forms(data) -> set[str]:
    """Forms the pipeline says it could not read (UNPARSED_TABLE on the form)."""
    flags = data.flags[data.flags.code == "UNPARSED_TABLE"]
    ids = set(flags.scorecard_id.dropna())
    return set(data.scorecards[data.scorecards.scorecard_id.isin(ids)].name)


def differences(want: rendition_matrix.Form, got: rendition_matrix.Form | None) -> list[str]:
    """What differs in one form: total, grade, budget, rows (their fields), flags (codes added/lost)."""
    if got is None:
        return ["unread"]
    out = [k for k, a, b in (("total", want.card[1:3], got.card[1:3]), ("grade", want.card[3:], got.card[3:]),
                             ("budget", want.budget, got.budget)) if a != b]
    _, fields, lost, added = rendition_matrix.row_differences(want.rows, got.rows)
    rows = sorted(fields) + [f"missing {lost}"] * bool(lost) + [f"extra {added}"] * bool(added)
    out += [f"rows({', '.join(rows)})"] if rows else []
    return out + rendition_matrix._flag_changes("flags", _codes(want), _codes(got))


def _codes(form: rendition_matrix.Form) -> Counter:
    return Counter(f[0] for f in form.flags)


def sweep_line(shift: int, docx, data) -> tuple[str, bool]:
    """One shift's line and whether some form differs without being reported unread."""
    want, got = rendition_matrix.forms(docx), rendition_matrix.forms(data)
    unread = unread_forms(data)
    status = str(data.reports.status.iloc[0])
    notes, silent = [], False
    exact = 0
    for name, form in want.items():
        diff = differences(form, got.get(name))
        if not diff:
            exact += 1
            continue
        honest = name in unread or name not in got and status != "ok"
        silent |= not honest
        notes.append(f"{name[:14]}: {' '.join(diff)}{'' if honest else ' SILENT'}")
    return f"| {shift} | {exact}/{len(want)} | {status} | {'; '.join(notes) or '—'} |", silent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("shifts", nargs="*", type=int, default=SHIFTS)
    parser.add_argument("--keep", type=Path, help="build the PDFs into this folder and keep them")
    parser.add_argument("--stem", default=STEM, help=f"the sample's .docx stem in samples/ (default {STEM})")
    args = parser.parse_args(argv)
    import jixiao

    docx = jixiao.read(build_samples.SAMPLES / f"{args.stem}.docx")
    print("| shift | forms exact | status | forms that differ |\n|---|---|---|---|")
    silent = 0
    with tempfile.TemporaryDirectory(prefix="sweep_") as tmp:
        work = args.keep or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        for shift in args.shifts:
            line, quiet = sweep_line(shift, docx, jixiao.read(rendition(args.stem, shift, work), errors="row"))
            silent += quiet
            print(line, flush=True)
    print(f"\n{silent} of {len(args.shifts)} shifts with a form misread silently")
    return 1 if silent else 0


if __name__ == "__main__":
    sys.exit(main())
