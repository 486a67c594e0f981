"""``run_tasks`` where tasks are not the database backend's (inside NetBox they are NetBox jobs): a clear refusal.

Registered by ``netbox_userscripts.testing`` instead of ``dbtasks`` when ``django_tasks_db``
is not installed, so a test asking for ``run_tasks`` there says what to do rather than
"fixture not found".
"""
import pytest


@pytest.fixture
def run_tasks():
    pytest.fail("run_tasks runs the queue of the database task backend (django_tasks_db), which this project does "
                "not use; inside NetBox a task is a NetBox job for rqworker: test its function with "
                "my_task.call(...).", pytrace=False)
