"""The event rules whose action is "Userscript", as the plugin page lists them: by module, each with what is wrong.

A rule points at its module's ``Userscript`` row (which outlives the file: ``state = "deleted"``)
and names a function in its action data. When the module is gone, fails to load, or lacks the
function, the rule is skipped at every event with a log line only; the page says so beside
the rule, on the module's row and above the modules.
"""
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from extras.models import EventRule
from netbox_userscripts.loading.registry import registry
from netbox_userscripts.models import Userscript
from netbox_userscripts.netbox_plugin.event_rules import SLUG, options


@dataclass
class RuleCall:
    module: str  # the module's name ("" when its row is gone too)
    rule: EventRule
    function: str
    problem: str | None  # why the rule cannot call its function now; None when it can


def rule_calls():
    """Every "Userscript" rule, by name, with its module, function and problem."""
    rules = list(EventRule.objects.filter(action_type=SLUG).order_by("name"))
    names = dict(Userscript.objects.filter(pk__in=[r.action_object_id for r in rules]).values_list("pk", "name"))
    return [_call(names.get(rule.action_object_id, ""), rule) for rule in rules]


def _call(module, rule):
    try:
        function = options(rule.action_data)[0]
    except ValidationError as exc:
        return RuleCall(module, rule, "", "; ".join(exc.messages))
    if not module:
        return RuleCall(module, rule, function, "Its userscript no longer exists.")
    try:
        registry.function(module, function)
    except LookupError as exc:
        return RuleCall(module, rule, function, str(exc))
    return RuleCall(module, rule, function, None)
