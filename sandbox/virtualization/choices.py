"""NetBox's choice classes of the virtualization app (``virtualization.choices.VirtualMachineStatusChoices`` ...)."""
from utilities.choices import ChoiceSet


class ClusterStatusChoices(ChoiceSet):
    STATUS_PLANNED = "planned"
    STATUS_STAGING = "staging"
    STATUS_ACTIVE = "active"
    STATUS_DECOMMISSIONING = "decommissioning"
    STATUS_OFFLINE = "offline"

    CHOICES = [
        (STATUS_PLANNED, "Planned", "cyan"),
        (STATUS_STAGING, "Staging", "blue"),
        (STATUS_ACTIVE, "Active", "green"),
        (STATUS_DECOMMISSIONING, "Decommissioning", "yellow"),
        (STATUS_OFFLINE, "Offline", "red"),
    ]


class VirtualMachineStatusChoices(ChoiceSet):
    STATUS_OFFLINE = "offline"
    STATUS_ACTIVE = "active"
    STATUS_PLANNED = "planned"
    STATUS_STAGED = "staged"
    STATUS_FAILED = "failed"
    STATUS_DECOMMISSIONING = "decommissioning"
    STATUS_PAUSED = "paused"

    CHOICES = [
        (STATUS_OFFLINE, "Offline", "gray"),
        (STATUS_ACTIVE, "Active", "green"),
        (STATUS_PLANNED, "Planned", "cyan"),
        (STATUS_STAGED, "Staged", "blue"),
        (STATUS_FAILED, "Failed", "red"),
        (STATUS_DECOMMISSIONING, "Decommissioning", "yellow"),
        (STATUS_PAUSED, "Paused", "orange"),
    ]


class VirtualMachineStartOnBootChoices(ChoiceSet):
    STATUS_ON = "on"
    STATUS_OFF = "off"
    STATUS_LAST_STATE = "laststate"

    CHOICES = [
        (STATUS_ON, "On", "green"),
        (STATUS_OFF, "Off", "gray"),
        (STATUS_LAST_STATE, "Last State", "cyan"),
    ]
