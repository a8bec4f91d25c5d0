"""Worker processes that run tasks in parallel, each task under a wall-clock limit.

A task that runs past its limit, or a worker that dies, costs only that task: the worker is killed
(taking its Jupyter kernel down with it, since the kernel exits when its parent does) and replaced.
Workers start as soon as the pool is entered, so their start-up overlaps the caller's own work.

Workers are forked from multiprocessing's forkserver, which imports the grading modules once (forkserver.py),
rather than started afresh: each would import them again. The forkserver starts with the first pool, or earlier
(start_forkserver), and serves every pool of this process after; a worker takes this process's sys.path and
working folder at its start, and the forkserver's environment, which is this process's when it started.

Each worker's temporary files (tempfile's folder and TMPDIR in the worker: a kernel's sockets folder, say) go in a
folder of the pool's own, private to this process's user, which the pool removes when the worker ends, however it
ends: a worker killed on its time limit, or one that crashed, leaves nothing in the system's temporary folder.
"""
import importlib
import multiprocessing
import multiprocessing.forkserver
import os
import shutil
import tempfile
import time
from multiprocessing.connection import wait
from pathlib import Path

from ..environment import prepare_process


class TaskFailed(Exception):
    """The worker raised; the message is the exception's text."""


class TaskTimedOut(Exception):
    """The task ran past its time limit and its worker was killed."""


class WorkerDied(Exception):
    """The worker process ended without answering (killed, or crashed hard)."""


class PoolBroken(Exception):
    """Workers keep dying while they start, so no task can run; the message says how the last one ended."""


# A worker spends part of each submission waiting for its kernel; one worker more than there are
# cores keeps the cores busy (40 submissions on 2 cores: 27.9 s with 3 workers, 30.3 s with 2).
DEFAULT_WORKERS = (os.cpu_count() or 1) + 1

FORKSERVER_SETUP = "autograder.grading.forkserver"  # the module the forkserver imports before it forks a worker
READY = "ready"
STOP_SECONDS = 5  # for all workers to exit once asked; those still running then are killed
START_FAILURES = 3  # per worker slot: past this many deaths at start-up, no worker is going to start


def _name(function):
    return None if function is None else f"{function.__module__}:{function.__qualname__}"


def _resolve(name):
    module, _, qualname = name.partition(":")
    value = importlib.import_module(module)
    for part in qualname.split("."):
        value = getattr(value, part)
    return value


def _serve(connection, temporary, function_name, initializer_name, initargs):
    # The functions travel by name and are imported only once the process is set up (prepare_process must
    # come before the kit's modules are imported, and unpickling a function imports its module).
    tempfile.tempdir = os.environ["TMPDIR"] = temporary  # this process's and its children's: the pool removes it
    prepare_process()
    function = _resolve(function_name)
    if initializer_name is not None:
        _resolve(initializer_name)(*initargs)
    connection.send(READY)
    while True:
        task = connection.recv()
        if task is None:
            return
        try:
            connection.send(("ok", function(task)))
        except Exception as error:  # reported to the parent, which decides what it means
            connection.send(("error", f"{type(error).__name__}: {error}"))


class _Worker:
    def __init__(self, context, target_args, temporary):
        self.temporary = temporary  # the worker's temporary folder, made for it by the pool
        self.connection, child_end = context.Pipe()
        self.process = context.Process(target=_serve, args=(child_end, str(temporary)) + target_args, daemon=True)
        self.process.start()
        child_end.close()
        self.ready = False  # the initializer has not finished yet
        self.task = None
        self.deadline = None

    def start(self, task, time_limit):
        self.task, self.deadline = task, time.monotonic() + time_limit
        self.connection.send(task)

    def finish(self):
        task, self.task, self.deadline = self.task, None, None
        return task

    def kill(self):
        """End the worker (if it still runs) and remove its temporary folder."""
        self.process.kill()
        self.process.join()
        self.connection.close()
        # As root, this also removes what a sandbox's user made in a kernel's sockets folder before it was sealed.
        shutil.rmtree(self.temporary, ignore_errors=True)

    def ask_to_stop(self):
        try:
            self.connection.send(None)
        except OSError:
            pass

    def wait_stopped(self, deadline):
        self.process.join(timeout=max(0.0, deadline - time.monotonic()))
        self.kill()  # if it still runs; and its folder goes either way


