"""Component templates have no tags in NetBox 4.7: drop the field and any tag assignments they had."""
from django.db import migrations


TEMPLATES = ["consoleporttemplate", "consoleserverporttemplate", "devicebaytemplate", "frontporttemplate",
             "interfacetemplate", "modulebaytemplate", "poweroutlettemplate", "powerporttemplate", "rearporttemplate"]


def untag_templates(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    TaggedItem = apps.get_model("extras", "TaggedItem")
    types = ContentType.objects.filter(app_label="dcim", model__in=TEMPLATES)
    TaggedItem.objects.filter(content_type__in=types).delete()


class Migration(migrations.Migration):

    dependencies = [
        ('dcim', '0008_site_groups_and_device_cluster'),
        ('extras', '0003_tags'),
    ]

    operations = [
        migrations.RunPython(untag_templates, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name='consoleporttemplate',
            name='tags',
        ),
        migrations.RemoveField(
            model_name='consoleserverporttemplate',
            name='tags',
        ),
        migrations.RemoveField(
            model_name='devicebaytemplate',
            name='tags',
        ),
        migrations.RemoveField(
            model_name='frontporttemplate',
            name='tags',
        ),
        migrations.RemoveField(
            model_name='interfacetemplate',
            name='tags',
        ),
        migrations.RemoveField(
            model_name='modulebaytemplate',
            name='tags',
        ),
        migrations.RemoveField(
            model_name='poweroutlettemplate',
            name='tags',
        ),
        migrations.RemoveField(
            model_name='powerporttemplate',
            name='tags',
        ),
        migrations.RemoveField(
            model_name='rearporttemplate',
            name='tags',
        ),
    ]
