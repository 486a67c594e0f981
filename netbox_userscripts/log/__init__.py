"""The central log: ``central`` (one rotating, multi-process file; a logger per script), ``tail``
(reading it back) and ``stream`` (the Redis stream across hosts: a sender thread, the readers)."""
