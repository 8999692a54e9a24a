# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run test lint test-fast browser-deps bench check-deploy clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	@# the reader's vocabulary compiled into its cache once (13 to 20 s), not inside a first request
	$(PY) -c 'from policies.reader import warm; warm()'
	touch $(STAMP)

install: $(STAMP)

# Serve the embedded default (SQLite, eager Celery) with the demo practice, and run
# the timed work Celery beat would run (held messages, outbox relay, alerts) every 30 s.
# Links in the demo's e-mails and its printed address follow HOST and PORT.
run: export PORTAL_BASE_URL ?= http://$(HOST):$(PORT)
run: install
	mkdir -p var
	$(PY) manage.py migrate --noinput -v 0
	$(PY) manage.py collectstatic --noinput -v 0
	$(PY) manage.py loaddemo
	$(PY) manage.py run_periodic --every 30 & \
	  PERIODIC=$$!; trap "kill $$PERIODIC 2>/dev/null" EXIT INT TERM; \
	  $(PY) manage.py runserver $(HOST):$(PORT)

# The whole suite. Browser tests run when /usr/bin/chromium exists and say so when skipped.
# On PostgreSQL, as production, when one answers on 127.0.0.1:5432 (user postgres), else on
# SQLite; DATABASE_URL chooses explicitly. It says which it used.
# Coverage of the project's code, branches too ([tool.coverage] in pyproject.toml), said in one
# line at the end; `$(PY) -m coverage report` (or `html`) afterwards shows it file by file.
# COV_FLOOR=N fails the run under N % (.ci/run sets it); COV= runs without coverage.
COV ?= --cov --cov-report=
COV_FLOOR ?=
test: install
	@DB=$$($(PY) -m portal.testdb); echo "== make test on $${DB%%://*} ($$DB)"; \
	  DATABASE_URL=$$DB $(PY) -m pytest -q -p no:cacheprovider $(COV) \
	    $(if $(COV_FLOOR),--cov-fail-under=$(COV_FLOOR)) $(PYTEST_ARGS); status=$$?; \
	  if [ -n "$(COV)" ] && [ -f var/.coverage ]; then \
	    echo "== coverage (lines and branches) of the project's code: $$($(PY) -m coverage report --format=total) %$(if $(COV_FLOOR), (floor $(COV_FLOOR) %))"; \
	  fi; exit $$status

# The habits of the house (configured in pyproject.toml): ruff's lint and its formatter's check,
# then mypy with the django-stubs and djangorestframework-stubs plugins. All three run; any
# finding fails the target. .ci/run runs it before the tests; .pre-commit-config.yaml runs the same.
lint: install
	@status=0; \
	  echo "== ruff check"; $(VENV)/bin/ruff check . || status=1; \
	  echo "== ruff format --check"; $(VENV)/bin/ruff format --check . || status=1; \
	  echo "== mypy"; $(VENV)/bin/mypy || status=1; \
	  exit $$status

bench: install
	$(PY) -m bench $(BENCH_ARGS)

check-deploy: install
	DJANGO_SETTINGS_MODULE=portal.settings.production \
	DJANGO_SECRET_KEY=$$($(PY) -c 'import secrets;print(secrets.token_urlsafe(64))') \
	PORTAL_ENCRYPTION_KEYS=$$($(PY) -c 'from cryptography.fernet import Fernet;print(Fernet.generate_key().decode())') \
	PORTAL_AUDIT_SIGNING_KEY=$$($(PY) -c 'import base64,secrets;print(base64.b64encode(secrets.token_bytes(32)).decode())') \
	$(PY) manage.py check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) var/*.sqlite3*
