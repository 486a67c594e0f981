"""REST API of the extras app's data (``/api/extras/tags/``); the jobs API is the engine's."""
