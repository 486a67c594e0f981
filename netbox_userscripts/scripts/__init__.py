"""What a job is: the Job/Script class, its vars and their form fields, and the record of a run.

The classes a userscript defines and the engine inspects before anything runs: ``base``
(``Job``/``Script``), ``vars``, ``fields``, ``forms``, ``filtering`` and ``limits`` (vars as
Django form fields), ``options`` (background, schedule, interval), ``inputs`` (JSON and CLI input
through the same forms), ``introspection`` and ``discovery`` (the jobs a module defines),
``links`` and ``models`` (``JobResult``). Loading needs them to list a module's jobs; running
them is ``netbox_userscripts.jobs``, which re-exports the author API.
"""
