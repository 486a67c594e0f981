"""Admin pages: types with their fields inline, fields, choice sets, and each type's objects.

Saving a type or field changes tables, which on SQLite needs foreign-key checks off before
the admin's transaction opens (``changes.prepared``). Each type's objects get a page of
their own (Custom objects › <type>), registered again whenever the models are rebuilt: the
admin's URL patterns are recomputed in place, so a new type has its pages at once.
"""
import sys
import threading

from django.conf import settings
from django.contrib import admin
from django.urls import URLResolver, clear_url_caches, get_resolver

from custom_objects import changes
from custom_objects.builder import DYNAMIC_APP_LABEL
from custom_objects.cache import cache
from custom_objects.models import CustomFieldChoiceSet, CustomObjectType, CustomObjectTypeField
from netbox_userscripts.admin import UserscriptsModelAdmin

_lock = threading.Lock()


class SchemaAdmin(admin.ModelAdmin):
    def changeform_view(self, request, *args, **kwargs):
        with changes.prepared():
            return super().changeform_view(request, *args, **kwargs)

    def delete_view(self, request, *args, **kwargs):
        with changes.prepared():
            return super().delete_view(request, *args, **kwargs)

    def delete_queryset(self, request, queryset):
        for obj in queryset:  # one by one: each deletion changes tables
            obj.delete()

    def changelist_view(self, request, *args, **kwargs):
        with changes.prepared():
            return super().changelist_view(request, *args, **kwargs)


class FieldInline(admin.StackedInline):
    model = CustomObjectTypeField
    extra = 0
    fk_name = "custom_object_type"
    fields = [("name", "label", "type"), ("primary", "required", "unique"), "description",
              ("choice_set", "related_object_type", "on_delete_behavior"),
              ("validation_regex", "validation_minimum", "validation_maximum"), ("default", "weight", "group_name")]


@admin.register(CustomObjectType)
class CustomObjectTypeAdmin(SchemaAdmin):
    list_display = ["name", "slug", "verbose_name", "description", "group_name"]
    search_fields = ["name", "slug", "verbose_name", "description"]
    inlines = [FieldInline]


@admin.register(CustomObjectTypeField)
class CustomObjectTypeFieldAdmin(SchemaAdmin):
    list_display = ["name", "custom_object_type", "type", "label", "primary", "required", "unique"]
    list_filter = ["custom_object_type", "type"]
    search_fields = ["name", "label", "description"]


@admin.register(CustomFieldChoiceSet)
class CustomFieldChoiceSetAdmin(SchemaAdmin):
    list_display = ["name", "description"]
    search_fields = ["name", "description"]


class CustomObjectAdmin(UserscriptsModelAdmin):
    """The objects of one type: a list of their first fields, search over the text fields, bulk edit."""

    def __init__(self, model, admin_site):
        super().__init__(model, admin_site)
        self.bulk_edit_fields = [name for name, row in model._field_rows.items()
                                 if not row.unique and row.type not in ("multiobject", "multiselect", "json")]

    def get_list_display(self, request):
        return ["__str__", *[name for name, row in self.model._field_rows.items()
                             if row.type not in ("multiobject", "json", "longtext")][:6]]

    def get_search_fields(self, request):
        return [name for name, row in self.model._field_rows.items() if row.type in ("text", "url", "select")]


def register_object_admins(models, site=admin.site):
    """Admin pages for ``models`` (the current custom object models) instead of those of older versions."""
    with _lock:
        for old in [m for m in site._registry if m._meta.app_label == DYNAMIC_APP_LABEL]:
            site.unregister(old)
        for model in models:
            site.register(model, CustomObjectAdmin)
        patterns = _admin_patterns(site)
        if patterns is not None:
            patterns[:] = site.get_urls()
            clear_url_caches()


def _admin_patterns(site):
    """The list of URL patterns the project's URLconf included for ``site`` (None before it is loaded)."""
    if settings.ROOT_URLCONF not in sys.modules:
        return None  # not loaded yet: when it is, it includes the pages registered by then
    resolvers = [p for p in get_resolver().url_patterns if isinstance(p, URLResolver)]
    for resolver in resolvers:
        if resolver.namespace == site.name and isinstance(resolver.urlconf_name, list):
            return resolver.urlconf_name
    return None


cache.on_load.append(register_object_admins)
if cache.token is not None:  # the models were built before this module was imported
    register_object_admins(cache.all_models())
