"""``executor=`` on a Dask cluster: the same answers as without one.

One :class:`dask.distributed.LocalCluster` of two worker processes (one
thread each, no dashboard) serves the whole module and is shut down at its
end. Its workers are separate processes, started by Dask with ``spawn``:
every task and its arguments really are pickled there and back. Skipped
only when dask.distributed is not installed (it is in the ``test`` extra).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest

import mentormatch as mm
from mentormatch._parallel import parallelism, run_tasks

distributed = pytest.importorskip(
    "dask.distributed", reason="dask.distributed is not installed (pip install '.[distributed]')"
)
dask_config = pytest.importorskip("dask.config")


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    )
    dask_client = distributed.Client(cluster)
    try:
        yield dask_client
    finally:
        dask_client.close()
        cluster.close()


@pytest.fixture(scope="module")
def executor(client: Any) -> Any:
    return client.get_executor()


def test_run_tasks_gives_the_serial_results_in_order(executor: Any) -> None:
    arguments = [(7 * k + 3, k + 1) for k in range(40)]
    assert run_tasks(divmod, arguments, executor=executor, window=5) == [
        divmod(x, y) for x, y in arguments
    ]


def test_a_task_exception_arrives_unchanged(executor: Any) -> None:
    with pytest.raises(ZeroDivisionError, match="division or modulo by zero"):
        run_tasks(divmod, [(4, 2), (1, 0), (3, 1)], executor=executor)


def test_parallelism_counts_the_cluster_threads(executor: Any) -> None:
    assert parallelism(executor) == 2


def test_sensitivity_is_the_same_on_the_cluster(executor: Any) -> None:
    cohort = mm.make_cohort(20, 16, rng=7, n_preferences=2)
    options: dict[str, Any] = {"spread": 0.5, "n_samples": 10, "rng": 3, "progress": False}
    serial = mm.sensitivity(cohort, mm.Scorer(), **options)
    on_cluster = mm.sensitivity(cohort, mm.Scorer(), executor=executor, **options)
    assert on_cluster.pairs.equals(serial.pairs)
    assert on_cluster.stability == serial.stability
    assert serial.pairs["survival"].between(0, 1, inclusive="neither").any()


def test_compare_is_the_same_on_the_cluster(executor: Any) -> None:
    scores = mm.Scorer().score(mm.make_cohort(12, 12, rng=8))
    methods = ["stable", "hungarian", "maxmin"]
    assert mm.compare(scores, methods, executor=executor).equals(mm.compare(scores, methods))


def test_shared_arguments_travel_once_not_with_every_task(executor: Any) -> None:
    # Dask warns when a task carries more than a threshold of data; lowered here
    # below the size of the scores (and warnings are errors in this suite).
    scores = mm.Scorer().score(mm.make_cohort(40, 40, rng=1))
    small = {"distributed.admin.large-graph-warning-threshold": "20kB"}
    with dask_config.set(small):
        with pytest.warns(UserWarning, match="large graph"):
            run_tasks(getattr, [(scores, "shape")], executor=executor)  # carried by the task
        shapes = run_tasks(getattr, [("shape",)] * 3, executor=executor, shared=(scores,))
        assert shapes == [(40, 40)] * 3
        assert mm.compare(scores, executor=executor).equals(mm.compare(scores))
        here = mm.sensitivity(scores.cohort, mm.Scorer(), n_samples=6, rng=0, progress=False)
        there = mm.sensitivity(
            scores.cohort, mm.Scorer(), n_samples=6, rng=0, progress=False, executor=executor
        )
        assert there.pairs.equals(here.pairs)


def test_match_large_gives_the_same_pairs_on_the_cluster(executor: Any) -> None:
    # 1 MiB holds about 32,000 pairs of this cohort's blocks: its 90,000 pairs are scored
    # and priced in three row blocks, spread over the two workers.
    cohort = mm.make_cohort(300, 300, rng=0)
    here = mm.match_large(cohort, executor=None, memory_limit="1MiB")
    there = mm.match_large(cohort, executor=executor, memory_limit="1MiB")
    assert there.pairs.equals(here.pairs)
    assert len(here.pairs) == 300
    proof, again = here.certificate, there.certificate
    assert proof is not None
    assert again is not None
    assert again.holds
    np.testing.assert_array_equal(again.student_dual, proof.student_dual)
    np.testing.assert_array_equal(again.manager_dual, proof.manager_dual)
    assert (again.passes, again.pairs_priced, again.added) == (
        proof.passes,
        proof.pairs_priced,
        proof.added,
    )
