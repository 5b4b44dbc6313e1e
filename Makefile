# IVIG-in-MS workbook. Two set-up commands: `make app` and `make test`.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
HOST   := 127.0.0.1
PORT   ?= 8866

# Voila and Jupyter find the workbook's template (share/) and config (etc/) in this repository.
export JUPYTER_PATH := $(CURDIR)/share/jupyter$(if $(JUPYTER_PATH),:$(JUPYTER_PATH))
export JUPYTER_CONFIG_PATH := $(CURDIR)/etc/jupyter$(if $(JUPYTER_CONFIG_PATH),:$(JUPYTER_CONFIG_PATH))

.PHONY: app lab test test-fast bench clean help

help:
	@echo "make app   serve every notebook as a Voila app on http://$(HOST):$(PORT)"
	@echo "make lab   open the notebooks in JupyterLab"
	@echo "make test  install the test extras and run every test (unit, data, nbval, Voila, browser)"
	@echo "make bench time one update of notebook 04's apps, headless (see benchmarks/README.md)"

$(BIN)/python:
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "Python 3.11 is required, found " + sys.version.split()[0]'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Stamp files re-install only when pyproject.toml changes.
$(VENV)/.app-installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[app]"
	@touch $@

$(VENV)/.test-installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[app,test]"
	@touch $@ $(VENV)/.app-installed

app: $(VENV)/.app-installed
	@echo "Start here: http://$(HOST):$(PORT)/voila/render/00_start_here.ipynb"
	cd notebooks && ../$(BIN)/voila --no-browser --Voila.ip=$(HOST) --port=$(PORT) \
		--preheat_kernel=True --pool_size=1 .

# JupyterLab refuses to start as root (containers, CI) unless told it may.
lab: $(VENV)/.app-installed
	$(BIN)/jupyter lab --ip=$(HOST) --no-browser $(if $(filter 0,$(shell id -u)),--allow-root) \
		notebooks/00_start_here.ipynb

test: $(VENV)/.test-installed
	$(BIN)/python -m pytest tests notebooks --nbval-lax --nbval-current-env -p no:cacheprovider --durations=15

# Unit, data and anatomy tests only (no kernels, no servers, no browser).
test-fast: $(VENV)/.test-installed
	$(BIN)/python -m pytest tests -m "not browser and not voila" -p no:cacheprovider

bench: $(VENV)/.test-installed
	$(BIN)/python benchmarks/bench_dose_app.py

clean:
	rm -rf $(VENV) artifacts .pytest_cache
