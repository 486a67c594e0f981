"""NetBox's choice classes of the dcim app (``dcim.choices.DeviceStatusChoices`` ...)."""
from utilities.choices import ChoiceSet


class SiteStatusChoices(ChoiceSet):
    STATUS_PLANNED = "planned"
    STATUS_STAGING = "staging"
    STATUS_ACTIVE = "active"
    STATUS_DECOMMISSIONING = "decommissioning"
    STATUS_RETIRED = "retired"

    CHOICES = [
        (STATUS_PLANNED, "Planned", "cyan"),
        (STATUS_STAGING, "Staging", "blue"),
        (STATUS_ACTIVE, "Active", "green"),
        (STATUS_DECOMMISSIONING, "Decommissioning", "yellow"),
        (STATUS_RETIRED, "Retired", "red"),
    ]


class DeviceStatusChoices(ChoiceSet):
    STATUS_OFFLINE = "offline"
    STATUS_ACTIVE = "active"
    STATUS_PLANNED = "planned"
    STATUS_STAGED = "staged"
    STATUS_FAILED = "failed"
    STATUS_INVENTORY = "inventory"
    STATUS_DECOMMISSIONING = "decommissioning"

    CHOICES = [
        (STATUS_OFFLINE, "Offline", "gray"),
        (STATUS_ACTIVE, "Active", "green"),
        (STATUS_PLANNED, "Planned", "cyan"),
        (STATUS_STAGED, "Staged", "blue"),
        (STATUS_FAILED, "Failed", "red"),
        (STATUS_INVENTORY, "Inventory", "purple"),
        (STATUS_DECOMMISSIONING, "Decommissioning", "yellow"),
    ]


class InterfaceTypeChoices(ChoiceSet):
    TYPE_VIRTUAL = "virtual"
    TYPE_BRIDGE = "bridge"
    TYPE_LAG = "lag"
    TYPE_100ME_FIXED = "100base-tx"
    TYPE_1GE_FIXED = "1000base-t"
    TYPE_1GE_SFP = "1000base-x-sfp"
    TYPE_10GE_FIXED = "10gbase-t"
    TYPE_10GE_SFP_PLUS = "10gbase-x-sfpp"
    TYPE_25GE_SFP28 = "25gbase-x-sfp28"
    TYPE_40GE_QSFP_PLUS = "40gbase-x-qsfpp"
    TYPE_100GE_QSFP28 = "100gbase-x-qsfp28"
    TYPE_80211AC = "ieee802.11ac"
    TYPE_OTHER = "other"

    CHOICES = [
        ("Virtual interfaces", [
            (TYPE_VIRTUAL, "Virtual"),
            (TYPE_BRIDGE, "Bridge"),
            (TYPE_LAG, "Link Aggregation Group (LAG)"),
        ]),
        ("Ethernet", [
            (TYPE_100ME_FIXED, "100BASE-TX (10/100ME)"),
            (TYPE_1GE_FIXED, "1000BASE-T (1GE)"),
            (TYPE_1GE_SFP, "SFP (1GE)"),
            (TYPE_10GE_FIXED, "10GBASE-T (10GE)"),
            (TYPE_10GE_SFP_PLUS, "SFP+ (10GE)"),
            (TYPE_25GE_SFP28, "SFP28 (25GE)"),
            (TYPE_40GE_QSFP_PLUS, "QSFP+ (40GE)"),
            (TYPE_100GE_QSFP28, "QSFP28 (100GE)"),
        ]),
        ("Wireless", [
            (TYPE_80211AC, "IEEE 802.11ac"),
        ]),
        ("Other", [
            (TYPE_OTHER, "Other"),
        ]),
    ]


class InterfaceModeChoices(ChoiceSet):
    MODE_ACCESS = "access"
    MODE_TAGGED = "tagged"
    MODE_TAGGED_ALL = "tagged-all"

    CHOICES = [
        (MODE_ACCESS, "Access"),
        (MODE_TAGGED, "Tagged"),
        (MODE_TAGGED_ALL, "Tagged (All)"),
    ]


