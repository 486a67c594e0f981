"""Serializers of ``/api/plugins/custom-objects/``, in the JSON shapes of NetBox's Custom Objects plugin.

Types and fields read as the plugin's do (``related_object_type`` as ``{id, app_label,
model}``, ``schema_document`` and ``related_object_filter`` as JSON). A field pointing at
objects is written with ``app_label`` and ``model`` (``"custom-objects"`` and a type's
slug for another custom object type). Each type's objects are read and written by a
serializer built from its model (``object_serializer``): ``id``, ``url``, ``display``,
``custom_object_type`` (brief), the timestamps, then the type's fields.
"""
from django.contrib.contenttypes.models import ContentType
from rest_framework import serializers
from rest_framework.exceptions import ValidationError

from custom_objects import builder, names
from custom_objects.choices import RELATION_TYPES, FieldTypeChoices
from custom_objects.models import CustomFieldChoiceSet, CustomObjectType, CustomObjectTypeField
from netbox.api.fields import RelatedObjectField
from netbox.api.serializers import NetBoxModelSerializer
from netbox_userscripts.scripts.filtering import apply_query_params, resolve_params

PUBLIC_APP_LABEL = "custom-objects"


class CustomFieldChoiceSetSerializer(NetBoxModelSerializer):
    class Meta:
        model = CustomFieldChoiceSet
        fields = ["id", "url", "display", "name", "description", "extra_choices", "order_alphabetically",
                  "created", "last_updated"]
        brief_fields = ("name", "description")


def content_type_dict(content_type):
    if content_type is None:
        return None
    return {"id": content_type.pk, "app_label": content_type.app_label, "model": content_type.model}


def resolve_object_type(app_label, model):
    """The content type of ``app_label``/``model``: any model of the project, or ``custom-objects``/<slug>."""
    app_label, model = str(app_label or "").strip().lower(), str(model or "").strip().lower()
    if app_label in (PUBLIC_APP_LABEL, "custom_objects", builder.DYNAMIC_APP_LABEL) \
            and builder.type_id_of(model) is None:
        key = names.slug_key(model)
        for cot in CustomObjectType.objects.only("pk", "slug"):
            if names.slug_key(cot.slug) == key:
                return ContentType.objects.get_or_create(app_label=builder.DYNAMIC_APP_LABEL,
                                                         model=cot.model_name)[0]
        raise ValidationError({"model": [f"No custom object type with the slug {model!r}."]})
    if app_label == PUBLIC_APP_LABEL:
        app_label = builder.DYNAMIC_APP_LABEL
    try:
        content_type = ContentType.objects.get(app_label=app_label, model=model)
    except ContentType.DoesNotExist:
        raise ValidationError({"model": [f"No object type {app_label}.{model}: give the app_label and model of "
                                         "a model of the project (e.g. dcim, device)."]}) from None
    if content_type.model_class() is None:
        raise ValidationError({"model": [f"The object type {app_label}.{model} has no model."]})
    return content_type


class CustomObjectTypeFieldSerializer(NetBoxModelSerializer):
    custom_object_type = RelatedObjectField(queryset=CustomObjectType.objects.all())
    choice_set = RelatedObjectField(queryset=CustomFieldChoiceSet.objects.all(), required=False, allow_null=True)
    app_label = serializers.CharField(required=False, write_only=True)
    model = serializers.CharField(required=False, write_only=True)
    related_object_type = serializers.SerializerMethodField()
    related_object_types = serializers.SerializerMethodField()
    related_object_filter = serializers.JSONField(required=False, allow_null=True)
    default = serializers.JSONField(required=False, allow_null=True)
    is_polymorphic = serializers.BooleanField(required=False, default=False)
    context = serializers.BooleanField(required=False, default=False)
    related_name = serializers.CharField(required=False, allow_blank=True, default="")
    validation_minimum = serializers.DecimalField(max_digits=24, decimal_places=4, required=False, allow_null=True,
                                                  coerce_to_string=False)
    validation_maximum = serializers.DecimalField(max_digits=24, decimal_places=4, required=False, allow_null=True,
                                                  coerce_to_string=False)

    class Meta:
        model = CustomObjectTypeField
        fields = ["id", "url", "display", "name", "label", "custom_object_type", "description", "type", "primary",
                  "context", "required", "unique", "default", "choice_set", "validation_regex", "validation_minimum",
                  "validation_maximum", "is_polymorphic", "related_object_type", "related_object_types",
                  "related_object_filter", "related_name", "on_delete_behavior", "app_label", "model", "group_name",
                  "search_weight", "filter_logic", "ui_visible", "ui_editable", "weight", "is_cloneable", "comments",
                  "schema_id", "deprecated", "deprecated_since", "scheduled_removal", "created", "last_updated"]
        read_only_fields = ["schema_id"]
        brief_fields = ("name", "label", "type")

    def get_related_object_type(self, obj) -> dict:
        return content_type_dict(obj.related_object_type)

    def get_related_object_types(self, obj) -> list:
        return []

    def validate(self, attrs):
        if attrs.pop("is_polymorphic", False):
            raise ValidationError({"is_polymorphic": ["Polymorphic fields are not supported here; "
                                                      "point the field at one object type."]})
        attrs.pop("context", None)
        attrs.pop("related_name", None)
        app_label, model = attrs.pop("app_label", None), attrs.pop("model", None)
        if app_label or model:
            attrs["related_object_type"] = resolve_object_type(app_label, model)
        kind = attrs.get("type", getattr(self.instance, "type", FieldTypeChoices.TEXT))
        if kind != FieldTypeChoices.OBJECT and "on_delete_behavior" in attrs and self.instance is None:
            if attrs["on_delete_behavior"] not in (None, "", "set_null"):
                raise ValidationError({"on_delete_behavior": ["on_delete_behavior can only be set for object fields."]})
            attrs.pop("on_delete_behavior")
        if kind in RELATION_TYPES and self.instance is None and "related_object_type" not in attrs:
            raise ValidationError({"model": ["Give app_label and model of the objects this field points at."]})
        return super().validate(attrs)

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if instance.type != FieldTypeChoices.OBJECT:
            data["on_delete_behavior"] = None
        return data


