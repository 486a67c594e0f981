"""Admin pages of the ipam app."""
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType

from dcim.models import Interface
from ipam.models import ASN, RIR, VLAN, VRF, Aggregate, IPAddress, IPRange, Prefix, Role, VLANGroup
from netbox_userscripts.admin import UserscriptsModelAdmin


@admin.register(VRF)
class VRFAdmin(UserscriptsModelAdmin):
    list_display = ["name", "rd", "tenant", "enforce_unique", "description"]
    list_filter = ["enforce_unique", "tenant"]
    search_fields = ["name", "rd", "description"]
    list_select_related = ["tenant"]
    autocomplete_fields = ["tenant"]


@admin.register(RIR, Role)
class NamedAdmin(UserscriptsModelAdmin):
    list_display = ["name", "slug", "description"]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Aggregate)
class AggregateAdmin(UserscriptsModelAdmin):
    list_display = ["prefix", "rir", "tenant", "date_added", "description"]
    list_filter = ["rir", "tenant"]
    search_fields = ["prefix", "description"]
    list_select_related = ["rir", "tenant"]
    autocomplete_fields = ["rir", "tenant"]


@admin.register(ASN)
class ASNAdmin(UserscriptsModelAdmin):
    list_display = ["asn", "rir", "tenant", "description"]
    list_filter = ["rir", "tenant"]
    search_fields = ["asn", "description"]
    list_select_related = ["rir", "tenant"]
    autocomplete_fields = ["rir", "tenant", "sites"]


@admin.register(VLANGroup)
class VLANGroupAdmin(UserscriptsModelAdmin):
    list_display = ["name", "slug", "scope_type", "scope_id", "vid_ranges", "tenant", "description"]
    search_fields = ["name", "slug", "description"]
    list_select_related = ["scope_type", "tenant"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(VLAN)
class VLANAdmin(UserscriptsModelAdmin):
    list_display = ["vid", "name", "site", "group", "status", "role", "tenant", "description"]
    list_filter = ["status", "site", "group", "role", "tenant"]
    search_fields = ["name", "vid", "description"]
    list_select_related = ["site", "group", "role", "tenant"]
    autocomplete_fields = ["site", "group", "role", "tenant"]
    bulk_edit_fields = ["status", "site", "group", "role", "tenant"]


@admin.register(Prefix)
class PrefixAdmin(UserscriptsModelAdmin):
    list_display = ["prefix", "status", "vrf", "scope", "role", "tenant", "vlan", "is_pool", "description"]
    list_filter = ["status", "vrf", "role", "tenant", "is_pool", "mark_utilized"]
    search_fields = ["prefix", "description", "comments"]
    list_select_related = ["vrf", "role", "tenant", "vlan", "scope_type"]
    autocomplete_fields = ["vrf", "role", "tenant", "vlan"]
    bulk_edit_fields = ["status", "vrf", "role", "tenant"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("scope")


@admin.register(IPRange)
class IPRangeAdmin(UserscriptsModelAdmin):
    list_display = ["__str__", "size", "status", "vrf", "role", "tenant", "mark_populated", "mark_utilized"]
    list_filter = ["status", "vrf", "role", "tenant", "mark_populated", "mark_utilized"]
    search_fields = ["start_address", "end_address", "description"]
    list_select_related = ["vrf", "role", "tenant"]
    autocomplete_fields = ["vrf", "role", "tenant"]
    bulk_edit_fields = ["status", "vrf", "role", "tenant"]


@admin.register(IPAddress)
class IPAddressAdmin(UserscriptsModelAdmin):
    list_display = ["address", "status", "role", "vrf", "tenant", "assigned", "dns_name", "description"]
    list_filter = ["status", "role", "vrf", "tenant"]
    search_fields = ["address", "dns_name", "description", "interface__name", "interface__device__name",
                     "vminterface__virtual_machine__name"]
    list_select_related = ["vrf", "tenant"]
    autocomplete_fields = ["vrf", "tenant"]
    raw_id_fields = ["nat_inside"]
    fields = ["address", "status", "role", "vrf", "tenant", "assigned_object_type", "assigned_object_id", "nat_inside",
              "dns_name", "description", "comments", "tags"]
    bulk_edit_fields = ["status", "vrf", "tenant", "role"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("assigned_object")

    def get_changeform_initial_data(self, request):
        # Pre-select the usual kind of object an address is assigned to.
        initial = super().get_changeform_initial_data(request)
        initial.setdefault("assigned_object_type", ContentType.objects.get_for_model(Interface).pk)
        return initial

    @admin.display(description="Assigned to")
    def assigned(self, ip):
        obj = ip.assigned_object
        return "-" if obj is None else f"{obj.parent_object} {obj}"
