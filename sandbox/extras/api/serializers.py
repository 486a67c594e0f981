"""Serializers of the extras app's data, in NetBox's shape (see ``netbox.api.serializers``)."""
from extras.models import Tag
from netbox.api.serializers import model_serializer

TagSerializer = model_serializer(Tag, ("name", "slug", "color"))
