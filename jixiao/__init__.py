"""jixiao: budget-performance self-evaluation reports -> canonical dataset. `jixiao.read(path)` -> Dataset."""
