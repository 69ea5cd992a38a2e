# The two commands: `make run` and `make test`. Everything else is a step they share.
SHELL := /bin/bash
PORT ?= 8000
# Test processes: the two cores of a CI machine (pytest-xdist; each has its own test database).
TEST_WORKERS ?= 2
UV := .tools/bin/uv
PY := .venv/bin/python
SEEDS ?= ../shared/seeds
export UV_PYTHON_DOWNLOADS := never

.PHONY: run serve bench test setup install db replica db-stop migrate messages corpus lint argdown

run: setup
	@echo "Tegenspraak on http://127.0.0.1:$(PORT)/ (Ctrl-C stops it); mails are written to var/mail/"
	@# gunicorn, not runserver: it queues many parallel requests (runserver's backlog is 5) and
	@# reloads on code changes all the same; whitenoise serves the static files. Beside it the
	@# task worker sends the mails (django-tasks-db; it reloads on code changes under DEBUG).
	@mkdir -p var/mail
	@$(PY) manage.py db_worker --verbosity 1 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; exit 0' INT TERM; \
	$(PY) -m gunicorn config.wsgi:application --bind 127.0.0.1:$(PORT) \
		--workers 2 --threads 8 --reload --access-logfile - --error-logfile -; \
	kill $$worker 2>/dev/null

# The app as production runs it, locally: DEBUG off, one sync gunicorn worker per core, persistent
# database connections (CONN_MAX_AGE), cached templates, whitenoise with compressed, hashed static
# files. The secret key and the plain-HTTP settings below are for this local server only;
# production sets its own (docs/deploy.md).
WORKERS ?= $(shell nproc)
# sync: measured against gthread with `WORKER_CLASS=gthread make bench` (docs/benchmarks.md). A sync
# worker closes each connection after its answer, so the next request goes to whichever worker is
# free; a gthread worker keeps its keep-alive connections, and 8 of them split unevenly over two.
WORKER_CLASS ?= sync
# Threads a gthread worker runs (gunicorn turns a sync worker given more than one into gthread).
THREADS ?= $(if $(filter gthread,$(WORKER_CLASS)),4,1)
SERVE_ENV := DEBUG=false SECURE_SSL_REDIRECT=false SECURE_COOKIES=false SECURE_HSTS_SECONDS=0 \
	SECRET_KEY="$${SECRET_KEY:-local-serve-only-not-a-production-secret-0123456789}" \
	ALLOWED_HOSTS="$${ALLOWED_HOSTS:-127.0.0.1,localhost,[::1]}" SITE_ROOT=http://127.0.0.1:$(PORT)

serve: setup
	$(SERVE_ENV) $(PY) manage.py collectstatic --noinput --verbosity 0
	@echo "Tegenspraak (production set-up) on http://127.0.0.1:$(PORT)/ with $(WORKERS) workers (Ctrl-C stops it)"
	@trap 'exit 0' INT; $(SERVE_ENV) $(PY) -m gunicorn config.wsgi:application \
		--bind 127.0.0.1:$(PORT) --workers $(WORKERS) --worker-class $(WORKER_CLASS) --threads $(THREADS) \
		--max-requests 0 --error-logfile -

# The benchmark (docs/benchmarks.md): a synthetic corpus in its own database, then wrk and pgbench.
bench: setup
	$(PY) -m bench

test: setup argdown replica
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(PY) -m pytest --numprocesses $(TEST_WORKERS)

setup: install db migrate messages corpus

install: .venv/.installed

.venv/.installed: pyproject.toml uv.lock
	@test -x $(UV) || python3 -m pip install -q --target .tools uv==0.13.9
	$(UV) sync --locked
	@touch $@

# Argdown's own parser (npm, node >= 20), which the tests read the Argdown export with.
argdown: tests/argdown/node_modules/.package-lock.json

tests/argdown/node_modules/.package-lock.json: tests/argdown/package.json tests/argdown/package-lock.json
	npm ci --prefix tests/argdown --no-audit --no-fund --loglevel=error

# The project-local cluster, unless DATABASE_URL points elsewhere.
db:
	@if [ -z "$$DATABASE_URL" ]; then bin/localdb start; fi

# A streaming standby of it, for the tests of reading from replicas (tests/test_replication.py).
replica:
	@if [ -z "$$DATABASE_URL" ]; then bin/localdb replica; fi

db-stop:
	bin/localdb stop

migrate:
	$(PY) manage.py migrate --noinput --verbosity 0

messages:
	$(PY) manage.py compilemessages --ignore .venv --ignore .tools --verbosity 0

corpus:
	$(PY) manage.py import_articles $(SEEDS)/*.txt
	$(PY) manage.py load_arguments

lint:
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
