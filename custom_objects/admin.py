"""Admin pages: types with their fields inline, fields and choice sets.

Saving a type or field changes tables, which on SQLite needs foreign-key checks off before
the admin's transaction opens (``schema.prepared``). A type's objects are edited through
the API (``/api/plugins/custom-objects/<slug>/``) and pynetbox.
"""
from django.contrib import admin

from custom_objects import schema
from custom_objects.models import CustomFieldChoiceSet, CustomObjectType, CustomObjectTypeField


class SchemaAdmin(admin.ModelAdmin):
    def changeform_view(self, request, *args, **kwargs):
        with schema.prepared():
            return super().changeform_view(request, *args, **kwargs)

    def delete_view(self, request, *args, **kwargs):
        with schema.prepared():
            return super().delete_view(request, *args, **kwargs)

    def delete_queryset(self, request, queryset):
        for obj in queryset:  # one by one: each deletion changes tables
            obj.delete()

    def changelist_view(self, request, *args, **kwargs):
        with schema.prepared():
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
