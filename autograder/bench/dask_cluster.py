"""A throwaway Dask distributed cluster, for the tests and the benchmark: a `dask scheduler` and single-threaded
`dask worker` processes on 127.0.0.1, each a process of its own (as on a real cluster) in a session of its own,
their logs in files, never on a terminal. `start()` returns it once the workers have joined; `stop()` ends every
process it started, and what those left behind, and removes the folder of their Dask local directories, one of the
cluster's own (Dask's default, /tmp/dask-scratch-space/, outlives every cluster, and keeps what a killed worker wrote
until another worker starts there).
"""
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from ..environment import scripts_on_path
from .postgres_server import free_port

START_SECONDS = 60
QUIET_DASK = {"DASK_LOGGING__DISTRIBUTED": "error", "DASK_DISTRIBUTED__ADMIN__TICK__LIMIT": "60s"}


class DaskCluster:
    """`dask scheduler` and `dask worker` processes on 127.0.0.1; `address` is the scheduler's."""

    def __init__(self, folder, workers=2, allowed_failures=None, worker_environment=None, preload=None):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.address = f"tcp://127.0.0.1:{self.port}"
        self.scheduler = None
        self.workers = []
        self._settings = (workers, allowed_failures, worker_environment or {}, preload)
        self.local_directory = None  # the processes' Dask temporary directory, from start() to stop()

    def _spawn(self, name, command, environment):
        log = open(self.folder / f"{name}.log", "w")
        local = {"DASK_TEMPORARY_DIRECTORY": str(self.local_directory)}
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                   env=scripts_on_path(dict(os.environ, **QUIET_DASK, **local, **environment)),
                                   start_new_session=True)
        log.close()
        return process

    def start(self):
        workers, allowed_failures, worker_environment, preload = self._settings
        # Not under `folder`: a kernel's sockets go in a worker's local directory, and a Unix socket's path has at
        # most 107 characters.
        self.local_directory = Path(tempfile.mkdtemp(prefix="kit-dask-"))
        environment = {}
        if allowed_failures is not None:
            environment["DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES"] = str(allowed_failures)
        self.scheduler = self._spawn("scheduler", [sys.executable, "-m", "distributed.cli.dask_scheduler",
                                                   "--host", "127.0.0.1", "--port", str(self.port),
                                                   "--no-dashboard"], environment)
        for index in range(workers):
            command = [sys.executable, "-m", "distributed.cli.dask_worker", self.address, "--nworkers", "1",
                       "--nthreads", "1", "--host", "127.0.0.1", "--no-dashboard", "--name", f"worker-{index}"]
            if preload:
                command += ["--preload", str(preload)]
            self.workers.append(self._spawn(f"worker-{index}", command, worker_environment))
        self.wait_for_workers(workers)
        return self

    def client(self):
        from distributed import Client
        return Client(self.address, timeout=START_SECONDS, set_as_default=False)

    def wait_for_workers(self, count):
        with self.client() as client:
            client.wait_for_workers(count, timeout=START_SECONDS)

    def stop_scheduler(self):
        _end(self.scheduler)

    def stop(self):
        for process in self.workers + [self.scheduler]:
            if process is not None:
                _end(process)
        if self.local_directory is not None:
            shutil.rmtree(self.local_directory, ignore_errors=True)


def _end(process, grace=10):
    """Stop a process we started and everything it started (its own session)."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    try:
        os.killpg(process.pid, signal.SIGKILL)  # what it started and left behind (a worker's kernels), if any
    except ProcessLookupError:
        pass
