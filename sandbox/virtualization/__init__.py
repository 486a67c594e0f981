"""NetBox's virtualization app: clusters and the virtual machines that run in them, with their interfaces."""
