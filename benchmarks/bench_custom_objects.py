"""Figure 8: a list of 1,000 custom objects through the API over the same list of sites.

The custom object type mirrors ``dcim.Site`` field for field (13 fields: text, select,
two object fields, decimals, long text) and holds the same 1,000 rows, so both sides
serialise the same data; both are listed with ``?limit=1000`` through Django's test
client (no network), interleaved.
"""
from decimal import Decimal

from django.test import Client

from benchmarks.common import Figure, interleave

ROWS = 1000
SITES = "/api/dcim/sites/?limit=1000"
OBJECTS = "/api/plugins/custom-objects/site-like/?limit=1000"
FIELDS = {
    "name": {"type": "text", "unique": True, "primary": True}, "slug": {"type": "text", "unique": True},
    "status": {"type": "select"}, "region": {"type": "object", "to": ("dcim", "region")},
    "tenant": {"type": "object", "to": ("tenancy", "tenant")}, "facility": {"type": "text"},
    "time_zone": {"type": "text"}, "description": {"type": "text"}, "physical_address": {"type": "text"},
    "shipping_address": {"type": "text"}, "latitude": {"type": "decimal"}, "longitude": {"type": "decimal"},
    "comments": {"type": "longtext"},
}


def make_type():
    from django.contrib.contenttypes.models import ContentType

    from custom_objects.cache import cache
    from custom_objects.models import CustomFieldChoiceSet, CustomObjectType, CustomObjectTypeField
    from dcim.choices import SiteStatusChoices

    choices = CustomFieldChoiceSet.objects.create(
        name="site status", extra_choices=[[value, label] for value, label in SiteStatusChoices.choices()])
    cot = CustomObjectType.objects.create(name="site_like", slug="site-like")
    for name, spec in FIELDS.items():
        spec = dict(spec)
        target = spec.pop("to", None)
        if target:
            spec["related_object_type"] = ContentType.objects.get_by_natural_key(*target)
        if spec["type"] == "select":
            spec["choice_set"] = choices
        CustomObjectTypeField.objects.create(custom_object_type=cot, name=name, **spec)
    return cache.get_model("site-like")


def rows():
    return [{"name": f"Site {i:04}", "slug": f"site-{i:04}", "status": "active", "facility": f"F{i}",
             "time_zone": "Europe/Amsterdam", "description": "a site like any other",
             "physical_address": f"{i} Main Street", "shipping_address": "", "latitude": Decimal("52.370216"),
             "longitude": Decimal("4.895168"), "comments": "nothing to say"} for i in range(ROWS)]


def run(rounds=15):
    from dcim.models import Site

    model = make_type()
    Site.objects.bulk_create(Site(**row) for row in rows())
    model.objects.bulk_create(model(**row) for row in rows())
    client = Client()
    sites, objects = client.get(SITES), client.get(OBJECTS)
    assert sites.status_code == 200 and objects.status_code == 200, objects.content[:500]
    assert sites.json()["count"] == objects.json()["count"] == ROWS
    first = objects.json()["results"][0]
    assert len(objects.json()["results"]) == ROWS and first["latitude"] == 52.3702  # 4 places, as NetBox

    base, cand, ratio = interleave(lambda: client.get(SITES), lambda: client.get(OBJECTS), rounds)
    return [Figure("8", "Custom objects: API list of 1,000 objects of a type like Site over 1,000 sites",
                   round(ratio, 3), "<= 1.3", ratio <= 1.3, "x",
                   {"sites_ms": round(base["median"] * 1000, 1), "objects_ms": round(cand["median"] * 1000, 1),
                    "fields": len(FIELDS)})]
