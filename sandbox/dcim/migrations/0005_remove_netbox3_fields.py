"""Drops NetBox 3.2's cable ends and the interface's MAC text field, once 0004 has moved their data."""
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("dcim", "0004_cable_terminations_and_macs"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='cable',
            name='dcim_cable_unique_termination_a',
        ),
        migrations.RemoveConstraint(
            model_name='cable',
            name='dcim_cable_unique_termination_b',
        ),
        migrations.RemoveField(
            model_name='cable',
            name='termination_a_id',
        ),
        migrations.RemoveField(
            model_name='cable',
            name='termination_a_type',
        ),
        migrations.RemoveField(
            model_name='cable',
            name='termination_b_id',
        ),
        migrations.RemoveField(
            model_name='cable',
            name='termination_b_type',
        ),
        migrations.RemoveField(
            model_name='interface',
            name='mac_address',
        ),
    ]
