# Every target bootstraps itself: a fresh clone needs only Python 3.11, pip and make.
# The engine is the distribution at the root (pyproject.toml); the NetBox-like project that
# embeds it is the application in sandbox/ (its manage.py, settings and apps).
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) sandbox/manage.py
PORT ?= 8000
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test

.PHONY: run test test-netbox plugin-wheel bench bench-netbox docs install clean

$(PY):
	$(PYTHON) -m venv $(VENV)

# The engine (editable) and the sandbox's dependency group; pip 25.1 reads dependency groups.
$(STAMP): $(PY) pyproject.toml
	$(PY) -m pip install --quiet --upgrade 'pip>=25.1'
	$(PY) -m pip install --quiet -e . --group sandbox
	touch $(STAMP)

# What the test suite and the build add.
$(TEST_STAMP): $(STAMP)
	$(PY) -m pip install --quiet --group test
	touch $(TEST_STAMP)

install: $(STAMP)

run: $(STAMP)
	$(MANAGE) migrate --no-input
	$(MANAGE) loaddemo --if-empty
	$(MANAGE) ensure_admin
	# One task worker beside the server, stopped with it (Ctrl-C reaches both; the trap covers the rest).
	$(MANAGE) userscripts_worker & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT; \
		$(MANAGE) runserver --insecure 127.0.0.1:$(PORT)  # --insecure: serve the admin's CSS and JS with DEBUG off

# The database tests run again on PostgreSQL where a server can be started (see tests/pgserver.py);
# those that touch no database behaviour (files, the log and its Redis stream, the import rules, the
# browser's look, the NetBox harness's own checks, userscripts_check's child imports, the metrics'
# multi-process files) do not, nor those whose processes always run on an SQLite file of their own (the
# task worker's, the data folder's modes, the git fetch's timeouts).
PG_PYTEST_ARGS ?= -q --ignore=tests/test_make_run.py --ignore=tests/test_log.py --ignore=tests/test_configuration.py \
	--ignore=tests/test_userscripts_log.py --ignore=tests/test_reloader.py --ignore=tests/test_layout.py \
	--ignore=tests/test_browser.py --ignore=tests/test_netbox_harness.py --ignore=tests/test_logstream.py \
	--ignore=tests/test_tasks_worker.py --ignore=tests/test_datadir.py --ignore=tests/test_log_survive.py \
	--ignore=tests/test_fleet_timeouts.py --ignore=tests/test_context.py --ignore=tests/test_userscripts_check.py \
	--ignore=tests/test_metrics_gunicorn.py

# The plugin's tests in a real NetBox 4.7.3 (tests/netbox_plugin/harness.py) prepare NetBox (its
# virtualenv, PostgreSQL, Redis, ~9 minutes of migrations) while the project's suite runs, then run beside what
# is left of it, and a few of them again on the same release laid out as a source install (manage.py,
# NETBOX_CONFIGURATION).
test: $(TEST_STAMP)
	$(PY) -m ruff check .
	@# Not --quiet: it drops the warnings that --strict counts (mkdocs#4126). Silent unless the build fails.
	@out=$$(NO_MKDOCS_2_WARNING=1 $(PY) -m mkdocs build --strict 2>&1) || { echo "$$out"; exit 1; }
	$(PYTHON) tests/netbox_plugin/harness.py run -- sh -c '$(PY) -m pytest $(PYTEST_ARGS) && \
		$(PY) tests/pgserver.py run -- $(PY) -m pytest $(PG_PYTEST_ARGS)'

# Only the NetBox plugin's tests (NETBOX_PYTEST_ARGS go to their pytest). NETBOX_SOURCE=/opt/netbox runs them
# against an existing source install (its manage.py and Python); NETBOX=4.7.0 installs that release from PyPI instead.
test-netbox: $(TEST_STAMP)
	$(PYTHON) tests/netbox_plugin/harness.py run

# dist/netbox_userscripts-<version>-py3-none-any.whl and .tar.gz: the engine alone, as NetBox installs it.
plugin-wheel: $(STAMP)
	$(PY) -m pip install --quiet --group build
	rm -f dist/netbox_userscripts-*
	$(PY) -m build --outdir dist .

# The documentation site (docs/, mkdocs.yml) into site/; --strict: a broken link, anchor or include, or a
# page missing from the navigation, fails the build.
docs: $(STAMP)
	$(PY) -m pip install --quiet --group docs
	$(PY) -m mkdocs build --strict

bench: $(TEST_STAMP)
	$(PY) benchmarks/run.py

# The plugin's cost on NetBox's own REST requests: two NetBox servers on one database, without and with it.
bench-netbox: $(TEST_STAMP)
	$(PYTHON) tests/netbox_plugin/harness.py bench

clean:
	rm -rf $(VENV) *.egg-info .netbox-venv dist build site
