"""Third-party modules imported without setuptools' pkg_resources: zhconv and jieba import it, when they can,
only to find files in their own folder (importing it costs 0.1–0.7 s of every run); without it they open the
same files by path."""
from __future__ import annotations

import importlib
import sys


def without_pkg_resources(name: str):
    """import name, with `import pkg_resources` raising ImportError meanwhile (unless it is loaded already)."""
    if "pkg_resources" in sys.modules:
        return importlib.import_module(name)
    sys.modules["pkg_resources"] = None  # `import pkg_resources` raises ImportError: the module's fallback
    try:
        return importlib.import_module(name)
    finally:
        del sys.modules["pkg_resources"]
