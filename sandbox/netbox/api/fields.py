"""Serializer fields with NetBox's wire format: choices as {value, label}, relations as nested objects.

``ChoiceField`` reads ``{"value": "active", "label": "Active"}`` and takes the bare value.
``RelatedObjectField`` reads the related object's brief representation (``id``, ``url``,
``display`` and its ``brief_fields``) and takes a primary key or a dict of lookups
(``{"slug": "dc1"}``, ``{"site": {"slug": "dc1"}, "name": "r1"}``), as NetBox does.
``ContentTypeField`` reads and takes an object type as ``"dcim.interface"``.
"""
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldError, MultipleObjectsReturned, ObjectDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import build_basic_type, build_choice_field
from drf_spectacular.types import OpenApiTypes
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.relations import MANY_RELATION_KWARGS

from netbox.api.naming import get_serializer_for_model


class ChoiceField(serializers.ChoiceField):
    """A choice read as ``{"value", "label"}`` and written as the value alone."""

    def to_representation(self, obj):
        if obj == "" and self.allow_blank:
            return None
        return {"value": obj, "label": self.choices.get(obj, obj)}

    def to_internal_value(self, data):
        if isinstance(data, (dict, list)):
            # pynetbox and NetBox send the bare value; a dict here is a client bug worth naming.
            raise ValidationError('Value must be passed directly (e.g. "status": "active"), not as a dict or list.')
        return super().to_internal_value(data)


def lookups_from_dict(data, prefix=""):
    """``{"site": {"slug": "x"}, "name": "y"}`` -> ``{"site__slug": "x", "name": "y"}``."""
    params = {}
    for key, value in data.items():
        if isinstance(value, dict):
            params.update(lookups_from_dict(value, f"{prefix}{key}__"))
        else:
            params[f"{prefix}{key}"] = value
    return params


class RelatedObjectField(serializers.RelatedField):
    """A foreign key: written as a pk or a dict of lookups, read as the related object's brief form."""

    default_error_messages = {
        "does_not_exist": "Related object not found using the provided attributes: {value}.",
        "multiple": "Multiple objects match the provided attributes: {value}.",
        "invalid": "Related objects must be referenced by numeric ID or by a dictionary of attributes, "
                   "got {value!r}.",
        "invalid_lookup": "Invalid attributes for a related object lookup: {value}.",
    }

    def use_pk_only_optimization(self):
        return False  # the brief form needs the object itself (it is select_related anyway)

    def to_internal_value(self, data):
        queryset = self.get_queryset()
        if isinstance(data, dict):
            params = lookups_from_dict(data)
            try:
                return queryset.get(**params)
            except ObjectDoesNotExist:
                self.fail("does_not_exist", value=params)
            except MultipleObjectsReturned:
                self.fail("multiple", value=params)
            except (FieldError, TypeError, ValueError, OverflowError, DjangoValidationError):
                self.fail("invalid_lookup", value=params)
        if isinstance(data, bool) or not isinstance(data, (int, str)):
            self.fail("invalid", value=data)
        try:
            pk = int(data)
        except (TypeError, ValueError):
            self.fail("invalid", value=data)
        try:
            return queryset.get(pk=pk)
        except (ObjectDoesNotExist, OverflowError):
            self.fail("does_not_exist", value={"id": pk})

    def __init__(self, model=None, **kwargs):
        self.model = model  # for read-only fields, which have no queryset to name the model
        super().__init__(**kwargs)

    def brief_serializer(self, model):
        """The brief serializer of ``model``, built once per bound field and model."""
        if isinstance(model, str):
            model = apps.get_model(model)
        cache = self.__dict__.setdefault("_brief", {})
        if model not in cache:
            cache[model] = get_serializer_for_model(model)(nested=True, context=self.context)
        return cache[model]

    def get_choices(self, cutoff=None):
        # The browsable API's forms key options by the written form (a pk), not the nested dict.
        queryset = self.get_queryset()
        if queryset is None:
            return {}
        if cutoff is not None:
            queryset = queryset[:cutoff]
        return {item.pk: self.display_value(item) for item in queryset}

    def to_representation(self, value):
        # By the value's own class, so that a generic relation (a cable's end) works as well.
        return self.brief_serializer(type(value)).to_representation(value)


class ContentTypeField(serializers.RelatedField):
    """A content type read and written as ``"app_label.model"``."""

    default_error_messages = {"invalid": 'Expected "app_label.model", e.g. "dcim.interface"; got {value!r}.',
                              "does_not_exist": "No object type {value!r} is allowed here."}

    def to_internal_value(self, data):
        if not isinstance(data, str) or data.count(".") != 1:
            self.fail("invalid", value=data)
        app_label, model = data.lower().split(".")
        try:
            return self.get_queryset().get(app_label=app_label, model=model)
        except ContentType.DoesNotExist:
            self.fail("does_not_exist", value=data)

    def to_representation(self, obj):
        return f"{obj.app_label}.{obj.model}"


class ChoiceFieldExtension(OpenApiSerializerFieldExtension):
    """OpenAPI: the response is an object {value, label}; the request the bare value."""

    target_class = ChoiceField

    def map_serializer_field(self, auto_schema, direction):
        choice = build_choice_field(self.target)
        if direction == "request":
            return choice
        return {"type": "object", "properties": {"value": choice, "label": build_basic_type(OpenApiTypes.STR)}}


PREFETCHED_TAGS = "prefetched_tags"  # where the API's querysets prefetch each object's tags (a list)


class TagsField(RelatedObjectField):
    """An object's ``tags``: read from the list prefetched into ``PREFETCHED_TAGS`` when there is one.

    A plain ``prefetch_related("tags")`` makes django-taggit build a filtered queryset per
    object to hold its tags, which costs more than the rest of a page of sites; a prefetch
    into a list does not.
    """

    @classmethod
    def many_init(cls, *args, **kwargs):
        list_kwargs = {"child_relation": cls(*args, **kwargs)}
        list_kwargs.update({key: value for key, value in kwargs.items() if key in MANY_RELATION_KWARGS})
        return PrefetchedTagsField(**list_kwargs)


class PrefetchedTagsField(serializers.ManyRelatedField):
    def get_attribute(self, instance):
        prefetched = getattr(instance, PREFETCHED_TAGS, None)
        return prefetched if prefetched is not None else super().get_attribute(instance)


class RelatedObjectFieldExtension(OpenApiSerializerFieldExtension):
    """OpenAPI: the response is the related brief object; the request a pk or a dict of lookups."""

    target_class = RelatedObjectField
    match_subclasses = True  # TagsField too

    def map_serializer_field(self, auto_schema, direction):
        if direction == "request":
            return {"oneOf": [build_basic_type(OpenApiTypes.INT),
                              {"type": "object", "additionalProperties": True}]}
        model = self.target.model or (self.target.queryset.model if self.target.queryset is not None else None)
        if model is None:
            return {"type": "object", "additionalProperties": True}
        return auto_schema._map_serializer(self.target.brief_serializer(model), direction, bypass_extensions=True)


class ContentTypeFieldExtension(OpenApiSerializerFieldExtension):
    """OpenAPI: an object type is a string such as ``"dcim.interface"``."""

    target_class = ContentTypeField

    def map_serializer_field(self, auto_schema, direction):
        return {"type": "string", "pattern": r"^[a-z_]+\.[a-z_]+$", "example": "dcim.interface"}
