"""Parsing and extraction on a Dask cluster: `csp ingest --executor dask|dask-local`.

The map over files runs on the cluster's workers; this process stays the one writer of
the catalog and the index, so statuses, duplicates and crash safety are those of a
local ingest.  Each task still reads its file in a killable child of the Dask worker
(`ingest.pipeline.isolation`), so a file that hangs or crashes MuPDF costs one task, not a
worker.  Workers must see the files at the same paths (a shared or copied folder) and
run this version of CSP Search; remote workers must be started with
`DASK_DISTRIBUTED__WORKER__DAEMON=False` so they may start those children.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from typing import Any

from ingest.errors import ExecutorUnavailable
from ingest.pipeline.isolation import Outcome, run_isolated
from ingest.pipeline.settings import Limits


def run_on_dask(
    tasks: list[Any],
    job: Callable,
    *,
    limits: Limits,
    scheduler: str | None = None,
    workers: int = 2,
    warm_up: Callable[[], None] | None = None,
) -> Iterator[Outcome]:
    """Outcomes of `job` over `tasks` as the cluster completes them: on the cluster at
    `scheduler`, or on a local cluster of `workers` processes when it is None."""
    try:
        import dask
        from distributed import Client, LocalCluster, as_completed
    except ImportError as error:
        raise ExecutorUnavailable(
            "the dask executors need the distributed package: pip install 'csp-search[dask]'"
        ) from error
    with dask.config.set({"distributed.worker.daemon": False}):
        try:
            if scheduler:
                client = Client(scheduler, timeout="10s")
                cluster = None
            else:
                cluster = LocalCluster(
                    n_workers=workers,
                    threads_per_worker=1,
                    processes=True,
                    dashboard_address=None,
                    silence_logs=logging.ERROR,
                )
                client = Client(cluster)
        except OSError as error:
            raise ExecutorUnavailable(f"cannot reach the Dask scheduler: {error}") from error
        try:
            if warm_up:
                client.run(warm_up)
            futures = {
                client.submit(one_isolated, task, job, limits, pure=False): task for task in tasks
            }
            for future in as_completed(futures):
                try:
                    yield future.result()
                except Exception as error:  # the worker died, or the task was lost
                    reason = f"Dask task failed: {type(error).__name__}: {error}"
                    yield Outcome(futures[future], None, reason.splitlines()[0][:300], 0.0)
        finally:
            client.close()
            if cluster is not None:
                cluster.close()


def one_isolated(task: Any, job: Callable, limits: Limits) -> Outcome:
    """Runs on a Dask worker: one task in a killable child, under the limits."""
    return next(run_isolated([task], job, workers=1, limits=limits))
