# Every target bootstraps itself: a fresh clone needs only Python 3.11, pip and make.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: run test test-netbox plugin-wheel bench install clean

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

# The plugin's tests in a real NetBox 4.7.3 (tests/netbox_plugin/harness.py) prepare NetBox (its
# virtualenv, PostgreSQL, Redis, ~9 minutes of migrations) while the project's suite runs, then run.
test: $(STAMP)
	$(PY) -m ruff check .
	$(PYTHON) tests/netbox_plugin/harness.py run -- sh -c '$(PY) -m pytest $(PYTEST_ARGS) && \
		$(PY) tests/pgserver.py run -- $(PY) -m pytest $(PG_PYTEST_ARGS)'

# Only the NetBox plugin's tests (NETBOX_PYTEST_ARGS go to their pytest).
test-netbox:
	$(PYTHON) tests/netbox_plugin/harness.py run

# dist/netbox_userscripts-<version>-py3-none-any.whl: the engine alone, as a NetBox plugin.
plugin-wheel:
	$(PYTHON) plugin/build_wheel.py

bench: $(STAMP)
	$(PY) benchmarks/run.py

clean:
	rm -rf $(VENV) *.egg-info .netbox-venv dist
