"""``manage.py userscripts_worker``: a task worker, with the userscripts loaded.

On the database backend, the backend's ``db_worker`` options (``--queue-name``,
``--interval``, ``--batch``, ``--max-tasks``, ``--backend``; ``--reload`` is ignored:
userscripts reload without a restart). Where the default backend is RQ's
(``django-tasks-rq``), an RQ worker (``tasks.rq.worker``) on the backend's queues (or
``--queue-name``), ``--batch`` as RQ's burst mode, ``--max-tasks`` as its ``max_jobs``.
Each worker also enqueues the due periods of scheduled tasks (``scheduler``;
``--no-scheduler`` to leave that to others). The worker is named ``host:pid@start`` (shown ``host:pid``) and
hot-reloads the userscripts like a server process (``USERSCRIPTS_AUTORELOAD``).
"""
from django.core.management.base import CommandError
from django.utils.module_loading import import_string
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.management.commands import db_worker

from netbox_userscripts.conf import setting
from netbox_userscripts.loading import reloader
from netbox_userscripts.tasks import scheduler as scheduler_module
from netbox_userscripts.tasks import worker
from netbox_userscripts.tasks.decorator import DEFAULT_TASK_BACKEND_ALIAS, DEFAULT_TASK_QUEUE_NAME, task_backends
from netbox_userscripts.tasks.workerid import worker_id as this_worker_id

RQ_WORKER = "netbox_userscripts.tasks.rq.worker.work"  # imported only where RQ is the backend


class Command(db_worker.Command):
    help = "Run a task worker for userscripts' tasks (the database backend), hot-reloading the userscripts."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        # None, not the name "default": argparse would check a default name against the database backend only
        parser.set_defaults(worker_id=None, backend_name=None)
        parser.add_argument("--sweep-every", type=float, default=10.0,
                            help="Seconds between two checks for runs left running by a dead worker (default 10).")
        parser.add_argument("--no-scheduler", action="store_false", dest="scheduler",
                            help="Do not enqueue scheduled tasks from this worker.")

    def handle(self, *, verbosity, queue_name, interval, batch, backend_name, max_tasks, worker_id,
               exclude_queues, sweep_every, scheduler=True, **options):
        self.configure_logging(verbosity)
        backend_name = backend_name or DEFAULT_TASK_BACKEND_ALIAS
        rq = not isinstance(task_backends[backend_name], DatabaseBackend)
        queues = queue_name.split(",")
        excluded = exclude_queues.split(",") if exclude_queues else []
        if excluded and "*" not in queues:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        if setting("USERSCRIPTS_AUTORELOAD"):
            reloader.start()
        worker.start_sweeper(sweep_every, task_runs=not rq)
        if scheduler:
            scheduler_module.start()
        if rq:  # RQ's worker loop (RQ ends its own lost runs); --queue-name only when given
            explicit = None if queue_name in (DEFAULT_TASK_QUEUE_NAME, "*") else queues
            work = import_string(RQ_WORKER)
            work(explicit, backend_name=backend_name, burst=batch, max_jobs=max_tasks,
                 logging_level="DEBUG" if verbosity > 1 else "INFO" if verbosity == 1 else "WARNING")
            return
        runner = worker.UserscriptWorker(
            queue_names=queues, interval=interval, batch=batch, backend_name=backend_name,
            startup_delay=False, max_tasks=max_tasks, worker_id=worker_id or this_worker_id(),
            excluded_queue_names=excluded)
        runner.configure_signals()
        runner.run()
