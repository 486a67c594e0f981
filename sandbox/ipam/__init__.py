"""IP address management: VRFs, prefixes, IP addresses, VLANs."""
