"""NetBox's choice classes of the ipam app (``ipam.choices.PrefixStatusChoices`` ...)."""
from utilities.choices import ChoiceSet


class IPAddressFamilyChoices(ChoiceSet):
    FAMILY_4 = 4
    FAMILY_6 = 6

    CHOICES = [
        (FAMILY_4, "IPv4"),
        (FAMILY_6, "IPv6"),
    ]


class PrefixStatusChoices(ChoiceSet):
    STATUS_CONTAINER = "container"
    STATUS_ACTIVE = "active"
    STATUS_RESERVED = "reserved"
    STATUS_DEPRECATED = "deprecated"

    CHOICES = [
        (STATUS_CONTAINER, "Container", "gray"),
        (STATUS_ACTIVE, "Active", "blue"),
        (STATUS_RESERVED, "Reserved", "cyan"),
        (STATUS_DEPRECATED, "Deprecated", "red"),
    ]


class IPRangeStatusChoices(ChoiceSet):
    STATUS_ACTIVE = "active"
    STATUS_RESERVED = "reserved"
    STATUS_DEPRECATED = "deprecated"

    CHOICES = [
        (STATUS_ACTIVE, "Active", "blue"),
        (STATUS_RESERVED, "Reserved", "cyan"),
        (STATUS_DEPRECATED, "Deprecated", "red"),
    ]


class IPAddressStatusChoices(ChoiceSet):
    STATUS_ACTIVE = "active"
    STATUS_RESERVED = "reserved"
    STATUS_DEPRECATED = "deprecated"
    STATUS_DHCP = "dhcp"
    STATUS_SLAAC = "slaac"

    CHOICES = [
        (STATUS_ACTIVE, "Active", "blue"),
        (STATUS_RESERVED, "Reserved", "cyan"),
        (STATUS_DEPRECATED, "Deprecated", "red"),
        (STATUS_DHCP, "DHCP", "purple"),
        (STATUS_SLAAC, "SLAAC", "purple"),
    ]


class IPAddressRoleChoices(ChoiceSet):
    ROLE_LOOPBACK = "loopback"
    ROLE_SECONDARY = "secondary"
    ROLE_ANYCAST = "anycast"
    ROLE_VIP = "vip"
    ROLE_VRRP = "vrrp"
    ROLE_HSRP = "hsrp"
    ROLE_GLBP = "glbp"
    ROLE_CARP = "carp"

    CHOICES = [
        (ROLE_LOOPBACK, "Loopback", "gray"),
        (ROLE_SECONDARY, "Secondary", "blue"),
        (ROLE_ANYCAST, "Anycast", "yellow"),
        (ROLE_VIP, "VIP", "purple"),
        (ROLE_VRRP, "VRRP", "green"),
        (ROLE_HSRP, "HSRP", "green"),
        (ROLE_GLBP, "GLBP", "green"),
        (ROLE_CARP, "CARP", "green"),
    ]


class VLANStatusChoices(ChoiceSet):
    STATUS_ACTIVE = "active"
    STATUS_RESERVED = "reserved"
    STATUS_DEPRECATED = "deprecated"

    CHOICES = [
        (STATUS_ACTIVE, "Active", "blue"),
        (STATUS_RESERVED, "Reserved", "cyan"),
        (STATUS_DEPRECATED, "Deprecated", "red"),
    ]


class VLANQinQRoleChoices(ChoiceSet):
    ROLE_SERVICE = "svlan"
    ROLE_CUSTOMER = "cvlan"

    CHOICES = [
        (ROLE_SERVICE, "Service", "blue"),
        (ROLE_CUSTOMER, "Customer", "orange"),
    ]
