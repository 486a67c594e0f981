"""NetBox's IP lookups on text columns, for SQLite and PostgreSQL both.

Prefixes and addresses are stored as canonical text (see ``fields.py``). On PostgreSQL a
lookup casts the text to ``inet`` and uses its operators, as NetBox does on its ``inet``
columns; on SQLite it calls small SQL functions written in Python with netaddr,
registered on every new connection (``register_sqlite_functions``). The same query
therefore means the same thing on both:

- ``net_contained`` / ``net_contained_or_equal``: inside the given network (``<<``, ``<<=``);
- ``net_contains`` / ``net_contains_or_equals``: around it (``>>``, ``>>=``);
- ``net_host``: the host part equals the address (mask ignored);
- ``net_host_contained``: the host part is inside the network (``10.1.0.7/16`` is in ``10.1.0.0/24``);
- ``net_in``: any of a list (with a mask: exactly; without: by host);
- ``host_between``: the host part between two addresses (inclusive);
- transforms ``net_mask_length``, ``family``, ``host``: ``address__net_mask_length=24``.
"""
import netaddr
from django.db.models import IntegerField, Lookup, TextField, Transform


def _network(value):
    """A netaddr network from the text of a column or a parameter (None when it is not one)."""
    if value is None:
        return None
    try:
        return netaddr.IPNetwork(value)
    except (netaddr.AddrFormatError, ValueError, TypeError):
        return None


def _within(inner, outer, strict):
    """PostgreSQL's ``inner << outer`` (strict) or ``inner <<= outer`` on two texts."""
    a, b = _network(inner), _network(outer)
    if a is None or b is None or a.version != b.version:
        return 0
    if a.prefixlen < b.prefixlen or (strict and a.prefixlen == b.prefixlen):
        return 0
    return int(a.ip in b)


def _host(value):
    network = _network(value)
    return None if network is None else str(network.ip)


def _host_between(value, low, high):
    host, low, high = _network(value), _network(low), _network(high)
    if None in (host, low, high) or not host.version == low.version == high.version:
        return 0
    return int(low.ip <= host.ip <= high.ip)


def _masklen(value):
    network = _network(value)
    return None if network is None else network.prefixlen


def _family(value):
    network = _network(value)
    return None if network is None else network.version


SQLITE_FUNCTIONS = {"ipam_within": (3, _within), "ipam_host": (1, _host), "ipam_host_between": (3, _host_between),
                    "ipam_masklen": (1, _masklen), "ipam_family": (1, _family)}


def register_sqlite_functions(sender, connection, **kwargs):
    """``connection_created`` receiver: the lookups' SQL functions on each new SQLite connection."""
    if connection.vendor == "sqlite":
        for name, (arity, function) in SQLITE_FUNCTIONS.items():
            connection.connection.create_function(name, arity, function, deterministic=True)


def _parse_param(value):
    """The canonical text of a lookup's network or address; ``ValueError`` naming it when it is not one."""
    network = _network(str(value).strip()) if value is not None else None
    if network is None:
        raise ValueError(f"{value!r} is not an IP network or address.")
    return str(network)


class NetLookup(Lookup):
    """A lookup taking one network or address; ``postgresql``/``sqlite`` are the SQL templates."""

    postgresql = sqlite = None
    prepare_rhs = False

    def get_prep_lookup(self):
        return _parse_param(self.rhs)

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        template = self.postgresql if connection.vendor == "postgresql" else self.sqlite
        return template.format(lhs=lhs, rhs=rhs), [*lhs_params, *rhs_params]


class NetContained(NetLookup):
    lookup_name = "net_contained"
    postgresql = "CAST({lhs} AS inet) << CAST({rhs} AS inet)"
    sqlite = "ipam_within({lhs}, {rhs}, 1) = 1"


class NetContainedOrEqual(NetLookup):
    lookup_name = "net_contained_or_equal"
    postgresql = "CAST({lhs} AS inet) <<= CAST({rhs} AS inet)"
    sqlite = "ipam_within({lhs}, {rhs}, 0) = 1"


class NetContains(NetLookup):
    lookup_name = "net_contains"
    postgresql = "CAST({lhs} AS inet) >> CAST({rhs} AS inet)"
    sqlite = "ipam_within({rhs}, {lhs}, 1) = 1"


