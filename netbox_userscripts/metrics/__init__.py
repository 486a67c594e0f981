"""What every hook costs, for Prometheus: the metric families, ``observe()``, slow hooks named as they run.

Below the hooks and above the log: every layer that runs a userscript's code reports here.
"""
