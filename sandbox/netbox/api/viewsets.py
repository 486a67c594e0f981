"""The one base viewset of the data apps: NetBox's conventions and the bulk operations.

List endpoints take, besides GET and POST of one object:

- ``POST [ {...}, ... ]``: create all or none; each object is saved on its own, so each
  sends its own ``pre_save``/``post_save``.
- ``PATCH``/``PUT [ {"id": N, ...}, ... ]``: validate every item, group the items that make
  the same changes, and write each group with ``netbox_userscripts.bulk_edit``: one
  ``pre_bulk_edit``/``post_bulk_edit`` per group, no per-object save signals. Many-to-many
  fields (``tags``) are not columns an UPDATE can set: they are set object by object
  (Django's ``m2m_changed`` for each).
- ``DELETE [ {"id": N}, ... ]``: delete all or none, each object on its own (one
  ``pre_delete``/``post_delete`` each).

Each runs in one transaction: a validation error, a ``pre_*`` veto (``AbortEvent``) or a
protected object anywhere leaves nothing written. Errors of a list are a list, one entry
per item (``{}`` for good items), as DRF's list serializers report them.
"""
import importlib

from django.db import transaction
from django.db.models import Model, Prefetch
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.viewsets import ModelViewSet

from netbox.api.fields import PREFETCHED_TAGS
from netbox.api.metadata import NetBoxMetadata
from netbox.api.naming import get_serializer_for_model
from netbox.api.pagination import OptionalLimitOffsetPagination
from netbox.api.schema import NetBoxAutoSchema
from netbox_userscripts import bulk_edit
from utilities.models import has_tags


def is_brief(request):
    return request is not None and request.query_params.get("brief", "").lower() in ("1", "true", "yes", "on")


def _change_key(changes):
    """A hashable key for a dict of validated changes: items with equal keys form one bulk edit."""
    return tuple(sorted((name, (type(v), v.pk) if isinstance(v, Model) else (type(v), repr(v)))
                        for name, v in changes.items()))


