"""Running independent tasks: here, one after another, or on an executor.

The one place where mentormatch runs work that splits into independent tasks
(the samples of :func:`~mentormatch.sensitivity`, the methods of
:func:`~mentormatch.compare`, the blocks of a large cohort). It does not
schedule anything itself: it hands the tasks to an existing engine.

* ``executor=None``: the tasks run in this process, in order, with no
  pickling (the default, and what every result is checked against);
* any object with the :class:`concurrent.futures.Executor` interface (a
  ``submit`` method returning futures): a local
  :class:`~concurrent.futures.ProcessPoolExecutor` or
  :class:`~concurrent.futures.ThreadPoolExecutor`, or a Dask cluster through
  ``dask.distributed.Client(address).get_executor()``.

Results come back in the order of the arguments, whatever order the tasks
finish in, so a sweep gives the same answer on any executor.

What travels
------------
With a process pool or a Dask cluster, each task's function and arguments
are pickled to a worker and its result pickled back. So the function must
be defined at module level (not a lambda or a closure) and importable where
it runs (mentormatch installed on the Dask workers, at the same version),
and a task's own arguments and its result should be small. What every task
needs (the scores, a cohort's encoded columns) goes in ``shared``: on a Dask
cluster it is scattered once and each worker fetches it once, however many
tasks it runs; a process pool pickles it with every task (so a caller
batches its tasks there); a thread pool and the serial run share this
process's memory and pickle nothing.

Why it terminates
-----------------
Each argument is submitted exactly once and each submitted future is waited
for exactly once, in order; at most ``window`` futures are in flight (by
default twice the executor's workers), so a long sweep, even one given as a
generator of arguments, never holds more than ``window`` results. The run
ends when the arguments are exhausted and the last future is done. It
therefore ends if every task ends and the executor stays able to run them:
a process pool whose worker dies raises
:class:`~concurrent.futures.process.BrokenProcessPool`; Dask reruns a task
whose worker died, and raises ``KilledWorker`` after a few such deaths, but
a cluster left with no worker at all waits for one to join. A task's
exception propagates unchanged (its own type and message) and the futures
not yet started are cancelled.
"""

from __future__ import annotations

import itertools
import os
import time
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator, Sized
from concurrent.futures import Future
from typing import Any, TypeVar

from mentormatch._validation import (
    POSITIVE_INT,
    check_flag,
    check_number,
    describe,
    fail,
    param_where,
)

__all__ = ["check_executor", "imap_tasks", "parallelism", "progress_bar", "run_tasks"]

T = TypeVar("T")

_END: Any = object()

#: In-flight futures when the executor's number of workers is unknown.
DEFAULT_WINDOW = 32
#: ``progress=None`` shows a bar when a run looks longer than this many seconds.
LONG_RUN_SECONDS = 2.0


def check_executor(executor: Any, owner: str) -> Any:
    """``executor`` when it is None or has the Executor interface; else an error."""
    if executor is None:
        return None
    if isinstance(executor, type) or not callable(getattr(executor, "submit", None)):
        raise fail(
            param_where("executor", owner),
            "None or a concurrent.futures.Executor (such as ProcessPoolExecutor(), "
            "or dask.distributed.Client(...).get_executor())",
            describe(executor),
        )
    return executor


def parallelism(executor: Any) -> int:
    """How many tasks ``executor`` runs at once: its workers, or a guess.

    1 for ``None``; the pool size of the standard library's pools; the
    threads of a Dask cluster's workers (through the executor's client);
    else the number of CPUs here.
    """
    if executor is None:
        return 1
    workers = getattr(executor, "_max_workers", None)  # ProcessPool-, ThreadPoolExecutor
    if isinstance(workers, int) and workers > 0:
        return workers
    client = getattr(executor, "_client", executor)  # dask's ClientExecutor, or a Client
    nthreads = getattr(client, "nthreads", None)
    if callable(nthreads):
        try:
            total = sum(int(n) for n in nthreads().values())
        except Exception:  # not dask's nthreads(), or the scheduler did not answer
            total = 0
        if total > 0:
            return total
    return os.cpu_count() or 1


