"""Admin pages of the dcim app: every model, with search, filters and bulk edit where useful."""
from dcim.admin import cables, components, devices, sites, templates  # noqa: F401 - each module registers its pages
