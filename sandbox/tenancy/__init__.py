"""Tenants that sites, devices and IP space can belong to."""
