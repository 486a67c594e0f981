"""Figure 10: a save whose ``post_commit`` hook enqueues one task, over the same save whose hook does not.

A Device update in its own transaction, ``SAVES`` times, with a ``post_commit`` receiver on
Device: the baseline keeps the change's primary key; the candidate also enqueues one task
with it (``push.enqueue(device_id=pk)``: the JSON check and one ``DBTaskResult`` row, on the
database backend the project configures by default, ``netbox_userscripts.tasks.backend``). No worker
runs: what is measured is what the save's caller waits for. On an in-memory SQLite
database, as figure 9. (django-tasks-db's own ``DatabaseBackend`` gave 2.0-2.1x here: its
enqueue compiles the INSERT for every row.)
"""
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from benchmarks.common import Figure, interleave
from dcim.models import Device, DeviceRole, DeviceType, Manufacturer, Site
from netbox_userscripts.signals import post_commit
from netbox_userscripts.tasks import task

SAVES = 300


@task
def push(device_id):
    return device_id


def run(rounds=9):
    site = Site.objects.create(name="Task bench", slug="task-bench")
    maker = Manufacturer.objects.create(name="Task maker", slug="task-maker")
    dtype = DeviceType.objects.create(manufacturer=maker, model="Task box", slug="task-box")
    role = DeviceRole.objects.create(name="Task role", slug="task-role")
    device = Device.objects.create(name="task-1", site=site, device_type=dtype, role=role)
    seen = []

    def keep(sender, changes, **kwargs):
        seen.extend(change.pk for change in changes)
        del seen[:-10]

    def enqueue(sender, changes, **kwargs):
        for change in changes:
            push.enqueue(device_id=change.pk)

    def updates():
        for i in range(SAVES):
            with transaction.atomic():
                device.serial = str(i)
                device.save()

    def hooked(receiver):
        def saves():
            post_commit.connect(receiver, sender=Device)
            try:
                updates()
            finally:
                post_commit.disconnect(receiver, sender=Device)
        return saves

    without, with_task = hooked(keep), hooked(enqueue)
    with_task()  # warm both paths once
    without()
    base, cand, ratio = interleave(without, with_task, rounds=rounds)
    queued = DBTaskResult.objects.filter(task_path="benchmarks.bench_tasks.push").count()
    assert queued == SAVES * (rounds + 1), queued
    per_save = {"hook_us": round(base["median"] / SAVES * 1e6, 1),
                "hook_enqueuing_us": round(cand["median"] / SAVES * 1e6, 1), "tasks_queued": queued}
    return [Figure("10", "a Device save whose post_commit hook enqueues one task, over the same hook without it",
                   round(ratio, 3), "<= 1.6", ratio <= 1.6, "x", per_save)]
