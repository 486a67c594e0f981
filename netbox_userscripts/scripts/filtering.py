"""``query_params`` of an ObjectVar: which objects it offers, and lookups from API input.

``query_params`` are NetBox REST filter parameters (``{"status": "active"}``,
``{"manufacturer_id": "$manufacturer"}``). When the model's app has a django-filter
``<Model>FilterSet`` in ``<app>/filtersets.py`` (NetBox's convention; or ``<app>/api/``) it applies them, so
they mean exactly what they mean in the API; otherwise they are read as lookups on the
model's own fields. A value ``"$name"`` is the current value of the form field ``name``;
when that field is empty the parameter is left out, as NetBox's dynamic selects do.

``lookup_object`` turns an API value given as a dict of lookups (Nautobot's spelling) into
one object, accepting only the model's own concrete fields so that input can neither
reach across relations nor make the ORM raise.
"""
import functools
import importlib

from django.core.exceptions import FieldDoesNotExist, MultipleObjectsReturned, ObjectDoesNotExist, ValidationError
from django.http import QueryDict


def references(query_params):
    """The names of the fields that ``query_params`` refer to with ``$name``, in order."""
    refs = []
    for value in query_params.values():
        for item in value if isinstance(value, (list, tuple)) else [value]:
            if isinstance(item, str) and item.startswith("$") and item[1:] not in refs:
                refs.append(item[1:])
    return refs


def resolve_params(query_params, values):
    """``query_params`` with each ``$name`` replaced by ``values[name]`` (a mapping or QueryDict).

    Returns ``{key: [str, ...]}``; a key whose references are all empty is left out.
    """
    resolved = {}
    for key, value in query_params.items():
        items = []
        for item in value if isinstance(value, (list, tuple)) else [value]:
            if isinstance(item, str) and item.startswith("$"):
                items.extend(_field_values(values, item[1:]))
            elif item is not None:
                items.append(_text(item))
        if items:
            resolved[key] = items
    return resolved


def _field_values(values, name):
    if values is None:
        return []
    if hasattr(values, "getlist"):
        raw = values.getlist(name)
    else:
        raw = values.get(name)
        raw = list(raw) if isinstance(raw, (list, tuple)) else [raw]
    return [_text(v) for v in raw if v not in (None, "", [])]


def _text(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    pk = getattr(value, "pk", None)  # a model instance given as an initial value
    return str(pk if pk is not None else value)


def apply_query_params(queryset, params):
    """``queryset`` narrowed by resolved ``params``; bad values select nothing rather than raise."""
    if not params:
        return queryset
    filterset_class = filterset_for(queryset.model)
    if filterset_class is not None:
        data = QueryDict(mutable=True)
        for key, items in params.items():
            data.setlist(key, items)
        filterset = filterset_class(data=data, queryset=queryset)
        return filterset.qs if filterset.is_valid() else queryset.none()
    try:
        for key, items in params.items():
            queryset = queryset.filter(**_orm_lookup(queryset.model, key, items))
        return queryset
    except (ValueError, TypeError, ValidationError, FieldDoesNotExist):
        return queryset.none()


@functools.lru_cache(maxsize=None)
def filterset_for(model):
    """The ``<app>.filtersets.<Model>FilterSet`` (or ``<app>.api.filtersets``) class of ``model``, or None."""
    for place in ("filtersets", "api.filtersets"):
        name = f"{model._meta.app_config.name}.{place}"
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name and name.startswith(exc.name):
                continue  # the app has none here
            raise
        found = getattr(module, f"{model.__name__}FilterSet", None)
        if found is not None:
            return found
    return None


def _orm_lookup(model, key, items):
    """``{"status": ["active"]}`` -> ``{"status__in": [...]}``; ``manufacturer`` by id, slug or name."""
    name = key[:-3] if key.endswith("_id") else key
    field = model._meta.get_field(name)
    if field.is_relation and not key.endswith("_id") and not all(i.isdigit() for i in items):
        related = field.related_model._meta
        for attr in ("slug", "name"):
            try:
                related.get_field(attr)
            except FieldDoesNotExist:
                continue
            return {f"{name}__{attr}__in": items}
    if field.is_relation:
        return {f"{name}__pk__in": items}
    if field.get_internal_type() == "BooleanField":  # REST spelling: true/false
        items = [item.lower() in ("true", "1", "t", "yes", "on") for item in items]
    return {f"{name}__in": items}


class BadLookup(ValueError):
    """A dict of lookups for an ObjectVar that cannot be used; the message names the problem."""


def lookup_object(queryset, lookups):
    """The one object of ``queryset`` matching ``lookups`` (own fields only), or ``BadLookup``."""
    model = queryset.model
    if not lookups:
        raise BadLookup("Give a primary key or a non-empty dict of field lookups.")
    names = {}
    for key, value in lookups.items():
        if not isinstance(key, str) or "__" in key:
            raise BadLookup(f"{key!r}: only the {model._meta.verbose_name}'s own fields can be used "
                               "(no '__' lookups across relations).")
        try:
            field = model._meta.get_field(key)
        except FieldDoesNotExist:
            field = next((f for f in model._meta.concrete_fields if f.attname == key), None)
        if field is None or not field.concrete or field.many_to_many or getattr(field, "attname", None) is None:
            raise BadLookup(f"{key!r} is not a field of {model._meta.verbose_name}.")
        if isinstance(value, (dict, list, tuple)):
            raise BadLookup(f"{key!r}: give a single value.")
        try:
            names[field.attname] = field.to_python(value) if not field.is_relation else value
        except ValidationError as exc:
            raise BadLookup(f"{key!r}: {' '.join(exc.messages)}") from None
    try:
        return queryset.get(**names)
    except ObjectDoesNotExist:
        raise BadLookup(f"No {model._meta.verbose_name} matches {lookups}.") from None
    except MultipleObjectsReturned:
        raise BadLookup(f"More than one {model._meta.verbose_name} matches {lookups}; be more specific.") from None
    except (ValueError, TypeError, ValidationError) as exc:
        raise BadLookup(f"{lookups} cannot be used: {exc}") from None
