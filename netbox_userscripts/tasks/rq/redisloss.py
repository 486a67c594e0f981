"""Redis lost under an RQ worker: the worker waits for it, and the job it had taken ends with a status.

RQ's work loop quits on an error it does not handle (Redis killed or restarting while a job
runs, a Redis timeout). ``work()`` then starts the loop again once Redis answers. The job the
worker had taken from its queue at that moment is settled first, once its work horse has ended
(the horse's own start or run ends by itself, within the job's timeout):

- still ``queued``: its horse never started it (a run's start, status ``started``, is the horse's
  first write to Redis), so it goes back to the front of its queue and runs once, instead of
  waiting for RQ's maintenance to call it failed ten minutes later (with one queue RQ holds a
  taken job in its intermediate queue, with several off any queue: either way);
- still ``started``: its horse ended without recording the end (Redis was away), so the run is
  ended failed saying so (RQ's retries apply), instead of showing "running" until RQ's cleanup
  of abandoned jobs;
- finished or failed: nothing to do.
"""
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
    """Wait until ``worker``'s Redis answers; then settle its taken job, and end the worker's registration there, so
    that a new loop under the same name may register."""
    # RQ's signal handlers ask a loop that no longer runs to stop: a SIGTERM now ends the process at once
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    taken = getattr(worker, "taken", None)
    if taken is not None and worker.horse_pid:
        worker.wait_for_horse()  # already reaped when RQ's loop saw it end: nothing to wait for
    while True:
        try:
            if taken is not None:
                settle_taken_job(worker, *taken)
            worker.register_death()
            return
        except RedisError:
            time.sleep(REDIS_POLL)


LOST_DURING_RUN = "Redis went away during the run: its work horse ended without recording how the run ended."


def settle_taken_job(worker, job, queue):
    """Give ``job``, taken by ``worker`` from ``queue`` and no longer run by a horse, a status: queued again if it
    never started, failed if it started and its end was not recorded, untouched if it ended."""
    try:
        status = job.get_status(refresh=True)
    except InvalidJobOperation:
        return  # gone: its result expired
    if status == JobStatus.STARTED:
        worker.handle_job_failure(job, queue, exc_string=LOST_DURING_RUN)
        queue.started_job_registry.remove_executions(job)
        logger.warning("userscripts RQ worker %s: job %s (%s) was running when Redis went away; ended failed",
                       worker.name, job.id, job.func_name)
        return
    if status != JobStatus.QUEUED or worker.connection.lpos(queue.key, job.id) is not None:
        return
    with worker.connection.pipeline() as pipeline:  # one transaction: taken from where it waited, queued again
        pipeline.lrem(queue.intermediate_queue_key, 1, job.id)
        queue.started_job_registry.remove_executions(job, pipeline=pipeline)
        queue.push_job_id(job.id, pipeline=pipeline, at_front=True)
        pipeline.execute()
    logger.warning("userscripts RQ worker %s: job %s (%s) was taken from queue %r when Redis went away and never "
                   "started; it is back on its queue", worker.name, job.id, job.func_name, queue.name)
