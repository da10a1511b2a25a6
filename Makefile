# Two entry points for a fresh machine: `make run` and `make test` (see README).
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test system install bench samples clean

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test,dask,parquet]'
	touch $(STAMP)

install: $(STAMP)

system:
	bash scripts/setup-system.sh

run: system $(STAMP)
	$(VENV)/bin/jixiao run samples -o output

test: system $(STAMP)
	$(PY) -m pytest -n 2

bench: $(STAMP)
	$(PY) bench/run.py

samples: $(STAMP)
	$(PY) -m pip install -q -e '.[samples]'
	$(PY) scripts/build_samples.py

clean:
	rm -rf output .pytest_cache