def progress_bar(
    progress: bool | None,
    owner: str,
    *,
    total: int | None,
    desc: str = "",
    unit: str = "block",
    first_seconds: float | None = None,
    parallel: int = 1,
) -> Any:
    """A tqdm bar when asked for, or when the run looks long; None otherwise.

    ``progress=None`` shows one only when tqdm is installed and the first
    result took ``first_seconds`` a unit, which over ``total`` units run
    ``parallel`` at a time adds up to more than about two seconds.
    ``progress=True`` without tqdm (the ``progress`` extra) is an error
    naming the parameter ``progress`` of ``owner``.
    """
    if not progress:
        if progress is False or first_seconds is None:
            return None
        estimate = first_seconds * (total or 1) / max(parallel, 1)
        if estimate < LONG_RUN_SECONDS:
            return None
    try:
        from tqdm.auto import tqdm
    except ImportError:
        if progress:
            raise fail(
                param_where("progress", owner),
                "tqdm installed (pip install 'mentormatch-pairing[progress]')",
                "True without it",
            ) from None
        return None
    return tqdm(total=total, desc=desc or owner, unit=unit)


def imap_tasks(
    function: Callable[..., T],
    arguments: Iterable[tuple[Any, ...]],
    *,
    executor: Any = None,
    progress: bool | None = False,
    desc: str = "",
    unit: str = "block",
    owner: str = "",
    total: int | None = None,
    count: Callable[[T], int] | None = None,
    window: int | None = None,
    shared: tuple[Any, ...] = (),
) -> Generator[T, None, None]:
    """``function(*shared, *args)`` for each ``args`` of ``arguments``, in their order.

    The results come one at a time, as soon as each one and all before it
    are done, so a caller can fold them (into a running top-k, a count)
    without keeping them. The arguments are checked here, at the call; the
    tasks start when the first result is asked for.

    Parameters
    ----------
    function : callable
        Module-level when ``executor`` pickles (processes, Dask).
    arguments : iterable of tuple
        One tuple of positional arguments per task; may be a generator.
    executor : concurrent.futures.Executor, optional
        Where the tasks run; ``None`` runs them here, serially.
    progress : bool or None, default False
        Show a tqdm progress bar; ``None``: only when the run looks long.
    desc, unit : str
        The bar's label (default ``owner``) and the unit it counts.
    owner : str
        The public function on whose behalf this runs, for messages.
    total : int, optional
        The bar's total, when ``arguments`` has no length.
    count : callable, optional
        How far one result moves the bar (default 1), for tasks that each
        do several units of work.
    window : int, optional
        Most futures in flight; default twice :func:`parallelism`.
    shared : tuple, default ()
        Leading arguments of every task, sent once per Dask worker (see
        "What travels" above).

    Yields
    ------
    object
        Each task's result, in the order of ``arguments``.

    Raises
    ------
    InvalidInputError
        When ``executor`` has no ``submit`` method or ``progress`` is not a
        flag (naming the parameter of ``owner``).
    Exception
        A task's own exception, unchanged, when its result is reached.

    Examples
    --------
    >>> from concurrent.futures import ThreadPoolExecutor
    >>> from mentormatch._parallel import imap_tasks
    >>> with ThreadPoolExecutor(2) as pool:
    ...     list(imap_tasks(pow, ((2, k) for k in range(5)), executor=pool))
    [1, 2, 4, 8, 16]
    """
    executor = check_executor(executor, owner)
    progress = check_flag(progress, param_where("progress", owner), none=True)
    if window is not None:
        window = check_number(window, param_where("window", owner), POSITIVE_INT)
    if total is None and isinstance(arguments, Sized):
        total = len(arguments)
    # progress=True without tqdm fails here, before any task runs.
    bar = progress_bar(True, owner, total=total, desc=desc, unit=unit) if progress else None
    return _results(
        function,
        iter(arguments),
        executor,
        bar=bar,
        progress=progress,
        label=(owner, desc, unit, total),
        count=count,
        window=window or 2 * parallelism(executor),
        shared=tuple(shared),
    )