class CustomObjectTypeSerializer(NetBoxModelSerializer):
    fields = CustomObjectTypeFieldSerializer(nested=False, many=True, read_only=True)
    schema_document = serializers.JSONField(read_only=True)
    table_model_name = serializers.SerializerMethodField()
    object_type_name = serializers.SerializerMethodField()

    class Meta:
        model = CustomObjectType
        fields = ["id", "url", "display", "name", "verbose_name", "verbose_name_plural", "slug", "version",
                  "group_name", "display_expression", "description", "comments", "tags", "created", "last_updated",
                  "fields", "schema_document", "table_model_name", "object_type_name"]
        brief_fields = ("name", "slug", "description")

    def get_table_model_name(self, obj) -> str:
        return builder.model_name(obj.pk)

    def get_object_type_name(self, obj) -> str:
        return f"{builder.DYNAMIC_APP_LABEL}.{obj.model_name}"


def type_brief(cot, context):
    """A type's brief form, once per serializer context (every object of a list shares it)."""
    cache_ = context.setdefault("_custom_object_type_brief", {})
    if cot.pk not in cache_:
        cache_[cot.pk] = CustomObjectTypeSerializer(cot, nested=True, context=context).data
    return cache_[cot.pk]


class CustomObjectSerializer(NetBoxModelSerializer):
    """Base of the serializers built per type."""

    url = serializers.SerializerMethodField()
    custom_object_type = serializers.SerializerMethodField()

    def get_url(self, obj) -> str:
        cot = obj.custom_object_type
        path = f"/api/plugins/custom-objects/{cot.slug}/{obj.pk}/"
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path

    def get_custom_object_type(self, obj) -> dict:
        return type_brief(obj.custom_object_type, self.context)

    def to_internal_value(self, data):
        if isinstance(data, dict) and "custom_object_type" in data:
            data = {k: v for k, v in data.items() if k != "custom_object_type"}  # read-only, sent back by pynetbox
        return super().to_internal_value(data)


def object_serializer(model):
    """The serializer of a custom object model, built once per model class."""
    serializer = model.__dict__.get("_api_serializer")
    if serializer is None:
        rows = model._field_rows
        extra = {name: {"required": False} for name, row in rows.items() if row.type == FieldTypeChoices.MULTIOBJECT}
        for name, row in rows.items():
            if row.type == FieldTypeChoices.DECIMAL:
                extra[name] = {"coerce_to_string": False}
            if row.type in RELATION_TYPES and row.related_object_filter:
                # The field offers only the objects its filter selects, as the API's query parameters mean it.
                target = model._meta.get_field(name).related_model._default_manager.all()
                extra.setdefault(name, {})["queryset"] = apply_query_params(
                    target, resolve_params(row.related_object_filter, {}))
        meta = type("Meta", (), {
            "model": model, "brief_fields": ("custom_object_type",), "extra_kwargs": extra,
            "fields": ["id", "url", "display", "custom_object_type", "created", "last_updated", *rows],
        })
        serializer = type(f"{model.__name__}Serializer", (CustomObjectSerializer,),
                          {"Meta": meta, "__module__": __name__})
        model._api_serializer = serializer
    return serializer
