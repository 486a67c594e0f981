"""Cache the location of a location-scoped cluster in ``_location`` (NetBox 4.2+ caches it too)."""
import django.db.models.deletion
from django.db import migrations, models

APP = 'virtualization'
MODELS = [('cluster', 'scope_type', 'scope_id')]


def cache_scope_location(apps, schema_editor):
    """Rows scoped to a location get it cached in ``_location`` (the new field; no site groups exist yet)."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    location = ContentType.objects.filter(app_label="dcim", model="location").first()
    if location is None:
        return
    for model_name, type_field, id_field in MODELS:
        model = apps.get_model(APP, model_name)
        for obj in model.objects.filter(**{type_field: location}).only("pk", id_field):
            model.objects.filter(pk=obj.pk).update(_location_id=getattr(obj, id_field))


class Migration(migrations.Migration):

    dependencies = [
        ('dcim', '0008_site_groups_and_device_cluster'),
        ('virtualization', '0002_interface_mode_choices'),
    ]

    operations = [
        migrations.AddField(
            model_name='cluster',
            name='_location',
            field=models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='dcim.location'),
        ),
        migrations.AddField(
            model_name='cluster',
            name='_site_group',
            field=models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='dcim.sitegroup'),
        ),
        migrations.AddField(
            model_name='vminterface',
            name='primary_mac_address',
            field=models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='dcim.macaddress', verbose_name='primary MAC address'),
        ),
        migrations.RunPython(cache_scope_location, migrations.RunPython.noop),
    ]
