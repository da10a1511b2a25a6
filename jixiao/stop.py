"""A stop asked for by a signal (Ctrl-C, SIGTERM), honoured even where the handler's exception is lost.

A signal handler runs wherever Python code runs in the main thread, a finalizer (__del__) the garbage collector
called included, and Python swallows an exception raised there ("Exception ignored in ..."): the run carried on as
if never stopped. So the handler also records the stop, and the batch checks it at its safe points (between files,
between outputs, while it waits for workers) and raises it there. Without a handler (the API), nothing is recorded."""
from __future__ import annotations

_asked: type[BaseException] | None = None


def ask(stop: type[BaseException]) -> None:
    """Record a stop (called by the signal handler, which then raises it too)."""
    global _asked
    _asked = stop


def check() -> None:
    """Raise the stop asked for, if any: call where the batch can stop and stay consistent."""
    if _asked is not None:
        raise _asked()


def clear() -> None:
    global _asked
    _asked = None


def swallowed(unraisable) -> bool:
    """An "Exception ignored" report (sys.unraisablehook) of the stop asked for: noise, since check() raises it
    again at the next safe point."""
    return _asked is not None and unraisable.exc_type is not None and issubclass(unraisable.exc_type, _asked)
