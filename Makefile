# `make demo` and `make test` each do all the set-up on a fresh machine that has python3:
# graphviz's `dot` (apt-get when root), the virtual environment, the project and its extras.
# So do `make html` (every notebook executed into out/html/) and `make notebooks` (JupyterLab).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

.PHONY: demo test test-fast oldest bench breakdown lint dot venv clean html notebooks

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(INSTALLED): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(INSTALLED)

venv: $(INSTALLED)

# The extras that only `make html` and `make notebooks` need (never `make test`).
$(VENV)/.installed-html: pyproject.toml | $(INSTALLED)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev,html]'
	touch $@

$(VENV)/.installed-notebooks: pyproject.toml | $(INSTALLED)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev,notebooks]'
	touch $@

dot:
	@bash scripts/ensure-dot.sh

NOTEBOOKS := $(wildcard notebooks/*.ipynb)

test: $(INSTALLED) dot
	$(BIN)/ruff check .
ifneq ($(NOTEBOOKS),)
	$(BIN)/nbstripout --verify $(NOTEBOOKS)
endif
	$(BIN)/python -m pytest --nbmake tests $(NOTEBOOKS)
	$(BIN)/python scripts/test_oldest.py

# The tests not marked slow (pyproject.toml's markers: no command, script, wheel or notebook
# run, no long training), in seconds: no lint, no notebook, no oldest-versions run.
test-fast: $(INSTALLED) dot
	$(BIN)/python -m pytest -q -m "not slow" tests

# The fast part of the suite on the oldest versions pyproject.toml allows (constraints/oldest.txt),
# in .venv/oldest: the last step of `make test`.
oldest: $(INSTALLED) dot
	$(BIN)/python scripts/test_oldest.py

demo: $(INSTALLED) dot
	$(BIN)/chainrule train --data digits --out out/demo
	$(BIN)/chainrule graph --model neuron --out out/demo/neuron.svg
	@echo "pictures: out/demo/curves.png out/demo/digits.png out/demo/graph.svg out/demo/neuron.svg"

# Every notebook executed into out/html/<name>.html, figures inside, and out/html/index.html.
html: $(VENV)/.installed-html dot
	$(BIN)/python scripts/notebooks_html.py --out out/html

# JupyterLab on notebooks/, no browser opened; it prints the URL (with its token) to open.
# JUPYTER_IP=0.0.0.0 to listen on every interface, JUPYTER_PORT=... for another port.
JUPYTER_IP ?= 127.0.0.1
JUPYTER_PORT ?= 8888
notebooks: $(VENV)/.installed-notebooks dot
	@bash scripts/jupyter-lab.sh $(BIN) $(JUPYTER_IP) $(JUPYTER_PORT)

bench: $(INSTALLED)
	$(BIN)/python benchmarks/run.py

breakdown: $(INSTALLED)
	$(BIN)/python benchmarks/breakdown.py

lint: $(INSTALLED)
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) out .pytest_cache .hypothesis *.egg-info
