"""Django's Tasks framework's names, from ``django.tasks`` (Django 6.0+) or the ``django-tasks`` backport (5.2).

One place for the version difference; ``decorator`` (and through it the face) and ``outbox``
import them from here.
"""
try:  # Django 6.0+
    from django.tasks import DEFAULT_TASK_BACKEND_ALIAS, DEFAULT_TASK_QUEUE_NAME, task_backends
    from django.tasks.base import TASK_MAX_PRIORITY, Task, TaskResult, TaskResultStatus
    from django.tasks.base import task as django_task
    from django.tasks.signals import task_enqueued
except ImportError:  # Django 5.2: the backport
    from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, DEFAULT_TASK_QUEUE_NAME, task_backends
    from django_tasks.base import TASK_MAX_PRIORITY, Task, TaskResult, TaskResultStatus
    from django_tasks.base import task as django_task
    from django_tasks.signals import task_enqueued

__all__ = ["DEFAULT_TASK_BACKEND_ALIAS", "DEFAULT_TASK_QUEUE_NAME", "TASK_MAX_PRIORITY", "Task", "TaskResult",
           "TaskResultStatus", "django_task", "task_backends", "task_enqueued"]
