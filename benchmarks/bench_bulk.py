"""Figure 5: a bulk edit of 10,000 devices over editing them by 10,000 saves.

5b: the same two ways with a ``post_commit`` receiver on Device connected (every object's
values before and after recorded, one signal of 10,000 updates after the commit; each save
reads its row first). The details also give the bulk edit with the receiver over the saves
without it, the stricter ratio.
"""
from benchmarks.common import Figure, summary, timed

COUNT = 10_000


def run(rounds=5):
    from django.db import transaction

    from dcim.models import Device, DeviceRole, DeviceType, Manufacturer, Site
    from netbox_userscripts import bulk_edit
    from netbox_userscripts.signals import post_commit

    site = Site.objects.create(name="Bulk bench", slug="bulk-bench")
    maker = Manufacturer.objects.create(name="Bulk maker", slug="bulk-maker")
    dtype = DeviceType.objects.create(manufacturer=maker, model="Bulk box", slug="bulk-box")
    role = DeviceRole.objects.create(name="Bulk role", slug="bulk-role")
    Device.objects.bulk_create(Device(name=f"bulk-{i:05d}", site=site, device_type=dtype, role=role)
                               for i in range(COUNT))
    queryset = Device.objects.filter(site=site)
    statuses = ["planned", "staged"]
    saves, bulks, committed_bulks, committed_saves = [], [], [], []
    received = []

    def committed(sender, changes, **kwargs):
        received.append(len(changes))

    for i in range(rounds):
        status = statuses[i % 2]

        def by_saves():
            with transaction.atomic():  # the fair baseline: one transaction, not 10,000 commits
                for device in queryset.iterator(chunk_size=2000):
                    device.status = status  # noqa: B023 (called inside this iteration)
                    device.save()

        def by_bulk_edit():
            bulk_edit(queryset, status=status)  # noqa: B023 (called inside this iteration)

        def with_post_commit(edit):
            post_commit.connect(committed, sender=Device)
            try:
                edit()
            finally:
                post_commit.disconnect(committed, sender=Device)

        saves.append(timed(by_saves))
        bulks.append(timed(by_bulk_edit))
        assert queryset.filter(status=status).count() == COUNT
        status = statuses[(i + 1) % 2]
        committed_saves.append(timed(with_post_commit, by_saves))
        assert received[-1] == COUNT
        status = statuses[i % 2]
        committed_bulks.append(timed(with_post_commit, by_bulk_edit))
        assert received[-1] == COUNT
    queryset.delete()
    speedup = summary(saves)["median"] / summary(bulks)["median"]
    committed_speedup = summary(committed_saves)["median"] / summary(committed_bulks)["median"]
    strict = summary(saves)["median"] / summary(committed_bulks)["median"]
    return [Figure("5", "Bulk edit of 10,000 devices over 10,000 saves", round(speedup, 1), ">= 20x",
                   speedup >= 20, "x faster", {"saves_s": summary(saves), "bulk_edit_s": summary(bulks)}),
            Figure("5b", "The same with a post_commit receiver on Device connected", round(committed_speedup, 1),
                   ">= 15x", committed_speedup >= 15, "x faster",
                   {"saves_with_post_commit_s": summary(committed_saves),
                    "bulk_edit_with_post_commit_s": summary(committed_bulks),
                    "bulk_edit_with_post_commit_over_saves_without": round(strict, 1)})]