class ConsolePortTypeChoices(ChoiceSet):
    TYPE_DE9 = "de-9"
    TYPE_RJ45 = "rj-45"
    TYPE_USB_A = "usb-a"
    TYPE_USB_C = "usb-c"
    TYPE_USB_MICRO_B = "usb-micro-b"
    TYPE_OTHER = "other"

    CHOICES = [
        (TYPE_DE9, "DE-9"),
        (TYPE_RJ45, "RJ-45"),
        (TYPE_USB_A, "USB Type A"),
        (TYPE_USB_C, "USB Type C"),
        (TYPE_USB_MICRO_B, "USB Micro B"),
        (TYPE_OTHER, "Other"),
    ]


class PowerPortTypeChoices(ChoiceSet):
    TYPE_IEC_C14 = "iec-60320-c14"
    TYPE_IEC_C20 = "iec-60320-c20"
    TYPE_NEMA_515P = "nema-5-15p"
    TYPE_DC = "dc-terminal"
    TYPE_OTHER = "other"

    CHOICES = [
        (TYPE_IEC_C14, "C14"),
        (TYPE_IEC_C20, "C20"),
        (TYPE_NEMA_515P, "NEMA 5-15P"),
        (TYPE_DC, "DC Terminal"),
        (TYPE_OTHER, "Other"),
    ]


class PowerOutletTypeChoices(ChoiceSet):
    TYPE_IEC_C13 = "iec-60320-c13"
    TYPE_IEC_C19 = "iec-60320-c19"
    TYPE_NEMA_515R = "nema-5-15r"
    TYPE_DC = "dc-terminal"
    TYPE_OTHER = "other"

    CHOICES = [
        (TYPE_IEC_C13, "C13"),
        (TYPE_IEC_C19, "C19"),
        (TYPE_NEMA_515R, "NEMA 5-15R"),
        (TYPE_DC, "DC Terminal"),
        (TYPE_OTHER, "Other"),
    ]


class LinkStatusChoices(ChoiceSet):
    STATUS_CONNECTED = "connected"
    STATUS_PLANNED = "planned"
    STATUS_DECOMMISSIONING = "decommissioning"

    CHOICES = [
        (STATUS_CONNECTED, "Connected", "green"),
        (STATUS_PLANNED, "Planned", "blue"),
        (STATUS_DECOMMISSIONING, "Decommissioning", "yellow"),
    ]


# NetBox's older name for the same set.
CableStatusChoices = LinkStatusChoices


class CableTypeChoices(ChoiceSet):
    TYPE_CAT5E = "cat5e"
    TYPE_CAT6 = "cat6"
    TYPE_CAT6A = "cat6a"
    TYPE_DAC_ACTIVE = "dac-active"
    TYPE_DAC_PASSIVE = "dac-passive"
    TYPE_MMF_OM4 = "mmf-om4"
    TYPE_SMF = "smf"
    TYPE_POWER = "power"
    TYPE_USB = "usb"

    CHOICES = [
        ("Copper", [
            (TYPE_CAT5E, "CAT5e"),
            (TYPE_CAT6, "CAT6"),
            (TYPE_CAT6A, "CAT6a"),
            (TYPE_DAC_ACTIVE, "Direct Attach Copper (Active)"),
            (TYPE_DAC_PASSIVE, "Direct Attach Copper (Passive)"),
        ]),
        ("Fiber", [
            (TYPE_MMF_OM4, "Multimode Fiber (OM4)"),
            (TYPE_SMF, "Singlemode Fiber"),
        ]),
        (TYPE_POWER, "Power"),
        (TYPE_USB, "USB"),
    ]


class CableLengthUnitChoices(ChoiceSet):
    UNIT_KILOMETER = "km"
    UNIT_METER = "m"
    UNIT_CENTIMETER = "cm"
    UNIT_FOOT = "ft"
    UNIT_INCH = "in"

    CHOICES = [
        (UNIT_KILOMETER, "Kilometers"),
        (UNIT_METER, "Meters"),
        (UNIT_CENTIMETER, "Centimeters"),
        (UNIT_FOOT, "Feet"),
        (UNIT_INCH, "Inches"),
    ]
