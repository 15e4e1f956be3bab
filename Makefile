# The two commands a new machine needs: `make run` (the main job) and `make test` (the suite).
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Every dependency of the suite (all extras + test tools), pinned with hashes: CI installs exactly this.
LOCK := requirements/ci.lock

.PHONY: run test lint bench bench-api gateway clean chromium compare bench-scenarios compare-legacy soak lock docs crosscheck explore

$(STAMP): pyproject.toml $(LOCK)
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "need $(PYTHON) on PATH (set PYTHON=...)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip setuptools
	$(BIN)/python -m pip install --quiet --require-hashes -r $(LOCK)
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@touch $(STAMP)

# Re-pin requirements/ci.lock after a change to pyproject.toml's dependencies (uv resolves in seconds).
lock:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "need $(PYTHON) on PATH (set PYTHON=...)"; exit 1; }
	$(PYTHON) -m venv .lock-venv && .lock-venv/bin/python -m pip install --quiet --upgrade pip uv
	.lock-venv/bin/uv pip compile pyproject.toml --extra test --universal --python-version 3.11 \
	  --generate-hashes --no-emit-package ib-harness -o $(LOCK)
	rm -rf .lock-venv

# The documentation site, strictly: a broken link, nav entry or table fails the build.
docs: $(STAMP)
	$(BIN)/python docs/gen_reference.py
	$(BIN)/mkdocs build --strict --site-dir site

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

# Generated fault schedules against the library's broker for a minute (virtual clock); a violation
# is shrunk to a YAML scenario under reports/explore. `make test` runs a short fixed-seed explore
# (tests/explore/test_explore_cli.py) and the mutants (tests/explore/test_teeth.py).
explore: $(STAMP)
	$(BIN)/ib-harness explore --budget 60 --seed 1 --jobs 4 --out reports/explore

# The suite (tests/install builds the wheel and installs it into fresh venvs; tests/docs builds the site strictly).
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

# The scenario figures for BENCHMARKS.md (virtual clock, production timings): per-scenario simulated vs
# wall seconds, the week of trading, trace-hash determinism (also beside CPU hogs), both supervisors.
bench-scenarios: $(STAMP)
	$(BIN)/python -m benchmarks.scenarios_bench --update BENCHMARKS.md

# The library on the real clock (x0.05) and on the virtual clock; exit 1 if any verdict differs.
crosscheck: $(STAMP)
	$(BIN)/python -m benchmarks.crosscheck --time-scale 0.05

gateway: $(STAMP)
	$(BIN)/ib-harness gateway --port 4002

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache site