class WorkerPool:
    """`with WorkerPool(function, workers) as pool: for task, result in pool.run(tasks, time_limit): ...`

    function, initializer: module-level functions (they are pickled by name into each worker);
    initializer(*initargs) runs once in each worker before its first task.
    """

    def __init__(self, function, workers, initializer=None, initargs=()):
        self._context = _forking()
        self._target_args = (_name(function), _name(initializer), initargs)
        self._size = max(1, workers)
        self._workers = []
        self._scratch = None  # the workers' temporary folders' folder, while the pool is entered
        self._started = 0

    def __enter__(self):
        # mkdtemp's folder is its user's alone: a sandbox's user (a kernel) reaches no other worker's sockets. Short
        # names: a kernel's sockets are 3 folders down, and a Unix socket's path has at most 107 characters.
        self._scratch = Path(tempfile.mkdtemp(prefix="kit-"))
        self._workers = []
        try:
            for _ in range(self._size):
                self._workers.append(self._new_worker())
        except BaseException:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc_info):
        # All at once: a worker's interpreter takes about half a second to shut down.
        for worker in self._workers:
            worker.ask_to_stop()
        deadline = time.monotonic() + STOP_SECONDS
        for worker in self._workers:
            worker.wait_stopped(deadline)
        shutil.rmtree(self._scratch, ignore_errors=True)

    def _new_worker(self):
        self._started += 1
        temporary = self._scratch / str(self._started)
        temporary.mkdir(mode=0o700)
        return _Worker(self._context, self._target_args, temporary)

    def run(self, tasks, time_limit):
        """Yield (task, result or exception) for every task, in the order they finish.

        An exception is TaskFailed, TaskTimedOut or WorkerDied.
        """
        pending = list(tasks)[::-1]
        pool = self._workers
        start_failures = 0
        while pending or any(worker.task is not None for worker in pool):
            for worker in pool:
                if worker.ready and worker.task is None and pending:
                    worker.start(pending.pop(), time_limit)
            waiting = [worker for worker in pool if worker.task is not None or not worker.ready]
            ready = wait([worker.connection for worker in waiting], timeout=0.2)
            for index, worker in enumerate(pool):
                if not worker.ready:
                    if worker.connection in ready:
                        worker.ready = _starting_up(worker)
                        if not worker.ready:
                            start_failures += 1
                            if start_failures > START_FAILURES * len(pool):
                                raise PoolBroken(f"{start_failures} grading processes died while starting (the "
                                                 f"last with exit code {worker.process.exitcode})")
                            pool[index] = self._new_worker()
                    continue
                if worker.task is None:
                    continue
                if worker.connection in ready:
                    yield _collect(worker)
                    if not worker.process.is_alive():
                        worker.kill()
                        pool[index] = self._new_worker()
                elif time.monotonic() > worker.deadline:
                    worker.kill()
                    pool[index] = self._new_worker()
                    yield worker.finish(), TaskTimedOut(f"still running after {time_limit:g} s")


def _forking():
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([FORKSERVER_SETUP])
    return context


def start_forkserver():
    """Start the workers' forkserver now, so that it imports the grading modules while this process goes on."""
    _forking()
    multiprocessing.forkserver.ensure_running()


def _starting_up(worker):
    """True once the worker says it is ready; False if it died while starting."""
    try:
        return worker.connection.recv() == READY
    except (EOFError, OSError):
        worker.kill()
        return False


def _collect(worker):
    try:
        kind, value = worker.connection.recv()
    except (EOFError, OSError):
        worker.kill()
        return worker.finish(), WorkerDied(f"the grading process died (exit code {worker.process.exitcode})")
    task = worker.finish()
    return (task, value) if kind == "ok" else (task, TaskFailed(value))
