"""`jixiao flags [CODE...]`: the flag catalogue, one line of explanation per code; one code in full."""
from __future__ import annotations

import argparse
import sys

from jixiao.commands.check import add_filters
from jixiao.text_table import render
from jixiao.normalize.flags import catalogue

RULE = ("severity \"rule\": within the precision the form claims no flag; a difference of 0.05 points or less "
        "info; a claim above the recomputed value error, below it warning.")


def add_parser(sub) -> None:
    p = sub.add_parser("flags", help="list the flag codes: severity and when each is raised",
                       description="The catalogue of discrepancy flags (normalize/data/flags.toml).",
                       epilog="examples:\n  jixiao flags                       every code, one line each\n"
                              "  jixiao flags TOTAL_MISMATCH        one code in full: levels, message, example\n"
                              "  jixiao flags --severity error -v   codes that can be errors, with examples",
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("codes", nargs="*", metavar="CODE", type=str.upper, help="show these codes in full")
    p.add_argument("-v", "--verbose", action="store_true", help="every code in full, with an example of each")
    add_filters(p)
    p.set_defaults(func=flags_command)


def flags_command(args: argparse.Namespace) -> int:
    entries = catalogue()
    known = {e["code"] for e in entries}
    unknown = [c for c in (args.codes or []) + (args.code or []) if c not in known]
    if unknown:
        print(f"jixiao flags: unknown flag code: {', '.join(unknown)} (jixiao flags lists them)", file=sys.stderr)
        return 2
    wanted = set(args.codes or []) | set(args.code or [])
    entries = [e for e in entries if (not wanted or e["code"] in wanted)
               and (not args.severity or set(args.severity) & set(e["levels"]))]
    print(flags_text(entries, verbose=args.verbose or bool(args.codes)))
    return 0


def flags_text(entries: list[dict], verbose: bool = False) -> str:
    """One line per code; verbose: each code once, in full."""
    if not entries:
        return "no flag code matches"
    if verbose:
        return "\n\n".join(entry_text(e) for e in entries) + "\n\n" + RULE
    rows = [[e["code"], e.get("severity", ""), e.get("raised_when", "")] for e in entries]
    return render(["code", "severity", "raised when"], rows) + "\n\n" + RULE


def entry_text(entry: dict) -> str:
    messages = [entry["message"]] if "message" in entry else list(entry.get("messages", {}).values())
    lines = [entry["code"], f"  severity     {entry.get('severity', '')} (levels: {', '.join(entry['levels'])})",
             f"  raised when  {entry.get('raised_when', '')}"]
    lines += [f"  message      {m}" for m in messages]
    if entry.get("example"):
        lines.append(f"  example      {entry['example']}")
    return "\n".join(lines)
