# Parley: `make run` runs the whole stack, `make test` runs the tests.
# Needs only Python 3.11+; everything else comes from PyPI (and npm for the
# test OpenID provider and for linting the widget's JavaScript). Override PYTHON to choose the interpreter.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.DEFAULT_GOAL := help

help: ## List the targets
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  make %-12s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit("Python 3.11+ is required") if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP) ## Create .venv and install Parley with its dev tools

run: $(STAMP) ## Run web + worker + sweeper + Redis + SQLite on http://127.0.0.1:8000 (PARLEY_PORT)
	$(BIN)/parley run

test: $(STAMP) test-deps ## Run the whole test suite (real Redis, SQLite, PostgreSQL, Chromium)
	$(BIN)/python -m pytest

test-deps: $(STAMP)
	@$(BIN)/python -m tests.support.deps

bench: $(STAMP) ## Run the benchmarks against a stack started on a free port
	$(BIN)/python -m bench.run

# The widget's lint tools (package.json), dev-only: Python serves the widget without node.
NODE_STAMP := node_modules/.installed

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

lint: $(STAMP) $(NODE_STAMP) ## ruff format --check and ruff check; tsc and eslint on the widget's JavaScript
	$(BIN)/ruff format --check service worker tests bench
	$(BIN)/ruff check service worker tests bench
	node_modules/.bin/tsc -p tsconfig.json
	node_modules/.bin/eslint service/widget/js eslint.config.js

clean: ## Remove the virtualenv and local data
	rm -rf $(VENV) instance

.PHONY: help install run test test-deps bench lint clean
