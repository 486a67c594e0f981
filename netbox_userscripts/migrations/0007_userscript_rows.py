"""``Userscript`` becomes a table: a row per userscript module (it was a holder of permissions, without one).

The unmanaged model is dropped from the migration state (no table to drop) and created
again with its columns; its content type, permissions and the object permissions that
name it are unchanged.
"""
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('netbox_userscripts', '0006_jobresult_background'),
    ]

    operations = [
        migrations.DeleteModel(name='Userscript'),
        migrations.CreateModel(
            name='Userscript',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(help_text='The module name (its file without .py)', max_length=100,
                                          unique=True)),
                ('state', models.CharField(help_text='loaded, error, or deleted (its file is gone)', max_length=20)),
                ('version', models.CharField(blank=True, help_text="The first 12 hex digits of the file's SHA-256",
                                             max_length=64)),
                ('last_loaded', models.DateTimeField(blank=True, help_text='When a process last imported it',
                                                     null=True)),
                ('error', models.TextField(blank=True, help_text='Why it failed to load (state error)')),
            ],
            options={
                'ordering': ['name'],
                'default_permissions': (),
                'permissions': [('call_userscript', 'Can call a userscript over /userscript/'),
                                ('run_job', 'Can run a job')],
            },
        ),
    ]
