# Two commands do everything on a fresh machine:
#   make demo   -> set up, load the real public data into the embedded SQLite database, diagnose a territory (T=dep:93)
#   make test   -> set up, run the whole (fast) test suite; PostgreSQL tests run when COTERA_TEST_POSTGRES_URL is set
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
MIRROR ?= $(abspath $(firstword $(wildcard ../shared/data)))
T ?= dep:93
PYTEST_ARGS ?=

.PHONY: setup demo test lint bench
setup: $(VENV)/.synced

$(VENV)/.synced: pyproject.toml uv.lock requirements-bootstrap.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q -r requirements-bootstrap.txt
	$(BIN)/uv sync --frozen --all-groups --quiet
	touch $@

demo: setup
	COTERA_DATA_MIRROR=$${COTERA_DATA_MIRROR:-$(MIRROR)} $(BIN)/cotera data load
	COTERA_DATA_MIRROR=$${COTERA_DATA_MIRROR:-$(MIRROR)} $(BIN)/cotera demo synth
	COTERA_DATA_MIRROR=$${COTERA_DATA_MIRROR:-$(MIRROR)} $(BIN)/cotera diagnose $(T) --demo-compass

test: setup
	COTERA_DATA_MIRROR=$${COTERA_DATA_MIRROR:-$(MIRROR)} scripts/test.sh $(PYTEST_ARGS)

BENCHES ?= territories storage index_uncertainty survey registry maps
bench: setup
	for b in $(BENCHES); do COTERA_DATA_MIRROR=$${COTERA_DATA_MIRROR:-$(MIRROR)} $(BIN)/python -m bench.$$b || exit 1; done
