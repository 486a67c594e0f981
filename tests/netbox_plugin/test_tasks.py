"""Userscript tasks inside NetBox: each enqueue a NetBox job, run by NetBox's ``rqworker``."""
from conftest import rqworker, wait_for

USERSCRIPTS = {
    "tasked.py": '''
        import os

        from netbox_userscripts.tasks import task


        @task
        def noted(name):
            logger.info("TASK %s pid=%s", name, os.getpid())
            return f"noted {name}"


        @task
        def fails():
            raise RuntimeError("task broken on purpose")


        def call(name="x", **kwargs):
            if name == "fail":
                fails.enqueue()
            else:
                noted.enqueue(name)
            return f"queued {name}"
    ''',
}


def test_a_task_is_a_netbox_job_run_by_rqworker(nb):
    from core.models import Job

    assert nb.api("GET", "/userscript/?script=tasked&name=first").text == "queued first"
    queued = Job.objects.get(name="userscripts.tasked.noted")
    assert queued.status == "pending" and "TASK first" not in nb.log()  # not run in the request
    with rqworker(nb):
        assert wait_for(lambda: Job.objects.get(pk=queued.pk).status == "completed", timeout=90)
        assert Job.objects.get(pk=queued.pk).data == {"result": "noted first"}
        line = wait_for(lambda: [ln for ln in nb.log().splitlines() if "TASK first" in ln])
        assert f"pid={nb.server.process.pid}" not in line[0]
        assert nb.api("GET", "/userscript/?script=tasked&name=fail").status_code == 200
        assert wait_for(lambda: Job.objects.filter(name="userscripts.tasked.fails", status="errored").exists(),
                        timeout=90)
        assert wait_for(lambda: "RuntimeError: task broken on purpose" in nb.log())
