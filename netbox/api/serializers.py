"""The one base serializer of the data apps: NetBox's object shape and validation rules.

Every object reads as ``id``, ``url``, ``display`` and its fields; foreign keys read as
the related object's brief form and choices as ``{value, label}`` (see ``fields.py``).
``SiteSerializer(nested=True)`` is the brief form: ``id``, ``url``, ``display`` and
``Meta.brief_fields``. Writes reject unknown fields and run the model's ``full_clean``,
so ``Model.clean()`` holds on the API as in the admin.
"""
import copy

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.settings import api_settings

from netbox.api.fields import ChoiceField, RelatedObjectField
from netbox.api.naming import detail_view_name


def django_errors_to_drf(exc):
    """A Django ``ValidationError`` as DRF field errors (``__all__`` -> ``non_field_errors``)."""
    if not hasattr(exc, "error_dict"):
        return {api_settings.NON_FIELD_ERRORS_KEY: exc.messages}
    return {api_settings.NON_FIELD_ERRORS_KEY if name == NON_FIELD_ERRORS else name: messages
            for name, messages in exc.message_dict.items()}


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
        rest = [n for n in names if n not in ("id", "url", "display", *last)]
        rest.sort(key=lambda n: order.get(n, len(order)))
        return [model_info.pk.name, "url", "display", *rest, *last]

    def build_url_field(self, field_name, model_class):
        return serializers.HyperlinkedIdentityField, {"view_name": detail_view_name(model_class)}

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
