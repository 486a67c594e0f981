"""The base filterset of the data apps: NetBox's filter names and lookups, generated per field.

A filterset names its model's fields in ``Meta.fields`` and gets, as in NetBox:

- every filter multi-valued: ``?name=a&name=b`` matches either;
- text: ``name``, ``name__n``, ``name__ic``, ``name__nic``, ``name__ie``, ``name__nie``,
  ``name__isw``, ``name__nisw``, ``name__iew``, ``name__niew``, ``name__empty``;
- numbers and dates: ``x``, ``x__n``, ``x__lt``, ``x__lte``, ``x__gt``, ``x__gte``
  (and ``id__in=1,2,3``);
- choices: ``status``, ``status__n``, checked against the choices;
- foreign keys: ``site_id`` (pk) and ``site`` (slug, or name when the model has no slug),
  an unknown value being a 400 as in NetBox; an object type (``scope_type``,
  ``assigned_object_type``) as ``"dcim.site"``;
- ``q``: a search over ``search_fields`` (lookups such as ``name__icontains``);
- on a model with tags: ``tag`` (slug) and ``tag_id``, every one given must be present,
  and ``tag__n``/``tag_id__n`` (none of them), as in NetBox.

Declared filters override the generated ones, for fields such as IP prefixes that need
lookups of their own.
"""
import django_filters
from django import forms
from django.db import models
from django.db.models import Q
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from utilities.models import has_tags

TEXT_LOOKUPS = {"n": ("exact", True), "ic": ("icontains", False), "nic": ("icontains", True),
                "ie": ("iexact", False), "nie": ("iexact", True), "isw": ("istartswith", False),
                "nisw": ("istartswith", True), "iew": ("iendswith", False), "niew": ("iendswith", True)}
RANGE_LOOKUPS = {"n": ("exact", True), "lt": ("lt", False), "lte": ("lte", False),
                 "gt": ("gt", False), "gte": ("gte", False)}


class MultiValueField(forms.Field):
    """Every value of a repeated query parameter, each cleaned by ``base_field``."""

    widget = forms.SelectMultiple  # its value_from_datadict reads QueryDict.getlist

    def __init__(self, base_field=None, split=None, **kwargs):
        self.base_field = base_field or forms.CharField()
        self.split = split
        super().__init__(**kwargs)

    def clean(self, value):
        if value in (None, "", [], ()):
            return []
        values = value if isinstance(value, (list, tuple)) else [value]
        if self.split:
            values = [part for v in values for part in str(v).split(self.split)]
        cleaned = [self.base_field.clean(v) for v in values if v != ""]
        return [v for v in cleaned if v not in (None, "")]


class MultiValueFilter(django_filters.Filter):
    """OR of the values (``exclude=True``: none of them)."""

    field_class = MultiValueField

    def filter(self, qs, value):
        if not value:
            return qs
        q = Q()
        for v in value:
            q |= Q(**{f"{self.field_name}__{self.lookup_expr}": v})
        return self.get_method(qs)(q)


class EmptyFilter(django_filters.BooleanFilter):
    """``name__empty=true``: the field is blank or null (``false``: it has a value)."""

    def filter(self, qs, value):
        if value is None:
            return qs
        q = Q(**{self.field_name: ""})
        if qs.model._meta.get_field(self.field_name).null:
            q |= Q(**{f"{self.field_name}__isnull": True})
        return qs.filter(q) if value else qs.exclude(q)


def _base_form_field(field):
    if field.choices:
        return forms.ChoiceField(choices=field.flatchoices)
    if isinstance(field, (models.AutoField, models.IntegerField)):
        return forms.IntegerField(min_value=-(2 ** 63), max_value=2 ** 63 - 1)  # what the databases can compare
    if isinstance(field, models.DecimalField):
        return forms.DecimalField()
    if isinstance(field, models.FloatField):
        return forms.FloatField()
    if isinstance(field, models.DateTimeField):
        return forms.DateTimeField()
    if isinstance(field, models.DateField):
        return forms.DateField()
    return forms.CharField()


class RelatedObjectFormField(django_filters.fields.ModelMultipleChoiceField):
    def _check_values(self, value):
        try:
            return super()._check_values(value)
        except OverflowError:  # an id beyond 64 bits: SQLite cannot even compare it
            raise forms.ValidationError(self.error_messages["invalid_pk_value"], code="invalid_pk_value",
                                        params={"pk": max(value, key=lambda v: len(str(v)))}) from None


class RelatedObjectFilter(django_filters.ModelMultipleChoiceFilter):
    """An object by pk, slug or name; an unknown one is a 400 naming the filter, as in NetBox."""

    field_class = RelatedObjectFormField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The OpenAPI type of a value, which drf-spectacular cannot find by itself: NetBox's
        # ``field_name="site__slug", to_field_name="slug"`` is not a path it follows, nor is a
        # many-to-many relation (tags).
        extend_schema_field(OpenApiTypes.STR if self.extra.get("to_field_name") else OpenApiTypes.INT)(self)


class TreeNodeFilter(RelatedObjectFilter):
    """A region, site group or location and everything below it, as NetBox's ``TreeNodeMultipleChoiceFilter``:
    ``?region_id=`` Europe finds the sites of the Netherlands too."""

    def filter(self, qs, value):
        if not value:
            return qs
        pks = {pk for node in value for pk in node.get_descendants(include_self=True).values_list("pk", flat=True)}
        return qs.filter(**{f"{self.field_name}__in": pks})


