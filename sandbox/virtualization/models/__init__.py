"""The virtualization app's models, importable as ``virtualization.models.VirtualMachine`` etc."""
from virtualization.models.clusters import Cluster, ClusterGroup, ClusterType
from virtualization.models.virtualmachines import VirtualMachine, VMInterface

__all__ = ["Cluster", "ClusterGroup", "ClusterType", "VMInterface", "VirtualMachine"]
