# Two commands for a newcomer: `make run` and `make test`. Everything else is here
# so that CI, which runs `make test` on a clean clone, installs what it needs.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run setup test browser bench stop check clean

$(INSTALLED): requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

# Embedded PostgreSQL (var/pgdata) unless DATABASE_URL is set; demo of Kabupaten Siak.
setup: $(INSTALLED)
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py collectstatic --noinput -v0
	$(PY) manage.py load_demo

# Serves on http://$(HOST):$(PORT) with gunicorn and a task worker; Ctrl-C stops
# both and then the embedded PostgreSQL.
run: setup
	@echo "Pasar Kampung: http://$(HOST):$(PORT)/  (admin: http://$(HOST):$(PORT)/admin/, dasbor toko: http://$(HOST):$(PORT)/toko/dashboard/)"
	@$(PY) manage.py db_worker --no-startup-delay & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null; $(PY) -m marketplace.embedded_db stop' EXIT; \
	trap 'exit 0' INT TERM; \
	$(PY) -m gunicorn marketplace.wsgi --bind $(HOST):$(PORT) --workers 2 --threads 4 --access-logfile - --error-logfile -

stop: $(INSTALLED)
	$(PY) -m marketplace.embedded_db stop

# Debian's chromium for the browser tests; where it cannot be installed only those tests skip.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	      || echo "chromium could not be installed: the browser tests will skip"; \
	  else echo "chromium is missing and apt-get is not available as root: the browser tests will skip"; fi; }

test: $(INSTALLED) browser
	$(PY) -m pytest

check: $(INSTALLED)
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

bench: $(INSTALLED)
	$(PY) -m pytest tests/benchmarks -p no:randomly -s --benchmarks

clean: stop
	rm -rf $(VENV) var