class BulkOperationsMixin:
    """Bulk create, edit and delete on the list endpoint (routes in ``routers.NetBoxRouter``)."""

    def create(self, request, *args, **kwargs):
        if not isinstance(request.data, list):
            with transaction.atomic():
                return super().create(request, *args, **kwargs)
        items = self._bulk_items(request.data)
        created, errors = [], []
        with transaction.atomic():
            for item in items:
                # One at a time, so a later item's uniqueness check sees the earlier ones.
                serializer = self.get_serializer(data=item)
                if serializer.is_valid() and not any(errors):
                    serializer.save()
                    created.append(serializer.instance)
                errors.append(serializer.errors if serializer.errors else {})
            if any(errors):
                raise ValidationError(errors)
        data = self.get_serializer(created, many=True).data
        return Response(data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        with transaction.atomic():
            return super().update(request, *args, **kwargs)

    def destroy(self, request, *args, **kwargs):
        with transaction.atomic():
            return super().destroy(request, *args, **kwargs)

    def bulk_update(self, request, partial=False, **kwargs):
        items = self._bulk_items(request.data)
        objects = self._objects_for(items)
        model = self.get_queryset().model
        many_to_many = {f.name for f in model._meta.many_to_many}
        # Fields a serializer sets on each saved object itself (an interface's mac_address), not in the UPDATE.
        after_save = set(getattr(self.get_serializer_class(), "after_save_fields", ()))
        groups, relations, errors = {}, [], []
        context = {**self.get_serializer_context(), "skip_full_clean": True}
        for item in items:
            data = {k: v for k, v in item.items() if k != "id"}
            serializer = self.get_serializer_class()(objects[item["id"]], data=data, partial=partial,
                                                     context=context)
            if serializer.is_valid():
                changes = dict(serializer.validated_data)
                related = {name: changes.pop(name) for name in (many_to_many | after_save) & set(changes)}
                if changes:
                    groups.setdefault(_change_key(changes), (changes, []))[1].append(item["id"])
                if related:
                    relations.append((objects[item["id"]], related))
            errors.append(serializer.errors if serializer.errors else {})
        if any(errors):
            raise ValidationError(errors)
        with transaction.atomic():
            for changes, pk_list in groups.values():
                bulk_edit(model._base_manager.filter(pk__in=pk_list), request=request, **changes)
            for obj, related in relations:
                for name, values in related.items():
                    if name in after_save:
                        self.get_serializer(obj).save_after(obj, name, values)
                    else:
                        getattr(obj, name).set(values)
        edited = self.get_queryset().filter(pk__in=[item["id"] for item in items])
        return Response(self.get_serializer(edited, many=True).data)

    def bulk_partial_update(self, request, **kwargs):
        return self.bulk_update(request, partial=True)

    def bulk_destroy(self, request, **kwargs):
        items = self._bulk_items(request.data)
        objects = self._objects_for(items)
        with transaction.atomic():
            for item in items:
                self.perform_destroy(objects[item["id"]])
        return Response(status=status.HTTP_204_NO_CONTENT)

    def _bulk_items(self, data):
        if not isinstance(data, list):
            raise ValidationError({"non_field_errors": ["Expected a list of objects."]})
        if not data:
            raise ValidationError({"non_field_errors": ["The list is empty."]})
        if not all(isinstance(item, dict) for item in data):
            raise ValidationError({"non_field_errors": ["Every item of the list must be an object."]})
        return data

    def _objects_for(self, items):
        """The objects named by the items' ``id``s; 400 naming each missing, repeated or unknown id."""
        errors, ids, seen = [], [], set()
        for item in items:
            pk = item.get("id")
            if isinstance(pk, bool) or not isinstance(pk, int):
                errors.append({"id": ["Each item needs a numeric id."]})
            elif not 0 < pk < 2 ** 63:  # no such row, and SQLite cannot even compare it
                errors.append({"id": [f"No {self.get_queryset().model._meta.verbose_name} with id {pk}."]})
            elif pk in seen:
                errors.append({"id": [f"id {pk} appears more than once."]})
            else:
                errors.append({})
                seen.add(pk)
                ids.append(pk)
        objects = {obj.pk: obj for obj in self.get_queryset().filter(pk__in=ids)} if ids else {}
        for item, error in zip(items, errors, strict=True):
            if not error and item["id"] not in objects:
                error["id"] = [f"No {self.get_queryset().model._meta.verbose_name} with id {item['id']}."]
        if any(errors):
            raise ValidationError(errors)
        return objects


class NetBoxModelViewSet(BulkOperationsMixin, ModelViewSet):
    """Base of every data-app viewset: filters, pagination, brief mode, OPTIONS choices, bulk ops.

    Forward foreign keys are joined (``select_related``) so a page costs a fixed number of
    queries; a subclass's queryset adds deeper joins or ``prefetch_related`` for anything
    else its serializer reads.
    """

    filter_backends = [DjangoFilterBackend]
    pagination_class = OptionalLimitOffsetPagination
    metadata_class = NetBoxMetadata
    schema = NetBoxAutoSchema()

    def get_queryset(self):
        queryset = super().get_queryset()
        queryset = queryset.select_related(*(f.name for f in queryset.model._meta.fields
                                             if f.many_to_one or f.one_to_one))
        if not has_tags(queryset.model):
            return queryset
        return queryset.prefetch_related(Prefetch("tags", to_attr=PREFETCHED_TAGS))  # see netbox.api.fields.TagsField

    def get_serializer(self, *args, **kwargs):
        if is_brief(self.request) and self.request.method == "GET":
            kwargs.setdefault("nested", True)
        return super().get_serializer(*args, **kwargs)


def model_viewset(model, select=(), prefetch=(), mixins=(), read_only=False):
    """The viewset of ``model``: its ``<app>.api.serializers`` serializer and ``<app>.filtersets`` filterset.

    ``select``/``prefetch`` add joins beyond the forward foreign keys, for what the
    serializer reads further away (a device's manufacturer, a port's cable peer);
    ``mixins`` add routes of the model's own (a prefix's ``available-ips``).
    ``read_only`` serves GET only (writes answer 405), for rows another object owns.
    """
    name = model.__name__
    filtersets = importlib.import_module(f"{model._meta.app_label}.filtersets")
    what = "list and read" if read_only else "list, create, edit and delete (also in bulk)"
    attrs = {
        "__module__": f"{model._meta.app_label}.api.views",
        "__doc__": f"{model._meta.verbose_name_plural.capitalize()}: {what}.",
        "queryset": model._default_manager.select_related(*select).prefetch_related(*prefetch),
        "serializer_class": get_serializer_for_model(model),
        "filterset_class": getattr(filtersets, f"{name}FilterSet"),
    }
    if read_only:
        attrs["http_method_names"] = ["get", "head", "options"]
    return type(f"{name}ViewSet", (*mixins, NetBoxModelViewSet), attrs)
