"""Hooking one custom object type in a userscript, across changes of its fields.

A type's model is rebuilt whenever its definition changes, so a receiver connected with
``sender=<a model>`` would stop firing after the next change. ``receiver`` connects for
every sender and calls the function only for objects of the type with that slug (either
spelling), whatever version of its model sent the signal::

    from custom_objects.hooks import receiver
    from netbox_userscripts.signals import post_save

    @receiver(post_save, slug="dhcp-scope")
    def scope_saved(sender, instance, created, **kwargs):
        logger.info("scope %s %s", instance, "created" if created else "edited")

Works for every signal whose sender is the model: save, delete and bulk edit.
"""
import functools

from custom_objects import names
from custom_objects.builder import CustomObject


def is_type(sender, slug):
    """Whether ``sender`` is (a version of) the model of the custom object type ``slug``."""
    return (isinstance(sender, type) and issubclass(sender, CustomObject) and sender.custom_object_type is not None
            and names.slug_key(sender.custom_object_type.slug) == names.slug_key(slug))


def receiver(signal, slug, **kwargs):
    """Like ``django.dispatch.receiver``, for the objects of the custom object type ``slug`` only."""
    def decorator(func):
        @functools.wraps(func)
        def for_type(sender, **signal_kwargs):
            if is_type(sender, slug):
                return func(sender=sender, **signal_kwargs)
            return None

        for_type.__qualname__ = f"{getattr(func, '__qualname__', 'receiver')}[{slug}]"
        signals = signal if isinstance(signal, (list, tuple)) else [signal]
        for each in signals:
            each.connect(for_type, **kwargs)
        return func

    return decorator
