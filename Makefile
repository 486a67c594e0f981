# Every target bootstraps itself: a fresh clone needs only Python 3.11, pip and make.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: run test bench install clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(STAMP): $(PY) setup.cfg pyproject.toml
	$(PY) -m pip install --quiet -e '.[test,production]'
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(PY) manage.py migrate --no-input
	$(PY) manage.py loaddemo --if-empty
	$(PY) manage.py ensure_admin
	$(PY) manage.py runserver --insecure 127.0.0.1:$(PORT)  # --insecure: serve the admin's CSS and JS with DEBUG off

# The database tests run again on PostgreSQL where a server can be started (see tests/pgserver.py).
PG_PYTEST_ARGS ?= -q --ignore=tests/test_make_run.py --ignore=tests/test_log.py --ignore=tests/test_configuration.py \
	--ignore=tests/test_userscripts_log.py --ignore=tests/test_reloader.py

test: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m pytest $(PYTEST_ARGS)
	$(PY) tests/pgserver.py run -- $(PY) -m pytest $(PG_PYTEST_ARGS)

bench: $(STAMP)
	$(PY) benchmarks/run.py

clean:
	rm -rf $(VENV) *.egg-info
