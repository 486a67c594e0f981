"""Data centre infrastructure: regions, sites, devices, their ports and cables."""
