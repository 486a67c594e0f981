"""Userscript tasks inside NetBox: each run a NetBox job on NetBox's Redis, run by ``netbox rqworker``.

A ``post_commit`` receiver enqueues a task for the site just saved over the REST API; the
save answers without running it (a pending NetBox job), ``rqworker`` runs it in the current
version of its module, its log lines reach the job's log and the central log, its return
value the job's data. A task that raises, and one whose function was removed, leave the job
errored saying why. A scheduled task is enqueued each period by the scheduler in ``rqworker``.
A task enqueued while NetBox's Redis is down (the module's own, killed) still runs, once, when
it is back: the save answers 201 and the job waits in the tasks outbox until then.
With ``METRICS_ENABLED`` and ``PROMETHEUS_MULTIPROC_DIR`` (the server's and rqworker's), NetBox's own
``/metrics`` has the engine's series: the receiver's in the server, the task's in rqworker's work horse.
"""
import os
from datetime import timedelta

from conftest import running_rqworker, wait_for

TASKS_REDIS_OF_ITS_OWN = True  # test_a_task_enqueued_while_redis_is_down... kills it
NETBOX_SETTINGS = {"METRICS_ENABLED": True}
METRICS_MULTIPROCESS = True

USERSCRIPTS = {
    "pushes.py": '''
        import os
        from datetime import timedelta

        from django.dispatch import receiver

        from dcim.models import Site
        from netbox_userscripts.signals import post_commit
        from netbox_userscripts.tasks import task


        @task
        def push(site_id, name):
            logger.info("pushing site %s (%s) in pid %s", site_id, name, os.getpid())
            return {"pushed": name}


        @task(every=timedelta(seconds=2))
        def tick():
            logger.info("tick in pid %s", os.getpid())


        @task
        def remember(name):
            logger.info("remembering %s", name)


        @task
        def explode():
            raise RuntimeError("the device refused the config")


        @receiver(post_commit, sender=Site)
        def committed(sender, changes, **kwargs):
            for change in changes:
                if change.action == "create" and change.after["name"] == "boom":
                    explode.enqueue()
                elif change.action == "create" and change.after["name"].startswith("outage"):
                    remember.enqueue(name=change.after["name"])
                elif change.action == "create":
                    push.enqueue(site_id=change.pk, name=change.after["name"])
    ''',
}


def jobs(name):
    from core.models import Job

    return list(Job.objects.filter(name=f"Userscript task pushes.{name}").order_by("pk"))


def finished(name, count):
    found = jobs(name)
    return len(found) >= count and all(job.completed for job in found[:count]) and found


def test_a_task_enqueued_while_redis_is_down_runs_once_when_it_is_back(nb):
    from netbox_userscripts.models import TaskOutbox

    nb.tasks_redis.kill()
    created = nb.api("POST", "/api/dcim/sites/", json={"name": "outage-1", "slug": "outage-1"})
    assert created.status_code == 201, created.text  # the site is committed; NetBox's own enqueue would 500 here
    job, = jobs("remember")
    assert job.status == "pending"
    waiting, = TaskOutbox.objects.all()
    assert waiting.id == str(job.job_id) and "ConnectionError" in waiting.last_error, waiting.last_error
    nb.tasks_redis.start()  # empty: nothing of the job was ever in it
    with running_rqworker(nb):  # its heartbeat and the server's hand the job over; the worker runs it
        job, = wait_for(lambda: finished("remember", 1), timeout=60) or jobs("remember")
        assert job.status == "completed", (job.status, job.error, job.log_entries)
        # the process that handed the job over deletes its row after RQ took it; the worker may end the job first
        assert wait_for(lambda: not TaskOutbox.objects.exists(), timeout=30), list(TaskOutbox.objects.values())
        wait_for(lambda: nb.log().count("remembering outage-1") > 1, timeout=3)  # a second run would show by now
    assert nb.log().count("pushes.py: remembering outage-1") == 1, nb.log()
    assert len(jobs("remember")) == 1


