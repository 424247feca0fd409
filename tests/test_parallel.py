"""The task runner (``mentormatch._parallel``) and the sweeps that use it.

Every executor must give exactly the serial answer: the same results in the
same order, a task's own exception, and for ``sensitivity`` and ``compare``
the very same tables. The process pool starts its workers with
``forkserver`` (not ``fork``, which Python 3.12+ warns about in a
multi-threaded process such as this test run, and which 3.14 no longer uses
by default).
"""

from __future__ import annotations

import multiprocessing
import threading
import time
from collections.abc import Iterator
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import mentormatch as mm
from mentormatch._parallel import imap_tasks, parallelism, run_tasks
from mentormatch.exceptions import InvalidInputError


class TaskFailed(Exception):
    """A task's own exception type, to check that it arrives unchanged."""


def slow_square(x: int, delay: float) -> int:
    time.sleep(delay)
    return x * x


def fail_on(x: int, bad: int) -> int:
    if x == bad:
        raise TaskFailed(f"task {x} failed")
    return x


@pytest.fixture(scope="module")
def processes() -> Iterator[Executor]:
    with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("forkserver")) as pool:
        yield pool


@pytest.fixture(scope="module")
def threads() -> Iterator[Executor]:
    with ThreadPoolExecutor(3) as pool:
        yield pool


@pytest.fixture(params=["serial", "threads", "processes"])
def executor(request: pytest.FixtureRequest) -> Executor | None:
    if request.param == "serial":
        return None
    pool: Executor = request.getfixturevalue(request.param)
    return pool


# --- run_tasks and imap_tasks -------------------------------------------------------------


def test_results_come_in_the_order_of_the_arguments(executor: Executor | None) -> None:
    # The first tasks take longest, so on a pool they finish last.
    arguments = [(x, 0.02 * (6 - x)) for x in range(7)]
    assert run_tasks(slow_square, arguments, executor=executor) == [x * x for x in range(7)]


def test_a_generator_of_arguments_gives_the_same_results(executor: Executor | None) -> None:
    arguments = ((x, 0.0) for x in range(25))
    assert run_tasks(slow_square, arguments, executor=executor, window=3) == [
        x * x for x in range(25)
    ]


def test_shared_arguments_lead_every_task(executor: Executor | None) -> None:
    results = run_tasks(slow_square, [(0.0,), (0.01,)], executor=executor, shared=(7,))
    assert results == [49, 49]
    assert run_tasks(divmod, [(2,), (3,), (5,)], executor=executor, shared=(17,)) == [
        (8, 1),
        (5, 2),
        (3, 2),
    ]


def test_a_task_exception_arrives_unchanged(executor: Executor | None) -> None:
    with pytest.raises(TaskFailed, match=r"^task 3 failed$"):
        run_tasks(fail_on, [(x, 3) for x in range(6)], executor=executor)


@given(
    values=st.lists(st.integers(-1000, 1000), max_size=40),
    window=st.integers(1, 6),
)
def test_any_window_gives_the_serial_results(values: list[int], window: int) -> None:
    arguments = [(v, 0.0) for v in values]
    with ThreadPoolExecutor(2) as pool:
        assert run_tasks(slow_square, arguments, executor=pool, window=window) == [
            slow_square(*a) for a in arguments
        ]


def test_no_more_than_window_tasks_are_drawn_ahead_of_the_caller(threads: Executor) -> None:
    drawn = 0

    def arguments() -> Iterator[tuple[int, float]]:
        nonlocal drawn
        for x in range(30):
            drawn += 1
            yield (x, 0.0)

    for consumed, result in enumerate(
        imap_tasks(slow_square, arguments(), executor=threads, window=4), 1
    ):
        assert result == (consumed - 1) ** 2
        # The window of 4 in flight, plus the one submitted in place of this result.
        assert drawn <= consumed + 4
    assert drawn == 30


