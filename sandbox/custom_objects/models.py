"""The definitions behind custom objects: types, their fields, choice sets, and the schema token.

Saving or deleting a type, a field or a choice set changes tables: each save and delete
runs inside a change of definitions (``changes.change()``) and says which types it touched.
The schema editor follows the change in the same transaction and moves the schema token
that tells every process to rebuild its models (``schema`` and ``cache``, above these
models: they receive the change's signals).
"""
import re

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import ProtectedError

from custom_objects import changes, names
from custom_objects.builder import DYNAMIC_APP_LABEL, default_errors
from custom_objects.choices import (
    CHOICE_TYPES,
    RANGE_TYPES,
    REGEX_TYPES,
    RELATION_TYPES,
    FieldTypeChoices,
    OnDeleteChoices,
)
from utilities.models import ChangeLoggedModel, NetBoxModel

MAX_FIELDS = 1000  # a table's columns: SQLite allows 2000, PostgreSQL 1600


class SchemaState(models.Model):
    """One row: a token that changes, in the same transaction, with every change of a type's table."""

    token = models.CharField(max_length=32)

    class Meta:
        default_permissions = ()

    def __str__(self):
        return self.token


class CustomFieldChoiceSet(ChangeLoggedModel):
    """Named choices for select and multiselect fields (NetBox's ``CustomFieldChoiceSet``)."""

    name = models.CharField(max_length=100, unique=True)
    description = models.CharField(max_length=200, blank=True)
    extra_choices = models.JSONField(default=list, blank=True,
                                     help_text='A list of [value, label] pairs, e.g. [["gold", "Gold"]].')
    order_alphabetically = models.BooleanField(default=False)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def choices(self):
        pairs = [(str(v), str(label)) for v, label in self.extra_choices]
        return sorted(pairs, key=lambda p: p[1].lower()) if self.order_alphabetically else pairs

    def clean(self):
        choices = self.extra_choices
        if not isinstance(choices, list) or not all(
                isinstance(c, (list, tuple)) and len(c) == 2 and all(isinstance(x, (str, int)) for x in c)
                for c in choices):
            raise ValidationError({"extra_choices": 'Expected a list of [value, label] pairs.'})
        values = [str(c[0]) for c in choices]
        if len(set(values)) != len(values):
            raise ValidationError({"extra_choices": "Each value may appear only once."})
        if any(not v or len(v) > 100 for v in values):
            raise ValidationError({"extra_choices": "Values must be 1 to 100 characters long."})

    def save(self, *args, **kwargs):
        with changes.change(kwargs.get("using") or self._state.db) as change:
            super().save(*args, **kwargs)
            change.touch_types(self.fields.values_list("custom_object_type_id", flat=True))


class CustomObjectType(NetBoxModel):
    """A type of object defined at run time; its objects live in the table ``custom_objects_<id>``."""

    name = models.CharField(max_length=100, unique=True, validators=[names.validate_identifier])
    slug = models.CharField(max_length=100, unique=True, validators=[names.validate_slug])
    verbose_name = models.CharField(max_length=100, blank=True)
    verbose_name_plural = models.CharField(max_length=100, blank=True)
    description = models.CharField(max_length=200, blank=True)
    version = models.CharField(max_length=50, blank=True)
    group_name = models.CharField(max_length=100, blank=True)
    display_expression = models.CharField(max_length=200, blank=True)
    comments = models.TextField(blank=True)
    schema_document = models.JSONField(null=True, blank=True, editable=False)
    next_schema_id = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = "custom object type"

    def __str__(self):
        return self.verbose_name or self.name

    @property
    def display_name(self):
        return self.verbose_name or self.name.replace("_", " ")

    @property
    def display_name_plural(self):
        return self.verbose_name_plural or f"{self.display_name}s"

    @property
    def model_name(self):
        """The name of this type's model, ``table<id>model`` (its content type and permissions use it)."""
        return f"table{self.pk}model"

    @property
    def table_name(self):
        return f"custom_objects_{self.pk}"

    def get_model(self):
        """This type's model, as of the schema this process has loaded (``cache`` registers the models with Django)."""
        return apps.get_model(DYNAMIC_APP_LABEL, self.model_name)

    def clean(self):
        super().clean()
        if self.slug:
            key = names.slug_key(self.slug)
            if key in names.RESERVED_SLUGS:
                raise ValidationError({"slug": f"{self.slug!r} is a path of the API; choose another slug."})
            for other in CustomObjectType.objects.exclude(pk=self.pk).only("name", "slug"):
                if names.slug_key(other.slug) == key:
                    raise ValidationError({"slug": f"{self.slug!r} would share its URL with the type "
                                                   f"{other.name!r} (slug {other.slug!r}): '_' and '-' are one."})

    def save(self, *args, **kwargs):
        with changes.change(kwargs.get("using") or self._state.db) as change:
            super().save(*args, **kwargs)
            change.touch(self.pk)

    def delete(self, *args, **kwargs):
        pointing = CustomObjectTypeField.objects.filter(
            related_object_type__app_label=DYNAMIC_APP_LABEL, related_object_type__model=self.model_name,
        ).exclude(custom_object_type=self).select_related("custom_object_type")
        if pointing:
            raise ProtectedError(
                f"Cannot delete {self.name!r}: fields of other types point at it "
                f"({', '.join(f'{f.custom_object_type.name}.{f.name}' for f in pointing)}); delete those first.",
                set(pointing))
        with changes.change(kwargs.get("using") or self._state.db) as change:
            change.touch(self.pk)
            return super().delete(*args, **kwargs)


