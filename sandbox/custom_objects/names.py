"""Names users choose for types and fields: the patterns, and the names that would clash with ours.

A type's ``name`` and a field's ``name`` follow NetBox's plugin: lowercase letters and
digits in words joined by single underscores (``^[a-z0-9]+(_[a-z0-9]+)*$``). A type's slug
is reached under ``/api/plugins/custom-objects/<slug>/`` and, since pynetbox turns ``_``
into ``-``, under its ``-`` spelling too: two slugs equal up to ``_``/``-`` cannot coexist.
"""
import re

from django.core.validators import RegexValidator
from django.db import models

IDENTIFIER = re.compile(r"^[a-z0-9]+(_[a-z0-9]+)*$")
SLUG = re.compile(r"^[a-z0-9]+([_-][a-z0-9]+)*$")

validate_identifier = RegexValidator(
    IDENTIFIER, "Use lowercase letters and digits in words joined by single underscores (e.g. dhcp_scope).")
validate_slug = RegexValidator(
    SLUG, "Use lowercase letters and digits in words joined by single hyphens or underscores (e.g. dhcp-scope).")

#: Paths under /api/plugins/custom-objects/ that are not types.
RESERVED_SLUGS = frozenset({"custom-object-types", "custom-object-type-fields", "custom-field-choice-sets",
                            "linked-objects", "schema"})

#: What every object already has, what the API's query string means, and what Django keeps on a model.
RESERVED_FIELD_NAMES = frozenset({
    "id", "pk", "url", "display", "created", "last_updated", "custom_object_type", "tags", "objects",
    "q", "brief", "limit", "offset", "ordering", "format", "fields", "exclude", "omit",
}) | frozenset(name for name in dir(models.Model) if not name.startswith("__"))


def slug_key(slug):
    """The spelling under which two slugs collide (``dhcp_scope`` and ``dhcp-scope`` are one)."""
    return slug.replace("_", "-")
