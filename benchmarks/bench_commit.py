"""Figure 9: what ``post_commit`` costs a save, over a ``post_save`` receiver doing the same work.

A Device update in its own transaction, ``SAVES`` times, with a ``post_commit`` receiver
on Device (the candidate: the row read before the write, the change recorded, the batch
sent after the commit) over the same with a ``post_save`` receiver (the baseline) that
does the same work with the object: both keep the primary key and the serial. On an
in-memory SQLite database, as figure 1: a file database adds an fsync per commit that
would hide what is measured here.
"""
from benchmarks.common import Figure, interleave

SAVES = 300


def run(rounds=15):
    from django.db import transaction

    from dcim.models import Device, DeviceRole, DeviceType, Manufacturer, Site
    from netbox_userscripts.signals import post_commit, post_save

    site = Site.objects.create(name="Commit bench", slug="commit-bench")
    maker = Manufacturer.objects.create(name="Commit maker", slug="commit-maker")
    dtype = DeviceType.objects.create(manufacturer=maker, model="Commit box", slug="commit-box")
    role = DeviceRole.objects.create(name="Commit role", slug="commit-role")
    device = Device.objects.create(name="commit-1", site=site, device_type=dtype, role=role)
    seen = []

    def saved(sender, instance, **kwargs):
        seen.append((instance.pk, instance.serial))
        del seen[:-10]

    def committed(sender, changes, **kwargs):
        for change in changes:
            seen.append((change.pk, change.after["serial"]))
        del seen[:-10]

    def updates():
        for i in range(SAVES):
            with transaction.atomic():
                device.serial = str(i)
                device.save()

    def with_post_save():
        post_save.connect(saved, sender=Device)
        try:
            updates()
        finally:
            post_save.disconnect(saved, sender=Device)

    def with_post_commit():
        post_commit.connect(committed, sender=Device)
        try:
            updates()
        finally:
            post_commit.disconnect(committed, sender=Device)

    with_post_commit()  # warm both paths once
    with_post_save()
    base, cand, ratio = interleave(with_post_save, with_post_commit, rounds=rounds)
    assert seen[-1] == (device.pk, str(SAVES - 1))
    per_save = {"post_save_us": round(base["median"] / SAVES * 1e6, 1),
                "post_commit_us": round(cand["median"] / SAVES * 1e6, 1)}
    return [Figure("9", "post_commit: a Device update in a transaction, over a post_save receiver doing the same",
                   round(ratio, 3), "<= 1.25", ratio <= 1.25, "x", per_save)]