def test_stopping_early_cancels_the_tasks_not_started() -> None:
    ran: list[int] = []
    release = threading.Event()

    def task(x: int) -> int:
        if x > 0:
            release.wait(10)
        ran.append(x)
        return x

    with ThreadPoolExecutor(1) as pool:
        results = imap_tasks(task, [(x,) for x in range(8)], executor=pool, window=4)
        assert next(results) == 0
        results.close()  # the caller stops: tasks 2, 3, 4 wait in the queue and are cancelled
        release.set()
    assert set(ran) <= {0, 1}


def test_serial_runs_here_without_pickling() -> None:
    # A lambda cannot be pickled: it runs only because nothing leaves this process.
    assert run_tasks(lambda a, b: a - b, [(5, 2), (1, 1)]) == [3, 0]


@pytest.mark.parametrize("bad", [object(), ThreadPoolExecutor, "processes:2", 2])
def test_a_bad_executor_names_the_parameter_and_the_owner(bad: object) -> None:
    with pytest.raises(InvalidInputError, match=r"^parameter 'executor' of sweep: expected None"):
        run_tasks(slow_square, [(1, 0.0)], executor=bad, owner="sweep")


def test_the_errors_come_at_the_call_not_at_the_first_result() -> None:
    with pytest.raises(InvalidInputError, match="parameter 'progress' of sweep"):
        imap_tasks(slow_square, [(1, 0.0)], progress="yes", owner="sweep")  # type: ignore[arg-type]


def test_parallelism_reads_the_pool_size(threads: Executor) -> None:
    assert parallelism(None) == 1
    assert parallelism(threads) == 3


def test_progress_true_counts_the_units(capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("tqdm")
    results = run_tasks(
        slow_square, [(x, 0.0) for x in range(4)], progress=True, desc="squares", unit="sq"
    )
    assert results == [0, 1, 4, 9]
    assert "squares: 100%" in capsys.readouterr().err


# --- sensitivity and compare on executors -------------------------------------------------


@pytest.mark.parametrize("pool", ["threads", "processes"])
@pytest.mark.parametrize("method", ["hungarian", "stable"])
def test_sensitivity_is_the_same_on_an_executor(
    pool: str, method: str, request: pytest.FixtureRequest
) -> None:
    cohort = mm.make_cohort(15, 12, rng=4, n_preferences=2)
    options = {"method": method, "spread": 0.6, "n_samples": 11, "rng": 5, "progress": False}
    serial = mm.sensitivity(cohort, mm.Scorer(), **options)  # type: ignore[arg-type]
    spread_out = mm.sensitivity(
        cohort,
        mm.Scorer(),
        executor=request.getfixturevalue(pool),
        **options,  # type: ignore[arg-type]
    )
    assert spread_out.pairs.equals(serial.pairs)
    assert spread_out.stability == serial.stability
    assert spread_out.baseline.pairs.equals(serial.baseline.pairs)
    # The samples differ (else the test would not see a reordering of the draws).
    assert serial.pairs["survival"].between(0, 1, inclusive="neither").any()


def test_sensitivity_draws_the_same_generator_state(threads: Executor) -> None:
    cohort = mm.make_cohort(8, 8, rng=0)
    a, b = np.random.default_rng(9), np.random.default_rng(9)
    mm.sensitivity(cohort, mm.Scorer(), n_samples=7, rng=a, progress=False)
    mm.sensitivity(cohort, mm.Scorer(), n_samples=7, rng=b, progress=False, executor=threads)
    assert a.random() == b.random()


@pytest.mark.parametrize("pool", ["threads", "processes"])
def test_compare_is_the_same_on_an_executor(pool: str, request: pytest.FixtureRequest) -> None:
    scores = mm.Scorer().score(mm.make_cohort(14, 10, rng=6, n_preferences=2))
    methods = ["maxmin", "hungarian", "stable"]
    serial = mm.compare(scores, methods, proposer="managers")
    spread_out = mm.compare(
        scores, methods, executor=request.getfixturevalue(pool), proposer="managers"
    )
    assert spread_out.index.tolist() == methods
    assert spread_out.equals(serial)
