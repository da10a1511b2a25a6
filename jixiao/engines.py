"""Where the per-file work runs: local worker processes (default) or an existing Dask cluster. Both take
(Found, Task) pairs and yield (Found, Task, Rows) as files complete, a bounded number in flight."""
from __future__ import annotations

import time
from concurrent.futures import FIRST_COMPLETED, wait
from typing import Callable, Iterable, Iterator

from jixiao import stop
from jixiao.discover import Found
from jixiao.worker import Rows, Task, failed, one_line, rows_of, run_task, work as default_work
from jixiao.normalize.schema import Dataset

Item = tuple[Found, Task]
Outcome = tuple[Found, Task, Rows]
IN_FLIGHT_PER_WORKER = 2  # enough to keep workers busy, few enough that memory does not grow with the batch
DASK_POLL_SECONDS = 0.05
STOP_CHECK_SECONDS = 1.0  # how often a wait for the workers looks for a stop that was asked for (jixiao/stop.py)


class EngineError(Exception):
    """The engine cannot start (missing extra, unreachable scheduler): a usage error."""


def failed_rows(task: Task, error: str) -> Rows:
    return rows_of(failed(task, error))


def timed_out(task: Task, timeout: float) -> Rows:
    return failed_rows(task, f"timed out after {timeout:g} s")


def run_local(items: Iterable[Item], jobs: int, timeout: float | None,
              work: Callable[[Task], "Rows | Dataset"] = default_work) -> Iterator[Outcome]:
    """A pebble process pool: a file past `timeout` has its worker killed (and replaced)."""
    from pebble import ProcessExpired, ProcessPool

    def outcome(future, task: Task) -> Rows:
        try:
            return future.result()
        except TimeoutError:
            return timed_out(task, timeout)
        except ProcessExpired as err:
            return failed_rows(task, f"worker crashed (exit code {err.exitcode})")
        except Exception as err:  # e.g. a result that could not be sent back
            return failed_rows(task, one_line(err))

    pool = ProcessPool(max_workers=jobs)
    queue = iter(items)
    pending: dict = {}
    try:
        while True:
            for found, task in take(queue, jobs * IN_FLIGHT_PER_WORKER - len(pending)):
                pending[pool.schedule(run_task, args=(task, work), timeout=timeout)] = (found, task)
            if not pending:
                break
            done, _ = wait(pending, timeout=STOP_CHECK_SECONDS, return_when=FIRST_COMPLETED)
            stop.check()  # a stop swallowed while waiting
            for future in [f for f in pending if f in done]:  # in the order given: one worker gives the same order
                found, task = pending.pop(future)
                yield found, task, outcome(future, task)
        pool.close()
    except BaseException:  # Ctrl-C, or the consumer stopped: kill the workers, do not wait for them
        pool.stop()
        raise
    finally:
        pool.join()


def run_dask(items: Iterable[Item], scheduler: str, timeout: float | None,
             work: Callable[[Task], "Rows | Dataset"] = default_work) -> Iterator[Outcome]:
    """The same work on a Dask cluster (workers must see the input paths). A file past `timeout` is
    reported and its task cancelled; Dask cannot kill a running task, so its thread may run on."""
    try:
        from distributed import Client, as_completed
    except ImportError as err:
        raise EngineError("--engine dask needs dask.distributed: pip install 'jixiao[dask]'") from err
    try:
        client = Client(scheduler, timeout="10s")
    except (OSError, TimeoutError) as err:
        raise EngineError(f"cannot reach the Dask scheduler at {scheduler}: {one_line(err)}") from err
    try:
        slots = max(sum(client.nthreads().values()), 1)  # one per thread: time since submission ~ run time
        queue = iter(items)
        pending: dict = {}  # future -> (found, task, submitted at)
        finished = as_completed()
        while True:
            for found, task in take(queue, slots - len(pending)):
                future = client.submit(run_task, task, work, pure=False)
                pending[future] = (found, task, time.monotonic())
                finished.add(future)
            if not pending:
                break
            batch = finished.next_batch(block=False) if finished.has_ready() else []
            for future in batch:
                if future in pending:  # not already reported as timed out
                    found, task, _ = pending.pop(future)
                    yield found, task, dask_outcome(future, task)
            for future, (found, task, started) in list(pending.items()):
                if timeout and time.monotonic() - started > timeout:
                    del pending[future]
                    future.cancel()
                    yield found, task, timed_out(task, timeout)
            stop.check()
            if not batch:
                time.sleep(DASK_POLL_SECONDS)
    finally:
        client.close()


def dask_outcome(future, task: Task) -> Rows:
    try:
        return future.result()
    except Exception as err:  # KilledWorker, CancelledError, ...
        return failed_rows(task, one_line(err))


def take(queue: Iterator[Item], count: int) -> list[Item]:
    items = []
    for _ in range(max(count, 0)):
        item = next(queue, None)
        if item is None:
            break
        items.append(item)
    return items