def test_a_task_enqueued_at_commit_is_a_netbox_job_run_by_rqworker(nb, request):
    created = nb.api("POST", "/api/dcim/sites/", json={"name": "edge-1", "slug": "edge-1"})
    assert created.status_code == 201, created.text
    job, = jobs("push")
    assert job.status == "pending"  # queued for the worker, not run in the request
    request.getfixturevalue("rqworker")
    job, = wait_for(lambda: finished("push", 1), timeout=60) or jobs("push")
    assert job.status == "completed", (job.status, job.error, job.log_entries)
    assert job.data == {"result": {"pushed": "edge-1"}}
    messages = [entry["message"] for entry in job.log_entries]
    assert any(m.startswith(f"pushing site {created.json()['id']} (edge-1) in pid ") for m in messages), messages
    pid = int(next(m for m in messages if m.startswith("pushing")).rsplit(" ", 1)[1])
    assert pid not in (nb.server.process.pid, os.getpid())  # in rqworker's work horse
    assert "pushes.py: pushing site" in nb.log()  # the central log too
    listed = nb.api("GET", "/api/plugins/userscripts/tasks/?script=pushes&status=succeeded").json()["results"]
    assert [(r["status"], r["result"]) for r in listed if r["task"] == "pushes.push"] == [
        ("succeeded", {"pushed": "edge-1"})]  # (the scheduled tick's runs are listed too)
    assert nb.manage("userscripts", "--tasks", "--status", "succeeded").stdout.count("pushes.push ") == 1


def netbox_metrics(nb):
    from prometheus_client.parser import text_string_to_metric_families

    response = nb.session().get(f"{nb.url}/metrics", timeout=30)
    assert response.status_code == 200, response.text[:300]
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(response.text) for s in family.samples}


def test_netbox_metrics_have_the_receivers_and_the_tasks_run_by_rqworker(nb, rqworker):
    assert nb.api("POST", "/api/dcim/sites/", json={"name": "metered", "slug": "metered"}).status_code == 201
    task = (("module", "pushes"), ("status", "successful"), ("task", "push"))
    samples = wait_for(lambda: (found := netbox_metrics(nb)).get(("userscripts_task_runs_total", task)) and found,
                       timeout=60)
    assert samples, f"no task series in NetBox's /metrics: {sorted(k for k in netbox_metrics(nb) if 'user' in k[0])}"
    receiver = {"module": "pushes", "receiver": "committed", "signal": "post_commit", "sender": "dcim.Site"}
    assert samples[("userscripts_receiver_calls_total", tuple(sorted({**receiver, "outcome": "ok"}.items())))] >= 1
    assert samples[("userscripts_receiver_duration_seconds_count", tuple(sorted(receiver.items())))] >= 1
    assert samples[("userscripts_task_duration_seconds_count", (("module", "pushes"), ("task", "push")))] >= 1
    assert any(name.startswith("django_http_") for name, _ in samples)  # NetBox's own, beside the engine's


def test_a_failing_or_removed_task_leaves_the_job_errored_saying_why(nb, rqworker):
    assert nb.api("POST", "/api/dcim/sites/", json={"name": "boom", "slug": "boom"}).status_code == 201
    job, = wait_for(lambda: finished("explode", 1), timeout=60) or jobs("explode")
    assert job.status == "errored" and "the device refused the config" in job.error, (job.status, job.error)
    assert any("RuntimeError: the device refused the config" in e["message"] for e in job.log_entries)

    from django.utils import timezone

    from netbox_userscripts.loading.registry import registry

    # scheduled a few seconds ahead (Django's run_after: a NetBox job "scheduled"), then the function goes away
    earlier = len(jobs("push"))  # the sites the module's other tests created
    later = registry.get("pushes").module.push.using(run_after=timezone.now() + timedelta(seconds=5))
    later.enqueue(site_id=0, name="gone")
    assert jobs("push")[earlier].status == "scheduled"
    source = (nb.folder / "pushes.py").read_text().replace("def push(", "def pushed(")
    (nb.folder / "pushes.py").write_text(source)
    job = wait_for(lambda: (found := finished("push", earlier + 1)) and found[earlier], timeout=60)
    assert job and job.status == "errored", jobs("push")
    assert "userscript pushes defines no task push" in job.error


def test_a_scheduled_task_runs_each_period_as_a_netbox_job(nb, rqworker):
    runs = wait_for(lambda: finished("tick", 2), timeout=30)
    assert runs, jobs("tick")
    assert all(job.status == "completed" for job in runs[:2])
    assert runs[1].created - runs[0].created >= timedelta(seconds=1)  # one per 2 s period, not two in one
