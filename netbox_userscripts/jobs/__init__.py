"""The Job/Var API (NetBox custom scripts and Nautobot jobs), run synchronously."""
