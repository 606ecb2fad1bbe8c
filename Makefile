# newsdesk: every routine chore is a target here.
#   make run    set up .venv, migrate, load the demo stories, serve on 127.0.0.1:$(PORT)
#   make test   set up .venv with the dev tools, lint, run the whole suite

SHELL := /bin/bash
PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null \
	&& echo $$p && break; done)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: run test lint format install dev worker bench clean check-python

check-python:
	@test -n "$(PYTHON)" || { echo "newsdesk needs Python 3.11 or newer on PATH (python3.11, python3.12, python3.13 or python3)"; exit 1; }

$(BIN)/python: | check-python
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml constraints.txt
	$(BIN)/pip install --quiet -c constraints.txt -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'
	touch $@

install: $(VENV)/.installed
dev: $(VENV)/.installed-dev

run: install
	$(BIN)/newsdesk migrate --noinput -v0
	$(BIN)/newsdesk loaddemo
	$(BIN)/newsdesk worker & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/newsdesk serve --port $(PORT)

lint: dev
	$(BIN)/ruff check src tests tools $(wildcard bench)

format: dev
	$(BIN)/ruff format src tests $(wildcard bench)
	$(BIN)/ruff check --fix src tests $(wildcard bench)

test: dev lint
	$(BIN)/pytest $(PYTEST_ARGS)

bench: dev
	$(BIN)/python bench/run.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var build *.egg-info src/*.egg-info
include security.mk
