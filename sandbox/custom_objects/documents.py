"""Schema documents (format "1" of NetBox's Custom Objects plugin): check, compare, apply.

A document lists types (``name``, ``slug``, attributes, ``fields``, ``removed_fields``).
Fields are matched to existing ones by ``id`` (a field's ``schema_id``, stable across
renames); a field is removed only when its id is listed in ``removed_fields`` (a
tombstone), and only with ``allow_destructive``. ``related_object_type`` is
``"app_label/model"`` or ``"custom-objects/<slug>"`` (a type of the database or of the
document); ``choice_set`` the name of a choice set.

``check`` returns the errors of a document as the plugin does (``{"path", "message"}``,
at most ten); ``diff`` what applying it would change; ``apply`` makes the changes in one
transaction, tables included.
"""
import math
from dataclasses import dataclass, field

import jsonschema
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction

from custom_objects import builder, changes, names
from custom_objects.choices import FieldTypeChoices, OnDeleteChoices
from custom_objects.models import MAX_FIELDS, CustomFieldChoiceSet, CustomObjectType, CustomObjectTypeField

PUBLIC_APP_LABEL = "custom-objects"
TYPE_ATTRS = ("name", "version", "verbose_name", "verbose_name_plural", "description", "group_name")
FIELD_DEFAULTS = {
    "label": "", "description": "", "group_name": "", "primary": False, "required": False, "unique": False,
    "default": None, "weight": 100, "search_weight": 500, "filter_logic": "loose", "ui_visible": "always",
    "ui_editable": "yes", "is_cloneable": False, "deprecated": False, "deprecated_since": "", "scheduled_removal": "",
}
TYPE_SPECIFIC = {
    "text": ("validation_regex",), "longtext": ("validation_regex",), "url": ("validation_regex",),
    "integer": ("validation_minimum", "validation_maximum"), "decimal": ("validation_minimum", "validation_maximum"),
    "select": ("choice_set",), "multiselect": ("choice_set",),
    "object": ("related_object_type", "related_object_filter", "on_delete_behavior"),
    "multiobject": ("related_object_type", "related_object_filter"),
}
SPECIFIC_DEFAULTS = {"validation_regex": "", "validation_minimum": None, "validation_maximum": None,
                     "choice_set": None, "related_object_type": None, "related_object_filter": None,
                     "on_delete_behavior": "set_null"}

_text = {"type": "string"}
_identifier = {"type": "string", "pattern": names.IDENTIFIER.pattern, "maxLength": 50}
_field_properties = {
    "id": {"type": "integer", "minimum": 1, "maximum": 2 ** 31 - 1}, "name": _identifier,
    "type": {"enum": [c.value for c in FieldTypeChoices]},
    "label": {"type": "string", "maxLength": 50}, "description": {"type": "string", "maxLength": 200},
    "group_name": {"type": "string", "maxLength": 50}, "primary": {"type": "boolean"},
    "required": {"type": "boolean"}, "unique": {"type": "boolean"}, "default": {},
    "weight": {"type": "integer", "minimum": 0, "maximum": 2 ** 31 - 1},
    "search_weight": {"type": "integer", "minimum": 0, "maximum": 2 ** 31 - 1},
    "filter_logic": {"enum": ["disabled", "loose", "exact"]}, "ui_visible": {"enum": ["always", "if-set", "hidden"]},
    "ui_editable": {"enum": ["yes", "no", "hidden"]}, "is_cloneable": {"type": "boolean"},
    "deprecated": {"type": "boolean"}, "deprecated_since": _text, "scheduled_removal": _text,
    "validation_regex": {"type": "string", "maxLength": 500},
    "validation_minimum": {"type": "number"}, "validation_maximum": {"type": "number"},
    "choice_set": {"type": "string", "maxLength": 100}, "is_polymorphic": {"const": False},
    "related_object_type": {"type": "string", "pattern": "^[a-z0-9_-]+/[a-z0-9_-]+$", "maxLength": 200},
    "related_object_filter": {"type": ["object", "null"]},
    "on_delete_behavior": {"enum": [c.value for c in OnDeleteChoices]},
}
DOCUMENT_SCHEMA = {
    "type": "object", "required": ["schema_version", "types"], "additionalProperties": False,
    "properties": {
        "schema_version": {"const": "1"},
        "types": {"type": "array", "minItems": 1, "maxItems": 1000, "items": {
            "type": "object", "required": ["name", "slug"], "additionalProperties": False,
            "properties": {
                "name": {**_identifier, "maxLength": 100},
                "slug": {"type": "string", "pattern": names.SLUG.pattern, "maxLength": 100},
                "version": _text, "verbose_name": {"type": "string", "maxLength": 100},
                "verbose_name_plural": {"type": "string", "maxLength": 100},
                "description": {"type": "string", "maxLength": 200}, "group_name": {"type": "string", "maxLength": 100},
                "fields": {"type": "array", "maxItems": MAX_FIELDS, "items": {
                    "type": "object", "required": ["id", "name", "type"], "additionalProperties": False,
                    "properties": _field_properties}},
                "removed_fields": {"type": "array", "items": {
                    "type": "object", "required": ["id", "name", "type"], "additionalProperties": False,
                    "properties": {"id": _field_properties["id"], "name": _identifier,
                                   "type": _field_properties["type"], "removed_in": _text}}},
            }}},
    },
}
_validator = jsonschema.Draft202012Validator(DOCUMENT_SCHEMA)


