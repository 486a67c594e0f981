"""NetBox's bulk edits send the engine's ``pre_bulk_edit`` and ``post_bulk_edit``.

NetBox edits in bulk object by object (each save sends ``pre_save``/``post_save``) and has
no signal for the edit as a whole. Its two bulk-edit paths are wrapped here, once per
process, so that one ``pre_bulk_edit`` is sent before the first save and one
``post_bulk_edit`` after the last, inside the same transaction as the saves:

- the UI (``BulkEditView._update_objects``, also run by ``rqworker`` when the user asks
  for a background job): ``changes`` are the form's changed fields, ``None`` for the
  fields the user cleared;
- the API (``PATCH`` of a list, ``BulkUpdateModelMixin.perform_bulk_update``): a field
  given the same value for every object maps to that value; a field that differs maps to
  ``{pk: value}``. ``post_bulk_edit`` is not sent when an object failed and the batch was
  rolled back.

``AbortEvent`` from a ``pre_bulk_edit`` receiver is NetBox's ``AbortRequest``: the UI shows
it on the form, the API answers 400 with it, and nothing is written.
"""
import functools

from django.db import router, transaction

from netbox_userscripts.netbox_plugin import compat
from netbox_userscripts.signals import post_bulk_edit, pre_bulk_edit

FORM_FIELDS_NOT_CHANGES = ("pk", "background_job", "changelog_message", "add_tags", "remove_tags")


def install():
    """Wrap NetBox's two bulk-edit paths (idempotent)."""
    from netbox.api.viewsets.mixins import BulkUpdateModelMixin
    from netbox.views.generic.bulk_views import BulkEditView

    if not getattr(BulkEditView._update_objects, "userscripts_wrapped", False):
        BulkEditView._update_objects = _wrap_form_edit(BulkEditView._update_objects)
    if not getattr(BulkUpdateModelMixin.perform_bulk_update, "userscripts_wrapped", False):
        BulkUpdateModelMixin.perform_bulk_update = _wrap_api_edit(BulkUpdateModelMixin.perform_bulk_update)


def _wrap_form_edit(update_objects):
    @functools.wraps(update_objects)
    def wrapper(view, form, request):
        model = view.queryset.model
        pk_list = list(view.queryset.filter(pk__in=form.cleaned_data["pk"]).order_by("pk").values_list("pk", flat=True))
        changes = {name: form.cleaned_data[name] for name in form.changed_data
                   if name not in FORM_FIELDS_NOT_CHANGES and name in form.cleaned_data}
        for name in request.POST.getlist("_nullify"):
            if name in getattr(form, "nullable_fields", ()):
                changes[name] = None
        with transaction.atomic(using=router.db_for_write(model)):
            pre_bulk_edit.send(sender=model, pk_list=pk_list, changes=changes, request=request)
            updated = update_objects(view, form, request)
            post_bulk_edit.send(sender=model, pk_list=pk_list, changes=changes, request=request)
        return updated

    wrapper.userscripts_wrapped = True
    return wrapper


def _wrap_api_edit(perform_bulk_update):
    @functools.wraps(perform_bulk_update)
    def wrapper(viewset, objects, update_data, partial):
        model = viewset.queryset.model
        pk_list = sorted(obj.pk for obj in objects)
        changes = api_changes(update_data)
        request = getattr(viewset.request, "_request", viewset.request)
        with transaction.atomic(using=router.db_for_write(model)):
            pre_bulk_edit.send(sender=model, pk_list=pk_list, changes=changes, request=request)
            result = perform_bulk_update(viewset, objects, update_data, partial)
            if not compat.bulk_update_errors(result):
                post_bulk_edit.send(sender=model, pk_list=pk_list, changes=changes, request=request)
        return result

    wrapper.userscripts_wrapped = True
    return wrapper


def api_changes(update_data):
    """``{field: value}`` for a field set alike on every object, ``{field: {pk: value}}`` where they differ."""
    changes = {}
    names = {name for data in update_data.values() for name in data}
    for name in sorted(names):
        values = {pk: data[name] for pk, data in update_data.items() if name in data}
        first = next(iter(values.values()))
        same = len(values) == len(update_data) and all(v == first for v in values.values())
        changes[name] = first if same else values
    return changes
