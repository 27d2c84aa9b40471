# The two set-up commands of the README. Both work on a fresh machine: they install what they need.
PYTHON ?= python3
KG_CORPUS ?= $(wildcard ../shared/corpus)
export KG_CORPUS

.PHONY: demo test install install-test system-deps lint doctest

## make demo: install, build the KG from the bundled records into build/store, summary + first query
demo: install
	kg build $(if $(KG_CORPUS),--corpus $(KG_CORPUS),)
	kg query capital-cycles

## make test: install the package, its test extra and the system tools the tests use; lint, type
## checks, the docstrings' examples and the tests
test: install-test system-deps lint doctest
	$(PYTHON) -m pytest

install:
	$(PYTHON) -m pip install -q -e .

install-test:
	$(PYTHON) -m pip install -q -e '.[test]'

system-deps:
	bash scripts/system-deps.sh

lint:
	$(PYTHON) -m ruff check kg tests && $(PYTHON) -m ruff format --check kg tests && $(PYTHON) -m mypy

doctest:
	$(PYTHON) -m pytest -q --doctest-modules kg
