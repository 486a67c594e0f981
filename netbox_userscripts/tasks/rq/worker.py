"""An RQ worker for userscripts' tasks: RQ's own worker loop, with the engine's rules for a run.

``work()`` (``manage.py userscripts_worker`` when the default backend is RQ) runs django-rq's
worker (``RQ["WORKER_CLASS"]``, RQ's forking ``Worker`` by default; named ``host:pid@start``) on the
backend's queues with RQ's scheduler (``run_after``), and the job class ``UserscriptRQJob``:

- a userscript's task is found in the registry's version in use of its module (the worker
  hot-reloads like a server process; a forked work horse inherits the current version),
  never imported from a file behind the registry's back;
- a task whose module or function is gone ends failed with the message that says which;
- a run's start, end and failure (with its traceback) go to the module's logger;
- a task that raised runs again after its back-off until ``max_attempts`` (RQ's retries);
- Redis lost (killed, restarted, timing out) in the middle of a job does not end the process: RQ's
  loop quits on it, so ``work()`` waits for Redis to answer and starts the loop again (``redisloss``).
- Redis gone between RQ marking a run started and the task's function beginning: the work horse
  waits for it (within the job's timeout), so the run begins once Redis is back.
"""
import logging
import time
import traceback
from functools import partial

import django_rq
from django.db import connections
from django_rq.queues import get_result_ttl
from django_tasks_rq.backend import Job
from redis.exceptions import RedisError
from rq.defaults import DEFAULT_RESULT_TTL

from netbox_userscripts.log import central as central_log
from netbox_userscripts.log.survive import SurvivingLoop
from netbox_userscripts.tasks.decorator import UserscriptTask, task, task_backends
from netbox_userscripts.tasks.lookup import find_task, missing_reason, split_task_path
from netbox_userscripts.tasks.rq.redisloss import REDIS_POLL, remember_taken_jobs, wait_for_redis
from netbox_userscripts.tasks.worker import RunLog
from netbox_userscripts.tasks.workerid import worker_id


@task
def unavailable(*args, **kwargs):
    """Stands in for a userscript's task that is gone, so RQ can still describe the run; never runs."""
    raise LookupError("this userscript task is no longer loaded")


class UserscriptRQJob(Job):
    """django-tasks-rq's job: userscripts' tasks looked up in the registry, their runs logged."""

    @property
    def func(self):
        if split_task_path(self.func_name) is None:
            return super().func
        try:
            return find_task(self.func_name)
        except LookupError:
            return unavailable

    def perform(self):
        self.described_once_redis_answers()
        return super().perform()

    def described_once_redis_answers(self):
        """django-tasks-rq describes the run (``task_result``, read from Redis) after RQ marked it started and before
        the task's function begins. Redis gone at that moment would end the work horse with the run marked started
        and never begun (then failed as lost); the horse waits for Redis instead, within the job's timeout, so the
        run begins once Redis is back."""
        while True:
            try:
                return self.task_result
            except RedisError:
                time.sleep(REDIS_POLL)

    def _execute(self):
        if split_task_path(self.func_name) is None:
            return super()._execute()
        try:
            return self._execute_logged()
        finally:
            central_log.flush_stream()  # the work horse ends with os._exit: its records reach the stream first

    def _execute_logged(self):
        run_log = RunLog(self.func_name, self.id)
        reason = missing_reason(self.func_name)
        if reason is not None:
            run_log.missing(reason)
            raise LookupError(reason)
        run_log.started(self.worker_name)
        try:
            value = super()._execute()
        except Exception:
            run_log.ended(traceback.format_exc())
            self._plan_retry(run_log)
            raise
        run_log.ended()
        return value

    def _plan_retry(self, run_log):
        """Give RQ the task's ``max_attempts`` and back-off as its retries, the first time the run fails."""
        task_ = self.func
        if not isinstance(task_, UserscriptTask) or task_.max_attempts < 2:
            return
        if self.retries_left is None:  # RQ keeps the count from here on (saved with the job)
            self.retries_left = task_.max_attempts - 1
            self.retry_intervals = [task_.retry_delay(n).total_seconds() for n in range(1, task_.max_attempts)]
        if self.retries_left > 0:
            attempt = task_.max_attempts - self.retries_left
            run_log.retrying(attempt, task_.max_attempts, task_.retry_delay(attempt))


def queue_names(backend_name="default"):
    """The queues the RQ backend ``backend_name`` serves (its ``QUEUES``, else every django-rq queue)."""
    return sorted(task_backends[backend_name].queues)


logger = logging.getLogger("netbox_userscripts.tasks.rq.worker")


def work(queues=None, *, backend_name="default", burst=False, max_jobs=None, logging_level="WARNING"):
    """Run an RQ worker on ``queues`` (default: the backend's) until stopped (or, with ``burst``, the queues empty)."""
    queues = queues or queue_names(backend_name)
    # RQ keeps a result for the worker's TTL unless the job has one: the queue's DEFAULT_RESULT_TTL
    ttl = get_result_ttl(queues[0]) or DEFAULT_RESULT_TTL
    guard = SurvivingLoop(logger, f"userscripts RQ worker {worker_id()}")
    while True:
        worker = django_rq.get_worker(*queues, job_class=UserscriptRQJob, name=worker_id(), default_result_ttl=ttl)
        worker.subscribe = partial(subscribe_briefly, worker)
        remember_taken_jobs(worker)
        connections.close_all()  # as django-rq's rqworker: no connection is shared with a forked work horse
        # RQ's loop quits on an error it does not handle (Redis gone while a job runs, a Redis timeout), and its
        # teardown then raises when Redis is still gone: said once a minute by the guard, and the loop starts again
        guard.run(worker.work, burst=burst, max_jobs=max_jobs, with_scheduler=True, logging_level=logging_level)
        if burst or max_jobs is not None or worker._shutdown_requested_date is not None:  # done, or asked to stop
            return
        logger.warning("userscripts RQ worker %s: RQ's loop quit without being asked to; it starts again once "
                       "Redis answers", worker.name)
        wait_for_redis(worker)


def subscribe_briefly(worker):
    """RQ's ``Worker.subscribe`` with a pubsub thread that wakes every second instead of every 60.

    A stopping worker closes the pubsub while its thread waits in ``get_message``, and the
    close waits for that wait (RQ 3.0, redis-py 8): up to a minute, so a SIGTERM'd worker
    seemed to hang. RQ's own ``subscribe`` takes no sleep time to pass.
    """
    worker.pubsub = worker.connection.pubsub()
    worker.pubsub.subscribe(**{worker.pubsub_channel_name: worker.handle_payload})
    worker.pubsub_thread = worker.pubsub.run_in_thread(sleep_time=1, daemon=True,
                                                       exception_handler=worker._pubsub_exception_handler)
