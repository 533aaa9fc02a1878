# `make demo` and `make test` each do all the set-up on a fresh machine that has python3:
# graphviz's `dot` (apt-get when root), the virtual environment, the project and its extras.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

.PHONY: demo test bench breakdown lint dot venv clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(INSTALLED): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(INSTALLED)

venv: $(INSTALLED)

dot:
	@bash scripts/ensure-dot.sh

NOTEBOOKS := $(wildcard notebooks/*.ipynb)

test: $(INSTALLED) dot
	$(BIN)/ruff check .
ifneq ($(NOTEBOOKS),)
	$(BIN)/nbstripout --verify $(NOTEBOOKS)
endif
	$(BIN)/python -m pytest --nbmake tests $(NOTEBOOKS)

demo: $(INSTALLED) dot
	$(BIN)/chainrule train --data digits --out out/demo
	$(BIN)/chainrule graph --model neuron --out out/demo/neuron.svg
	@echo "pictures: out/demo/curves.png out/demo/digits.png out/demo/graph.svg out/demo/neuron.svg"

bench: $(INSTALLED)
	$(BIN)/python benchmarks/run.py

breakdown: $(INSTALLED)
	$(BIN)/python benchmarks/breakdown.py

lint: $(INSTALLED)
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) out .pytest_cache .hypothesis *.egg-info
