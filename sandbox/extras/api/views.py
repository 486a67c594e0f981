"""Viewsets of the extras app's data."""
from extras.models import Tag
from netbox.api.viewsets import model_viewset

TagViewSet = model_viewset(Tag)
