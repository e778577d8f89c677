# Two commands for a newcomer: `make run` and `make test`. Everything else is here
# so that CI, which runs `make test` on a clean clone, installs what it needs.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
# The one public address (e-mail links, sitemap, feeds); a regency's server sets its own.
SITE_URL ?= http://$(HOST):$(PORT)
export SITE_URL

.PHONY: run setup test tools bench bench-micro stop check clean trim-css lighthouse

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
# both and then the embedded PostgreSQL. The worker waits out a lost database by
# itself (manage.py run_worker); should it stop for any other reason (a crash, a kill), the loop starts it again.
run: setup
	@echo "Pasar Kampung: http://$(HOST):$(PORT)/  (admin: http://$(HOST):$(PORT)/admin/, dasbor toko: http://$(HOST):$(PORT)/toko/dashboard/)"
	@echo "Pekerja tugas latar: log di var/worker.log"
	@: > var/worker.log; \
	( trap 'kill $$pid 2>/dev/null; wait $$pid 2>/dev/null; exit 0' TERM; \
	  while :; do \
	    $(PY) manage.py run_worker --no-startup-delay --no-reload >> var/worker.log 2>&1 & pid=$$!; wait $$pid; \
	    echo "Pekerja berhenti (kode $$?); dijalankan lagi dalam 3 detik." >> var/worker.log; sleep 3 & wait $$!; \
	  done ) & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null; $(PY) -m marketplace.embedded_db stop' EXIT; \
	trap 'exit 0' INT TERM; \
	$(PY) -m gunicorn marketplace.wsgi --bind $(HOST):$(PORT) --workers 2 --threads 4 --access-logfile - --error-logfile -

stop: $(INSTALLED)
	$(PY) -m marketplace.embedded_db stop
	PASAR_VAR_DIR=$(BENCH_VAR) $(PY) -m marketplace.embedded_db stop

# Debian's chromium for the browser tests, docker-compose to validate
# docker-compose.yml and wrk for the benchmark; where they cannot be installed only those tests skip.
DEBIAN_TOOLS := chromium docker-compose wrk
tools:
	@missing=""; for tool in $(DEBIAN_TOOLS); do command -v $$tool >/dev/null 2>&1 || missing="$$missing $$tool"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null) \
	      || echo "could not install$$missing: the tests that need it will skip"; \
	  else echo "missing$$missing and no apt-get as root: the tests that need it will skip"; fi; fi

test: $(INSTALLED) tools
	$(PY) -m pytest

check: $(INSTALLED)
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

# The benchmark has its own embedded PostgreSQL and media (var/bench), so the demo in
# var/pgdata is never touched: the demo plus the scale data (built once, kept; BENCH_SCALE
# to change it), then every page under wrk beside the ceiling (tests/benchmarks/load.py).
# The table is printed and written to var/bench.json and var/bench.md.
BENCH_VAR := $(CURDIR)/var/bench
BENCH_SCALE ?= --villages 1000 --products 100000 --orders 50000
bench: $(INSTALLED) tools
	export PASAR_VAR_DIR=$(BENCH_VAR); \
	$(PY) manage.py migrate --noinput -v0 && $(PY) manage.py collectstatic --noinput -v0 && \
	$(PY) manage.py load_demo -v0 >/dev/null && $(PY) manage.py bench_data $(BENCH_SCALE) && \
	$(PY) -m tests.benchmarks.load --browser --lighthouse; status=$$?; $(PY) -m marketplace.embedded_db stop; exit $$status

# The micro-benchmarks (search quality and speed, pages and money through the test client).
bench-micro: $(INSTALLED)
	$(PY) -m pytest tests/benchmarks -q -s --benchmarks

# Issue 14, weak connections. The public pages' stylesheet is Oscar's styles.css less every rule no
# template, form or script of the shop's public side uses (PurgeCSS, pinned, from npm): 46 KB
# compressed down to about 10. Run after adding a Bootstrap class to a public template, and commit
# marketplace/static/marketplace/oscar-site.css. The dashboard keeps Oscar's dashboard.css whole.
PURGECSS_VERSION := 8.0.0
OSCAR_DIR = $(shell $(PY) -c "import oscar, os; print(os.path.dirname(oscar.__file__))")
OSCAR_PUBLIC = basket catalogue checkout communication customer forms offer order partials registration search wishlists
trim-css: $(INSTALLED)
	test -x var/purgecss/node_modules/.bin/purgecss || npm install --prefix var/purgecss --no-audit --no-fund --loglevel=error purgecss@$(PURGECSS_VERSION)
	mkdir -p var/purgecss/out
	var/purgecss/node_modules/.bin/purgecss --css $(OSCAR_DIR)/static/oscar/css/styles.css --output var/purgecss/out/ \
	  --content 'marketplace/templates/oscar/*.html' $(foreach d,$(filter-out dashboard,$(OSCAR_PUBLIC)),'marketplace/templates/oscar/$(d)/**/*.html') \
	  'marketplace/templates/marketplace/**/*.html' 'marketplace/templates/*.html' 'marketplace/templates/errors/*.html' \
	  'cms/**/*.html' 'search/**/*.html' 'marketplace/**/*.py' 'cms/**/*.py' 'search/**/*.py' 'shops/**/*.py' \
	  'marketplace/static/marketplace/*.js' '$(OSCAR_DIR)/templates/oscar/*.html' \
	  $(foreach d,$(OSCAR_PUBLIC),'$(OSCAR_DIR)/templates/oscar/$(d)/**/*.html') '$(OSCAR_DIR)/apps/**/*.py' '$(OSCAR_DIR)/forms/**/*.py' \
	  --safelist '/^alert-/' '/^facet-depth-/' '/^form-(inline|horizontal|stacked)/' --keyframes
	{ echo "/* Generated by make trim-css from django-oscar's styles.css (Bootstrap 4): only the rules the public pages use. Do not edit. */"; \
	  sed 's|\.\./webfonts/|../oscar/webfonts/|g' var/purgecss/out/styles.css; } > marketplace/static/marketplace/oscar-site.css

# Lighthouse (npm, pinned in tests/benchmarks/lighthouse.py) on Debian's chromium against a running
# server: the portal, a village home and a product page; scores printed, reports in var/.
LIGHTHOUSE_URL ?= $(SITE_URL)
lighthouse: $(INSTALLED)
	$(PY) -m tests.benchmarks.lighthouse $(LIGHTHOUSE_URL) --json var/lighthouse.json --why

clean: stop
	rm -rf $(VENV) var
