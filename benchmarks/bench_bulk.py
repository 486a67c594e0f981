"""Figure 5: a bulk edit of 10,000 devices over editing them by 10,000 saves."""
from benchmarks.common import Figure, summary, timed

COUNT = 10_000


def run(rounds=5):
    from django.db import transaction

    from dcim.models import Device, DeviceRole, DeviceType, Manufacturer, Site
    from netbox_userscripts import bulk_edit

    site = Site.objects.create(name="Bulk bench", slug="bulk-bench")
    maker = Manufacturer.objects.create(name="Bulk maker", slug="bulk-maker")
    dtype = DeviceType.objects.create(manufacturer=maker, model="Bulk box", slug="bulk-box")
    role = DeviceRole.objects.create(name="Bulk role", slug="bulk-role")
    Device.objects.bulk_create(Device(name=f"bulk-{i:05d}", site=site, device_type=dtype, role=role)
                               for i in range(COUNT))
    queryset = Device.objects.filter(site=site)
    statuses = ["planned", "staged"]
    saves, bulks = [], []
    for i in range(rounds):
        status = statuses[i % 2]

        def by_saves():
            with transaction.atomic():  # the fair baseline: one transaction, not 10,000 commits
                for device in queryset.iterator(chunk_size=2000):
                    device.status = status  # noqa: B023 (called inside this iteration)
                    device.save()

        def by_bulk_edit():
            bulk_edit(queryset, status=status)  # noqa: B023 (called inside this iteration)

        saves.append(timed(by_saves))
        bulks.append(timed(by_bulk_edit))
        assert queryset.filter(status=status).count() == COUNT
    queryset.delete()
    speedup = summary(saves)["median"] / summary(bulks)["median"]
    return [Figure("5", "Bulk edit of 10,000 devices over 10,000 saves", round(speedup, 1), ">= 20x",
                   speedup >= 20, "x faster", {"saves_s": summary(saves), "bulk_edit_s": summary(bulks)})]
