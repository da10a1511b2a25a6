"""jixiao: budget-performance self-evaluation reports -> canonical dataset.

    import jixiao
    data = jixiao.read("samples/004_35c19541f4036631.txt")   # Dataset: six pandas DataFrames
    data.indicators.head()
"""
from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("jixiao")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"

__all__ = ["read", "Dataset", "ReportError", "__version__"]


def __getattr__(name):
    # Lazy: importing jixiao.extract (e.g. in a worker) must not pull in pandas and the whole pipeline.
    if name in ("read", "ReportError"):
        from jixiao import api
        return getattr(api, name)
    if name == "Dataset":
        from jixiao.normalize.schema import Dataset
        return Dataset
    raise AttributeError(f"module 'jixiao' has no attribute {name!r}")
