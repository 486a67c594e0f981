"""Statuses and tags in the admin."""
from django.contrib import admin
from django.db.models import Count

from extras.models import Status, Tag
from netbox_userscripts.admin import UserscriptsModelAdmin


@admin.register(Status)
class StatusAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "color", "description")
    search_fields = ("name", "slug")


@admin.register(Tag)
class TagAdmin(UserscriptsModelAdmin):
    list_display = ["name", "slug", "color", "weight", "items", "description"]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}
    bulk_edit_fields = ["color", "weight"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(item_count=Count("extras_taggeditem_items"))

    @admin.display(description="Tagged items", ordering="item_count")
    def items(self, tag):
        return tag.item_count
