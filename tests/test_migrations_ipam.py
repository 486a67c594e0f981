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


def test_location_scopes_get_their_location_cached():
    """ipam 0004, virtualization 0003, circuits 0002: rows scoped to a location get ``_location``."""
    old = migrate([("ipam", "0003_netbox_47"), ("virtualization", "0002_interface_mode_choices"),
                   ("circuits", "0001_initial"), ("dcim", "0007_tags_on_netbox4_models")])
    try:
        site = old.get_model("dcim", "Site").objects.create(name="DC1", slug="dc1")
        room = old.get_model("dcim", "Location").objects.create(site=site, name="Room", slug="room")
        location_type, _ = old.get_model("contenttypes", "ContentType").objects.get_or_create(
            app_label="dcim", model="location")
        old.get_model("ipam", "Prefix").objects.create(prefix="10.1.0.0/24", scope_type=location_type,
                                                       scope_id=room.pk, _site=site)
        cluster_type = old.get_model("virtualization", "ClusterType").objects.create(name="PVE", slug="pve")
        old.get_model("virtualization", "Cluster").objects.create(name="pve1", type=cluster_type,
                                                                  scope_type=location_type, scope_id=room.pk)
        provider = old.get_model("circuits", "Provider").objects.create(name="Lumen", slug="lumen")
        circuit = old.get_model("circuits", "Circuit").objects.create(
            cid="C1", provider=provider, type=old.get_model("circuits", "CircuitType").objects.create(name="T",
                                                                                                    slug="t"))
        old.get_model("circuits", "CircuitTermination").objects.create(circuit=circuit, term_side="A",
                                                                       termination_type=location_type,
                                                                       termination_id=room.pk)
    finally:
        new = migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    for app, model in (("ipam", "Prefix"), ("virtualization", "Cluster"), ("circuits", "CircuitTermination")):
        assert new.get_model(app, model).objects.get()._location_id == room.pk, model
