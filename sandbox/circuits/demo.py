"""The circuits part of the demo data: two providers, and an Internet transit circuit per site.

The A end is at the site and cabled to the site's second core router (``xe-0/0/4``).
"""
from circuits.choices import CircuitStatusChoices, CircuitTerminationSideChoices
from circuits.models import Circuit, CircuitTermination, CircuitType, Provider
from dcim.models import Cable, Interface

PROVIDERS = [("Lumen", "lumen"), ("Zayo", "zayo")]


def build(make, sites):
    providers = [make(Provider, name=name, slug=slug) for name, slug in PROVIDERS]
    transit = make(CircuitType, name="Internet Transit", slug="internet-transit", color="2196f3")
    for n, site in enumerate(sites, start=1):
        provider = providers[n % 2]
        circuit = make(Circuit, cid=f"{provider.slug.upper()}-{1000 + n}", provider=provider, type=transit,
                       tenant=site.tenant, commit_rate=1000000,
                       status=CircuitStatusChoices.STATUS_ACTIVE if n < 5 else CircuitStatusChoices.STATUS_PLANNED)
        end = make(CircuitTermination, circuit=circuit, term_side=CircuitTerminationSideChoices.SIDE_A,
                   termination=site, port_speed=10000000, xconnect_id=f"XC-{site.slug.upper()}-1")
        router_port = Interface.objects.filter(device__name=f"{site.slug}-core-rtr-02", name="xe-0/0/4").first()
        if router_port is not None:
            make(Cable, a_terminations=[router_port], b_terminations=[end], type="smf")
