"""Builds the Django model of a custom object type from its field definitions.

Each type becomes a model ``Table<id>Model`` of the app ``custom_objects_dynamic`` (an app
without migrations, so ``makemigrations`` never sees these models) with the table
``custom_objects_<id>``: ``id``, ``created``, ``last_updated`` and one Django field per
definition. Columns are named by the definition's id (``field_<id>``) and multiobject link
tables ``custom_objects_<type id>_<field id>``, so renaming a field moves no data.

Every write through such a model first checks that the model is current (``state``). The
API finds a model's serializer and filterset by NetBox's naming conventions, in the dynamic
app's modules (``custom_objects.dynamic``): nothing here knows the API.
"""
import copy
import decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models, router, transaction

from custom_objects import state
from custom_objects.choices import FieldTypeChoices as T
from custom_objects.choices import OnDeleteChoices

DYNAMIC_APP_LABEL = "custom_objects_dynamic"
ON_DELETE = {OnDeleteChoices.SET_NULL: models.SET_NULL, OnDeleteChoices.CASCADE: models.CASCADE,
             OnDeleteChoices.PROTECT: models.PROTECT}


def model_name(type_id):
    return f"Table{type_id}Model"


def type_id_of(content_type_model):
    """``"table5model"`` -> 5, or None for a name that is not a custom object model's."""
    if content_type_model.startswith("table") and content_type_model.endswith("model"):
        digits = content_type_model[5:-5]
        if digits.isdigit():
            return int(digits)
    return None


class CustomObjectQuerySet(models.QuerySet):
    """Bulk writes check, as single saves do, that the model is current."""

    def _checked(self, method, *args, **kwargs):
        with transaction.atomic(using=self.db):
            state.check_writable(self.model, self.db)
            return getattr(super(), method)(*args, **kwargs)

    def update(self, **kwargs):
        return self._checked("update", **kwargs)

    def delete(self):
        return self._checked("delete")

    def bulk_create(self, *args, **kwargs):
        return self._checked("bulk_create", *args, **kwargs)

    def bulk_update(self, *args, **kwargs):
        return self._checked("bulk_update", *args, **kwargs)


class CustomObject:
    """What every custom object model has besides its fields (first base of each built model).

    ``custom_object_type`` is the ``CustomObjectType`` the model was built from, so
    ``instance.custom_object_type.slug`` names the type; ``_schema_token`` the schema it
    matches.
    """

    custom_object_type = None
    _schema_token = None
    _primary_field = None

    def __str__(self):
        if self._primary_field:
            value = getattr(self, self._primary_field, None)
            if value not in (None, ""):
                return str(value)
        return f"{self.custom_object_type.display_name} {self.pk}"

    @property
    def display(self):
        return str(self)

    def get_absolute_url(self):
        return f"/api/plugins/custom-objects/{self.custom_object_type.slug}/{self.pk}/"

    def save(self, *args, **kwargs):
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        with transaction.atomic(using=using):
            state.check_writable(type(self), using)
            super().save(*args, **kwargs)

    save.alters_data = True

    def delete(self, *args, **kwargs):
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        with transaction.atomic(using=using):
            state.check_writable(type(self), using)
            return super().delete(*args, **kwargs)

    delete.alters_data = True

    def snapshot(self):
        """NetBox's change-log hook; nothing to record here."""

    def validated_save(self, *args, **kwargs):
        self.full_clean()
        self.save(*args, **kwargs)


class MultipleChoiceValidator:
    """A list of values, each one of ``choices``."""

    def __init__(self, choices):
        self.values = [value for value, _ in choices]

    def __call__(self, value):
        if value is None:
            return
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ValidationError("Expected a list of choice values.", code="invalid")
        unknown = [v for v in value if v not in self.values]
        if unknown:
            raise ValidationError(f"{', '.join(map(repr, unknown))}: not among the choices "
                                  f"({', '.join(self.values)}).", code="invalid_choice")

    def __eq__(self, other):
        return isinstance(other, MultipleChoiceValidator) and other.values == self.values

    def deconstruct(self):
        return ("custom_objects.builder.MultipleChoiceValidator", ([(v, v) for v in self.values],), {})


def _number(value, integer):
    if value is None:
        return None
    return int(value) if integer else decimal.Decimal(value)