class DocumentError(Exception):
    """A document that cannot be applied: ``error`` is the plugin's code, the message its detail."""

    def __init__(self, error, detail):
        super().__init__(detail)
        self.error = error


class DestructiveChanges(DocumentError):
    def __init__(self, slugs):
        super().__init__("destructive_changes", f"Schema contains destructive field removals for COT(s): "
                                                f"{', '.join(slugs)}. Review them, then apply with allow_destructive.")
        self.slugs = slugs


def check(document):
    """The document's errors, as ``[{"path": [...], "message": ...}]`` (at most ten); [] when it is sound."""
    errors = [{"path": list(e.absolute_path), "message": e.message}
              for e in sorted(_validator.iter_errors(document), key=lambda e: list(map(str, e.absolute_path)))[:10]]
    if errors:
        return errors
    slugs = set()
    for i, type_def in enumerate(document["types"]):
        key = names.slug_key(type_def["slug"])
        if key in slugs:
            errors.append({"path": ["types", i, "slug"], "message": f"{type_def['slug']!r} appears twice."})
        slugs.add(key)
        ids, field_names = set(), set()
        for j, field_def in enumerate(type_def.get("fields", [])):
            if field_def["id"] in ids:
                errors.append({"path": ["types", i, "fields", j, "id"], "message": f"id {field_def['id']} repeats."})
            if field_def["name"] in field_names:
                errors.append({"path": ["types", i, "fields", j, "name"],
                               "message": f"{field_def['name']!r} repeats."})
            ids.add(field_def["id"])
            field_names.add(field_def["name"])
            for number in ("validation_minimum", "validation_maximum"):
                if number in field_def and not math.isfinite(field_def[number]):
                    errors.append({"path": ["types", i, "fields", j, number], "message": "Not a finite number."})
        for j, removed in enumerate(type_def.get("removed_fields", [])):
            if removed["id"] in ids:
                errors.append({"path": ["types", i, "removed_fields", j, "id"],
                               "message": f"id {removed['id']} is both a field and a removed field."})
    return errors[:10]


@dataclass
class TypeDiff:
    slug: str
    name: str
    is_new: bool
    cot_changes: dict = field(default_factory=dict)
    field_changes: list = field(default_factory=list)
    warnings: list = field(default_factory=list)

    @property
    def has_destructive_changes(self):
        return any(change["op"] == "remove" for change in self.field_changes)

    def as_dict(self):
        return {"slug": self.slug, "name": self.name, "is_new": self.is_new,
                "has_changes": bool(self.cot_changes or self.field_changes),
                "has_destructive_changes": self.has_destructive_changes,
                "cot_changes": {k: list(v) for k, v in self.cot_changes.items()},
                "field_changes": self.field_changes, "warnings": self.warnings}


def _find_type(slug):
    key = names.slug_key(slug)
    return next((t for t in CustomObjectType.objects.all() if names.slug_key(t.slug) == key), None)


def encode_object_type(content_type):
    if content_type is None:
        return None
    if content_type.app_label == builder.DYNAMIC_APP_LABEL:
        cot = CustomObjectType.objects.filter(pk=builder.type_id_of(content_type.model)).first()
        return f"{PUBLIC_APP_LABEL}/{cot.slug if cot else content_type.model}"
    return f"{content_type.app_label}/{content_type.model}"


def _number(value):
    return None if value is None else float(value)


