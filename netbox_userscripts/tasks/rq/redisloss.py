"""Redis lost under an RQ worker: the worker waits for it, and the job it had taken runs, once.

RQ's work loop quits on an error it does not handle (Redis killed or restarting while a job
runs, a Redis timeout). ``work()`` then starts the loop again once Redis answers. The job the
worker had taken from its queue at that moment (moved to RQ's intermediate queue) either started,
and RQ ends it as its abandoned jobs (failed), or never did: its start (status ``started``) and
its leaving the intermediate queue are one Redis transaction, so a job still ``queued`` there never
ran a line, and it is put back at the front of its queue instead of waiting for RQ's maintenance
to call it failed ten minutes later (with one queue RQ moves a taken job to its intermediate queue,
with several it takes it off the queue: either way it goes back to the front of its queue).
"""
import contextlib
import logging
import signal
import time
from functools import partial

from redis.exceptions import RedisError
from rq.exceptions import InvalidJobOperation
from rq.job import JobStatus

logger = logging.getLogger("netbox_userscripts.tasks.rq.worker")
REDIS_POLL = 1.0  # seconds between two tries of a Redis that is gone


def remember_taken_jobs(worker):
    """Make ``worker`` keep the job it runs as ``worker.taken`` until the job's run is over."""
    worker.taken = None
    worker.execute_job = partial(_execute_remembered, worker, worker.execute_job)


def _execute_remembered(worker, execute_job, job, queue):
    worker.taken = job, queue  # left set when the run ends by an exception: Redis lost during it
    execute_job(job, queue)
    worker.taken = None


def wait_for_redis(worker):
    """Wait until ``worker``'s Redis answers; then put back its taken job if it never started, and end the worker's
    registration there, so that a new loop under the same name may register."""
    # RQ's signal handlers ask a loop that no longer runs to stop: a SIGTERM now ends the process at once
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    taken = getattr(worker, "taken", None)
    if taken is not None and worker.horse_pid:
        with contextlib.suppress(OSError):  # the work horse still trying to start the job: it must not, later
            worker.kill_horse(signal.SIGKILL)
            worker.wait_for_horse()
    while True:
        try:
            if taken is not None:
                requeue_if_unstarted(worker, *taken)
            worker.register_death()
            return
        except RedisError:
            time.sleep(REDIS_POLL)


def requeue_if_unstarted(worker, job, queue):
    """Put ``job`` back at the front of ``queue`` if it never started (and is not back there already)."""
    try:
        if job.get_status(refresh=True) != JobStatus.QUEUED:
            return  # it started (RQ ends it, as abandoned, if its horse died) or ended
    except InvalidJobOperation:
        return  # gone: its result expired
    if worker.connection.lpos(queue.key, job.id) is not None:
        return
    with worker.connection.pipeline() as pipeline:  # one transaction: taken from where it waited, queued again
        pipeline.lrem(queue.intermediate_queue_key, 1, job.id)
        queue.started_job_registry.remove_executions(job, pipeline=pipeline)
        queue.push_job_id(job.id, pipeline=pipeline, at_front=True)
        pipeline.execute()
    logger.warning("userscripts RQ worker %s: job %s (%s) was taken from queue %r when Redis went away and never "
                   "started; it is back on its queue", worker.name, job.id, job.func_name, queue.name)
