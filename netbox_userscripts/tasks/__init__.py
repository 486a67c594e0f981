"""Background tasks: ``from netbox_userscripts.tasks import task``, the face userscripts import.

The layer behind it, one concern a module: ``decorator`` (Django's ``task``, JSON arguments
checked, enqueued at commit), ``schedules`` (``every=``/``cron=`` periods), ``backend`` (the
database backend: django-tasks-db's table, one INSERT compiled per connection), ``lookup`` (a
run's module and function in the registry's version in use, or why not), ``worker`` (the
database worker: runs logged to their module, "worker lost" runs ended), ``scheduler`` (each
due period enqueued once, under the ``TaskSchedule`` row's lock), ``runs`` (the runs as people
read them), ``models`` (``TaskSchedule``) and ``rq/`` (the RQ adapter). Code inside the engine
imports those modules, never this face.
"""
from netbox_userscripts.tasks.decorator import (
    DEFAULT_TASK_BACKEND_ALIAS,
    DEFAULT_TASK_QUEUE_NAME,
    ScheduleError,
    Task,
    TaskResultStatus,
    UserscriptTask,
    task,
    task_backends,
)

__all__ = ["DEFAULT_TASK_BACKEND_ALIAS", "DEFAULT_TASK_QUEUE_NAME", "ScheduleError", "Task", "TaskResultStatus",
           "UserscriptTask", "task", "task_backends"]
