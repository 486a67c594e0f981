"""What the engine reads off a Job class: its vars in order, Meta, test methods, names.

``info(cls)`` reads a class once (vars in order, Meta, the ``test_*`` methods, the shape of
``run``) so that the engine never has to guess; it reads Meta through helpers, never
through class attributes a var could shadow (a var may well be called ``name``).
``split_name`` parses the two ways a job is named: its class path ``local/MODULE/ClassName``
(Nautobot) and its NetBox name ``MODULE.ClassName``.
"""
import inspect
from dataclasses import dataclass

from netbox_userscripts.scripts.vars import ScriptVariable

GROUPING = "local"  # Nautobot's grouping for jobs read from files: class paths are local/MODULE/Class


@dataclass(frozen=True)
class JobInfo:
    """What the engine knows about one Job class."""

    module: str
    class_name: str
    name: str
    description: str
    commit_default: bool
    read_only: bool
    hidden: bool
    field_order: tuple
    vars: dict
    test_methods: tuple
    run_style: str  # "data_commit", "data", "kwargs" or "none"

    @property
    def class_path(self):
        return f"{GROUPING}/{self.module}/{self.class_name}"

    @property
    def full_name(self):
        return f"{self.module}.{self.class_name}"


def info(cls):
    """The ``JobInfo`` of a Job class, computed once per class."""
    cached = cls.__dict__.get("_job_info")
    if cached is None:
        cached = _read_class(cls)
        cls._job_info = cached
    return cached


def _read_class(cls):
    module = cls.__module__
    if module.startswith("userscripts."):
        module = module[len("userscripts."):]
    field_order = tuple(_meta(cls, "field_order", (list, tuple), ()))
    commit_default = _meta(cls, "commit_default", bool, None)
    if commit_default is None:  # Nautobot 2 spells it the other way round
        commit_default = not _meta(cls, "dryrun_default", bool, False)
    return JobInfo(
        module=module, class_name=cls.__name__,
        name=_meta(cls, "name", str, cls.__name__),
        description=_meta(cls, "description", str, ""),
        commit_default=commit_default,
        read_only=_meta(cls, "read_only", bool, False),
        hidden=_meta(cls, "hidden", bool, False),
        field_order=field_order,
        vars=_vars(cls, field_order),
        test_methods=tuple(_test_methods(cls)),
        run_style=_run_style(cls.run),
    )


def _meta(cls, key, types, default):
    """``Meta.key``, else a class attribute ``key`` of the right type (Nautobot's reports), else ``default``."""
    meta = getattr(cls, "Meta", None)
    if meta is not None and hasattr(meta, key):
        return getattr(meta, key)
    # The Job base class's own attributes of these names are classproperties, which no
    # ``types`` check matches, so the walk may go through it.
    for klass in cls.__mro__:
        value = klass.__dict__.get(key)
        if isinstance(value, types):
            return value
    return default


def _vars(cls, field_order):
    found = {}
    for klass in reversed(cls.__mro__):
        for name, attr in klass.__dict__.items():
            if isinstance(attr, ScriptVariable):
                found[name] = attr
            elif name in found:  # overridden by a non-var in a subclass
                del found[name]
    ordered = {name: found.pop(name) for name in field_order if name in found}
    ordered.update(found)
    return ordered


def _test_methods(cls):
    """The ``test_*`` methods in name order, as NetBox runs them (it walks ``dir()``)."""
    return [name for name in dir(cls) if name.startswith("test_") and callable(getattr(cls, name, None))]


def _run_style(run):
    params = list(inspect.signature(run).parameters.values())[1:]
    positional = [p for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    if len(positional) >= 2 or any(p.kind == p.VAR_POSITIONAL for p in params):
        return "data_commit"
    if len(positional) == 1:
        return "data"
    if any(p.kind == p.VAR_KEYWORD for p in params):
        return "kwargs"
    return "none"


def split_name(name):
    """``(module, class name)`` from a class path or NetBox name, or None if it is neither."""
    if not isinstance(name, str):
        return None
    parts = name.strip("/").split("/")
    if len(parts) == 3 and parts[0] == GROUPING:
        parts = parts[1:]
    if len(parts) == 1 and parts[0].count(".") == 1:
        parts = parts[0].split(".")
    if len(parts) != 2 or not all(p.isidentifier() for p in parts):
        return None
    return parts[0], parts[1]


def module_display_name(module):
    """The module's ``name`` global when it is a string, else its file name."""
    name = getattr(module, "name", None)
    return name if isinstance(name, str) and name else module.__name__.rpartition(".")[2]
