"""The servers the end-to-end tests need, real ones, each started on 127.0.0.1 with a private port and stopped by
its fixture, also when a test fails: a PostgreSQL 15 server (Debian's `postgresql` package, which `make test`
installs) and Dask distributed clusters (a scheduler and worker processes).

A pytest plugin, loaded by conftest.py.
"""
import shutil
import tempfile

import pytest

from autograder.bench.dask_cluster import DaskCluster
from autograder.bench.postgres_server import POSTGRES_BIN, PostgresServer, free_port


@pytest.fixture(scope="session")
def postgres():
    if not (POSTGRES_BIN / "initdb").exists():
        pytest.fail(f"{POSTGRES_BIN / 'initdb'} is missing: install Debian's postgresql package (make postgres)")
    folder = tempfile.mkdtemp(prefix="kit-postgres-")  # not under pytest's 0700 folder: the server's user reads it
    server = PostgresServer(folder, free_port())
    try:
        server.start()
        yield server
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def dask_cluster(tmp_path):
    """A factory: `dask_cluster(workers=2, allowed_failures=None, worker_environment=None, preload=None)` starts a
    cluster; every cluster it started is stopped at the end of the test."""
    started = []

    def start(**settings):
        cluster = DaskCluster(tmp_path / f"dask-{len(started)}", **settings)
        started.append(cluster)
        return cluster.start()

    try:
        yield start
    finally:
        for cluster in started:
            cluster.stop()
