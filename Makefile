# The two commands a new machine needs: `make run` (the main job) and `make test` (the suite).
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint bench gateway clean

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "need $(PYTHON) on PATH (set PYTHON=...)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	@touch $(STAMP)

run: $(STAMP)
	$(BIN)/ib-harness smoke

test: $(STAMP)
	$(BIN)/python -m pytest -n 2 -q -p no:cacheprovider

lint: $(STAMP)
	$(BIN)/python -m pyflakes fake_gateway broker scenarios benchmarks tests ib_harness_cli.py
	$(BIN)/python -m mypy fake_gateway broker scenarios benchmarks ib_harness_cli.py

bench: $(STAMP)
	$(BIN)/python -m benchmarks.run --out BENCHMARKS.md

gateway: $(STAMP)
	$(BIN)/ib-harness gateway --port 4002

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
