# SurveyHub — the two commands: `make run` (demo on SQLite, tasks in-process) and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1:8000

.PHONY: run test setup lint format messages compile-messages worker beat clean

run: setup  ## the product with demo data at http://127.0.0.1:8000
	DJANGO_DEBUG=1 SURVEYHUB_DEMO=1 $(PY) manage.py migrate --noinput
	DJANGO_DEBUG=1 SURVEYHUB_DEMO=1 $(PY) manage.py seed_demo
	DJANGO_DEBUG=1 SURVEYHUB_DEMO=1 $(PY) manage.py runserver $(HOST)

test: setup  ## the whole suite: ruff, then pytest
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) -m pytest $(PYTEST_ARGS)

setup: $(VENV)/.installed node_modules/.installed compile-messages

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

compile-messages: $(VENV)/.installed
	@command -v msgfmt >/dev/null || { echo "GNU gettext is needed: apt-get install -y gettext"; exit 1; }
	$(PY) manage.py compilemessages -l zh_Hans --ignore=.venv --ignore=node_modules -v0

messages: $(VENV)/.installed  ## refresh the .po catalogues after changing strings
	$(PY) manage.py update_translations

lint:
	$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check .

format:
	$(VENV)/bin/ruff check --fix . && $(VENV)/bin/ruff format .

worker:  ## a worker on every queue (production: one per queue group, see README)
	$(VENV)/bin/celery -A surveyhub worker -Q default,email,nlp,imports --loglevel=INFO

beat:
	$(VENV)/bin/celery -A surveyhub beat --loglevel=INFO

clean:
	rm -rf $(VENV) node_modules staticfiles
