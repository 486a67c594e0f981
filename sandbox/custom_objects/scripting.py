"""What userscripts and jobs use: a type's current model, its objects for a job var, and per-type hooks.

::

    from custom_objects.scripting import get_model, objects, receiver

    Scope = get_model("dhcp-scope")            # the model as of now (rebuilt when the type changes)

    class Audit(Job):
        scope = ObjectVar(queryset=objects("dhcp-scope"))   # looked up afresh for each run

    @receiver(post_save, slug="dhcp-scope")    # every version of the type's model
    def saved(sender, instance, created, **kwargs): ...
"""
from custom_objects.builder import CustomObject
from custom_objects.cache import cache
from custom_objects.hooks import is_type, receiver

__all__ = ["get_model", "objects", "receiver", "is_type", "is_custom_object", "TypeObjects"]


def is_custom_object(obj):
    """Whether ``obj`` (an object or a model, e.g. a signal's sender) is a custom object's."""
    return isinstance(obj, CustomObject) or (isinstance(obj, type) and issubclass(obj, CustomObject))


def get_model(slug):
    """The current model of the custom object type ``slug`` (either spelling); ``LookupError`` if none."""
    return cache.get_model(slug)


class TypeObjects:
    """The objects of one type, as a manager would give them: ``get_queryset()`` asks for the current model."""

    def __init__(self, slug):
        self.slug = slug
        self.label_lower = f"custom_objects.{slug}"

    def get_queryset(self):
        return cache.get_model(self.slug).objects.all()

    @property
    def model(self):
        return cache.get_model(self.slug)

    def __repr__(self):
        return f"<objects of the custom object type {self.slug!r}>"


def objects(slug):
    """The objects of the custom object type ``slug``, for ``ObjectVar(queryset=objects("dhcp-scope"))``."""
    return TypeObjects(slug)
