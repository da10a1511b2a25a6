"""jixiao: budget-performance self-evaluation reports -> canonical dataset.

    import jixiao
    data = jixiao.read("samples/004_35c19541f4036631.txt")   # Dataset: six pandas DataFrames
    data.indicators.head()
"""
from normalize.pipeline import process as read
from normalize.schema import Dataset

__all__ = ["read", "Dataset"]
