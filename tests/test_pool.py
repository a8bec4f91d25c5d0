"""The worker pool: each task runs under a time limit, and a task that hangs or a worker that dies costs that task
only. Real worker processes, no kernels."""
import gc
import os
import sys
import time

import pytest

from autograder.grading.pool import PoolBroken, TaskFailed, TaskTimedOut, WorkerDied, WorkerPool, start_forkserver


def answer(task):
    """A task: ("sleep", seconds), ("exit", code), ("raise", message), ("imported", module), ("frozen", None) or a
    number to square."""
    if isinstance(task, tuple):
        kind, value = task
        if kind == "imported":
            return value in sys.modules
        if kind == "frozen":
            return gc.get_freeze_count()
        if kind == "sleep":
            time.sleep(value)
        elif kind == "exit":
            os._exit(value)
        elif kind == "raise":
            raise ValueError(value)
        return kind
    return task * task


def die_on_first_start(marker):
    """Initializer: the first worker to start dies; those started after it live."""
    try:
        os.close(os.open(marker, os.O_CREAT | os.O_EXCL))
    except FileExistsError:
        return
    os._exit(3)


def always_die(code):
    os._exit(code)


def _run(tasks, workers=2, time_limit=20, initializer=None, initargs=()):
    with WorkerPool(answer, workers, initializer, initargs) as pool:
        return list(pool.run(tasks, time_limit))


def test_every_task_gets_its_result():
    assert sorted(result for _, result in _run(range(6))) == [0, 1, 4, 9, 16, 25]


def test_a_task_past_its_limit_is_stopped_and_the_others_finish():
    outcomes = dict(_run([("sleep", 30), 3, 4], time_limit=2))
    assert isinstance(outcomes[("sleep", 30)], TaskTimedOut) and "still running after 2 s" in str(outcomes[("sleep", 30)])
    assert (outcomes[3], outcomes[4]) == (9, 16)


def test_a_worker_that_dies_costs_its_task_only():
    outcomes = dict(_run([("exit", 7), 5, 6, 7]))
    assert isinstance(outcomes[("exit", 7)], WorkerDied) and "exit code 7" in str(outcomes[("exit", 7)])
    assert [outcomes[n] for n in (5, 6, 7)] == [25, 36, 49]


def test_a_task_that_raises_is_reported_with_its_exception():
    outcomes = dict(_run([("raise", "no such thing"), 2]))
    assert isinstance(outcomes[("raise", "no such thing")], TaskFailed)
    assert str(outcomes[("raise", "no such thing")]) == "ValueError: no such thing"
    assert outcomes[2] == 4


def test_a_worker_that_dies_while_starting_is_replaced(tmp_path):
    outcomes = dict(_run([1, 2, 3], initializer=die_on_first_start, initargs=(str(tmp_path / "started"),)))
    assert outcomes == {1: 1, 2: 4, 3: 9}


def test_workers_that_always_die_while_starting_end_the_run_with_one_error():
    started = time.monotonic()
    with pytest.raises(PoolBroken, match="exit code 5"):
        _run([1, 2], initializer=always_die, initargs=(5,))
    assert time.monotonic() - started < 60


@pytest.mark.parametrize("module", ["nbgrader.converters", "autograder.grading.worker", "matplotlib.font_manager"])
def test_a_worker_comes_with_the_grading_modules_imported(module):
    """Forked from a server that imported them once: no worker imports them again (this test's module needs none)."""
    start_forkserver()  # as the grade command does first thing; the pool then forks from it
    assert dict(_run([("imported", module)])) == {("imported", module): True}


def test_the_garbage_collector_of_a_worker_leaves_what_the_forkserver_imported_alone():
    start_forkserver()
    [(_, frozen)] = _run([("frozen", None)])
    assert frozen > 100_000  # nbgrader, the kit and their dependencies: a worker's collections do not walk them
