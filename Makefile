# The two commands: `make demo` and `make test`. Everything else builds on `make install`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PYTEST_FLAGS ?=
# One test process per core (pytest-xdist); each builds its own test database.
PYTEST_WORKERS ?= auto

.PHONY: install install-dev demo serve test lint pytest bench bench-county scaleout-test restore-test clean

# The demo's configuration, read by every `zhenwu` command run in this checkout (src/zhenwu/envfile.py):
# written once, then the developer's to edit.
.env:
	@printf '%s\n' \
		'# For the demo on this machine, written by `make demo`: every zhenwu command run in this checkout' \
		'# reads it, and variables set in the environment win. Production sets its own variables' \
		'# (README, Configuration) and needs no .env; never copy this one to a server.' \
		'DEBUG=1' > $@
	@echo "wrote $@ (DEBUG=1, for the demo on this machine)"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

demo: install .env
	$(BIN)/zhenwu migrate --noinput
	$(BIN)/zhenwu demo
	$(BIN)/zhenwu serve 127.0.0.1:8000

serve: install .env
	$(BIN)/zhenwu serve 127.0.0.1:8000

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# The suite runs on SQLite, then again on PostgreSQL when TEST_DATABASE_URL names one (as .ci/run does).
pytest: install-dev
	DATABASE_URL=sqlite:///$(CURDIR)/var/test.sqlite3 $(BIN)/pytest -n $(PYTEST_WORKERS) $(PYTEST_FLAGS)
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
		echo "== again on PostgreSQL"; \
		DATABASE_URL="$$TEST_DATABASE_URL" $(BIN)/pytest -n $(PYTEST_WORKERS) $(PYTEST_FLAGS); \
	else \
		echo "== TEST_DATABASE_URL is not set: PostgreSQL run skipped (.ci/run sets it)"; \
	fi

test: lint pytest

# Benchmarks (bench/README in README.md): one township on SQLite in a few minutes, or the county on
# PostgreSQL (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/zhenwu_county).
bench: install
	$(BIN)/python bench/run.py quick

bench-county: install
	$(BIN)/python bench/run.py county

# Beyond one machine (docs/scaleout.md): PostgreSQL primary and streaming replica, Redis, two app servers,
# a worker and nginx on loopback ports 57400-57411; intake through nginx while a server is killed; a
# checklist, and bench/results/scaleout.json. Not part of `make test`: it needs root (or sudo) for
# PostgreSQL's postgres user and installs Debian's nginx when missing. SCALEOUT_FLAGS=--strict fails
# when a feature it checks is not in the checkout.
scaleout-test: install
	$(BIN)/python bench/scaleout.py $(SCALEOUT_FLAGS)

# A backup of the demo restored into a fresh database and media root, and compared (docs/backup.md): on
# PostgreSQL when BACKUP_TEST_DATABASE_URL (or TEST_DATABASE_URL) names a server, else on SQLite under var/.
# Not part of `make test`: it builds the demo and takes minutes (most of them the demo).
restore-test: install
	$(BIN)/python scripts/restore_test.py

clean:
	rm -rf $(VENV) var/*.sqlite3* var/static
