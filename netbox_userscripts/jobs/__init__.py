"""The Job/Var API (NetBox custom scripts and Nautobot jobs), run synchronously.

Job authors import from here (or, as in NetBox, ``from extras.scripts import *``)::

    from netbox_userscripts.jobs import Job, StringVar, ObjectVar, AbortScript

Running a job: ``netbox_userscripts.jobs.runner.run_job``; its pages, API and commands
are built on that one function.
"""

__all__ = [
    "AbortScript", "BaseScript", "BooleanVar", "ChoiceVar", "DateTimeVar", "DateVar", "DecimalVar", "FileVar",
    "IPAddressVar", "IPAddressWithMaskVar", "IPNetworkVar", "IntegerVar", "Job", "LogLevelChoices",
    "MultiChoiceVar", "MultiObjectVar", "ObjectVar", "Script", "ScriptVariable", "StringVar", "TextVar",
]

from netbox_userscripts.exceptions import AbortScript
from netbox_userscripts.scripts.base import Job, LogLevelChoices, Script
from netbox_userscripts.scripts.vars import (
    BooleanVar,
    ChoiceVar,
    DateTimeVar,
    DateVar,
    DecimalVar,
    FileVar,
    IntegerVar,
    IPAddressVar,
    IPAddressWithMaskVar,
    IPNetworkVar,
    MultiChoiceVar,
    MultiObjectVar,
    ObjectVar,
    ScriptVariable,
    StringVar,
    TextVar,
)

BaseScript = Job  # NetBox's name of the base class
