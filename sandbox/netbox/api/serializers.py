"""The one base serializer of the data apps: NetBox's object shape and validation rules.

Every object reads as ``id``, ``url``, ``display`` and its fields; foreign keys read as
the related object's brief form and choices as ``{value, label}`` (see ``fields.py``).
``SiteSerializer(nested=True)`` is the brief form: ``id``, ``url``, ``display`` and
``Meta.brief_fields``. Writes reject unknown fields and run the model's ``full_clean``,
so ``Model.clean()`` holds on the API as in the admin.

A generic foreign key (``assigned_object``, ``scope``, ``termination``) reads as its three
NetBox fields: ``<name>_type`` (``"dcim.interface"``, written the same way, limited to the
model's allowed types), ``<name>_id``, and ``<name>``, the object's brief form (read-only).

A model with tags (every ``NetBoxModel``) gets NetBox's ``tags`` field: read as a list of
brief tags (``{id, url, display, name, slug, color}``), written as a list of tag ids or of
lookups (``{"name": "core"}``, ``{"slug": "core"}``); the tags are set after the save.
"""
import copy

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.settings import api_settings

from netbox.api.fields import PREFETCHED_TAGS, ChoiceField, ContentTypeField, RelatedObjectField, TagsField
from netbox.api.naming import detail_view_name
from utilities.models import has_tags


def django_errors_to_drf(exc):
    """A Django ``ValidationError`` as DRF field errors (``__all__`` -> ``non_field_errors``)."""
    if not hasattr(exc, "error_dict"):
        return {api_settings.NON_FIELD_ERRORS_KEY: exc.messages}
    return {api_settings.NON_FIELD_ERRORS_KEY if name == NON_FIELD_ERRORS else name: messages
            for name, messages in exc.message_dict.items()}


def generic_foreign_keys(model):
    """``{name: GenericForeignKey}`` of ``model``."""
    return {f.name: f for f in model._meta.private_fields if isinstance(f, GenericForeignKey)}


class NetBoxModelSerializer(serializers.ModelSerializer):
    """Base of every data-app serializer. ``Meta.brief_fields`` names the brief form's fields."""

    serializer_choice_field = ChoiceField
    serializer_related_field = RelatedObjectField

    display = serializers.SerializerMethodField()

    def __init__(self, *args, nested=False, **kwargs):
        self.nested = nested
        super().__init__(*args, **kwargs)

    def get_display(self, obj) -> str:
        return str(obj)

    def get_field_names(self, declared_fields, info):
        if self.nested:
            return ["id", "url", "display", *getattr(self.Meta, "brief_fields", ())]
        return super().get_field_names(declared_fields, info)

    def get_default_field_names(self, declared_fields, model_info):
        # ``fields = "__all__"``: id, url, display, then the model's fields in their order
        # (DRF puts relations last), then extra declared fields, the timestamps at the end.
        names = super().get_default_field_names(declared_fields, model_info)
        order = {f.name: i for i, f in enumerate(self.Meta.model._meta.fields)}
        last = [n for n in ("created", "last_updated") if n in names]
        generic = generic_foreign_keys(self.Meta.model)
        for name, field in generic.items():  # right after its id field
            order[name] = order.get(field.fk_field, len(order)) + 0.5
        rest = [n for n in names if n not in ("id", "url", "display", "tags", *last)]
        rest += [n for n in generic if n not in rest]
        rest.sort(key=lambda n: order.get(n, len(order)))
        tags = ["tags"] if has_tags(self.Meta.model) else []
        return [model_info.pk.name, "url", "display", *rest, *tags, *last]

    def build_url_field(self, field_name, model_class):
        return serializers.HyperlinkedIdentityField, {"view_name": detail_view_name(model_class)}

    def build_field(self, field_name, info, model_class, nested_depth):
        if field_name in generic_foreign_keys(model_class):
            return RelatedObjectField, {"read_only": True}
        relation = info.relations.get(field_name)
        if relation is not None and relation.related_model is ContentType and not relation.to_many:
            field_class, kwargs = super().build_field(field_name, info, model_class, nested_depth)
            return ContentTypeField, kwargs  # its queryset already holds the field's limit_choices_to
        if field_name == "tags" and has_tags(model_class):
            # taggit's manager is not serialized by DRF's defaults (``serialize=False``).
            tag_model = model_class._meta.get_field("tags").related_model
            return TagsField, {"many": True, "required": False, "queryset": tag_model.objects.all()}
        return super().build_field(field_name, info, model_class, nested_depth)

    def create(self, validated_data):
        tags = validated_data.pop("tags", None)
        instance = super().create(validated_data)
        if tags is not None:
            instance.tags.set(tags)
        return instance

    def update(self, instance, validated_data):
        tags = validated_data.pop("tags", None)
        instance = super().update(instance, validated_data)
        if tags is not None:
            instance.tags.set(tags)
            instance.__dict__.pop(PREFETCHED_TAGS, None)  # read the new ones back, not the list prefetched before
        return instance

    def to_internal_value(self, data):
        if isinstance(data, dict):
            # DRF drops unknown keys silently; a typo in a field name must not look like success.
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                raise ValidationError({name: ["Unknown field."] for name in unknown})
        return super().to_internal_value(data)

    def validate(self, attrs):
        attrs = super().validate(attrs)
        if self.context.get("skip_full_clean"):
            return attrs  # the caller (bulk edit) validates every object itself
        instance = copy.copy(self.instance) if self.instance is not None else self.Meta.model()
        many_to_many = {f.name for f in instance._meta.many_to_many}
        for name, value in attrs.items():
            if name not in many_to_many:
                setattr(instance, name, value)
        try:
            instance.full_clean(exclude=many_to_many)
        except DjangoValidationError as exc:
            raise ValidationError(django_errors_to_drf(exc)) from exc
        return attrs


