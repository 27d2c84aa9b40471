# The two set-up commands of the README. Both work on a fresh Debian with its own Python: they
# make a virtual environment (.venv, or the one already active) and install into it, since
# Debian's Python refuses "pip install" outside one; as root they also install the Debian
# packages they use (scripts/system-deps.sh).
PYTHON ?= python3
VENV ?= $(or $(VIRTUAL_ENV),.venv)
BIN := $(abspath $(VENV))/bin
KG_CORPUS ?= $(wildcard ../shared/corpus)
export KG_CORPUS

.PHONY: demo test install install-tour install-test system-deps lint doctest

## make demo: install aikg with what the README's tour uses, build the KG from the bundled
## records into build/store, show a summary and a first query
demo: install-tour
	bash scripts/system-deps.sh --optional pictures
	$(BIN)/kg build $(if $(KG_CORPUS),--corpus $(KG_CORPUS),)
	$(BIN)/kg query capital-cycles
	@echo
	@echo "aikg is installed in $(VENV): run '. $(VENV)/bin/activate', then the README's tour."

## make test: install aikg, its test extra and the system tools the tests use; lint, type
## checks, the docstrings' examples and the tests (the README's tour among them)
test: install-test system-deps lint doctest
	PATH="$(BIN):$$PATH" $(BIN)/python -m pytest

$(BIN)/python:
	bash scripts/venv.sh $(PYTHON) $(VENV)

# each install is redone when pyproject.toml changes (the package itself is editable)
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e .
	@touch $@

$(VENV)/.installed-tour: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[tour]'
	@touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[test]'
	@touch $@

install: $(VENV)/.installed
install-tour: $(VENV)/.installed-tour
install-test: $(VENV)/.installed-test

system-deps:
	bash scripts/system-deps.sh

lint: install-test
	$(BIN)/python -m ruff check kg tests && $(BIN)/python -m ruff format --check kg tests \
	  && $(BIN)/python -m mypy

doctest: install-test
	$(BIN)/python -m pytest -q --doctest-modules kg
