"""NetBox's tags: ``extras.Tag`` on every data model, in the ORM, the API (read, write, filter) and the admin."""
import pytest

from dcim.models import Device, Site
from extras.models import Tag, TaggedItem
from ipam.models import Prefix
from tenancy.models import Tenant
from tests.api_data import client_for, make_site

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(superuser, token_for):
    return client_for(superuser, token_for)


@pytest.fixture
def tags():
    return {slug: Tag.objects.create(name=slug.title(), slug=slug, color=color, weight=weight)
            for slug, color, weight in (("core", "f44336", 10), ("edge", "2196f3", 1000), ("lab", "9e9e9e", 500))}


def test_orm_as_in_netbox_scripts(tags):
    site = make_site(devices=2)
    sw0, sw1 = Device.objects.order_by("name")
    sw0.tags.add(tags["edge"], tags["core"])
    sw1.tags.add("New Tag")  # taggit makes a tag by name, with a slug
    assert [t.slug for t in sw0.tags.all()] == ["core", "edge"]  # by weight, then name
    assert Tag.objects.get(name="New Tag").slug == "new-tag"
    assert list(Device.objects.filter(tags__slug="core")) == [sw0]
    site.tags.set([tags["lab"]])
    Tenant.objects.get().tags.add(tags["lab"])
    assert sorted(t.content_type.model for t in TaggedItem.objects.filter(tag=tags["lab"])) == ["site", "tenant"]
    sw0.delete()
    assert not TaggedItem.objects.filter(object_id=sw0.pk, content_type__model="device").exists()


def test_tags_read_as_nested_list_and_written_as_ids_or_lookups(api, tags):
    site = make_site()
    response = api.patch(f"/api/dcim/sites/{site.pk}/", {"tags": [tags["edge"].pk, {"name": "Core"}, {"slug": "lab"}]},
                         format="json")
    assert response.status_code == 200, response.content
    assert response.json()["tags"] == [
        {"id": tags[slug].pk, "url": f"http://testserver/api/extras/tags/{tags[slug].pk}/", "display": slug.title(),
         "name": slug.title(), "slug": slug, "color": tags[slug].color} for slug in ("core", "lab", "edge")]
    assert list(response.json())[-3:] == ["tags", "created", "last_updated"]
    created = api.post("/api/ipam/prefixes/", {"prefix": "10.9.0.0/16", "tags": [{"slug": "core"}]}, format="json")
    assert created.status_code == 201, created.content
    assert [t.slug for t in Prefix.objects.get().tags.all()] == ["core"]
    untouched = api.patch(f"/api/dcim/sites/{site.pk}/", {"description": "x"}, format="json")
    assert len(untouched.json()["tags"]) == 3
    cleared = api.patch(f"/api/dcim/sites/{site.pk}/", {"tags": []}, format="json")
    assert cleared.json()["tags"] == [] and not site.tags.exists()


@pytest.mark.parametrize("value,message", [([{"slug": "nope"}], "not found"), ([999999], "not found"),
                                           (["core"], "numeric ID or by a dictionary"), ("core", "list")])
def test_bad_tags_are_a_400_naming_the_field(api, tags, value, message):
    site = make_site()
    response = api.patch(f"/api/dcim/sites/{site.pk}/", {"tags": value}, format="json")
    assert response.status_code == 400 and "tags" in response.json()
    assert message in str(response.json()["tags"])


def test_tag_filters_on_every_list(api, tags):
    make_site(devices=3)
    sw0, sw1, sw2 = Device.objects.order_by("name")
    sw0.tags.add(tags["core"], tags["edge"])
    sw1.tags.add(tags["core"])

    def names(query):
        response = api.get(f"/api/dcim/devices/?{query}")
        assert response.status_code == 200, response.content
        return sorted(d["name"] for d in response.json()["results"])

    assert names("tag=core") == ["sw0", "sw1"]
    assert names("tag=core&tag=edge") == ["sw0"]  # every tag given, as NetBox
    assert names(f"tag_id={tags['edge'].pk}") == ["sw0"]
    assert names("tag__n=edge") == ["sw1", "sw2"]
    bad = api.get("/api/dcim/devices/?tag=nope")
    assert bad.status_code == 400 and "tag" in bad.json()
    Site.objects.get().tags.add(tags["lab"])
    assert api.get("/api/dcim/sites/?tag=lab").json()["count"] == 1
    assert api.get("/api/tenancy/tenants/?tag=lab").json()["count"] == 0


def test_tags_endpoint_and_bulk_edit_of_tags(api, tags):
    created = api.post("/api/extras/tags/", {"name": "Prod", "slug": "prod", "color": "00ff00"}, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["weight"] == 1000 and created.json()["display"] == "Prod"
    assert api.get("/api/extras/tags/?q=pro").json()["count"] == 1
    assert api.post("/api/extras/tags/", {"name": "Bad", "slug": "bad", "color": "red"},
                    format="json").json() == {"color": ["Enter a colour as six lower-case hex digits, e.g. 9e9e9e."]}
    make_site(devices=2)
    pks = list(Device.objects.values_list("pk", flat=True))
    edited = api.patch("/api/dcim/devices/", [{"id": pk, "tags": [{"slug": "prod"}], "status": "planned"}
                                              for pk in pks], format="json")
    assert edited.status_code == 200, edited.content
    assert Device.objects.filter(tags__slug="prod", status="planned").count() == 2


def test_admin_tags_field_and_tag_pages(client, superuser, tags):
    client.force_login(superuser)
    site = make_site()
    response = client.post(f"/admin/dcim/site/{site.pk}/change/", {
        "name": "DC1", "slug": "dc1", "status": "active", "tenant": site.tenant_id, "tags": "Core, brand new"})
    assert response.status_code == 302, response.content
    assert sorted(t.name for t in site.tags.all()) == ["Core", "brand new"]
    listing = client.get("/admin/extras/tag/")
    assert listing.status_code == 200 and b"brand-new" in listing.content
    assert client.get(f"/admin/extras/tag/{tags['core'].pk}/change/").status_code == 200
