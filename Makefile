# SurveyHub — the two commands: `make run` (demo on SQLite, tasks in-process) and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1:8000

.PHONY: run test bench-smoke mutation setup lint format messages compile-messages native worker beat clean

# Links, QR codes and emails name the address the demo is served at (make run HOST=0.0.0.0:8011
# SITE_URL=http://192.168.1.5:8011 when phones on the network should open them).
SITE_URL ?= http://$(HOST)
RUN_ENV := DJANGO_DEBUG=1 SURVEYHUB_DEMO=1 SURVEYHUB_SITE_URL=$(SITE_URL)

run: setup  ## the product with demo data at http://127.0.0.1:8000
	$(RUN_ENV) $(PY) manage.py migrate --noinput
	$(RUN_ENV) $(PY) manage.py seed_demo
	$(RUN_ENV) $(PY) manage.py runserver $(HOST)

test: setup  ## the whole suite: ruff, then pytest
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) -m pytest $(PYTEST_ARGS)

# Every script in bench/ (the helper modules aside) at a tiny scale against the real services,
# one after the other; the first that fails (exception or wrong result) stops the run.
BENCH_HELPERS := bench/__init__.py bench/settings.py bench/urls.py bench/postgres.py
BENCH_SCRIPTS := $(sort $(filter-out $(BENCH_HELPERS),$(wildcard bench/*.py)))

bench-smoke: setup  ## every benchmark with --smoke (PostgreSQL, Redis, wrk, Chromium)
	@all=$$(date +%s); for script in $(BENCH_SCRIPTS); do \
	  echo "== $$script --smoke"; started=$$(date +%s); \
	  $(PY) $$script --smoke || { echo "== $$script --smoke FAILED"; exit 1; }; \
	  echo "== $$script: $$(( $$(date +%s) - started )) s"; \
	done; echo "== bench-smoke passed in $$(( $$(date +%s) - all )) s"

# Mutation testing (mutmut) of the rule modules, group by group, in mutants/ (never the tree);
# prints the score per group and the surviving mutants. Too slow for every CI run: see README.
mutation: setup  ## MUTATION_GROUPS="metrics nlp" for some groups; tools/mutation.py --list
	$(PY) tools/named_mutations.py
	$(PY) tools/mutation.py $(MUTATION_GROUPS)

setup: $(VENV)/.installed node_modules/.installed compile-messages native

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

# The sentiment features' hot loop in C (feedback/nlp/_columns.c), built in place; rebuilt when
# the source is newer. Python falls back to the same features, ~10× slower, when it is stale.
native: $(VENV)/.installed
	$(PY) tools/build_native.py

compile-messages: $(VENV)/.installed
	@command -v msgfmt >/dev/null || { echo "GNU gettext is needed: apt-get install -y gettext"; exit 1; }
	DJANGO_DEBUG=1 $(PY) manage.py compilemessages -l zh_Hans --ignore=.venv --ignore=node_modules -v0

messages: $(VENV)/.installed  ## refresh the .po catalogues after changing strings
	DJANGO_DEBUG=1 $(PY) manage.py update_translations

lint:
	$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check .

format:
	$(VENV)/bin/ruff check --fix . && $(VENV)/bin/ruff format .

# With DJANGO_DEBUG off (the default) worker and beat, like the web process, refuse to start
# without DJANGO_SECRET_KEY: export the production environment first (README "Production").
worker:  ## a worker on every queue (production: one per queue group, see README)
	$(VENV)/bin/celery -A surveyhub worker -Q default,email,nlp,imports --loglevel=INFO

beat:
	$(VENV)/bin/celery -A surveyhub beat --loglevel=INFO

clean:
	rm -f feedback/nlp/_columns.*.so
	rm -rf $(VENV) node_modules staticfiles
