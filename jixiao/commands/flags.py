"""`jixiao flags`: the flag catalogue, one line of explanation per code."""
from __future__ import annotations

import argparse

from jixiao.text_table import render
from jixiao.normalize.flags import catalogue


def add_parser(sub) -> None:
    p = sub.add_parser("flags", help="list the flag codes: severity and when each is raised",
                       description="The catalogue of discrepancy flags (normalize/data/flags.toml).")
    p.add_argument("-v", "--verbose", action="store_true", help="also show an example of each")
    p.set_defaults(func=flags_command)


def flags_command(args: argparse.Namespace) -> int:
    print(flags_text(catalogue(), verbose=args.verbose))
    return 0


def flags_text(entries: list[dict], verbose: bool = False) -> str:
    rows = [[e["code"], e.get("severity", ""), e.get("raised_when", "")] for e in entries]
    text = render(["code", "severity", "raised when"], rows)
    if verbose:
        text += "\n\nexamples\n" + render(["code", "example"], [[e["code"], e.get("example", "")] for e in entries])
    return text + "\n\nseverity \"rule\": within the precision the form claims no flag; a difference of 0.05 points " \
                  "or less info; a claim above the recomputed value error, below it warning."
