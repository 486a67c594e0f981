"""Answers "which addresses are free in this prefix?" over HTTP, as plain text.

    curl -H "Authorization: Token $TOKEN" \
        "http://127.0.0.1:8000/userscript/?script=free_ips&prefix=10.1.0.0/24&count=5"
"""
import itertools

import netaddr

from ipam.models import Prefix


def call(prefix=None, count="10", vrf=None, **kwargs):
    if not prefix:
        return "Give a prefix: ?script=free_ips&prefix=10.1.0.0/24[&count=10][&vrf=NAME]"
    try:
        network = netaddr.IPNetwork(prefix)
        count = int(count)
    except (netaddr.AddrFormatError, ValueError, TypeError):
        return f"Not a prefix and a count: {prefix!r}, {count!r}"
    candidates = Prefix.objects.filter(prefix=str(network.cidr))
    candidates = candidates.filter(vrf__name=vrf) if vrf else candidates.filter(vrf__isnull=True)
    found = candidates.first()
    if found is None:
        return f"No prefix {network.cidr} in {'VRF ' + vrf if vrf else 'the global table'}."
    free = found.get_available_ips()
    addresses = [f"{ip}/{network.prefixlen}" for ip in itertools.islice(free, max(count, 0))]
    logger.info("free IPs in %s asked: %d free, %d shown", network.cidr, free.size, len(addresses))
    return "\n".join([f"{free.size} free in {network.cidr}", *addresses]) + "\n"
