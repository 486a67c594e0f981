"""The ipam app's models, importable as ``ipam.models.Prefix`` etc. (NetBox 4.7's names and fields)."""
from ipam.models.addresses import IPAddress, IPRange
from ipam.models.asns import ASN
from ipam.models.ip import RIR, Aggregate, Prefix, Role
from ipam.models.vlans import VLAN, VLANGroup
from ipam.models.vrfs import VRF

__all__ = ["ASN", "RIR", "VLAN", "VRF", "Aggregate", "IPAddress", "IPRange", "Prefix", "Role", "VLANGroup"]
