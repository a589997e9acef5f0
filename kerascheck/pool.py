"""Process-pool plumbing: map a function over many items in worker processes.

Nothing here knows what is being checked. The engine hands over the function, the
items and, when the function needs per-run state (the rules, the project index), how
each worker builds that state once. What this module guarantees is what a pool must
not do to a lint run: a worker that dies takes only its own item down (libcst's native
parser can still overflow the C stack), and Ctrl-C stops every worker at once, leaving
no process and no thread behind.
"""
from __future__ import annotations

import functools
import multiprocessing
import os
import signal
import sys
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Callable, Optional, Sequence

# Below this many items a pool costs more (forking, shipping results) than it saves.
_PARALLEL_THRESHOLD = 16

# The per-run object this process built (see map_items' `worker`).
_WORKER_STATE: object = None


def map_items(
    function: Callable,
    items: Sequence,
    jobs: int,
    worker: Optional[tuple[Callable, tuple]] = None,
    on_crash: Optional[Callable] = None,
) -> list:
    """[function(item) for item in items], in a pool of `jobs` processes when there are
    enough items. With `worker` = (build, args), each process builds `build(*args)` once
    and `function` is called as function(that object, item). A worker that dies loses
    only its batch: those items are retried one per process, and one that kills its
    process again yields `on_crash(item)` (without `on_crash`, BrokenProcessPool)."""
    initializer, initargs = None, ()
    if worker is not None:
        function = functools.partial(_call_with_state, function)
        initializer, initargs = _init_worker, worker
    if jobs <= 1 or len(items) < _PARALLEL_THRESHOLD:
        if initializer is not None:
            initializer(*initargs)
        return [function(item) for item in items]
    size = max(1, len(items) // (jobs * 8))
    batches = [items[start:start + size] for start in range(0, len(items), size)]
    results: list = [None] * len(batches)
    lost = []
    pool = _pool(jobs, initializer, initargs)
    try:
        futures = [pool.submit(_run_batch, function, batch) for batch in batches]
        for number, future in enumerate(futures):
            try:
                results[number] = future.result()
            except BrokenProcessPool:
                lost.append(number)
        pool.shutdown(wait=True)
    except BaseException:  # KeyboardInterrupt above all, also while the pool winds down
        _stop(pool)
        raise
    for number in lost:
        results[number] = [_isolated(function, item, initializer, initargs, on_crash) for item in batches[number]]
    return [result for batch in results for result in batch]


def default_jobs() -> int:
    """The cores this process may run on."""
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


def _init_worker(build: Callable, args: tuple) -> None:
    global _WORKER_STATE
    _WORKER_STATE = build(*args)


def _call_with_state(function: Callable, item):
    return function(_WORKER_STATE, item)


def _start_worker(initializer, initargs) -> None:
    # Ctrl-C reaches the whole process group: the parent alone handles it (and stops the
    # workers), so no worker prints a KeyboardInterrupt traceback of its own.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if initializer is not None:
        initializer(*initargs)


def _pool(jobs: int, initializer=None, initargs=()):
    context = multiprocessing.get_context("fork") if sys.platform == "linux" else None
    return ProcessPoolExecutor(
        max_workers=jobs, mp_context=context, initializer=_start_worker, initargs=(initializer, initargs)
    )


def _run_batch(function: Callable, batch: Sequence) -> list:
    return [function(item) for item in batch]


def _stop(pool: ProcessPoolExecutor) -> None:
    """Stop a pool now (Ctrl-C, an error): kill its workers instead of letting them
    finish the queue, and leave no process, and no thread Python's exit would wait for,
    behind."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    # shutdown() forgets both: the thread that collects results, and the parent's end of
    # the pipe the workers send them through.
    manager = getattr(pool, "_executor_manager_thread", None)
    writer = getattr(getattr(pool, "_result_queue", None), "_writer", None)
    for process in processes:
        if process.is_alive():
            process.terminate()
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        process.join(timeout=2)
        if process.is_alive():
            process.kill()
            process.join(timeout=2)
    if manager is not None:
        _release(manager, writer)


def _release(manager: threading.Thread, writer) -> None:
    """A worker killed while it was sending a result leaves the pool's manager thread
    waiting for the rest of that message, forever, and Python's exit waits for that
    thread. Every worker is dead by now, so closing the parent's own end of the result
    pipe turns the wait into end-of-file: the thread finds the pool broken and ends."""
    manager.join(timeout=0.5)
    if manager.is_alive() and writer is not None:
        writer.close()
        manager.join(timeout=5)


def _isolated(function: Callable, item, initializer, initargs, on_crash):
    """function(item) alone in a fresh process, so that a crash takes nothing else down."""
    pool = _pool(1, initializer, initargs)
    try:
        return pool.submit(_run_batch, function, [item]).result()[0]
    except BrokenProcessPool:
        if on_crash is None:
            raise
        return on_crash(item)
    except BaseException:
        _stop(pool)
        raise
    finally:
        pool.shutdown(wait=True)
