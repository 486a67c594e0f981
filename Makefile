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

# The tests of database behaviour run again on PostgreSQL, where a server can be started (tests/pgserver.py),
# beside the SQLite pass (tests/passes.py): models and their constraints, migrations, transactions and
# on_commit (commits, vetoes, job runs rolled back, the tasks' outbox and database backend, schedules),
# the API's lookups, bulk writes and bad input as PostgreSQL answers it, custom objects' tables, the
# fleet's and the metrics' shared rows, the test kit, and PostgreSQL going away. A new test file of
# database behaviour is added here; the others (pages, permissions, HTTP clients, files, logs, Redis,
# child processes on an SQLite file of their own) run on SQLite only.
PG_TESTS := models signals bulk_edit admin_vetoes receivers load tags ipam_netbox virtualization_circuits \
	migrations_ipam dcim_migration commits commits_paths commits_example \
	api_base api_bulk api_fuzz api_queries \
	custom_objects_models custom_objects_api custom_objects_signals custom_objects_admin custom_objects_gunicorn \
	jobs_runner jobs_faults jobs_hostile jobs_background jobs_api jobs_vars \
	tasks taskdb tasks_outbox tasks_worker_outage schedules faults \
	fleet_api fleet_sync fleet_hosts hookstats metrics userscripts_replay testing_kit
PG_PYTEST_ARGS ?= -q $(PG_TESTS:%=tests/test_%.py) userscripts_tests

# The plugin's tests in a real NetBox 4.7.3 (tests/netbox_plugin/harness.py) prepare NetBox (its
# virtualenv, PostgreSQL, Redis, ~9 minutes of migrations) while the project's suite runs, then run beside what
# is left of it, and a few of them again on the same release laid out as a source install (manage.py,
# NETBOX_CONFIGURATION).
test: $(TEST_STAMP)
	$(PY) -m ruff check .
	@# Not --quiet: it drops the warnings that --strict counts (mkdocs#4126). Silent unless the build fails.
	@out=$$(NO_MKDOCS_2_WARNING=1 $(PY) -m mkdocs build --strict 2>&1) || { echo "$$out"; exit 1; }
	PYTEST_ARGS="$(PYTEST_ARGS)" PG_PYTEST_ARGS="$(PG_PYTEST_ARGS)" \
		$(PYTHON) tests/netbox_plugin/harness.py run -- $(PY) tests/passes.py

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
