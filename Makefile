# Every target that needs the virtual environment creates it when missing: a fresh clone needs only
# Python 3.11+, pip and make. `make demo` installs pyopenfaas alone; the other targets add the dev tools.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
RUNTIME_STAMP := $(VENV)/.installed-runtime
# Opt-in for touching a real gateway (the one OPENFAAS_URL points to): `make check REAL_GATEWAY=1`,
# `make demo REAL_GATEWAY=1`. Without it the integration tests skip and the demo tours the fake gateway.
REAL_GATEWAY ?=
REAL_GATEWAY_ENV := $(if $(REAL_GATEWAY),PYOPENFAAS_REAL_GATEWAY=1)

.DEFAULT_GOAL := help
.PHONY: help install generate check-generated unasync check-unasync spec lint format typecheck test stress matrix docs docs-serve check-dist wheel check demo bench jobs-fault clean

help: ## list the targets
	@grep -E '^[a-z][a-z-]*:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "} {printf "  make %-16s %s\n", $$1, $$2}'

$(RUNTIME_STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[builder]'
	touch $(RUNTIME_STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP) $(RUNTIME_STAMP)

install: $(STAMP) ## create .venv with pyopenfaas and the dev tools

generate: $(STAMP) ## regenerate wrapper/pyopenfaas/_generated/ from openapi.yaml, _generated_builder/ from builder-openapi.yaml
	$(BIN)/python tools/generate.py
	$(BIN)/python tools/generate.py --builder

check-generated: $(STAMP) ## fail if a generated package differs from a fresh generation
	rm -rf .check-generated
	$(BIN)/python tools/generate.py --output .check-generated/_generated
	diff -r -x __pycache__ wrapper/pyopenfaas/_generated .check-generated/_generated \
		|| { echo "wrapper/pyopenfaas/_generated/ differs from openapi.yaml: run 'make generate' and commit"; exit 1; }
	$(BIN)/python tools/generate.py --builder --output .check-generated/_generated_builder
	diff -r -x __pycache__ wrapper/pyopenfaas/_generated_builder .check-generated/_generated_builder \
		|| { echo "wrapper/pyopenfaas/_generated_builder/ differs from builder-openapi.yaml: run 'make generate' and commit"; exit 1; }
	rm -rf .check-generated

# The sync client (wrapper/pyopenfaas/_sync/) is generated from the async one (_async/): never edit it by hand.
unasync: $(STAMP) ## regenerate the sync twin (_sync/) from _async/
	$(BIN)/python tools/unasync.py

check-unasync: $(STAMP) ## fail if _sync/ differs from a fresh unasync run
	$(BIN)/python tools/unasync.py --check

spec: $(STAMP) ## validate openapi.yaml and builder-openapi.yaml
	$(BIN)/openapi-spec-validator openapi.yaml builder-openapi.yaml

lint: $(STAMP) ## ruff check and ruff format --check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP) ## ruff format and ruff check --fix
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

typecheck: $(STAMP) ## mypy --strict on wrapper/, tests/ and examples/, and on the docs' Python blocks (one module per page)
	$(BIN)/mypy
	$(BIN)/python tools/typecheck_docs.py

# Coverage starts with the interpreter, before pytest loads plugins; every process writes its own data file
# (COVERAGE_FILE is absolute: tests run subprocesses in other folders), combined for the report. One pytest-xdist
# worker per CPU, in random order (pytest-randomly): the seed is printed, `make test PYTEST_ARGS=--randomly-seed=N`
# replays it.
test: $(STAMP) ## pytest in parallel and random order, with branch coverage (a floor); a real gateway only with REAL_GATEWAY=1
	rm -f .coverage .coverage.*
	$(REAL_GATEWAY_ENV) COVERAGE_FILE=$(CURDIR)/.coverage $(BIN)/coverage run -m pytest -n auto $(PYTEST_ARGS)
	$(BIN)/coverage combine --quiet
	$(BIN)/coverage report

stress: $(STAMP) ## the timing-sensitive tests 20 times over, shuffled, every CPU kept busy (STRESS_ARGS="--rounds N")
	$(BIN)/python tools/stress.py $(STRESS_ARGS)

matrix: $(STAMP) ## the tests on the oldest and the newest allowed dependency versions, per installed Python 3.11-3.13
	$(BIN)/nox $(NOX_ARGS)

docs: $(STAMP) ## build the documentation site into site/ (strict: a broken link or reference fails)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict

docs-serve: $(STAMP) ## serve the documentation site on http://127.0.0.1:8000, rebuilt on every change
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000

check-dist: $(STAMP) ## build the wheel and sdist into dist/, then check their metadata and contents
	rm -rf dist
	$(BIN)/python -m build --no-isolation --quiet --outdir dist . >/dev/null
	$(BIN)/twine check --strict dist/*
	$(BIN)/python tools/check_dist.py dist

wheel: $(STAMP) ## build the wheel into dist/ (pyopenfaas is not on PyPI yet: pip install dist/pyopenfaas-*.whl)
	$(BIN)/python -m build --wheel --no-isolation --quiet --outdir dist . >/dev/null
	@ls dist/*.whl

check: spec check-generated check-unasync lint typecheck test docs check-dist ## all of the above: what must pass before a commit

demo: $(RUNTIME_STAMP) ## a tour of the SDK against the fake gateway (yours with REAL_GATEWAY=1), then a stack build and deploy
	$(REAL_GATEWAY_ENV) $(BIN)/python examples/tour.py
	$(BIN)/python examples/stack_tour.py

bench: $(STAMP) ## benchmarks against raw httpx, requests and aiohttp; writes BENCHMARKS.md
	$(BIN)/python -m benchmarks

jobs-fault: $(STAMP) ## queued jobs: 10,000 through the fake, 5% of callbacks dropped, 5% doubled, the driver SIGKILLed halfway
	$(BIN)/python -m benchmarks.jobs_fault

clean: ## remove .venv and the caches
	rm -rf $(VENV) .check-generated .mypy_cache .ruff_cache .hypothesis site dist .nox .coverage .coverage.*