def relation_filters(name, path, related):
    """``site_id`` (by pk) and ``site`` (by slug, else name, if it has either) for the relation at ``path``.

    A relation to a tree (regions, site groups, locations) other than a node's own ``parent``
    also matches the nodes below the one given.
    """
    queryset = related._default_manager.all()
    tree = hasattr(related, "get_descendants") and name != "parent"
    filter_class = TreeNodeFilter if tree else RelatedObjectFilter
    filters = {f"{name}_id": filter_class(field_name=path, queryset=queryset)}
    names = {f.name for f in related._meta.fields}
    by = "slug" if "slug" in names else "name" if "name" in names else None
    if by:
        filters[name] = filter_class(field_name=path if tree else f"{path}__{by}", to_field_name=by,
                                     queryset=queryset)
    return filters


def tag_filters(model):
    """NetBox's ``tag``/``tag_id`` filters (all given tags present) and their ``__n`` (none present)."""
    queryset = model._meta.get_field("tags").related_model.objects.all()
    filters = {}
    for suffix, exclude in (("", False), ("__n", True)):
        filters[f"tag{suffix}"] = RelatedObjectFilter(field_name="tags__slug", to_field_name="slug", queryset=queryset,
                                                      conjoined=not exclude, exclude=exclude)
        filters[f"tag_id{suffix}"] = RelatedObjectFilter(field_name="tags", queryset=queryset,
                                                         conjoined=not exclude, exclude=exclude)
    return filters


def _object_type(value):
    if value.count(".") != 1:
        raise forms.ValidationError(f'{value!r} is not an object type: give "app_label.model", e.g. "dcim.site".')


class ContentTypeFilter(django_filters.CharFilter):
    """An object type as ``"app_label.model"`` (``?scope_type=dcim.site``), as NetBox's ``ContentTypeFilter``."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, validators=[_object_type], **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        app_label, model = value.lower().split(".")
        return qs.filter(**{f"{self.field_name}__app_label": app_label, f"{self.field_name}__model": model})


def filters_for_field(field):
    """NetBox's filters for one model field, as ``{filter name: filter}``."""
    name = field.name
    if field.many_to_one and field.related_model._meta.label == "contenttypes.ContentType":
        return {name: ContentTypeFilter(field_name=name),
                f"{name}_id": RelatedObjectFilter(field_name=name, queryset=field.related_model.objects.all())}
    if field.many_to_one or field.one_to_one or field.many_to_many:
        return relation_filters(name, name, field.related_model)
    if isinstance(field, models.BooleanField):
        return {name: django_filters.BooleanFilter(field_name=name)}
    base = _base_form_field(field)
    filters = {name: MultiValueFilter(field_name=name, lookup_expr="exact", base_field=base)}
    if field.choices:
        lookups = {"n": ("exact", True)}
    elif isinstance(base, forms.CharField):
        lookups = TEXT_LOOKUPS
        filters[f"{name}__empty"] = EmptyFilter(field_name=name)
    else:
        lookups = RANGE_LOOKUPS
    for suffix, (lookup, exclude) in lookups.items():
        filters[f"{name}__{suffix}"] = MultiValueFilter(field_name=name, lookup_expr=lookup, exclude=exclude,
                                                        base_field=base)
    if field.primary_key:
        filters[f"{name}__in"] = MultiValueFilter(field_name=name, lookup_expr="exact", base_field=base, split=",")
    return filters


class BaseFilterSet(django_filters.FilterSet):
    """Base of the data apps' filtersets; subclasses set ``Meta.model``, ``Meta.fields``, ``search_fields``.

    ``related = {"manufacturer": "device_type__manufacturer"}`` adds ``manufacturer_id`` and
    ``manufacturer`` filters across a path of relations.
    """

    search_fields = ("name__icontains",)
    related = {}

    q = django_filters.CharFilter(method="search", label="Search")

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        # django-filter deep-copies every filter for each request: with a filter per field and
        # lookup that is most of a list request's time. Copy only the filters asked for,
        # unless the browsable API renders the whole filter form.
        renderer = getattr(getattr(request, "accepted_renderer", None), "format", None)
        if data is not None and prefix is None and renderer != "api":
            self.base_filters = {name: f for name, f in type(self).base_filters.items() if name in data}
        super().__init__(data, queryset, request=request, prefix=prefix)

    @classmethod
    def get_filters(cls):
        if not cls._meta.model:
            return cls.declared_filters.copy()
        opts = cls._meta.model._meta
        filters = {}
        for name in ("id", *cls._meta.fields):
            filters.update(filters_for_field(opts.get_field(name)))
        for name, path in cls.related.items():
            model = cls._meta.model
            for step in path.split("__"):
                model = model._meta.get_field(step).related_model
            filters.update(relation_filters(name, path, model))
        if has_tags(cls._meta.model):
            filters.update(tag_filters(cls._meta.model))
        filters.update(cls.declared_filters)
        return filters

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        q = Q()
        for lookup in self.search_fields:
            q |= Q(**{lookup: value})
        return queryset.filter(q)
