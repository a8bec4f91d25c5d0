"""Worker processes that run tasks in parallel, each task under a wall-clock limit.

A task that runs past its limit, or a worker that dies, costs only that task: the worker is killed
(taking its Jupyter kernel down with it, since the kernel exits when its parent does) and replaced.
"""
import multiprocessing
import time
from multiprocessing.connection import wait


class TaskFailed(Exception):
    """The worker raised; the message is the exception's text."""


class TaskTimedOut(Exception):
    """The task ran past its time limit and its worker was killed."""


class WorkerDied(Exception):
    """The worker process ended without answering (killed, or crashed hard)."""


def _serve(connection, function):
    while True:
        task = connection.recv()
        if task is None:
            return
        try:
            connection.send(("ok", function(task)))
        except Exception as error:  # reported to the parent, which decides what it means
            connection.send(("error", f"{type(error).__name__}: {error}"))


class _Worker:
    def __init__(self, context, function):
        self.connection, child_end = context.Pipe()
        self.process = context.Process(target=_serve, args=(child_end, function), daemon=True)
        self.process.start()
        child_end.close()
        self.task = None
        self.deadline = None

    def start(self, task, time_limit):
        self.task, self.deadline = task, time.monotonic() + time_limit
        self.connection.send(task)

    def finish(self):
        task, self.task, self.deadline = self.task, None, None
        return task

    def kill(self):
        self.process.kill()
        self.process.join()
        self.connection.close()

    def stop(self):
        try:
            self.connection.send(None)
        except OSError:
            pass
        self.process.join(timeout=5)
        if self.process.is_alive():
            self.kill()


def run_tasks(function, tasks, workers, time_limit):
    """Yield (task, result or exception) for every task, in the order they finish.

    function: a module-level function (it is pickled by name into each worker).
    An exception is TaskFailed, TaskTimedOut or WorkerDied.
    """
    context = multiprocessing.get_context("spawn")
    pending = list(tasks)[::-1]
    pool = [_Worker(context, function) for _ in range(max(1, min(workers, len(pending))))]
    try:
        while pending or any(worker.task is not None for worker in pool):
            for worker in pool:
                if worker.task is None and pending:
                    worker.start(pending.pop(), time_limit)
            busy = [worker for worker in pool if worker.task is not None]
            ready = wait([worker.connection for worker in busy], timeout=0.2)
            for index, worker in enumerate(pool):
                if worker.task is None:
                    continue
                if worker.connection in ready:
                    yield _collect(worker)
                    if not worker.process.is_alive():
                        pool[index] = _Worker(context, function)
                elif time.monotonic() > worker.deadline:
                    worker.kill()
                    pool[index] = _Worker(context, function)
                    yield worker.finish(), TaskTimedOut(f"still running after {time_limit:g} s")
    finally:
        for worker in pool:
            worker.stop()


def _collect(worker):
    try:
        kind, value = worker.connection.recv()
    except (EOFError, OSError):
        worker.kill()
        return worker.finish(), WorkerDied(f"the grading process died (exit code {worker.process.exitcode})")
    task = worker.finish()
    return (task, value) if kind == "ok" else (task, TaskFailed(value))
