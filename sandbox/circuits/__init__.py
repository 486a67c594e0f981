"""NetBox's circuits app: providers, circuit types, circuits and their A and Z terminations."""
