"""Admin pages of the circuits app."""
from django.contrib import admin

from circuits.models import Circuit, CircuitTermination, CircuitType, Provider, ProviderAccount, ProviderNetwork
from netbox_userscripts.admin import UserscriptsModelAdmin


@admin.register(Provider)
class ProviderAdmin(UserscriptsModelAdmin):
    list_display = ["name", "slug", "description"]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["asns"]


@admin.register(ProviderAccount)
class ProviderAccountAdmin(UserscriptsModelAdmin):
    list_display = ["account", "name", "provider", "description"]
    list_filter = ["provider"]
    search_fields = ["account", "name", "description"]
    list_select_related = ["provider"]
    autocomplete_fields = ["provider"]


@admin.register(ProviderNetwork)
class ProviderNetworkAdmin(UserscriptsModelAdmin):
    list_display = ["name", "provider", "service_id", "description"]
    list_filter = ["provider"]
    search_fields = ["name", "service_id", "description"]
    list_select_related = ["provider"]
    autocomplete_fields = ["provider"]


@admin.register(CircuitType)
class CircuitTypeAdmin(UserscriptsModelAdmin):
    list_display = ["name", "slug", "color", "description"]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}


class CircuitTerminationInline(admin.TabularInline):
    model = CircuitTermination
    fk_name = "circuit"
    fields = ["term_side", "termination_type", "termination_id", "port_speed", "upstream_speed", "xconnect_id"]
    extra = 0
    max_num = 2


@admin.register(Circuit)
class CircuitAdmin(UserscriptsModelAdmin):
    list_display = ["cid", "provider", "type", "status", "tenant", "commit_rate", "description"]
    list_filter = ["status", "provider", "type", "tenant"]
    search_fields = ["cid", "description", "comments"]
    list_select_related = ["provider", "type", "tenant"]
    autocomplete_fields = ["provider", "provider_account", "type", "tenant"]
    bulk_edit_fields = ["status", "type", "tenant", "commit_rate"]
    inlines = [CircuitTerminationInline]


@admin.register(CircuitTermination)
class CircuitTerminationAdmin(UserscriptsModelAdmin):
    list_display = ["circuit", "term_side", "termination_type", "termination_id", "port_speed", "xconnect_id"]
    list_filter = ["term_side"]
    search_fields = ["circuit__cid", "xconnect_id", "pp_info", "description"]
    list_select_related = ["circuit", "termination_type"]
    autocomplete_fields = ["circuit"]