class CustomObjectTypeField(models.Model):
    """One field of a custom object type: a column of its table (or a table of links, for multiobject)."""

    custom_object_type = models.ForeignKey(CustomObjectType, on_delete=models.CASCADE, related_name="fields")
    name = models.CharField(max_length=50, validators=[names.validate_identifier])
    label = models.CharField(max_length=50, blank=True)
    description = models.CharField(max_length=200, blank=True)
    type = models.CharField(max_length=50, choices=FieldTypeChoices.choices, default=FieldTypeChoices.TEXT)
    primary = models.BooleanField(default=False)
    required = models.BooleanField(default=False)
    unique = models.BooleanField(default=False)
    default = models.JSONField(null=True, blank=True)
    choice_set = models.ForeignKey(CustomFieldChoiceSet, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="fields")
    validation_regex = models.CharField(max_length=500, blank=True)
    validation_minimum = models.DecimalField(max_digits=24, decimal_places=4, null=True, blank=True)
    validation_maximum = models.DecimalField(max_digits=24, decimal_places=4, null=True, blank=True)
    related_object_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, null=True, blank=True,
                                            related_name="+")
    related_object_filter = models.JSONField(null=True, blank=True)
    on_delete_behavior = models.CharField(max_length=20, choices=OnDeleteChoices.choices,
                                          default=OnDeleteChoices.SET_NULL)
    group_name = models.CharField(max_length=50, blank=True)
    weight = models.PositiveIntegerField(default=100)
    search_weight = models.PositiveIntegerField(default=500)
    filter_logic = models.CharField(max_length=50, default="loose",
                                    choices=[("disabled", "Disabled"), ("loose", "Loose"), ("exact", "Exact")])
    ui_visible = models.CharField(max_length=50, default="always",
                                  choices=[("always", "Always"), ("if-set", "If set"), ("hidden", "Hidden")])
    ui_editable = models.CharField(max_length=50, default="yes",
                                   choices=[("yes", "Yes"), ("no", "No"), ("hidden", "Hidden")])
    is_cloneable = models.BooleanField(default=False)
    deprecated = models.BooleanField(default=False)
    deprecated_since = models.CharField(max_length=50, blank=True)
    scheduled_removal = models.CharField(max_length=50, blank=True)
    comments = models.TextField(blank=True)
    schema_id = models.PositiveIntegerField(null=True, blank=True, editable=False)
    created = models.DateTimeField(auto_now_add=True, null=True, editable=False)
    last_updated = models.DateTimeField(auto_now=True, null=True, editable=False)

    class Meta:
        ordering = ["custom_object_type", "weight", "name"]
        verbose_name = "custom object type field"
        constraints = [
            models.UniqueConstraint(fields=["custom_object_type", "name"], name="custom_objects_field_unique_name",
                                    violation_error_message="This type already has a field of this name."),
            models.UniqueConstraint(fields=["custom_object_type", "schema_id"],
                                    name="custom_objects_field_unique_schema_id"),
        ]

    def __str__(self):
        return self.label or self.name.replace("_", " ")

    @property
    def column(self):
        """The column (or, for multiobject, the link table's suffix): by id, so a rename moves no data."""
        return f"field_{self.pk}"

    def clean(self):
        super().clean()
        errors = self.check_alone()
        if self.custom_object_type_id and self.name:
            others = dict(CustomObjectTypeField.objects.filter(custom_object_type_id=self.custom_object_type_id)
                          .exclude(pk=self.pk).values_list("name", "type"))
            if self.type == FieldTypeChoices.OBJECT and f"{self.name}_id" in others:
                errors["name"] = f"An object field {self.name!r} would clash with the field {self.name}_id."
            if self.name.endswith("_id") and others.get(self.name[:-3]) == FieldTypeChoices.OBJECT:
                errors["name"] = f"{self.name!r} would clash with the object field {self.name[:-3]!r}."
            if self.pk is None and len(others) >= MAX_FIELDS:
                errors["custom_object_type"] = f"A type has at most {MAX_FIELDS} fields."
        if errors:
            raise ValidationError(errors)

    def check_alone(self):
        """The checks that need no other field of the type: ``{field name: message}``."""
        errors = {}
        if self.name in names.RESERVED_FIELD_NAMES:
            errors["name"] = f"{self.name!r} is reserved (every object has it, or the API uses it); choose another."
        errors.update(self._type_errors())
        if self.pk:
            old = CustomObjectTypeField.objects.filter(pk=self.pk).first()
            if old is not None and old.custom_object_type_id != self.custom_object_type_id:
                errors["custom_object_type"] = "A field cannot move to another type."
            if old is not None and old.type != self.type and (old.type in RELATION_TYPES or
                                                              self.type in RELATION_TYPES or
                                                              FieldTypeChoices.MULTISELECT in (old.type, self.type)):
                errors["type"] = f"A {old.type} field cannot become a {self.type} field; add a new field instead."
            if old is not None and old.related_object_type_id != self.related_object_type_id \
                    and self.type in RELATION_TYPES and old.type in RELATION_TYPES:
                errors["related_object_type"] = "The related object type cannot change; add a new field instead."
        return errors

    def _target_exists(self):
        content_type = self.related_object_type
        if content_type.app_label == DYNAMIC_APP_LABEL:  # a type made in this change has no model yet
            model = content_type.model
            return model[5:-5].isdigit() and CustomObjectType.objects.filter(pk=int(model[5:-5])).exists()
        return content_type.model_class() is not None

    def _type_errors(self):
        errors = {}
        if self.type in CHOICE_TYPES and self.choice_set_id is None:
            errors["choice_set"] = f"A {self.type} field needs a choice set."
        if self.type not in CHOICE_TYPES and self.choice_set_id is not None:
            errors["choice_set"] = "Only select and multiselect fields take a choice set."
        if self.type in RELATION_TYPES:
            if self.related_object_type_id is None:
                errors["related_object_type"] = f"An {self.type} field needs the type of object it points at."
            elif not self._target_exists():
                errors["related_object_type"] = "This object type has no model."
        elif self.related_object_type_id is not None:
            errors["related_object_type"] = "Only object and multiobject fields point at objects."
        if self.on_delete_behavior != OnDeleteChoices.SET_NULL and self.type != FieldTypeChoices.OBJECT:
            errors["on_delete_behavior"] = "on_delete_behavior can only be set for object fields."
        if self.validation_regex:
            if self.type not in REGEX_TYPES:
                errors["validation_regex"] = "Only text, longtext and url fields take a regular expression."
            else:
                try:
                    re.compile(self.validation_regex)
                except re.error as exc:
                    errors["validation_regex"] = f"Not a valid regular expression: {exc}."
        for name in ("validation_minimum", "validation_maximum"):
            if getattr(self, name) is not None and self.type not in RANGE_TYPES:
                errors[name] = "Only integer and decimal fields take a minimum or maximum."
        if (self.validation_minimum is not None and self.validation_maximum is not None
                and self.validation_minimum > self.validation_maximum):
            errors["validation_maximum"] = "The maximum is below the minimum."
        if self.primary and self.type in RELATION_TYPES + (FieldTypeChoices.JSON, FieldTypeChoices.MULTISELECT):
            errors["primary"] = f"A {self.type} field cannot be the primary field."
        if self.unique and self.type in (FieldTypeChoices.MULTIOBJECT, FieldTypeChoices.BOOLEAN,
                                         FieldTypeChoices.JSON, FieldTypeChoices.MULTISELECT):
            errors["unique"] = f"A {self.type} field cannot be unique."
        if self.default is not None and not errors:
            message = default_errors(self)
            if message:
                errors["default"] = message
        return errors

    def save(self, *args, **kwargs):
        with changes.change(kwargs.get("using") or self._state.db) as change:
            change.touch(self.custom_object_type_id)
            if self.schema_id is None:
                cot = CustomObjectType.objects.select_for_update().get(pk=self.custom_object_type_id)
                used = CustomObjectTypeField.objects.filter(custom_object_type=cot).aggregate(
                    m=models.Max("schema_id"))["m"] or 0
                self.schema_id = max(cot.next_schema_id, used + 1)
                CustomObjectType.objects.filter(pk=cot.pk).update(next_schema_id=self.schema_id + 1)
            super().save(*args, **kwargs)
            if self.primary:
                CustomObjectTypeField.objects.filter(custom_object_type_id=self.custom_object_type_id,
                                                     primary=True).exclude(pk=self.pk).update(primary=False)

    def delete(self, *args, **kwargs):
        with changes.change(kwargs.get("using") or self._state.db) as change:
            change.touch(self.custom_object_type_id)
            return super().delete(*args, **kwargs)
