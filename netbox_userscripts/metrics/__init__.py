"""What the engine's hooks cost: every receiver, ``call()``, job and task run observed (``observe``)."""
