"""ipam's migration to NetBox 4.7: a prefix's site becomes its scope, with the cached site and region."""
import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("ipam", "0002_tags"), ("dcim", "0003_tags")]
AFTER = [("ipam", "0003_netbox_47")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_prefix_site_becomes_its_scope():
    old = migrate(BEFORE)
    Region, Site, Prefix = (old.get_model("dcim", "Region"), old.get_model("dcim", "Site"),
                            old.get_model("ipam", "Prefix"))
    region = Region.objects.create(name="EU", slug="eu")
    site = Site.objects.create(name="DC1", slug="dc1", region=region)
    Prefix.objects.create(prefix="10.1.0.0/24", site=site)
    Prefix.objects.create(prefix="10.2.0.0/24")
    try:
        new = migrate(AFTER)
        Prefix = new.get_model("ipam", "Prefix")
        scoped = Prefix.objects.get(prefix="10.1.0.0/24")
        assert (scoped.scope_type.app_label, scoped.scope_type.model, scoped.scope_id) == ("dcim", "site", site.pk)
        assert (scoped._site_id, scoped._region_id) == (site.pk, region.pk)
        assert Prefix.objects.get(prefix="10.2.0.0/24").scope_type_id is None
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
