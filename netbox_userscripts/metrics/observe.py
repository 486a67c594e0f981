"""``observe()``: the one call every hook's call site makes when a receiver, ``call()``, job or task run ends.

Its arguments are the labels of the metrics (``docs/metrics.md``): ``kind`` is ``"receiver"``,
``"call"``, ``"job"`` or ``"task"``; ``outcome`` is ``"ok"``, ``"error"``, ``"veto"`` or a
run's status; ``signal`` and ``sender`` name a receiver's signal and the model it listens to
(``"*"`` for any). Here it feeds the recorder behind the page's "Hook costs" (``window``).
"""
from netbox_userscripts.metrics.window import recorder


def observe(kind, module, name, seconds, outcome, signal=None, sender=None):
    """Count one run of ``module``'s ``name`` that took ``seconds`` and ended as ``outcome``."""
    recorder.observe((kind, module, name, signal or "", sender or ""), seconds, outcome)
