# The two set-up commands are `make run` and `make test`; see README.md.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install messages run test serve bench clean

install: $(STAMP) messages

# The interface's translations (locale/<language>/LC_MESSAGES/django.po),
# compiled into the .mo files Django reads: Debian's gettext has msgfmt.
PO := $(wildcard locale/*/LC_MESSAGES/django.po)
MO := $(PO:.po=.mo)
messages: $(MO)
$(MO) &: $(PO) $(STAMP)
	@command -v msgfmt >/dev/null || { echo "msgfmt is missing: apt-get install gettext"; exit 1; }
	DJANGO_DEBUG=1 $(BIN)/python manage.py compilemessages --ignore=.venv --ignore=staticfiles --verbosity 0
	touch $(MO)

$(STAMP): requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $(STAMP)

run: install
	DJANGO_DEBUG=$${DJANGO_DEBUG:-1} $(BIN)/python manage.py migrate --noinput
	DJANGO_DEBUG=$${DJANGO_DEBUG:-1} $(BIN)/python manage.py setup_site
	DJANGO_DEBUG=$${DJANGO_DEBUG:-1} $(BIN)/python manage.py runserver 127.0.0.1:8000

# Production: debug off, DJANGO_SECRET_KEY required (migrate stops with
# "Configuration error: DJANGO_SECRET_KEY is not set" when it is missing).
# Set DJANGO_ALLOWED_HOSTS, DATABASE_URL, REDIS_URL as README.md describes;
# BIND (127.0.0.1:8000) and WORKERS (2) choose gunicorn's address and workers.
serve: install
	DJANGO_DEBUG=0 $(BIN)/python manage.py migrate --noinput
	DJANGO_DEBUG=0 $(BIN)/python manage.py collectstatic --noinput
	DJANGO_DEBUG=0 $(BIN)/gunicorn encyclopedia.wsgi --bind $${BIND:-127.0.0.1:8000} --workers $${WORKERS:-2} --access-logfile -

# The suite in two processes (pytest-xdist), each test file in one of them:
# a file's servers and its tests' order stay together. TEST_WORKERS=0 runs
# it in this process alone.
test: install
	$(BIN)/python -m pytest -n $${TEST_WORKERS:-2} --dist loadfile $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) staticfiles test-artifacts .pytest_cache .hypothesis

# Load tests (not part of `make test`): readers with wrk against gunicorn, then
# 8 concurrent editors through the admin, each on a throwaway PostgreSQL
# database (BENCH_PG_SERVER, default postgres://postgres@127.0.0.1:5432).
# Needs Debian's wrk (apt-get install -y wrk). See bench/README.md.
.PHONY: load
load: install
	$(BIN)/python bench/load_readers.py
	$(BIN)/python bench/load_editors.py

# Benchmarks of issue 6 (not part of `make test`): synthetic data at 1,000,
# 10,000 and 100,000 articles, import/export, queries per page, search, and
# the article page over HTTP with wrk; writes bench/RESULTS.md. Takes about
# half an hour; BENCH_ARGS="--sizes 200,1000,5000" for a quick run.
bench: install
	$(BIN)/python bench/run.py $(BENCH_ARGS)
