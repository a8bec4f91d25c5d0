"""The worker pool: each task runs under a time limit, and a task that hangs or a worker that dies costs that task
only. Real worker processes, no kernels."""
import gc
import os
import stat
import sys
import tempfile
import time
from pathlib import Path

import pytest

from autograder.grading.pool import PoolBroken, TaskFailed, TaskTimedOut, WorkerDied, WorkerPool, start_forkserver
from autograder.kernel.sandbox import UNPRIVILEGED_UID


def answer(task):
    """A task: ("sleep", seconds), ("exit", code), ("raise", message), ("imported", module), ("frozen", None),
    ("tempdir", None), ("sockets", then: another task) or a number to square."""
    if isinstance(task, tuple):
        kind, value = task
        if kind == "imported":
            return value in sys.modules
        if kind == "frozen":
            return gc.get_freeze_count()
        if kind == "tempdir":
            return tempfile.gettempdir(), os.environ.get("TMPDIR")
        if kind == "sockets":
            _sockets_folder_as_a_kernel_starts()
            return answer(value)
        if kind == "sleep":
            time.sleep(value)
        elif kind == "exit":
            os._exit(value)
        elif kind == "raise":
            raise ValueError(value)
        return kind
    return task * task


def _sockets_folder_as_a_kernel_starts():
    """A sockets folder as grade_submission makes one and the sandbox hands it over while the kernel starts
    (Sandbox.prepare, Sandbox.share): the sandbox's user's, with the connection file in it."""
    folder = Path(tempfile.mkdtemp(prefix="sockets-"))
    (folder / "connection.json").write_text("{}")
    if os.geteuid() == 0:
        for path in (folder / "connection.json", folder):
            os.chown(path, UNPRIVILEGED_UID + 1999, UNPRIVILEGED_UID + 1999)


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


# However a worker ends, what it left in its temporary folder goes with it.
ENDINGS = {"killed for running past its time limit": ("sleep", 30), "that dies": ("exit", 7),
           "that finishes its task": 3}


@pytest.mark.parametrize("ending", ENDINGS)
def test_a_worker_leaves_no_folder_in_the_temporary_directory(ending, tmp_path, monkeypatch):
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))  # the grading process's, which the pool's folder is in
    with WorkerPool(answer, 2) as pool:
        outcomes = dict(pool.run([("sockets", ENDINGS[ending]), ("tempdir", None)], time_limit=3))
    worker_tempdir, worker_tmpdir = outcomes[("tempdir", None)]
    assert Path(worker_tempdir).is_relative_to(temporary) and worker_tmpdir == worker_tempdir  # and its kernel's
    assert list(temporary.iterdir()) == []


def test_a_workers_temporary_folder_and_the_pools_are_private_to_the_graders_user(tmp_path, monkeypatch):
    """A sandbox's user (a kernel) reaches no other worker's sockets folder."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    with WorkerPool(answer, 1) as pool:
        [(_, (folder, _))] = pool.run([("tempdir", None)], time_limit=20)
        for path in (Path(folder), Path(folder).parent):
            status = path.stat()
            assert (stat.S_IMODE(status.st_mode), status.st_uid) == (0o700, os.geteuid())
