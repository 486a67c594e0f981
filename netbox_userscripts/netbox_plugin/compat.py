"""Every difference between NetBox versions that the plugin meets, in one module, each named by its version.

The plugin declares NetBox 4.7 (``min_version``/``max_version`` in ``__init__``), which is
what ``make test`` proves. The differences below were read in NetBox's source at its
release tags; where an older NetBox lacks something, the branch keeps the plugin importable
there rather than claiming it works.
"""
from netbox.registry import registry as netbox_registry

try:
    from utilities.permissions import ModelAction  # NetBox 4.6+
except ImportError:  # before 4.6 the permission form has no action checkboxes, only "additional actions"
    ModelAction = None

try:
    from netbox.event_rules import EventRuleAction  # NetBox 4.7+ (#22770): plugins' own event-rule actions
except ImportError:  # before 4.7 the "Userscript" action is simply absent
    EventRuleAction = None


def set_model_actions(model, actions):
    """Make ``actions`` (``{name: help text}``) the permission form's only checkboxes for ``model``.

    NetBox 4.6+ registers each ``Meta.permissions`` codename of a plugin's models as an
    action (``register_models`` in ``PluginConfig.ready()``). Those codenames are Django
    permission names (``call_userscript``): an ObjectPermission with the action
    ``call_userscript`` grants ``netbox_userscripts.call_userscript_userscript``, which nothing
    checks. So the model's actions are replaced, not added to. Before 4.6: nothing to do.
    """
    if ModelAction is None:
        return
    label = f"{model._meta.app_label}.{model._meta.model_name}"
    netbox_registry["model_actions"][label] = {ModelAction(name, help_text=text) for name, text in actions.items()}


def bulk_update_errors(result):
    """The per-object errors in what ``BulkUpdateModelMixin.perform_bulk_update`` returned (empty: none).

    NetBox 4.7 returns ``(pks, errors, status)`` and rolls the whole batch back when
    ``errors`` is not empty (a veto is one of them, ``{"id": pk, "errors": {"__all__": [msg]}}``);
    4.5 and 4.6 return the updated pks and 4.4 the data, raising on the first error instead.
    """
    if isinstance(result, tuple) and len(result) == 3:
        return result[1]
    return []
