# Two entry points for a fresh clone: `make run` (API on the embedded defaults) and `make test` (every test).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test bench simulate clean

run: $(VENV)/.installed-run
	$(BIN)/skyriff serve --host $(HOST) --port $(PORT)

test: $(VENV)/.installed-dev
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The benchmark suite (bench/README.md): PostgreSQL and Redis on localhost, wrk (installed from Debian if missing).
bench: $(VENV)/.installed-dev
	$(BIN)/python -m bench.run $(BENCH_ARGS)

# The randomised money simulation (tests/simulation) on a throw-away PostgreSQL database; a failure prints
# the seed that replays it. SEED empty: a random one.
SEED ?=
STEPS ?= 5000
simulate: $(VENV)/.installed-dev
	$(BIN)/python -m tests.simulation $(if $(SEED),--seed $(SEED)) --steps $(STEPS)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip setuptools wheel

# The server extra: the API, the CLI and the embedded worker (a bare `pip install .` is the domain library only).
$(VENV)/.installed-run: setup.cfg pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[server]'
	touch $@

$(VENV)/.installed-dev: setup.cfg pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed-run

clean:
	rm -rf $(VENV) var .pytest_cache
