# Every target is documented by its "## " comment; `make help` lists them.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export NO_MKDOCS_2_WARNING := 1
export PYTHONDONTWRITEBYTECODE := 1

.DEFAULT_GOAL := help

.PHONY: help
help: ## List every target with what it does
	@awk 'BEGIN {FS = ":.*## "} /^[a-z][a-z-]*:.*## / {printf "  make %-10s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

# requirements*.txt pin every package with its hashes (compiled by `make pins` from the .in
# files); pip refuses any file whose hash is not listed there.
PIP_INSTALL := $(BIN)/pip install --quiet --disable-pip-version-check --require-hashes

$(BIN)/.runtime: requirements.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP_INSTALL) -r requirements.txt
	touch $@

$(BIN)/.test: requirements-test.txt $(BIN)/.runtime
	$(PIP_INSTALL) -r requirements-test.txt
	touch $@

# pip-tools compiles the pins; it lives in a virtual environment of its own so that it and what it
# needs (build, wheel) stay out of the one the site and the tests run in.
PIP_TOOLS := pip-tools==7.6.2
PIP_COMPILE := $(VENV)/pip-tools/bin/pip-compile --quiet \
	--generate-hashes --strip-extras --no-emit-index-url --no-emit-find-links

$(VENV)/pip-tools/bin/pip-compile:
	$(PYTHON) -m venv $(VENV)/pip-tools
	$(VENV)/pip-tools/bin/pip install --quiet --disable-pip-version-check $(PIP_TOOLS)

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

tools/audit/node_modules/.installed: tools/audit/package.json tools/audit/package-lock.json
	cd tools/audit && npm ci --no-audit --no-fund --loglevel=error
	touch $@

.PHONY: install
install: $(BIN)/.runtime node_modules/.installed ## Create .venv and install the pinned site dependencies and map data

.PHONY: serve
serve: install ## Serve the site with live reload on http://127.0.0.1:8000
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000

.PHONY: validate
validate: $(BIN)/.runtime ## Check every data file; print every problem as file:line:col
	$(BIN)/python -m sitedata validate

.PHONY: build
build: install ## Build the site strictly into site/ (nothing is written if anything is wrong)
	rm -rf site
	$(BIN)/mkdocs build --strict --site-dir site || { rm -rf site; exit 1; }

.PHONY: engines
engines: install $(BIN)/.test ## Build with MkDocs and with ProperDocs; list and fail on any difference but the generator tag
	$(BIN)/python tools/compare_engines.py

.PHONY: stats
stats: $(BIN)/.runtime ## Print the editorial counts (sources by kind, official, China's own, outcomes)
	$(BIN)/python -m sitedata stats

.PHONY: test
test: install $(BIN)/.test ## Run the whole test suite (unit, build, HTML, browser in Chromium)
	tools/ensure-chromium.sh
	$(BIN)/pytest -n auto --dist worksteal

.PHONY: lint
lint: $(BIN)/.test ## Lint workflows (zizmor, GitHub schema) and Python (ruff)
	$(BIN)/zizmor --offline --min-severity low .github/workflows/
	$(BIN)/check-jsonschema --builtin-schema vendor.github-workflows .github/workflows/*.yml
	$(BIN)/check-jsonschema --builtin-schema vendor.dependabot .github/dependabot.yml
	$(BIN)/ruff check sitedata macros.py hooks.py tests tools

.PHONY: pins
pins: $(VENV)/pip-tools/bin/pip-compile ## Compile requirements*.txt (exact pins, hashes) from requirements*.in
	$(PIP_COMPILE) --output-file requirements.txt requirements.in
	$(PIP_COMPILE) --output-file requirements-test.txt requirements-test.in

.PHONY: bench
bench: install ## Time validation and the strict build at 1x, 10x and 100x the data (prints a table)
	$(BIN)/python tools/bench.py

.PHONY: mutation
mutation: install $(BIN)/.test ## Mutation-test the validation and enrichment modules; last line: mutation: K killed of N
	$(BIN)/python tools/mutation.py

.PHONY: audit
audit: build $(BIN)/.test tools/audit/node_modules/.installed ## Audit every built page: axe, Nu HTML checker, weight, requests; Lighthouse vs plain Material
	tools/ensure-chromium.sh
	$(BIN)/python tools/audit.py

.PHONY: clean
clean: ## Remove the built site, caches and installed dependencies
	rm -rf site $(VENV) node_modules tools/audit/node_modules .pytest_cache .hypothesis .ruff_cache reports mutants
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
