"""`jixiao run` (not implemented yet)."""
from __future__ import annotations


def add_parser(sub) -> None:
    p = sub.add_parser("run", help="(not implemented yet)")
    p.set_defaults(func=lambda args: print("jixiao run: not implemented yet") or 2)
