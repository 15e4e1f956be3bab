# The two commands a new machine needs: `make run` (the main job) and `make test` (the suite).
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint bench bench-api gateway clean chromium compare bench-scenarios compare-legacy soak

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "need $(PYTHON) on PATH (set PYTHON=...)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	@touch $(STAMP)

# Replay the scenario library against the real broker; the HTML report goes to reports/.
run: $(STAMP)
	$(BIN)/ib-harness replay ib_harness/scenarios/library --quiet --report reports

# Replay the library under both supervisors (builtin and the Watchdog) on ib_insync and ib_async; print the table.
compare: $(STAMP)
	$(BIN)/ib-harness compare ib_harness/scenarios/library --report reports/compare

# The library against three designs: legacy (ibapi threads), Watchdog, builtin; the table goes to BENCHMARKS.md.
compare-legacy: $(STAMP)
	$(BIN)/python -m benchmarks.legacy_compare --out reports/compare-legacy.md

# The HTML report test opens the page in real headless Chromium (Debian's package). As root on a
# Debian-like machine this installs it once; otherwise it says what to install.
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && apt-cache policy chromium 2>/dev/null | grep -q 'Candidate: [0-9]'; then \
	    apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium; \
	  else echo "chromium is missing: install Debian's 'chromium' package (the HTML report test needs it)"; fi; }

test: $(STAMP) chromium
	$(BIN)/python -m pytest -n 2 -q -p no:cacheprovider

lint: $(STAMP)
	$(BIN)/python -m pyflakes ib_harness benchmarks tests
	$(BIN)/python -m mypy ib_harness benchmarks

# Replay the library 10 times under both supervisors; exit 1 if any verdict changed between runs.
soak: $(STAMP)
	$(BIN)/python -m benchmarks.soak --runs 10 --out reports/soak.md

bench: $(STAMP)
	$(BIN)/python -m benchmarks.run --out BENCHMARKS.md

# Only the HTTP API and Locust load figures: replaces their section of BENCHMARKS.md.
bench-api: $(STAMP)
	$(BIN)/python -m benchmarks.api_load --update BENCHMARKS.md

# The scenario figures for BENCHMARKS.md: library wall time, runner overhead, determinism soak, comparison.
bench-scenarios: $(STAMP)
	$(BIN)/python -m benchmarks.scenarios_bench --out reports/scenarios-bench.md

gateway: $(STAMP)
	$(BIN)/ib-harness gateway --port 4002

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
