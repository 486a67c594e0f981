"""The statuses Nautobot ships with, under the slugs the choice fields here use."""
from django.db import migrations

STATUSES = [
    ("Active", "active", "4caf50"), ("Planned", "planned", "00bcd4"), ("Staged", "staged", "2196f3"),
    ("Failed", "failed", "f44336"), ("Offline", "offline", "ffc107"), ("Inventory", "inventory", "9e9e9e"),
    ("Decommissioning", "decommissioning", "ffc107"), ("Retired", "retired", "f44336"),
    ("Reserved", "reserved", "00bcd4"), ("Deprecated", "deprecated", "f44336"), ("Container", "container", "9e9e9e"),
    ("DHCP", "dhcp", "4caf50"), ("SLAAC", "slaac", "4caf50"), ("Connected", "connected", "4caf50"),
    ("Decommissioned", "decommissioned", "9e9e9e"),
]


def create(apps, schema_editor):
    Status = apps.get_model("extras", "Status")
    for name, slug, color in STATUSES:
        Status.objects.get_or_create(slug=slug, defaults={"name": name, "color": color})


class Migration(migrations.Migration):
    dependencies = [("extras", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
