"""``JobResult`` in the Django admin: a read-only list and view (runs are made by running jobs).

Registered by ``netbox_userscripts/admin.py``, the module the admin's autodiscovery reads.
Deleting is kept, to prune old results.
"""
from django.contrib import admin
from django.utils.html import format_html


class JobResultAdmin(admin.ModelAdmin):
    list_display = ["id", "job_name", "status", "user", "created", "completed"]
    list_filter = ["status"]
    search_fields = ["job_name", "name", "class_path"]
    date_hierarchy = "created"
    list_select_related = ["user"]
    fields = ["result_page", "class_path", "job_name", "name", "user", "status", "commit", "created", "started",
              "completed", "hostname", "pid", "data", "output", "traceback", "log"]
    readonly_fields = fields

    @admin.display(description="Result page")
    def result_page(self, obj):
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), obj.get_absolute_url())

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
