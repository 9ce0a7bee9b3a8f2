# Diffusion Models vs LLMs: build, serve and test the study guide.
# `make serve` and `make test` install everything they need on a fresh machine.

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
# uv installs the locked packages several at a time (pip, one by one, is the fallback where uv cannot reach PyPI)
UV_VERSION := 0.13.8
HOST ?= 127.0.0.1:8000
PAPER ?= a4
SYSTEM_PACKAGES := chromium-headless-shell fonts-dejavu-core poppler-utils
export NO_MKDOCS_2_WARNING := 1
export PYTHONHASHSEED := 0
# numpy's OpenBLAS gains nothing from a second thread on the guide's small matrices, and takes the
# core of a parallel test worker or of the figures drawn beside the notebooks
export OPENBLAS_NUM_THREADS := 1

.PHONY: install system-deps build pdf serve check test outputs worksheet bench lighthouse lint format lock clean help

help:  ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

$(VENV)/.installed: requirements.lock pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "error: $(PYTHON) not found; install Python 3.11 or run 'make PYTHON=/path/to/python3.11'"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	$(BIN)/uv pip install --quiet --compile-bytecode --python $(BIN)/python -r requirements.lock \
	  || $(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $@

node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { echo "error: npm not found; math is rendered by KaTeX at build time and needs Node.js 20 (apt-get install nodejs npm)"; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(VENV)/.installed node_modules/.installed  ## Create .venv and install Python and Node dependencies from the locks

system-deps:  ## Install Chromium's headless shell, fonts and poppler (PDF handouts, browser tests) with apt-get when missing and root
	@if { ! command -v chromium-headless-shell >/dev/null && [ -z "$$CHROMIUM" ]; } || ! command -v pdftotext >/dev/null; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing $(SYSTEM_PACKAGES) with apt-get"; \
	    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(SYSTEM_PACKAGES) >/dev/null; } \
	      || echo "note: apt-get could not install $(SYSTEM_PACKAGES); what is missing fails its tests by name"; \
	  elif command -v sudo >/dev/null && command -v apt-get >/dev/null; then \
	    { sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(SYSTEM_PACKAGES) >/dev/null; } \
	      || echo "note: apt-get could not install $(SYSTEM_PACKAGES); what is missing fails its tests by name"; \
	  else \
	    echo "note: Chromium's headless shell or pdftotext is missing; install them (sudo apt-get install $(SYSTEM_PACKAGES))"; \
	  fi; \
	fi

build: install  ## Build the HTML site into site/ (strict: any warning fails); `make pdf` adds the PDF handouts
	$(BIN)/mkdocs build --strict

pdf: install system-deps  ## Build the site with its PDF handouts in site/handouts/, as CI publishes it (PAPER=letter for US Letter)
	HANDOUTS=1 HANDOUT_PAPER=$(PAPER) $(BIN)/mkdocs build --strict
	@ls site/handouts/*.pdf | wc -l | xargs echo "PDF handouts in site/handouts/:"

serve: install  ## Build and serve at http://127.0.0.1:8000 with live reload (an edit rebuilds only its page)
	$(BIN)/mkdocs serve --dirty --dev-addr $(HOST)

check: $(VENV)/.installed  ## The fast tier, for editing a page: numerics, code blocks, snippets, hook units (no build, Node or Chromium)
	$(BIN)/python -m pytest -n logical --maxprocesses 4 --dist worksteal -m "not build"

test: install system-deps  ## Run every test: unit, property, snippet, code-block and built-site tests; the site they test is left in site/
	SITE_DIR=$(CURDIR)/site $(BIN)/python -m pytest -n logical --maxprocesses 4 --dist worksteal

outputs: $(VENV)/.installed  ## Run every Python block of the pages that prints and write what it printed under it
	$(BIN)/python -m tests.outputs

worksheet: install system-deps  ## A worksheet with fresh numbers: SEED=7 QUESTIONS=q-cross-entropy-one-token,diffusion (ids, chapters or all); PDFs in worksheets/
	$(BIN)/python -m guide_build.worksheet --seed "$(SEED)" --questions "$(QUESTIONS)"

bench: install system-deps  ## Measure builds, page weight and test time; prints a table, writes bench.json
	$(BIN)/python -m tools.bench $(BENCH_ARGS)

lighthouse: build  ## Lighthouse scores of the home page and the heaviest page (installs lighthouse@12.2.3)
	$(BIN)/python -m tools.lighthouse

PYTHON_DIRS := src snippets tests hooks notebooks tools

lint: $(VENV)/.installed  ## Spelling, Markdown style, ruff: the lint tests that need no build (make test runs them too)
	$(BIN)/python -m pytest -m "not build" tests/test_lint.py

format: install  ## Apply ruff fixes and formatting
	$(BIN)/ruff check --fix $(PYTHON_DIRS)
	$(BIN)/ruff format $(PYTHON_DIRS)

lock:  ## Re-resolve pyproject.toml's dependencies into requirements.lock
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade 'setuptools>=77' '.[docs,test]'
	.lock-venv/bin/python -m pip freeze --all --exclude diffusion-vs-llms --exclude pip > requirements.lock.new
	{ echo "# Pinned versions of every Python package; regenerate with 'make lock'."; cat requirements.lock.new; } > requirements.lock
	rm -rf .lock-venv requirements.lock.new

clean:  ## Remove the build output and installed dependencies
	rm -rf site $(VENV) node_modules .pytest_cache .hypothesis .ruff_cache
