"""A password stored by an earlier sync in a ``SyncedVersion`` row's URL (and so in its error) becomes ``***``.

Until this migration the URL of ``USERSCRIPTS_GIT`` was stored as given, ``https://user:token@host/...``
included; from now on a sync stores it redacted (``fleet.gitconf.redact``), and this
migration redacts what is already there. It cannot be undone: the password is gone.
"""
from django.db import migrations

from netbox_userscripts.fleet.gitconf import redact


def redact_rows(apps, schema_editor):
    SyncedVersion = apps.get_model("netbox_userscripts", "SyncedVersion")
    for row in SyncedVersion.objects.exclude(url=""):
        shown = redact(row.url)
        if shown != row.url:
            SyncedVersion.objects.filter(pk=row.pk).update(url=shown, error=row.error.replace(row.url, shown))


class Migration(migrations.Migration):

    dependencies = [
        ('netbox_userscripts', '0008_taskoutbox'),
    ]

    operations = [
        migrations.RunPython(redact_rows, migrations.RunPython.noop),
    ]
