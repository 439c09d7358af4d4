# disclosure_check: `make run` (install, score the samples, open the dashboard) and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DB ?= data/disclosure_check.db
PORT ?= 8501
SMOKE ?=
PIP := $(BIN)/python -m pip --disable-pip-version-check -q

.PHONY: run setup dev test check browser postgres poppler lint samples train benchmark clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# What `make run` needs: the library, the dashboard and the PDF report (the dashboard offers PDF downloads).
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(PIP) install -e ".[dashboard,report]"
	@touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(PIP) install -e ".[dev]"
	@touch $@ $(VENV)/.installed

setup: $(VENV)/.installed  ## install the package, the dashboard and reports into .venv

dev: $(VENV)/.installed-dev  ## install with test and sample-building dependencies

run: setup  ## score the bundled samples into $(DB), then serve the dashboard on http://localhost:$(PORT)/ (SMOKE=1: check it renders, then stop)
	DISCLOSURE_CHECK_DB=$(DB) $(BIN)/disclosure-check score corpus/samples --db $(DB) --out data/samples.json
	$(BIN)/python scripts/serve.py --port $(PORT) --db $(DB) $(if $(SMOKE),--smoke,)

test: dev browser postgres  ## run every test, the store suite on SQLite and on a throwaway PostgreSQL server
	PYTHON=$(BIN)/python scripts/test_postgres.sh $(BIN)/python -m pytest

# The fast loop: two pytest processes (pytest-xdist, one file per process at a time: a module's
# fixtures are built once), and compiled modules kept between runs even where the environment turns
# that off (PYTHONDONTWRITEBYTECODE): recompiling every test and source module each run doubled the
# collection time.
CHECK_JOBS ?= 2
check: dev  ## lint, then the fast tests (not marked slow; no browser or PostgreSQL): about 105 CPU-s in two processes, about a minute on two idle cores
	$(BIN)/ruff check src tests app.py ui scripts benchmarks
	PYTHONDONTWRITEBYTECODE= $(BIN)/python -m pytest -q -m "not slow" -p no:cacheprovider -n $(CHECK_JOBS) --dist loadfile

browser:  ## Debian's headless Chromium for the end-to-end test (needs root or sudo; skipped if present)
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then (apt-get update -qq && apt-get install -y -qq chromium >/dev/null) || echo "could not install chromium: the browser test will be skipped"; \
	  elif command -v sudo >/dev/null 2>&1; then (sudo apt-get update -qq && sudo apt-get install -y -qq chromium >/dev/null) || echo "could not install chromium"; \
	  else echo "chromium missing and no root: the browser test will be skipped"; fi; }

lint: dev
	$(BIN)/ruff check src tests app.py ui scripts benchmarks

samples: dev  ## rebuild corpus/samples from the real texts
	$(BIN)/python scripts/render_samples.py

train: setup  ## retrain the model set models/default (sentence model from corpus/aims, audiences from corpus/wikirate)
	$(BIN)/disclosure-check train --out models/default
	$(BIN)/disclosure-check train-audiences --out models/default

benchmark: dev poppler  ## extraction on real and rendered PDFs, speed and memory; results in benchmarks/results/
	$(BIN)/python benchmarks/real_layout.py --json benchmarks/results/real_layout.json
	$(BIN)/python benchmarks/extraction_fidelity.py --json benchmarks/results/extraction_fidelity.json
	$(BIN)/python benchmarks/scoring_speed.py --json benchmarks/results/scoring_speed.json
	$(BIN)/python benchmarks/speed_memory.py --json benchmarks/results/speed_memory.json
	$(BIN)/python benchmarks/cluster_throughput.py --docs 1000 --json benchmarks/results/cluster_throughput.json --md benchmarks/results/cluster_throughput.md

postgres:  ## Debian's PostgreSQL server for the store suite (needs root or sudo; skipped if initdb is found)
	@command -v initdb >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then (apt-get update -qq && apt-get install -y -qq postgresql >/dev/null) || echo "could not install postgresql: its store tests will be skipped"; \
	  elif command -v sudo >/dev/null 2>&1; then (sudo apt-get update -qq && sudo apt-get install -y -qq postgresql >/dev/null) || echo "could not install postgresql"; \
	  else echo "PostgreSQL missing and no root: its store tests will be skipped"; fi; }

poppler:  ## Debian's poppler-utils: pdftotext, the independent reference of the real-layout benchmark
	@command -v pdftotext >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then (apt-get update -qq && apt-get install -y -qq poppler-utils >/dev/null) || echo "could not install poppler-utils"; \
	  elif command -v sudo >/dev/null 2>&1; then (sudo apt-get update -qq && sudo apt-get install -y -qq poppler-utils >/dev/null) || echo "could not install poppler-utils"; \
	  else echo "pdftotext missing and no root: the real-layout benchmark will skip"; fi; }

clean:
	rm -rf $(VENV) data .pytest_cache
