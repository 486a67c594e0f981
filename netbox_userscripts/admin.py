"""Django admin integration, for any model: vetoes shown as errors, and a bulk-edit action.

Use ``UserscriptsModelAdmin`` as the base of a ``ModelAdmin``:

* a veto (``AbortEvent``, or the host's own: ``exceptions.vetoes``) from a ``pre_save``
  receiver re-shows the form with the user's input and the veto as an error; one from
  ``pre_delete`` returns to the object with an error;
* set ``bulk_edit_fields`` to offer the "Bulk edit selected" action: a form with those
  fields, applied through ``netbox_userscripts.bulk_edit`` (one UPDATE, one
  ``pre_bulk_edit`` and one ``post_bulk_edit``).
"""
from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.db import router, transaction
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse

from netbox_userscripts import exceptions
from netbox_userscripts.commits.bulk import bulk_edit
from netbox_userscripts.jobs.admin import JobResultAdmin
from netbox_userscripts.scripts.models import JobResult


class UserscriptsModelAdmin(admin.ModelAdmin):
    bulk_edit_fields = ()
    actions = ["bulk_edit_selected"]

    # Vetoes --------------------------------------------------------------------------

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except exceptions.vetoes as exc:
            messages.error(request, f"Not saved: {exc}")
            request._userscripts_veto = str(exc)
            return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change, **kwargs)
        veto = getattr(request, "_userscripts_veto", None)
        if veto is None:
            return form_class

        def clean(form):
            raise ValidationError(veto)

        return type(form_class.__name__, (form_class,), {"clean": clean})

    def delete_view(self, request, object_id, extra_context=None):
        try:
            return super().delete_view(request, object_id, extra_context)
        except exceptions.vetoes as exc:
            messages.error(request, f"Not deleted: {exc}")
            opts = self.model._meta
            return HttpResponseRedirect(reverse(f"admin:{opts.app_label}_{opts.model_name}_change",
                                                args=[object_id], current_app=self.admin_site.name))

    def delete_queryset(self, request, queryset):
        try:
            with transaction.atomic(using=router.db_for_write(self.model)):
                super().delete_queryset(request, queryset)
        except exceptions.vetoes as exc:
            messages.error(request, f"Nothing deleted: {exc}")
            raise _Vetoed from exc

    def response_action(self, request, queryset):
        try:
            return super().response_action(request, queryset)
        except _Vetoed:
            return HttpResponseRedirect(request.get_full_path())

    # Bulk edit -----------------------------------------------------------------------

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not self.bulk_edit_fields or not self.has_change_permission(request):
            actions.pop("bulk_edit_selected", None)
        return actions

    @admin.action(description="Bulk edit selected %(verbose_name_plural)s")
    def bulk_edit_selected(self, request, queryset):
        form_class = self._bulk_edit_form_class()
        if "apply_bulk_edit" in request.POST:
            form = form_class(request.POST)
            if form.is_valid():
                changes = {name: form.cleaned_data[name] for name in self.bulk_edit_fields
                           if form.cleaned_data.get(f"_set_{name}")}
                if not changes:
                    messages.warning(request, "Nothing edited: tick the fields to change.")
                    return None
                try:
                    pk_list = bulk_edit(queryset, request=request, **changes)
                except exceptions.vetoes as exc:
                    messages.error(request, f"Nothing edited: {exc}")
                    return None
                except ValidationError as exc:
                    for message in exc.messages:
                        messages.error(request, message)
                    return None
                messages.success(request, f"Edited {len(pk_list)} {self.model._meta.verbose_name_plural}: "
                                          f"{', '.join(changes)}.")
                return None
        else:
            form = form_class()
        context = {
            **self.admin_site.each_context(request),
            "title": f"Bulk edit {queryset.count()} {self.model._meta.verbose_name_plural}",
            "opts": self.model._meta,
            "form": form,
            "queryset": queryset,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "fields": [(form[f"_set_{name}"], form[name]) for name in self.bulk_edit_fields],
        }
        return TemplateResponse(request, "netbox_userscripts/admin/bulk_edit.html", context)

    def _bulk_edit_form_class(self):
        """A plain form (not a ModelForm: there is no one instance to validate) of the fields."""
        attrs = {}
        for name in self.bulk_edit_fields:
            attrs[f"_set_{name}"] = forms.BooleanField(required=False, label=f"Change {name}")
            attrs[name] = self.model._meta.get_field(name).formfield(required=False)
        return type("BulkEditForm", (forms.Form,), attrs)


class _Vetoed(Exception):
    """A bulk delete was vetoed; the changelist is shown again with the error message."""


admin.site.register(JobResult, JobResultAdmin)
