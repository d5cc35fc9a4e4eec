# Two commands do all the set-up on a fresh machine:
#   make demo   create .venv if missing, install forceplan, run it on the bundled example
#   make test   same install, then the test suite (fails if no test ran)
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test lint bench bench-check clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

EXAMPLE := data/ukraine-2026-2035.xlsx

demo: $(STAMP)
	$(BIN)/forceplan validate $(EXAMPLE)
	mkdir -p out
	$(BIN)/forceplan solve $(EXAMPLE) -o out/ukraine-2026-2035.plan.xlsx --force

test: $(STAMP)
	$(BIN)/python -m pytest -q

# bench: every benchmark, results in bench/RESULTS.md (and bench/SWEEP.md), then the ratios
# that bench-check compares against. Not part of `make test`.
bench: $(STAMP)
	$(BIN)/python bench/run.py
	$(BIN)/python bench/warm.py
	$(BIN)/python bench/sweep.py
	$(BIN)/python bench/check.py --record

# bench-check: a fresh run's ratios against those recorded; fails if one is >15 % worse
bench-check: $(STAMP)
	$(BIN)/python bench/check.py

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

clean:
	rm -rf $(VENV) build *.egg-info
