"""Filtersets: types and fields by id, name, slug ...; each type's objects by each of its fields.

A type's filterset is built from its model (once per model class) with the usual lookups
of ``netbox.api.filtersets``: ``?name=``, ``?name__ic=``, ``?size__gte=``, ``?site_id=``.
A multiselect field matches objects whose list holds the value.
"""
from django.db.models import Q

from custom_objects.choices import FieldTypeChoices
from custom_objects.models import CustomFieldChoiceSet, CustomObjectType, CustomObjectTypeField
from netbox.api.filtersets import BaseFilterSet, MultiValueFilter

TEXT_TYPES = (FieldTypeChoices.TEXT, FieldTypeChoices.LONGTEXT, FieldTypeChoices.URL, FieldTypeChoices.SELECT)


class CustomObjectTypeFilterSet(BaseFilterSet):
    search_fields = ("name__icontains", "slug__icontains", "verbose_name__icontains", "description__icontains")

    class Meta:
        model = CustomObjectType
        fields = ("name", "slug", "verbose_name", "description", "version", "group_name", "created", "last_updated")


class CustomObjectTypeFieldFilterSet(BaseFilterSet):
    search_fields = ("name__icontains", "label__icontains", "description__icontains")

    class Meta:
        model = CustomObjectTypeField
        fields = ("name", "label", "type", "custom_object_type", "primary", "required", "unique", "schema_id",
                  "group_name", "weight", "choice_set")


class CustomFieldChoiceSetFilterSet(BaseFilterSet):
    class Meta:
        model = CustomFieldChoiceSet
        fields = ("name", "description")


class ListContainsFilter(MultiValueFilter):
    """A JSON list holding any of the values (on SQLite too: matched in the list's JSON text)."""

    def filter(self, qs, value):
        if not value:
            return qs
        q = Q()
        for item in value:
            q |= Q(**{f"{self.field_name}__icontains": f'"{item}"'})
        return qs.exclude(q) if self.exclude else qs.filter(q)


def object_filterset(model):
    """The filterset of a custom object model, built once per model class."""
    filterset = model.__dict__.get("_api_filterset")
    if filterset is None:
        rows = model._field_rows
        plain = [name for name, row in rows.items()
                 if row.type not in (FieldTypeChoices.JSON, FieldTypeChoices.MULTISELECT)]
        declared = {}
        for name, row in rows.items():
            if row.type == FieldTypeChoices.MULTISELECT:
                declared[name] = ListContainsFilter(field_name=name)
                declared[f"{name}__n"] = ListContainsFilter(field_name=name, exclude=True)
        search = tuple(f"{name}__icontains" for name, row in rows.items() if row.type in TEXT_TYPES)
        meta = type("Meta", (), {"model": model, "fields": (*plain, "created", "last_updated")})
        filterset = type(f"{model.__name__}FilterSet", (BaseFilterSet,),
                         {"Meta": meta, "search_fields": search, **declared})
        model._api_filterset = filterset
    return filterset


__all__ = ["CustomObjectTypeFilterSet", "CustomObjectTypeFieldFilterSet", "CustomFieldChoiceSetFilterSet",
           "object_filterset"]
