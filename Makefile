# Every target that needs the virtual environment creates it when missing: a fresh clone needs only
# Python 3.11+, pip and make.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install generate check-generated unasync check-unasync spec lint typecheck test check demo bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

generate: $(STAMP)
	$(BIN)/python tools/generate.py

check-generated: $(STAMP)
	rm -rf .check-generated
	$(BIN)/python tools/generate.py --output .check-generated
	diff -r -x __pycache__ generated/pyopenfaas_generated .check-generated/pyopenfaas_generated \
		|| { echo "generated/ differs from openapi.yaml: run 'make generate' and commit"; exit 1; }
	rm -rf .check-generated

# The sync client (wrapper/pyopenfaas/_sync/) is generated from the async one (_async/): never edit it by hand.
unasync: $(STAMP)
	$(BIN)/python tools/unasync.py

check-unasync: $(STAMP)
	$(BIN)/python tools/unasync.py --check

spec: $(STAMP)
	$(BIN)/openapi-spec-validator openapi.yaml

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

check: spec check-generated check-unasync lint typecheck test

demo: $(STAMP)
	$(BIN)/python examples/tour.py
	$(BIN)/python examples/stack_tour.py

bench: $(STAMP)
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) .check-generated .mypy_cache .ruff_cache .hypothesis
