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
    MODE_Q_IN_Q = "q-in-q"

    CHOICES = [
        (MODE_ACCESS, "Access"),
        (MODE_TAGGED, "Tagged"),
        (MODE_TAGGED_ALL, "Tagged (All)"),
        (MODE_Q_IN_Q, "Q-in-Q (802.1ad)"),
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


class CableEndChoices(ChoiceSet):
    SIDE_A = "A"
    SIDE_B = "B"

    CHOICES = [(SIDE_A, "A"), (SIDE_B, "B")]


class LocationStatusChoices(SiteStatusChoices):
    pass


class RackStatusChoices(ChoiceSet):
    STATUS_RESERVED = "reserved"
    STATUS_AVAILABLE = "available"
    STATUS_PLANNED = "planned"
    STATUS_ACTIVE = "active"
    STATUS_DEPRECATED = "deprecated"

    CHOICES = [
        (STATUS_RESERVED, "Reserved", "yellow"),
        (STATUS_AVAILABLE, "Available", "green"),
        (STATUS_PLANNED, "Planned", "cyan"),
        (STATUS_ACTIVE, "Active", "blue"),
        (STATUS_DEPRECATED, "Deprecated", "red"),
    ]


class RackFormFactorChoices(ChoiceSet):
    TYPE_2POST = "2-post-frame"
    TYPE_4POST = "4-post-frame"
    TYPE_CABINET = "4-post-cabinet"
    TYPE_WALLFRAME = "wall-frame"
    TYPE_WALLFRAME_VERTICAL = "wall-frame-vertical"
    TYPE_WALLCABINET = "wall-cabinet"
    TYPE_WALLCABINET_VERTICAL = "wall-cabinet-vertical"

    CHOICES = [
        (TYPE_2POST, "2-post frame"),
        (TYPE_4POST, "4-post frame"),
        (TYPE_CABINET, "4-post cabinet"),
        (TYPE_WALLFRAME, "Wall-mounted frame"),
        (TYPE_WALLFRAME_VERTICAL, "Wall-mounted frame (vertical)"),
        (TYPE_WALLCABINET, "Wall-mounted cabinet"),
        (TYPE_WALLCABINET_VERTICAL, "Wall-mounted cabinet (vertical)"),
    ]


class RackWidthChoices(ChoiceSet):
    WIDTH_10IN = 10
    WIDTH_19IN = 19
    WIDTH_21IN = 21
    WIDTH_23IN = 23

    CHOICES = [(WIDTH_10IN, "10 inches"), (WIDTH_19IN, "19 inches"), (WIDTH_21IN, "21 inches"),
               (WIDTH_23IN, "23 inches")]


class RackDimensionUnitChoices(ChoiceSet):
    UNIT_MILLIMETER = "mm"
    UNIT_INCH = "in"

    CHOICES = [(UNIT_MILLIMETER, "Millimeters"), (UNIT_INCH, "Inches")]


class RackAirflowChoices(ChoiceSet):
    FRONT_TO_REAR = "front-to-rear"
    REAR_TO_FRONT = "rear-to-front"

    CHOICES = [(FRONT_TO_REAR, "Front to rear"), (REAR_TO_FRONT, "Rear to front")]


class WeightUnitChoices(ChoiceSet):
    UNIT_KILOGRAM = "kg"
    UNIT_GRAM = "g"
    UNIT_POUND = "lb"
    UNIT_OUNCE = "oz"

    CHOICES = [(UNIT_KILOGRAM, "Kilograms"), (UNIT_GRAM, "Grams"), (UNIT_POUND, "Pounds"), (UNIT_OUNCE, "Ounces")]


class DeviceFaceChoices(ChoiceSet):
    FACE_FRONT = "front"
    FACE_REAR = "rear"

    CHOICES = [(FACE_FRONT, "Front"), (FACE_REAR, "Rear")]


class DeviceAirflowChoices(ChoiceSet):
    AIRFLOW_FRONT_TO_REAR = "front-to-rear"
    AIRFLOW_REAR_TO_FRONT = "rear-to-front"
    AIRFLOW_LEFT_TO_RIGHT = "left-to-right"
    AIRFLOW_RIGHT_TO_LEFT = "right-to-left"
    AIRFLOW_SIDE_TO_REAR = "side-to-rear"
    AIRFLOW_REAR_TO_SIDE = "rear-to-side"
    AIRFLOW_BOTTOM_TO_TOP = "bottom-to-top"
    AIRFLOW_TOP_TO_BOTTOM = "top-to-bottom"
    AIRFLOW_PASSIVE = "passive"
    AIRFLOW_MIXED = "mixed"

    CHOICES = [
        (AIRFLOW_FRONT_TO_REAR, "Front to rear"), (AIRFLOW_REAR_TO_FRONT, "Rear to front"),
        (AIRFLOW_LEFT_TO_RIGHT, "Left to right"), (AIRFLOW_RIGHT_TO_LEFT, "Right to left"),
        (AIRFLOW_SIDE_TO_REAR, "Side to rear"), (AIRFLOW_REAR_TO_SIDE, "Rear to side"),
        (AIRFLOW_BOTTOM_TO_TOP, "Bottom to top"), (AIRFLOW_TOP_TO_BOTTOM, "Top to bottom"),
        (AIRFLOW_PASSIVE, "Passive"), (AIRFLOW_MIXED, "Mixed"),
    ]


class SubdeviceRoleChoices(ChoiceSet):
    ROLE_PARENT = "parent"
    ROLE_CHILD = "child"

    CHOICES = [(ROLE_PARENT, "Parent"), (ROLE_CHILD, "Child")]


class InterfaceDuplexChoices(ChoiceSet):
    DUPLEX_HALF = "half"
    DUPLEX_FULL = "full"
    DUPLEX_AUTO = "auto"

    CHOICES = [(DUPLEX_HALF, "Half"), (DUPLEX_FULL, "Full"), (DUPLEX_AUTO, "Auto")]


class PowerOutletStatusChoices(ChoiceSet):
    STATUS_ENABLED = "enabled"
    STATUS_DISABLED = "disabled"
    STATUS_FAULTY = "faulty"

    CHOICES = [(STATUS_ENABLED, "Enabled", "green"), (STATUS_DISABLED, "Disabled", "red"),
               (STATUS_FAULTY, "Faulty", "gray")]


class PowerOutletFeedLegChoices(ChoiceSet):
    FEED_LEG_A = "A"
    FEED_LEG_B = "B"
    FEED_LEG_C = "C"

    CHOICES = [(FEED_LEG_A, "A"), (FEED_LEG_B, "B"), (FEED_LEG_C, "C")]


class PortTypeChoices(ChoiceSet):
    """Front and rear (pass-through) port connectors; the common subset of NetBox's list."""

    TYPE_8P8C = "8p8c"
    TYPE_8P6C = "8p6c"
    TYPE_110_PUNCH = "110-punch"
    TYPE_BNC = "bnc"
    TYPE_ST = "st"
    TYPE_SC = "sc"
    TYPE_SC_APC = "sc-apc"
    TYPE_FC = "fc"
    TYPE_LC = "lc"
    TYPE_LC_APC = "lc-apc"
    TYPE_MPO = "mpo"
    TYPE_SPLICE = "splice"
    TYPE_USB_A = "usb-a"
    TYPE_USB_C = "usb-c"
    TYPE_OTHER = "other"

    CHOICES = [
        ("Copper", [(TYPE_8P8C, "8P8C"), (TYPE_8P6C, "8P6C"), (TYPE_110_PUNCH, "110 Punch"), (TYPE_BNC, "BNC")]),
        ("Fiber Optic", [(TYPE_ST, "ST"), (TYPE_SC, "SC"), (TYPE_SC_APC, "SC/APC"), (TYPE_FC, "FC"),
                         (TYPE_LC, "LC"), (TYPE_LC_APC, "LC/APC"), (TYPE_MPO, "MPO"), (TYPE_SPLICE, "Splice")]),
        ("USB", [(TYPE_USB_A, "USB Type A"), (TYPE_USB_C, "USB Type C")]),
        ("Other", [(TYPE_OTHER, "Other")]),
    ]


class PowerFeedStatusChoices(ChoiceSet):
    STATUS_OFFLINE = "offline"
    STATUS_ACTIVE = "active"
    STATUS_PLANNED = "planned"
    STATUS_FAILED = "failed"

    CHOICES = [(STATUS_OFFLINE, "Offline", "gray"), (STATUS_ACTIVE, "Active", "green"),
               (STATUS_PLANNED, "Planned", "blue"), (STATUS_FAILED, "Failed", "red")]


class PowerFeedTypeChoices(ChoiceSet):
    TYPE_PRIMARY = "primary"
    TYPE_REDUNDANT = "redundant"

    CHOICES = [(TYPE_PRIMARY, "Primary", "green"), (TYPE_REDUNDANT, "Redundant", "cyan")]


class PowerFeedSupplyChoices(ChoiceSet):
    SUPPLY_AC = "ac"
    SUPPLY_DC = "dc"

    CHOICES = [(SUPPLY_AC, "AC"), (SUPPLY_DC, "DC")]


class PowerFeedPhaseChoices(ChoiceSet):
    PHASE_SINGLE = "single-phase"
    PHASE_3PHASE = "three-phase"

    CHOICES = [(PHASE_SINGLE, "Single phase"), (PHASE_3PHASE, "Three-phase")]
