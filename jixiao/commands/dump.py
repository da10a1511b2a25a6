"""`jixiao dump` (not implemented yet)."""
from __future__ import annotations


def add_parser(sub) -> None:
    p = sub.add_parser("dump", help="(not implemented yet)")
    p.set_defaults(func=lambda args: print("jixiao dump: not implemented yet") or 2)
