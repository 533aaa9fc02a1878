# `make demo` and `make test` each do all the set-up on a fresh machine that has python3:
# graphviz's `dot` (apt-get when root), the virtual environment, the project and its extras.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

.PHONY: demo test bench lint dot venv clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(INSTALLED): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(INSTALLED)

venv: $(INSTALLED)

dot:
	@bash scripts/ensure-dot.sh

test: $(INSTALLED) dot
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

demo: $(INSTALLED) dot
	$(BIN)/python -m chainrule demo

bench: $(INSTALLED)
	$(BIN)/python benchmarks/run.py

lint: $(INSTALLED)
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) out .pytest_cache .hypothesis *.egg-info