def _field_state(row):
    """A field as the document spells it, for comparison."""
    state = {"name": row.name, "type": row.type, **{k: getattr(row, k) for k in FIELD_DEFAULTS}}
    for attr in TYPE_SPECIFIC.get(row.type, ()):
        if attr == "choice_set":
            state[attr] = row.choice_set.name if row.choice_set_id else None
        elif attr == "related_object_type":
            state[attr] = encode_object_type(row.related_object_type)
        elif attr.startswith("validation_m"):
            state[attr] = _number(getattr(row, attr))
        else:
            state[attr] = getattr(row, attr)
    return state


def _wanted(field_def):
    wanted = {"name": field_def["name"], "type": field_def["type"],
              **{k: field_def.get(k, default) for k, default in FIELD_DEFAULTS.items()}}
    for attr in TYPE_SPECIFIC.get(field_def["type"], ()):
        value = field_def.get(attr, SPECIFIC_DEFAULTS[attr])
        wanted[attr] = _number(value) if attr.startswith("validation_m") else value
    return wanted


def diff_type(type_def):
    cot = _find_type(type_def["slug"])
    diff = TypeDiff(slug=type_def["slug"], name=type_def["name"], is_new=cot is None)
    wanted = {f["id"]: f for f in type_def.get("fields", [])}
    removed = {f["id"]: f for f in type_def.get("removed_fields", [])}
    if cot is None:
        diff.field_changes = [{"op": "add", "schema_id": i, "db_name": None, "schema_def": f}
                              for i, f in wanted.items()]
        return diff
    for attr in TYPE_ATTRS:
        have, want = getattr(cot, attr) or "", type_def.get(attr) or ""
        if have != want:
            diff.cot_changes[attr] = (have, want)
    rows = {row.schema_id: row for row in cot.fields.select_related("choice_set", "related_object_type")}
    for schema_id, field_def in wanted.items():
        row = rows.get(schema_id)
        if row is None:
            diff.field_changes.append({"op": "add", "schema_id": schema_id, "db_name": None, "schema_def": field_def})
            continue
        have, want = _field_state(row), _wanted(field_def)
        changed = {k: [have.get(k), v] for k, v in want.items() if have.get(k) != v}
        if changed:
            diff.field_changes.append({"op": "alter", "schema_id": schema_id, "db_name": row.name,
                                       "schema_def": field_def, "changed_attrs": changed})
    for schema_id, row in rows.items():
        if schema_id in wanted:
            continue
        if schema_id in removed:
            diff.field_changes.append({"op": "remove", "schema_id": schema_id, "db_name": row.name,
                                       "schema_def": removed[schema_id]})
        else:
            diff.warnings.append(f"Field {row.name!r} (schema_id={schema_id}) exists in the database but is absent "
                                 "from both fields and removed_fields; apply leaves it alone.")
    return diff


def diff(document):
    return [diff_type(type_def) for type_def in document["types"]]


def _references(document):
    """Check every reference; return {slug key of a new type: slug keys of other new types it points at}."""
    in_document = {names.slug_key(t["slug"]) for t in document["types"]}
    existing = {names.slug_key(t.slug) for t in CustomObjectType.objects.only("slug")}
    choice_sets = set(CustomFieldChoiceSet.objects.values_list("name", flat=True))
    edges = {}
    for type_def in document["types"]:
        key = names.slug_key(type_def["slug"])
        for field_def in type_def.get("fields", []):
            where = f"{type_def['slug']}.{field_def['name']}"
            kind = field_def["type"]
            if kind in ("select", "multiselect") and field_def.get("choice_set") not in choice_sets:
                raise DocumentError("unresolvable_reference",
                                    f"{where}: no choice set named {field_def.get('choice_set')!r}.")
            if kind not in ("object", "multiobject"):
                continue
            reference = field_def.get("related_object_type")
            if not reference:
                raise DocumentError("unresolvable_reference", f"{where}: related_object_type is required.")
            app_label, model = reference.split("/")
            if app_label == PUBLIC_APP_LABEL:
                target = names.slug_key(model)
                if target not in in_document and target not in existing:
                    raise DocumentError("unresolvable_reference", f"{where}: no custom object type {model!r}.")
                if target in in_document and target not in existing and target != key:
                    edges.setdefault(key, set()).add(target)
            elif _content_type(app_label, model) is None:
                raise DocumentError("unresolvable_reference", f"{where}: no object type {reference!r}.")
    return edges


