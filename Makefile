# saddlesim — make is the dependency graph: targets are the files they produce.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
# pytest workers: 2 cores on the reference machine
PYTEST_WORKERS ?= 2

.DEFAULT_GOAL := help

help: ## list targets
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  %-14s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev,dask,jax,data,networks]'
	touch $(STAMP)

install: $(STAMP) ## create .venv and install saddlesim with its dev, dask, jax, data and networks extras

test: $(STAMP) ## lint (pyflakes + NPY: no legacy np.random) and run the test suite (installs first if needed)
	$(VENV)/bin/ruff check saddlesim tests benchmarks
	$(PY) -m pytest -n $(PYTEST_WORKERS) -q

test-fast: $(STAMP) ## run the tests not marked slow
	$(PY) -m pytest -n $(PYTEST_WORKERS) -q -m "not slow"

mutants: $(STAMP) ## plant the one-line bugs in tests/mutants.toml one at a time (temp copy) and report killed/survived (~5 min)
	$(PY) -m benchmarks.mutants

bench: $(STAMP) ## print throughput and speed ratios measured in one run
	$(PY) -m benchmarks

bench-full: $(STAMP) ## benchmarks including the long runs (minutes)
	$(PY) -m benchmarks --full

# -- experiments: every experiments/<name>.toml → results/<name>/ (meta.json is written last) --
SOURCES     := $(shell find saddlesim -name '*.py' 2>/dev/null) pyproject.toml
SPECS       := $(wildcard experiments/*.toml)
# QUICK=1: a smoke run (small sample budgets) into results/quick/, never over real results
ifeq ($(QUICK),1)
RESULTS_ROOT := results/quick
RUN_FLAGS    := --quick
else
RESULTS_ROOT := results
RUN_FLAGS    :=
endif
RESULTS     := $(patsubst experiments/%.toml,$(RESULTS_ROOT)/%/meta.json,$(SPECS))
WORKERS     ?=
RUN_FLAGS   += $(if $(WORKERS),--workers $(WORKERS),)

experiments: $(RESULTS) ## run every experiment whose spec or code changed (QUICK=1: ≤1 min smoke run into results/quick/), then the report
	$(PY) -m saddlesim.cli report --results $(RESULTS_ROOT)

report: $(STAMP) ## write $(RESULTS_ROOT)/report.html: one section per results folder, from the committed results (no simulation)
	$(PY) -m saddlesim.cli report --results $(RESULTS_ROOT)

# make's file times decide when to look; `--if-stale` compares content hashes
# (spec, code, budget) recorded in meta.json, so a fresh clone, whose files all
# have new times, does not redo committed results.
$(RESULTS_ROOT)/%/meta.json: experiments/%.toml $(SOURCES) | $(STAMP)
	$(VENV)/bin/saddlesim run $< --out-root $(RESULTS_ROOT) $(RUN_FLAGS) --if-stale

# experiments too long for `make experiments` (hours to days on 2 cores): their own target
LONG_SPECS   := $(wildcard experiments/long/*.toml)
LONG_RESULTS := $(patsubst experiments/long/%.toml,$(RESULTS_ROOT)/%/meta.json,$(LONG_SPECS))

experiments-long: $(LONG_RESULTS) ## the long experiments in experiments/long/ (networks with thousands of parameters: CPU-hours; QUICK=1 smoke run), then the report
	$(PY) -m saddlesim.cli report --results $(RESULTS_ROOT)

$(RESULTS_ROOT)/%/meta.json: experiments/long/%.toml $(SOURCES) | $(STAMP)
	$(VENV)/bin/saddlesim run $< --out-root $(RESULTS_ROOT) $(RUN_FLAGS) --if-stale

figures: $(STAMP) ## remake every results folder's figures from its tables (no simulation)
	@for d in $(dir $(RESULTS)); do [ -f $$d/meta.json ] && $(VENV)/bin/saddlesim plot $$d >/dev/null && echo "replotted $$d"; done; true

clean: ## remove the virtual environment and caches
	rm -rf $(VENV) .pytest_cache .hypothesis

.PHONY: help install test test-fast bench bench-full clean experiments experiments-long figures mutants report
