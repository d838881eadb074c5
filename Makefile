# Two commands a newcomer needs: `make demo` and `make test`.
SHELL := /bin/bash
UV := $(shell command -v uv 2>/dev/null || echo $(HOME)/.local/bin/uv)
RUN := $(UV) run --frozen
PG_URL ?= postgres://postgres@127.0.0.1:5432/test
DEMO_DB := var/demo.sqlite3

.PHONY: install demo serve test test-sqlite test-pg bench bench-smoke bench-nation bench-history lint browsers api-fuzz

$(UV):
	python3 -m pip install --user --quiet uv || python3 -m pip install --quiet uv

.venv/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --quiet
	@touch $@

install: .venv/.synced

demo: install
	@mkdir -p var
	DATABASE_URL=sqlite:///$(DEMO_DB) $(RUN) python manage.py migrate --noinput -v 0
	DATABASE_URL=sqlite:///$(DEMO_DB) $(RUN) python manage.py createcachetable
	DATABASE_URL=sqlite:///$(DEMO_DB) $(RUN) python manage.py demo_load --if-empty
	@# The task worker runs beside the web server; Ctrl-C stops both.
	@export DATABASE_URL=sqlite:///$(DEMO_DB) SHEQU_DEBUG=1 SHEQU_TASKS=database; \
	trap 'kill $$worker $$web 2>/dev/null; wait' INT TERM EXIT; \
	$(RUN) python manage.py db_worker --no-reload -v 0 & worker=$$!; \
	$(RUN) python manage.py runserver 127.0.0.1:8000 --noreload & web=$$!; \
	wait $$web

# Production: PostgreSQL, settings from the environment (README「运维」), gunicorn plus the
# task worker; refuses to start on unsafe settings. Ctrl-C (or SIGTERM) stops both.
serve: install
	@case "$$DATABASE_URL" in postgres://*|postgresql://*) ;; \
	  *) echo "make serve 需要 PostgreSQL：请设置 DATABASE_URL=postgres://用户:密码@主机:端口/库名" >&2; exit 2;; esac
	@export SHEQU_PRODUCTION=1 SHEQU_TASKS=database; \
	$(RUN) python manage.py check --deploy --fail-level WARNING && \
	$(RUN) python manage.py migrate --noinput -v 0 && \
	$(RUN) python manage.py createcachetable && \
	$(RUN) python manage.py collectstatic --noinput -v 0 && \
	{ trap 'kill $$worker $$web 2>/dev/null; wait' INT TERM EXIT; \
	$(RUN) python manage.py db_worker --no-reload & worker=$$!; \
	$(RUN) gunicorn shequ.wsgi --bind $${SHEQU_BIND:-127.0.0.1:8000} --workers $${SHEQU_WEB_WORKERS:-3} \
	  --timeout $${SHEQU_WEB_TIMEOUT:-60} --access-logfile - & web=$$!; \
	wait $$web; }

test: install
	SHEQU_FAST_HASHER=1 $(RUN) pytest

test-pg: install
	SHEQU_FAST_HASHER=1 DATABASE_URL=$(PG_URL) $(RUN) pytest

# schemathesis against the OpenAPI document, bounded (a few examples per operation, ~3 min on
# two cores): zero server errors, zero response-schema violations; the figures land in var/.
api-fuzz: install
	SHEQU_API_FUZZ=1 SHEQU_FAST_HASHER=1 $(RUN) pytest tests/api_fuzz -s

lint: install
	$(RUN) ruff check shequ tests bench
	$(RUN) lint-imports
	$(RUN) mypy

# The whole benchmark: the suite, then the nation and the province history (both on PostgreSQL).
bench: install
	$(RUN) python -m bench.run
	$(RUN) python -m bench.nation_bench
	$(RUN) python -m bench.history_bench

bench-smoke: install
	$(RUN) python -m bench.run --smoke

# 31 province databases, 4,000,000 workers' published sums, the ministry page (ADR 0008).
bench-nation: install
	$(RUN) python -m bench.nation_bench

# A province of 300,000 workers with 36 more locked months of pay lines (partitioned by month).
bench-history: install
	$(RUN) python -m bench.history_bench
