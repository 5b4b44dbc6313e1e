# IVIG-in-MS workbook. Two set-up commands: `make app` and `make test`.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
HOST   := 127.0.0.1
PORT   ?= 8866
SLIDES_PORT ?= 8867
INSTRUCTOR_PORT ?= 8868
# reveal.js and jQuery for the slide decks (tools/vendor_js.py), served by the slides template.
VENDOR_STAMP := share/jupyter/voila/templates/ivigkit-reveal/static/vendor/.integrity

# Voila and Jupyter find the workbook's template (share/) and config (etc/) in this repository.
export JUPYTER_PATH := $(CURDIR)/share/jupyter$(if $(JUPYTER_PATH),:$(JUPYTER_PATH))
export JUPYTER_CONFIG_PATH := $(CURDIR)/etc/jupyter$(if $(JUPYTER_CONFIG_PATH),:$(JUPYTER_CONFIG_PATH))

.PHONY: app slides instructor handouts lecture vendor stamp lab test test-fast bench soak load clean help

help:
	@echo "make app    serve every notebook as a Voila app on http://$(HOST):$(PORT)"
	@echo "make slides serve every notebook as reveal.js slides on http://$(HOST):$(SLIDES_PORT)"
	@echo "make instructor  serve the instructor folder (plans, keys, class report) on http://$(HOST):$(INSTRUCTOR_PORT), this machine only"
	@echo "make handouts  one printable handout per notebook (HTML and PDF, offline) in artifacts/handouts/"
	@echo "make lab   open the notebooks in JupyterLab"
	@echo "make stamp  after editing data/*.csv: validate every table and record data/checksums.json"
	@echo "make test  install the test extras and run every test (unit, data, nbval, Voila, browser)"
	@echo "make bench  classroom benchmarks: time to interactive, latency, memory (benchmarks/README.md)"
	@echo "make lecture NOTEBOOK=04 CLASS=40  one lecture's notebook for a whole class (preheated pool)"
	@echo "make soak   every page loaded 20 times with a core kept busy: broken loads per page"
	@echo "make load   40 simulated students: a lecture's preheated pool, then a cold server"

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

# Fetched once from the npm registry and checked against pinned sha512 hashes; offline after that.
$(VENDOR_STAMP): tools/vendor_js.py | $(BIN)/python
	$(BIN)/python tools/vendor_js.py
	@touch $@

vendor: $(VENDOR_STAMP)

# After editing data/*.csv: validate every table and write data/checksums.json (the stamp that
# lets a kernel skip re-validating unchanged tables; tests/data fail until it is current).
stamp: $(VENV)/.app-installed
	$(BIN)/python -m tools.stamp_data

app: $(VENV)/.app-installed $(VENDOR_STAMP)
	@echo "Start here: http://$(HOST):$(PORT)/voila/render/00_start_here.ipynb"
	@echo "Any app as slides: add ?template=ivigkit-reveal to its address (or run make slides)"
	cd notebooks && ../$(BIN)/voila --no-browser --Voila.ip=$(HOST) --port=$(PORT) \
		--preheat_kernel=True --pool_size=1 .

# The same notebooks as reveal.js decks, with a warm kernel ready for the next deck.
slides: $(VENV)/.app-installed $(VENDOR_STAMP)
	@echo "Slides: http://$(HOST):$(SLIDES_PORT)/voila/render/00_start_here.ipynb (arrow keys move, Esc shows every slide)"
	cd notebooks && ../$(BIN)/voila --no-browser --Voila.ip=$(HOST) --port=$(SLIDES_PORT) \
		--template=ivigkit-reveal --preheat_kernel=True --pool_size=1 .

# The instructor folder (session plans, the case key, the pre/post test's keys, the class report):
# never served by `make app`, Binder or the hub; only here, on this machine's loopback address.
instructor: $(VENV)/.app-installed
	@echo "Instructor folder: http://$(HOST):$(INSTRUCTOR_PORT)/ (plans: session_plans.ipynb, key: case_key.ipynb, report: class_report.ipynb)"
	cd instructor && ../$(BIN)/voila --no-browser --Voila.ip=$(HOST) --port=$(INSTRUCTOR_PORT) .

# Printable handouts: each notebook executed, its code left out, figures drawn with the bundled
# plotly.js, then printed to PDF by Debian's Chromium (tools/handouts.py). Git-ignored output.
handouts: $(VENV)/.test-installed
	$(BIN)/python -m tools.handouts $(HANDOUT_ARGS)

# One lecture's notebook for a whole class: prints the memory it will take, then serves it with a
# preheated pool of CLASS kernels (tools/lecture.py; README "A whole class").
lecture: $(VENV)/.app-installed $(VENDOR_STAMP)
	@test -n "$(NOTEBOOK)" -a -n "$(CLASS)" || { echo "usage: make lecture NOTEBOOK=04 CLASS=40"; exit 2; }
	$(BIN)/python -m tools.lecture "$(NOTEBOOK)" "$(CLASS)" --port=$(PORT)

# JupyterLab refuses to start as root (containers, CI) unless told it may.
lab: $(VENV)/.app-installed
	$(BIN)/jupyter lab --ip=$(HOST) --no-browser $(if $(filter 0,$(shell id -u)),--allow-root) \
		notebooks/00_start_here.ipynb

test: $(VENV)/.test-installed $(VENDOR_STAMP)
	$(BIN)/python -m pytest tests notebooks --nbval-lax --nbval-current-env -p no:cacheprovider --durations=15

# Unit, data, layer and anatomy tests only: no kernels, servers, browser or fetched JavaScript.
test-fast: $(VENV)/.test-installed
	$(BIN)/python -m pytest tests -m "not browser and not voila and not vendored" -p no:cacheprovider

# Headless app updates (with their profile), then Chromium against a one-slider reference app.
bench: $(VENV)/.test-installed
	$(BIN)/python -m benchmarks.bench_dose_app
	$(BIN)/python -m benchmarks.bench_classroom $(BENCH_ARGS)

# Every page, 20 cold loads each with one core kept busy: prints broken loads per page (0 wanted).
soak: $(VENV)/.test-installed $(VENDOR_STAMP)
	$(BIN)/python -m benchmarks.soak $(SOAK_ARGS)

# 40 simulated students on one Voila server on 127.0.0.1 (LOAD_ARGS="--students 10" for fewer).
load: $(VENV)/.app-installed
	$(BIN)/python -m benchmarks.load_test $(LOAD_ARGS)

clean:
	rm -rf $(VENV) artifacts .pytest_cache