def model_serializer(model, brief_fields, base=NetBoxModelSerializer, **attrs):
    """``SiteSerializer = model_serializer(Site, ("name", "slug"))``: all fields, that brief form."""
    meta = type("Meta", (getattr(base, "Meta", object),), {"model": model, "fields": "__all__",
                                                          "brief_fields": tuple(brief_fields)})
    module = f"{model._meta.app_label}.api.serializers"
    return type(f"{model.__name__}Serializer", (base,), {"Meta": meta, "__module__": module, **attrs})


class GenericObjectSerializer(serializers.Serializer):
    """Any object as NetBox 4 writes a generic reference: ``{"object_type": "dcim.interface", "object_id": 1}``.

    Reads add ``object``, the object's brief form; writes give the object itself. ``object_types``
    (labels such as ``"dcim.interface"``) limits what may be named.
    """

    object_type = ContentTypeField(queryset=ContentType.objects.all())
    object_id = serializers.IntegerField(min_value=1, max_value=2 ** 63 - 1)
    object = RelatedObjectField(read_only=True)

    def __init__(self, *args, object_types=None, **kwargs):
        self.object_types = object_types
        super().__init__(*args, **kwargs)

    def to_representation(self, instance):
        return {"object_type": instance._meta.label_lower, "object_id": instance.pk,
                "object": self.fields["object"].to_representation(instance)}

    def to_internal_value(self, data):
        attrs = super().to_internal_value(data)
        content_type, pk = attrs["object_type"], attrs["object_id"]
        label = f"{content_type.app_label}.{content_type.model}"
        if self.object_types is not None and label not in self.object_types:
            raise ValidationError({"object_type": [f"{label} is not allowed here; use one of "
                                                   f"{', '.join(sorted(self.object_types))}."]})
        model = content_type.model_class()
        obj = model._default_manager.filter(pk=pk).first() if model is not None else None
        if obj is None:
            raise ValidationError({"object_id": [f"No {label} with id {pk}."]})
        return obj
