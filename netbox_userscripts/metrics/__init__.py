"""What every hook costs: ``observe()``, the page's hook costs (``window``, ``store``), the metric families for
Prometheus, slow hooks named as they run.

Below the hooks and above the log: every layer that runs a userscript's code reports here.
"""
