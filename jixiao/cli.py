"""The `jixiao` command. Each subcommand lives in its own module under jixiao/commands/."""
from __future__ import annotations

import argparse
import os
import sys

import jixiao
from jixiao.commands import check, dump, flags, review, run

DESCRIPTION = """\
jixiao reads budget-performance self-evaluation reports (绩效自评报告 / 项目支出绩效自评表 /
部门整体支出绩效评价评分表) in .docx, .pdf, .txt and writes a canonical dataset with every claimed
score recomputed and every discrepancy flagged.

examples:
  jixiao run reports/2021 -o out          # a folder tree -> out/ (CSV, jixiao.sqlite, audit.xlsx)
  jixiao run reports -o out --jsonl       # also <table>.jsonl for jq / pandas
  jixiao review out                       # keep the review marks typed into out/audit.xlsx (flags sheet)
  jixiao check report.docx                # one report's scorecards and flags in the terminal
  jixiao check report.docx --json --severity error   # as JSON, only the errors
  jixiao dump report.pdf                  # the document model: paragraphs and tables with locations
  jixiao flags                            # the flag catalogue
  jixiao flags TOTAL_MISMATCH             # one flag code in full

Python: jixiao.read("report.docx") -> Dataset (six pandas DataFrames); help(jixiao.read)
"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="jixiao", description=DESCRIPTION,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"jixiao {jixiao.__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in (run, review, check, dump, flags):
        module.add_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        print(f"jixiao {args.command}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `jixiao flags | head`: the reader has gone; say nothing more
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
