"""Choices of the custom objects app: field types and what deleting a referenced object does."""
from django.db import models


class FieldTypeChoices(models.TextChoices):
    TEXT = "text", "Text"
    LONGTEXT = "longtext", "Text (long)"
    INTEGER = "integer", "Integer"
    DECIMAL = "decimal", "Decimal"
    BOOLEAN = "boolean", "Boolean (true/false)"
    DATE = "date", "Date"
    DATETIME = "datetime", "Date & time"
    URL = "url", "URL"
    JSON = "json", "JSON"
    SELECT = "select", "Selection"
    MULTISELECT = "multiselect", "Multiple selection"
    OBJECT = "object", "Object"
    MULTIOBJECT = "multiobject", "Multiple objects"


RELATION_TYPES = (FieldTypeChoices.OBJECT, FieldTypeChoices.MULTIOBJECT)
CHOICE_TYPES = (FieldTypeChoices.SELECT, FieldTypeChoices.MULTISELECT)
REGEX_TYPES = (FieldTypeChoices.TEXT, FieldTypeChoices.LONGTEXT, FieldTypeChoices.URL)
RANGE_TYPES = (FieldTypeChoices.INTEGER, FieldTypeChoices.DECIMAL)


class OnDeleteChoices(models.TextChoices):
    SET_NULL = "set_null", "Set null"
    CASCADE = "cascade", "Cascade"
    PROTECT = "protect", "Protect"
