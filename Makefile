# The two commands of README.md, and a few more. Every target goes through
# scripts/launcher.py, which needs only a system Python 3.11+ to start:
# it creates .venv, installs the requirements, starts the embedded
# PostgreSQL when DATABASE_URL is unset, migrates and loads the demo data.

PYTHON ?= python3
LAUNCH := $(PYTHON) scripts/launcher.py

.PHONY: help run test setup bench lint clean clean-db

help:
	@echo "make run        set up everything and serve on http://127.0.0.1:8000 (PORT=... to change)"
	@echo "make test       set up, then run the whole test suite (pytest -n 2)"
	@echo "make setup      set up only: virtualenv, database, migrations, demo data"
	@echo "make bench      run every bench/bench_<name>.py; make bench-<name> runs one"
	@echo "make lint       ruff check and ruff format --check"
	@echo "make clean      delete caches and generated files (keeps the database and .venv)"
	@echo "make clean-db   stop the embedded PostgreSQL and delete var/pgdata"

run:
	@$(LAUNCH) run

test:
	@$(LAUNCH) test $(PYTEST_ARGS)

setup:
	@$(LAUNCH) setup

bench:
	@$(LAUNCH) bench

bench-%:
	@$(LAUNCH) bench $*

lint:
	@$(LAUNCH) lint

clean:
	@$(LAUNCH) clean

clean-db:
	@$(LAUNCH) clean-db
