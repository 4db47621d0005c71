# Two commands do everything: `make run` serves the demo, `make test` runs the checks.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --disable-pip-version-check --quiet
GUNICORN ?= $(VENV)/bin/gunicorn
HOST ?= 127.0.0.1
PORT ?= 8000
NPM ?= npm
# Test processes (pytest-xdist): one per core; PYTEST_WORKERS=0 runs in one process.
PYTEST_WORKERS ?= auto

.PHONY: run serve test fuzz lint bench install install-dev install-production migrate clean

$(VENV)/bin/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed; set PYTHON=python3.11")'
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(VENV)/bin/python
	$(PIP) install --upgrade pip
	$(PIP) install -e .
	@touch $@

$(VENV)/.installed-dev: pyproject.toml $(VENV)/.installed
	$(PIP) install -e ".[dev]"
	@touch $@

# axe-core for the browser tests' accessibility checks (package.json).
node_modules/.package-lock.json: package.json package-lock.json
	@command -v $(NPM) >/dev/null 2>&1 || { echo "npm is missing: install Node.js 18 or newer with npm (Debian: apt-get install -y nodejs npm); the browser tests need axe-core from npm" >&2; exit 1; }
	$(NPM) ci --no-audit --no-fund
	@touch $@

$(VENV)/.installed-production: pyproject.toml $(VENV)/.installed
	$(PIP) install -e ".[production]"
	@touch $@

install: $(VENV)/.installed
install-production: $(VENV)/.installed-production
install-dev: $(VENV)/.installed-dev node_modules/.package-lock.json

migrate: install
	$(PY) manage.py migrate --noinput

# Links in e-mails and `invite --output` point at the server being run,
# unless WAGTAILADMIN_BASE_URL says otherwise.
run: export WAGTAILADMIN_BASE_URL ?= http://$(HOST):$(PORT)
run: migrate
	$(PY) manage.py seed_demo --reset-passwords
	@echo "Serving on http://$(HOST):$(PORT)/  (admin: http://$(HOST):$(PORT)/admin/)"
	$(PY) manage.py runserver $(HOST):$(PORT)

# The production server: gunicorn (cms/gunicorn.conf.py) with the production
# settings. Set DATABASE_URL, REDIS_URL, DJANGO_SECRET_KEY and
# DJANGO_ALLOWED_HOSTS first (see README.md); run `manage.py db_worker` beside it.
serve: export DJANGO_SETTINGS_MODULE ?= cms.settings.production
serve: export GUNICORN_BIND ?= $(HOST):$(PORT)
serve: install-production
	$(PY) manage.py check --deploy --fail-level ERROR
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput -v0
	@echo "Serving on http://$(GUNICORN_BIND)/ with gunicorn (stop with Ctrl-C)"
	$(GUNICORN) -c cms/gunicorn.conf.py

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

test: lint
	$(PY) manage.py makemigrations --check --dry-run --settings=cms.settings.test
	$(PY) -m pytest -n $(PYTEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

# The full schemathesis run over HTTP: every check and phase, 100 examples per
# operation (about four minutes; tests/api/test_fuzz.py).
fuzz: install-dev
	$(PY) -m pytest -m fuzz tests/api/test_fuzz.py $(PYTEST_ARGS)

bench: install-dev
	$(PY) -m bench.stats

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
