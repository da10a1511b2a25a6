"""`jixiao review OUT [--from WORKBOOK | --clear FINGERPRINT...]`: the review marks typed into audit.xlsx's flags
sheet (review: confirmed / false_positive / noted, review_note) kept in OUT/jixiao.sqlite by fingerprint, carried
onto the flags, and the batch outputs rewritten with them. Every later `jixiao run` into OUT carries them too.
A review `clear` in the sheet, or --clear, withdraws a stored mark."""
from __future__ import annotations

import argparse
import sqlite3
import sys
from pathlib import Path

from jixiao import exports, reviews
from jixiao.lock import Busy, OutputLock
from jixiao.store import DB_NAME, REPORTS_DIR
from jixiao.normalize.writers import sqlite_db

EPILOG = """\
the loop:
  jixiao run reports -o out         flags in out/audit.xlsx (sheet flags), out/report.html
  (in Excel or LibreOffice: pick confirmed / false_positive / noted in the review column, type a review_note)
  jixiao review out                 marks kept in out/jixiao.sqlite (table reviews), outputs rewritten
  jixiao run reports -o out --force  a rerun carries every mark onto its flag by fingerprint

A blank review cell leaves a stored mark as it is; a mark whose flag no longer appears is kept.
To withdraw a mark (and its note): pick `clear` in the review column and run `jixiao review out`, or
  jixiao review out --clear FINGERPRINT [FINGERPRINT ...]   (the workbook is not read then)
exit status: 0 marks read, 1 some rows had a review that is not one of the four (listed, not kept) or a
fingerprint given to --clear has no stored mark, 2 usage error (no jixiao.sqlite in OUT, no workbook, OUT in use).
"""


def add_parser(sub) -> None:
    p = sub.add_parser("review", help="keep the review marks typed into OUT/audit.xlsx (flags sheet)",
                       description="Read the review marks of the flags sheet into OUT/jixiao.sqlite and rewrite "
                                   "the outputs with them.",
                       epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("out", metavar="OUT", help="the output folder of jixiao run")
    p.add_argument("--from", dest="source", metavar="WORKBOOK",
                   help="the workbook (or a flags.csv) holding the marks (default: OUT/audit.xlsx)")
    p.add_argument("--clear", nargs="+", metavar="FINGERPRINT", default=[],
                   help="withdraw the stored marks of these flags (fingerprint column); the workbook is not read")
    p.set_defaults(func=review_command)


def review_command(args: argparse.Namespace) -> int:
    out = Path(args.out)
    source = Path(args.source) if args.source else out / exports.WORKBOOK_NAME
    if not (out / DB_NAME).is_file():
        return usage_error(f"{out} holds no {DB_NAME}: give the output folder of a jixiao run")
    if args.clear and args.source:
        return usage_error("--clear and --from do not go together: --clear reads no workbook")
    if args.clear:
        read, said = reviews.Read([reviews.Mark(fp.strip(), reviews.CLEAR, None) for fp in args.clear], []), "--clear"
    else:
        if not source.is_file():
            return usage_error(f"no such file: {source}")
        try:
            read, said = reviews.read_marks(source), str(source)
        except (ValueError, OSError, KeyError) as err:
            return usage_error(f"cannot read the marks in {source}: {err}")
    try:
        with OutputLock(out):
            summary, missing = keep_marks(out, read.marks)
    except Busy as err:
        return usage_error(str(err))
    except (sqlite3.Error, OSError) as err:
        return usage_error(f"cannot write {out}: {err}")
    errors = read.errors + ([f"no stored mark to withdraw for {fp}" for fp in missing] if args.clear else [])
    for error in errors:
        print(f"jixiao review: {said}: {error}", file=sys.stderr)
    print(summary)
    return 1 if errors else 0


def keep_marks(out: Path, marks: list[reviews.Mark]) -> tuple[str, list[str]]:
    """Store the marks, carry them onto the flags, rewrite the outputs present in OUT; returns the summary and
    the fingerprints given to clear that had no stored mark."""
    conn = sqlite_db.connect(out / DB_NAME)
    try:
        reviews.create(conn)
        exports.create_state(conn)
        conn.execute("BEGIN IMMEDIATE")
        try:
            done = reviews.store(conn, marks)
            marked = reviews.apply(conn)
            if done.changed or done.withdrawn:
                exports.forget_all(conn)  # every output is stale until rewritten with the marks
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        reviews.rewrite_folders(conn, out / REPORTS_DIR, [m.fingerprint for m in marks])
        present = [o for o in exports.OUTPUTS if (out / o.name).is_file()]
        written = exports.Exporter(conn, out, present).write()
        counts = dict(conn.execute(f"SELECT review, COUNT(*) FROM {reviews.TABLE} GROUP BY review"))
        lines = [f"{len(marks)} marks read, {done.changed} new or changed, {done.withdrawn} withdrawn; kept in "
                 f"{out / DB_NAME} (table reviews): " + ", ".join(f"{m} {counts.get(m, 0)}" for m in reviews.MARKS),
                 f"  flags carrying a mark: {marked}; error flags not yet reviewed: {reviews.unreviewed_errors(conn)}"]
        kept = reviews.kept_without_flag(conn)
        if kept:
            lines.append(f"  {kept} marks whose flag is not in this batch now are kept (they return with their flag)")
        lines.append("  rewritten: " + (", ".join(written) if written else "nothing (already current)"))
        return "\n".join(lines), done.nothing_to_clear
    finally:
        conn.close()


def usage_error(message: str) -> int:
    print(f"jixiao review: {message}", file=sys.stderr)
    return 2
