"""Statuses in the admin."""
from django.contrib import admin

from extras.models import Status


@admin.register(Status)
class StatusAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "color", "description")
    search_fields = ("name", "slug")
