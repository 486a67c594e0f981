"""The pytest plugin for userscript authors: test your userscripts against this project or NetBox.

Enable it with one line in your ``conftest.py``::

    pytest_plugins = ["netbox_userscripts.testing"]

or on the command line, ``pytest -p netbox_userscripts.testing``. It is built on pytest-django
(install ``netbox-userscripts[testing]``), which creates the test database and sets Django up;
inside NetBox run pytest with ``--ds netbox.settings``. The fixtures (``fixtures``) are
registered once pytest-django has set Django up, since they use the engine's models: this
module itself imports nothing of Django, so ``-p`` can load it before Django is configured.
The fixtures: ``userscripts`` (load a folder or files for the test only), ``commit_hooks``
(run what a commit would run, and see what ``post_commit`` sent), ``run_job``,
``call_userscript``, ``run_tasks`` and ``userscript_log``. The docs page "Testing your
userscripts" walks through them.
"""
import pytest
from django.apps import apps

FIXTURES = "netbox_userscripts.testing.fixtures"
DB_TASKS = "netbox_userscripts.testing.dbtasks"  # run_tasks: the database backend's queue
HOST_TASKS = "netbox_userscripts.testing.hosttasks"  # run_tasks elsewhere (NetBox's jobs): says what to do


@pytest.hookimpl(trylast=True)  # after pytest-django's own pytest_configure has set Django up
def pytest_configure(config):
    if not apps.ready:
        raise pytest.UsageError(
            "netbox_userscripts.testing needs Django set up by pytest-django: install pytest-django and give the "
            "settings (--ds netbox.settings inside NetBox, or DJANGO_SETTINGS_MODULE in your pytest configuration).")
    plugins = [FIXTURES, DB_TASKS if apps.is_installed("django_tasks_db") else HOST_TASKS]
    for plugin in plugins:
        if not config.pluginmanager.has_plugin(plugin):
            config.pluginmanager.import_plugin(plugin)
