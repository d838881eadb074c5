# Two commands a newcomer needs: `make demo` and `make test`.
SHELL := /bin/bash
UV := $(shell command -v uv 2>/dev/null || echo $(HOME)/.local/bin/uv)
RUN := $(UV) run --frozen
PG_URL ?= postgres://postgres@127.0.0.1:5432/test
DEMO_DB := var/demo.sqlite3

.PHONY: install demo test test-sqlite test-pg bench bench-smoke bench-nation bench-history lint browsers

$(UV):
	python3 -m pip install --user --quiet uv || python3 -m pip install --quiet uv

.venv/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --quiet
	@touch $@

install: .venv/.synced

demo: install
	@mkdir -p var
	DATABASE_URL=sqlite:///$(DEMO_DB) $(RUN) python manage.py migrate --noinput -v 0
	DATABASE_URL=sqlite:///$(DEMO_DB) $(RUN) python manage.py demo_load --if-empty
	DATABASE_URL=sqlite:///$(DEMO_DB) SHEQU_DEBUG=1 $(RUN) python manage.py runserver 127.0.0.1:8000 --noreload

test: install
	SHEQU_FAST_HASHER=1 $(RUN) pytest

test-pg: install
	SHEQU_FAST_HASHER=1 DATABASE_URL=$(PG_URL) $(RUN) pytest

lint: install
	$(RUN) ruff check shequ tests bench
	$(RUN) lint-imports
	$(RUN) mypy

bench: install
	$(RUN) python -m bench.run

bench-smoke: install
	$(RUN) python -m bench.run --smoke

# 31 province databases, 4,000,000 workers' published sums, the ministry page (ADR 0008).
bench-nation: install
	$(RUN) python -m bench.nation_bench

# A province of 300,000 workers with 36 more locked months of pay lines (partitioned by month).
bench-history: install
	$(RUN) python -m bench.history_bench
