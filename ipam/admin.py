"""Admin pages of the ipam app."""
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType

from dcim.models import Interface
from ipam.models import VLAN, VRF, IPAddress, Prefix
from netbox_userscripts.admin import UserscriptsModelAdmin


@admin.register(VRF)
class VRFAdmin(UserscriptsModelAdmin):
    list_display = ["name", "rd", "tenant", "enforce_unique", "description"]
    list_filter = ["enforce_unique", "tenant"]
    search_fields = ["name", "rd", "description"]
    list_select_related = ["tenant"]
    autocomplete_fields = ["tenant"]


@admin.register(VLAN)
class VLANAdmin(UserscriptsModelAdmin):
    list_display = ["vid", "name", "site", "status", "tenant", "description"]
    list_filter = ["status", "site", "tenant"]
    search_fields = ["name", "vid", "description"]
    list_select_related = ["site", "tenant"]
    autocomplete_fields = ["site", "tenant"]
    bulk_edit_fields = ["status", "site", "tenant"]


@admin.register(Prefix)
class PrefixAdmin(UserscriptsModelAdmin):
    list_display = ["prefix", "status", "vrf", "site", "tenant", "vlan", "is_pool", "description"]
    list_filter = ["status", "vrf", "site", "tenant", "is_pool", "mark_utilized"]
    search_fields = ["prefix", "description", "comments"]
    list_select_related = ["vrf", "site", "tenant", "vlan"]
    autocomplete_fields = ["vrf", "site", "tenant", "vlan"]
    bulk_edit_fields = ["status", "vrf", "tenant", "site"]


@admin.register(IPAddress)
class IPAddressAdmin(UserscriptsModelAdmin):
    list_display = ["address", "status", "role", "vrf", "tenant", "assigned", "dns_name", "description"]
    list_filter = ["status", "role", "vrf", "tenant"]
    search_fields = ["address", "dns_name", "description", "interface__name", "interface__device__name"]
    list_select_related = ["vrf", "tenant"]
    autocomplete_fields = ["vrf", "tenant"]
    fields = ["address", "status", "role", "vrf", "tenant", "assigned_object_type", "assigned_object_id", "dns_name",
              "description", "comments", "tags"]
    bulk_edit_fields = ["status", "vrf", "tenant", "role"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("assigned_object__device")

    def get_changeform_initial_data(self, request):
        # Pre-select the one kind of object an address can be assigned to.
        initial = super().get_changeform_initial_data(request)
        initial.setdefault("assigned_object_type", ContentType.objects.get_for_model(Interface).pk)
        return initial

    @admin.display(description="Assigned to")
    def assigned(self, ip):
        obj = ip.assigned_object
        return "-" if obj is None else f"{obj.device} {obj}"
