"""Userscripts' tasks on RQ (``django-tasks-rq``): the worker and the run list, where ``TASKS`` names RQ.

An adapter beside the engine: imported only where the RQ backend is configured (the
worker command and the run list look it up by name), so the engine runs without RQ
installed. ``worker`` runs RQ's worker with the userscripts (found in the registry, logged
to their module); ``runs`` reads the runs back from RQ's registries.
"""
