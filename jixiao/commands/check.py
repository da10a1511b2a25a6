"""`jixiao check` (not implemented yet)."""
from __future__ import annotations


def add_parser(sub) -> None:
    p = sub.add_parser("check", help="(not implemented yet)")
    p.set_defaults(func=lambda args: print("jixiao check: not implemented yet") or 2)