class NetContainsOrEquals(NetLookup):
    lookup_name = "net_contains_or_equals"
    postgresql = "CAST({lhs} AS inet) >>= CAST({rhs} AS inet)"
    sqlite = "ipam_within({rhs}, {lhs}, 0) = 1"


class NetHost(NetLookup):
    lookup_name = "net_host"
    postgresql = "CAST(HOST(CAST({lhs} AS inet)) AS inet) = CAST({rhs} AS inet)"
    sqlite = "ipam_host({lhs}) = ipam_host({rhs})"


class NetHostContained(NetLookup):
    lookup_name = "net_host_contained"
    postgresql = "CAST(HOST(CAST({lhs} AS inet)) AS inet) <<= CAST({rhs} AS inet)"
    sqlite = "ipam_within(ipam_host({lhs}), {rhs}, 0) = 1"


class NetIn(Lookup):
    """Any of a list of addresses: one with a mask matches exactly, one without by host."""

    lookup_name = "net_in"
    prepare_rhs = False

    def get_prep_lookup(self):
        values = [self.rhs] if isinstance(self.rhs, str) else list(self.rhs)
        return [(_parse_param(v), "/" in str(v)) for v in values]

    def as_sql(self, compiler, connection):
        lhs, params = self.process_lhs(compiler, connection)
        postgresql = connection.vendor == "postgresql"
        exact = [text for text, masked in self.rhs if masked]
        hosts = [text.split("/")[0] for text, masked in self.rhs if not masked]
        clauses = []
        if exact:
            clauses.append(f"{lhs} IN ({', '.join(['%s'] * len(exact))})")
        if hosts:
            host = f"HOST(CAST({lhs} AS inet))" if postgresql else f"ipam_host({lhs})"
            clauses.append(f"{host} IN ({', '.join(['%s'] * len(hosts))})")
        if not clauses:
            return "1 = 0", []
        lhs_params = list(params)
        return "(" + " OR ".join(clauses) + ")", [*(lhs_params if exact else []), *exact,
                                                   *(lhs_params if hosts else []), *hosts]


class HostBetween(Lookup):
    """``address__host_between=(low, high)``: the host part between two addresses, both included."""

    lookup_name = "host_between"
    prepare_rhs = False

    def get_prep_lookup(self):
        if not isinstance(self.rhs, (list, tuple)) or len(self.rhs) != 2:
            raise ValueError("host_between takes a (low, high) pair of addresses.")
        return [_parse_param(bound).split("/")[0] for bound in self.rhs]

    def as_sql(self, compiler, connection):
        lhs, params = self.process_lhs(compiler, connection)
        if connection.vendor == "postgresql":
            return f"CAST(HOST(CAST({lhs} AS inet)) AS inet) BETWEEN CAST(%s AS inet) AND CAST(%s AS inet)", \
                [*params, *self.rhs]
        return f"ipam_host_between({lhs}, %s, %s) = 1", [*params, *self.rhs]


class NetTransform(Transform):
    postgresql = sqlite = None

    def as_sql(self, compiler, connection):
        lhs, params = compiler.compile(self.lhs)
        if connection.vendor == "postgresql":
            return f"{self.postgresql}(CAST({lhs} AS inet))", params
        return f"{self.sqlite}({lhs})", params


class NetMaskLength(NetTransform):
    lookup_name = "net_mask_length"
    postgresql, sqlite = "MASKLEN", "ipam_masklen"
    output_field = IntegerField()


class NetFamily(NetTransform):
    lookup_name = "family"
    postgresql, sqlite = "FAMILY", "ipam_family"
    output_field = IntegerField()


class Host(NetTransform):
    lookup_name = "host"
    postgresql, sqlite = "HOST", "ipam_host"
    output_field = TextField()


NETWORK_LOOKUPS = (NetContained, NetContainedOrEqual, NetContains, NetContainsOrEquals, NetMaskLength, NetFamily)
ADDRESS_LOOKUPS = (*NETWORK_LOOKUPS, NetHost, NetHostContained, NetIn, HostBetween, Host)
