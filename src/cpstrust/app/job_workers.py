"""The job workers: where the database keeps the queue, a worker takes jobs from it.

On PostgreSQL the queue is procrastinate's: any number of worker processes, on any
number of machines, fetch from it (each job is fetched by one; ADR 0018). A worker that
dies leaves its job ``doing`` and stops beating its heart; every worker looks for such
jobs when it starts and then every lease, and hands them back to the queue. On SQLite the
job table is the queue (``store.jobs.claim_next``), polled.

``JobWorker`` runs either in a thread of its own, so that ``cpstrust serve`` answers
requests while it works, or in the foreground (``cpstrust worker``).
"""

from __future__ import annotations

import asyncio
import logging
import threading
from typing import TYPE_CHECKING

from cpstrust.app.job_runner import WorkerSettings, run_given, run_next, worker_name
from cpstrust.app.services import Services
from cpstrust.store import jobs as job_store

if TYPE_CHECKING:
    from procrastinate import App

logger = logging.getLogger(__name__)

RETRIES = 10  # PostgreSQL: runs of a job whose bookkeeping the database failed


class JobWorker:
    def __init__(self, services: Services, settings: WorkerSettings) -> None:
        self.services = services
        self.settings = settings
        self.name = worker_name()
        self._stop = threading.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._task: asyncio.Task[None] | None = None
        self._thread: threading.Thread | None = None

    def run(self) -> None:
        """Work until ``stop`` is called."""
        if job_store.uses_procrastinate(self.services.store.engine):
            asyncio.run(self._run_procrastinate())
        else:
            self._run_table()

    def start(self) -> None:
        """Work in a thread of its own."""
        self._thread = threading.Thread(target=self.run, name="cpstrust-jobs", daemon=True)
        self._thread.start()

    def request_stop(self) -> None:
        """Finish the job in hand and take no other (a signal handler may call this)."""
        self._stop.set()
        if self._loop is not None and self._task is not None:
            self._loop.call_soon_threadsafe(self._task.cancel)

    def stop(self) -> None:
        """``request_stop``, and return when the worker's thread has ended."""
        self.request_stop()
        if self._thread is not None:
            self._thread.join()

    def _run_table(self) -> None:
        logger.info("job worker %s polls the job table", self.name)
        while not self._stop.is_set():
            try:
                ran = run_next(self.services, self.settings, self.name)
            except Exception:  # the database away a moment: the worker carries on
                logger.exception("job worker %s: taking a job failed", self.name)
                ran = None
            if ran is None:
                self._stop.wait(self.settings.poll_seconds)

    async def _run_procrastinate(self) -> None:
        from procrastinate import App, PsycopgConnector, RetryStrategy

        connector = PsycopgConnector(
            conninfo=job_store.libpq_conninfo(self.services.store.engine),
            min_size=1, max_size=3)
        queue = App(connector=connector)
        lease = self.settings.lease.total_seconds()

        # A job's own failure is recorded as its outcome; what reaches procrastinate is
        # the database failing the bookkeeping, and the job is tried again a lease later.
        @queue.task(name=job_store.RUN_TASK, queue=job_store.QUEUE,
                    retry=RetryStrategy(max_attempts=RETRIES, wait=int(lease)))
        def run_job(job_id: int) -> None:
            run_given(self.services, self.settings, self.name, job_id)

        self._loop = asyncio.get_running_loop()
        async with queue.open_async():
            self._task = asyncio.current_task()
            if self._stop.is_set():
                return
            logger.info("job worker %s takes jobs from procrastinate's queue", self.name)
            rescuer = asyncio.create_task(self._rescue_stalled(queue, lease))
            try:
                await queue.run_worker_async(
                    name=self.name, queues=[job_store.QUEUE], concurrency=1, wait=True,
                    install_signal_handlers=False, update_heartbeat_interval=lease / 3,
                    stalled_worker_timeout=lease)
            except asyncio.CancelledError:
                logger.info("job worker %s stopped", self.name)
            finally:
                rescuer.cancel()

    async def _rescue_stalled(self, queue: App, lease: float) -> None:
        """Hand back to the queue the jobs of workers whose heart stopped beating."""
        while True:
            try:
                await queue.job_manager.prune_stalled_workers(lease)
                for job in await queue.job_manager.get_stalled_jobs(
                        seconds_since_heartbeat=lease):
                    logger.warning("job %s: its worker stopped; queued again", job.task_kwargs)
                    await queue.job_manager.retry_job(job)
            except Exception:  # the database may be away a moment: try again next lease
                logger.exception("looking for stalled jobs failed")
            await asyncio.sleep(lease)