def django_field(row, resolve):
    """The Django field for the definition ``row``; ``resolve(type_id)`` gives a custom object model."""
    kind = row.type
    options = {"null": True, "blank": not row.required, "verbose_name": (row.label or row.name.replace("_", " ")),
               "help_text": row.description}
    if kind not in (T.MULTIOBJECT,):
        options["db_column"] = f"field_{row.pk}"
    if row.default is not None and kind not in (T.OBJECT, T.MULTIOBJECT):
        default = row.default
        options["default"] = (lambda: copy.deepcopy(default)) if isinstance(default, (list, dict)) else default
    validators = []
    if row.validation_regex:
        validators.append(RegexValidator(row.validation_regex,
                                         f"Must match the regular expression {row.validation_regex}"))
    if kind in (T.INTEGER, T.DECIMAL):
        integer = kind == T.INTEGER
        if row.validation_minimum is not None:
            validators.append(MinValueValidator(_number(row.validation_minimum, integer)))
        if row.validation_maximum is not None:
            validators.append(MaxValueValidator(_number(row.validation_maximum, integer)))
    options["validators"] = validators
    unique = row.unique
    if kind == T.TEXT:
        return models.CharField(max_length=255, unique=unique, **options)
    if kind == T.LONGTEXT:
        return models.TextField(unique=unique, **options)
    if kind == T.URL:
        return models.URLField(max_length=2000, unique=unique, **options)
    if kind == T.INTEGER:
        return models.BigIntegerField(unique=unique, **options)
    if kind == T.DECIMAL:
        return models.DecimalField(max_digits=16, decimal_places=4, unique=unique, **options)
    if kind == T.BOOLEAN:
        return models.BooleanField(**options)
    if kind == T.DATE:
        return models.DateField(unique=unique, **options)
    if kind == T.DATETIME:
        return models.DateTimeField(unique=unique, **options)
    if kind == T.JSON:
        return models.JSONField(**options)
    if kind == T.SELECT:
        return models.CharField(max_length=100, choices=row.choice_set.choices, unique=unique, **options)
    if kind == T.MULTISELECT:
        options["validators"].append(MultipleChoiceValidator(row.choice_set.choices))
        return models.JSONField(**options)
    target = related_model(row, resolve)
    if kind == T.OBJECT:
        return models.ForeignKey(target, on_delete=ON_DELETE[row.on_delete_behavior], related_name="+",
                                 unique=unique, **options)
    if kind == T.MULTIOBJECT:
        options.pop("null")
        return models.ManyToManyField(target, related_name="+", symmetrical=False,
                                      db_table=f"custom_objects_{row.custom_object_type_id}_{row.pk}", **options)
    raise ValueError(f"Unknown field type {kind!r}.")


def related_model(row, resolve):
    content_type = row.related_object_type
    if content_type.app_label == DYNAMIC_APP_LABEL:
        return resolve(type_id_of(content_type.model))
    return content_type.model_class()


def default_errors(row):
    """Why ``row.default`` is not a valid value of the field, or None."""
    if row.type in (T.OBJECT, T.MULTIOBJECT):
        return "Object fields take no default."
    field = django_field(row, resolve=None)
    field.set_attributes_from_name(row.name or "field")
    try:
        field.clean(copy.deepcopy(row.default), None)
    except ValidationError as exc:
        return f"The default is not a valid value: {' '.join(exc.messages)}"
    return None


def build_model(cot, rows, token, apps, resolve):
    """The model of ``cot`` with the field definitions ``rows``, registered in ``apps``.

    ``resolve(type_id)`` gives the model (or its ``"app_label.Model"`` name) of another
    type that an object field points at.
    """
    rows = sorted(rows, key=lambda r: (r.weight, r.name))
    primary = next((r.name for r in rows if r.primary), None)
    meta = type("Meta", (), {
        "app_label": DYNAMIC_APP_LABEL, "db_table": cot.table_name, "apps": apps, "ordering": ["id"],
        "verbose_name": cot.display_name[:100], "verbose_name_plural": cot.display_name_plural[:100],
        "base_manager_name": "objects",
    })
    attrs = {
        "__module__": __name__, "Meta": meta, "custom_object_type": cot, "_schema_token": token,
        "_primary_field": primary, "_field_rows": {r.name: r for r in rows},
        "objects": CustomObjectQuerySet.as_manager(),
        "id": models.BigAutoField(primary_key=True),
        "created": models.DateTimeField(auto_now_add=True, null=True, blank=True, editable=False),
        "last_updated": models.DateTimeField(auto_now=True, null=True, blank=True, editable=False),
    }
    for row in rows:
        field = django_field(row, resolve)
        field._custom_field_id = row.pk
        attrs[row.name] = field
    return type(model_name(cot.pk), (CustomObject, models.Model), attrs)


def model_with_fields(model, fields, apps):
    """A copy of ``model`` (same table) with the concrete ``fields``, in ``apps``: a step of a change.

    Fields are deep-copied as Django's SQLite schema editor does, so a relation keeps its
    target model instead of a name that ``apps`` could not resolve.
    """
    attrs = {"__module__": __name__, "custom_object_type": model.custom_object_type,
             "Meta": type("Meta", (), {"app_label": DYNAMIC_APP_LABEL, "db_table": model._meta.db_table,
                                       "apps": apps})}
    for field in (model._meta.get_field(name) for name in ("id", "created", "last_updated")):
        attrs[field.name] = copy.deepcopy(field)
    for field in fields:
        attrs[field.name] = copy.deepcopy(field)
    return type(model.__name__, (CustomObject, models.Model), attrs)


def user_fields(model):
    """The fields of ``model`` defined by its type, by definition id."""
    return {f._custom_field_id: f for f in (*model._meta.local_fields, *model._meta.local_many_to_many)
            if getattr(f, "_custom_field_id", None) is not None}