def _content_type(app_label, model):
    try:
        content_type = ContentType.objects.get_by_natural_key(app_label.replace("-", "_"), model)
    except ContentType.DoesNotExist:
        return None
    return content_type if content_type.model_class() is not None else None


def _order(document, edges):
    """The types in an order where each new type comes after the new types it points at; cycles are errors."""
    by_key = {names.slug_key(t["slug"]): t for t in document["types"]}
    done, visiting, order = set(), [], []

    def visit(key):
        if key in done:
            return
        if key in visiting:
            cycle = visiting[visiting.index(key):] + [key]
            raise DocumentError("circular_dependency", "New types point at each other in a cycle: "
                                + " -> ".join(by_key[k]["slug"] for k in cycle) + ". Create one of them first.")
        visiting.append(key)
        for target in sorted(edges.get(key, ())):
            visit(target)
        visiting.pop()
        done.add(key)
        order.append(by_key[key])

    for key in by_key:
        visit(key)
    return order


def apply(document, allow_destructive=False):
    """Apply ``document`` in one transaction; returns the diffs. Raises ``DocumentError``/``ValidationError``."""
    diffs = diff(document)
    destructive = [d.slug for d in diffs if d.has_destructive_changes]
    if destructive and not allow_destructive:
        raise DestructiveChanges(destructive)
    order = _order(document, _references(document))
    by_slug = {d.slug: d for d in diffs}
    with changes.prepared(), transaction.atomic(), changes.change():
        for type_def in order:
            _apply_type(type_def, by_slug[type_def["slug"]])
    return diffs


def _apply_type(type_def, type_diff):
    cot = _find_type(type_def["slug"]) or CustomObjectType(slug=type_def["slug"])
    for attr in TYPE_ATTRS:
        setattr(cot, attr, type_def.get(attr) or "")
    cot.schema_document = {**type_def}
    _clean(cot, f"types.{type_def['slug']}")
    cot.save()
    rows = {row.schema_id: row for row in cot.fields.all()}
    for change in type_diff.field_changes:
        if change["op"] == "remove":
            rows.pop(change["schema_id"]).delete()
    new_rows = []
    for field_def in type_def.get("fields", []):
        row = rows.get(field_def["id"]) or CustomObjectTypeField(custom_object_type=cot, schema_id=field_def["id"])
        for attr, value in _wanted(field_def).items():
            if attr == "choice_set":
                row.choice_set = CustomFieldChoiceSet.objects.get(name=value) if value else None
            elif attr == "related_object_type":
                row.related_object_type = _target(value) if value else None
            else:
                setattr(row, attr, value)
        new_rows.append(row)
    _clean_fields(cot, new_rows)
    for row in new_rows:
        if row.pk:
            row.save()
    added = [row for row in new_rows if not row.pk]
    CustomObjectTypeField.objects.bulk_create(added)
    top = max((row.schema_id for row in new_rows), default=0)
    if top >= cot.next_schema_id:
        CustomObjectType.objects.filter(pk=cot.pk).update(next_schema_id=top + 1)


def _target(reference):
    app_label, model = reference.split("/")
    if app_label == PUBLIC_APP_LABEL:
        cot = _find_type(model)
        return ContentType.objects.get_or_create(app_label=builder.DYNAMIC_APP_LABEL, model=cot.model_name)[0]
    return _content_type(app_label, model)


def _clean(obj, where, exclude=None):
    try:
        obj.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        raise ValidationError({where: [f"{name}: {' '.join(messages)}"
                                       for name, messages in exc.message_dict.items()]}) from None


def _clean_fields(cot, rows):
    """Each field's own checks, and the checks between fields, without a query per field."""
    taken = {}
    for row in rows:
        where = f"types.{cot.slug}.fields.{row.name}"
        try:
            row.clean_fields(exclude=["custom_object_type"])
        except ValidationError as exc:
            raise ValidationError({where: [f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items()]}) from None
        errors = row.check_alone()
        if errors:
            raise ValidationError({where: [f"{k}: {v}" for k, v in errors.items()]})
        taken[row.name] = row.type
    if sum(row.primary for row in rows) > 1:
        raise ValidationError({f"types.{cot.slug}.fields": ["At most one field can be primary."]})
    for name, kind in taken.items():
        if kind == FieldTypeChoices.OBJECT and f"{name}_id" in taken:
            raise ValidationError({f"types.{cot.slug}.fields.{name}": [f"clashes with the field {name}_id."]})
