"""Admin pages of the virtualization app."""
from django.contrib import admin

from netbox_userscripts.admin import UserscriptsModelAdmin
from virtualization.models import Cluster, ClusterGroup, ClusterType, VirtualMachine, VMInterface


@admin.register(ClusterType, ClusterGroup)
class NamedAdmin(UserscriptsModelAdmin):
    list_display = ["name", "slug", "description"]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Cluster)
class ClusterAdmin(UserscriptsModelAdmin):
    list_display = ["name", "type", "group", "status", "scope_type", "scope_id", "tenant", "description"]
    list_filter = ["status", "type", "group", "tenant"]
    search_fields = ["name", "description"]
    list_select_related = ["type", "group", "tenant", "scope_type"]
    autocomplete_fields = ["type", "group", "tenant"]
    bulk_edit_fields = ["status", "type", "group", "tenant"]


class VMInterfaceInline(admin.TabularInline):
    model = VMInterface
    fields = ["name", "enabled", "mtu", "mode", "description"]
    extra = 0
    fk_name = "virtual_machine"


@admin.register(VirtualMachine)
class VirtualMachineAdmin(UserscriptsModelAdmin):
    list_display = ["name", "status", "site", "cluster", "role", "tenant", "vcpus", "memory", "disk"]
    list_filter = ["status", "cluster", "site", "role", "tenant"]
    search_fields = ["name", "serial", "description"]
    list_select_related = ["site", "cluster", "role", "tenant"]
    autocomplete_fields = ["site", "cluster", "device", "role", "platform", "tenant"]
    raw_id_fields = ["primary_ip4", "primary_ip6"]
    bulk_edit_fields = ["status", "cluster", "site", "role", "tenant", "platform"]
    inlines = [VMInterfaceInline]


@admin.register(VMInterface)
class VMInterfaceAdmin(UserscriptsModelAdmin):
    list_display = ["name", "virtual_machine", "enabled", "mtu", "primary_mac_address", "mode", "description"]
    list_filter = ["enabled", "mode"]
    search_fields = ["name", "virtual_machine__name", "description"]
    list_select_related = ["virtual_machine", "primary_mac_address"]
    autocomplete_fields = ["virtual_machine", "parent", "bridge", "primary_mac_address", "untagged_vlan", "vrf"]
    filter_horizontal = ["tagged_vlans"]
    bulk_edit_fields = ["enabled", "mtu", "mode"]