def _results(
    function: Callable[..., T],
    arguments: Iterator[tuple[Any, ...]],
    executor: Any,
    *,
    bar: Any,
    progress: bool | None,
    label: tuple[str, str, str, int | None],
    count: Callable[[T], int] | None,
    window: int,
    shared: tuple[Any, ...],
) -> Generator[T, None, None]:
    owner, desc, unit, total = label
    started = time.perf_counter()
    pending: deque[Future[T]] = deque()
    first = True
    try:
        if shared:
            sent = shared if executor is None else _scattered(executor, shared)
            arguments = ((*sent, *args) for args in arguments)
        if executor is None:
            results: Iterator[T] = (function(*args) for args in arguments)
        else:
            pending.extend(
                executor.submit(function, *a) for a in itertools.islice(arguments, window)
            )
            results = _in_order(pending, arguments, executor, function)
        for result in results:
            step = 1 if count is None else count(result)
            if first and progress is None:
                per_unit = (time.perf_counter() - started) / max(step, 1)
                bar = progress_bar(
                    None,
                    owner,
                    total=total,
                    desc=desc,
                    unit=unit,
                    first_seconds=per_unit,
                    parallel=1 if executor is None else window // 2,
                )
            first = False
            if bar is not None:
                bar.update(step)
            yield result
    finally:
        for future in pending:  # an error, or the caller stopped early
            future.cancel()
        if bar is not None:
            bar.close()


def _scattered(executor: Any, shared: tuple[Any, ...]) -> tuple[Any, ...]:
    """``shared`` as Dask futures, sent to the cluster once; as it is elsewhere.

    Dask resolves a future given as a task's argument to its value on the
    worker, which fetches it once (dask's ``Client.scatter``; each value is
    wrapped in a list so that a dict or list is sent whole, not item by
    item).
    """
    client = getattr(executor, "_client", executor)  # dask's ClientExecutor, or a Client
    scatter = getattr(client, "scatter", None)
    if not callable(scatter) or not hasattr(client, "get_executor"):
        return shared
    return tuple(scatter([value], hash=False)[0] for value in shared)


def _in_order(
    pending: deque[Future[T]],
    arguments: Iterator[tuple[Any, ...]],
    executor: Any,
    function: Callable[..., T],
) -> Iterator[T]:
    """The oldest future's result, then one more task submitted in its place."""
    while pending:
        result = pending[0].result()  # a task's exception is raised here, as it was
        pending.popleft()
        following = next(arguments, _END)
        if following is not _END:
            pending.append(executor.submit(function, *following))
        yield result


def run_tasks(
    function: Callable[..., T],
    arguments: Iterable[tuple[Any, ...]],
    *,
    executor: Any = None,
    progress: bool | None = False,
    desc: str = "",
    unit: str = "block",
    owner: str = "",
    total: int | None = None,
    count: Callable[[T], int] | None = None,
    window: int | None = None,
    shared: tuple[Any, ...] = (),
) -> list[T]:
    """``[function(*shared, *args) for args in arguments]``, on ``executor`` if given.

    The list of :func:`imap_tasks`' results (see there for the parameters):
    in the order of ``arguments``, the same on every executor.

    Examples
    --------
    >>> from concurrent.futures import ThreadPoolExecutor
    >>> from mentormatch._parallel import run_tasks
    >>> run_tasks(divmod, [(7, 2), (9, 4)])
    [(3, 1), (2, 1)]
    >>> with ThreadPoolExecutor(2) as pool:
    ...     run_tasks(divmod, [(7, 2), (9, 4)], executor=pool)
    [(3, 1), (2, 1)]
    """
    return list(
        imap_tasks(
            function,
            arguments,
            executor=executor,
            progress=progress,
            desc=desc,
            unit=unit,
            owner=owner,
            total=total,
            count=count,
            window=window,
            shared=shared,
        )
    )
