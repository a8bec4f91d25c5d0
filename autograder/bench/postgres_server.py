"""A throwaway PostgreSQL server of the operating system's PostgreSQL 15 (Debian's `postgresql` package), for the
tests and the benchmark: `initdb` into a folder of its own as the `postgres` user, `pg_ctl start` on 127.0.0.1 only
with a private port and socket folder, `stop()` to end it. Never for a course's real gradebook.
"""
import os
import shutil
import socket
import subprocess
import uuid
from pathlib import Path

POSTGRES_BIN = Path("/usr/lib/postgresql/15/bin")
POSTGRES_USER = "postgres"  # the operating system's user that owns the server (the tests run as root)
START_SECONDS = 60


def _as_postgres(command):
    if os.geteuid() == 0:
        return ["runuser", "-u", POSTGRES_USER, "--"] + command
    return command  # an unprivileged user runs the server as themselves


class PostgresServer:
    """A throwaway PostgreSQL server: `new_database()` gives the SQLAlchemy URL of an empty database."""

    def __init__(self, folder, port, durable=False):
        self.folder, self.port = Path(folder), port
        self.durable = durable  # False (the tests): no fsync, a crash may lose the data; True: PostgreSQL's defaults
        self.data, self.sockets, self.log = self.folder / "data", self.folder / "sockets", self.folder / "server.log"

    def start(self):
        self.sockets.mkdir()
        if os.geteuid() == 0:
            shutil.chown(self.folder, POSTGRES_USER)
            shutil.chown(self.sockets, POSTGRES_USER)
        self._run([str(POSTGRES_BIN / "initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust", "-E", "UTF8",
                   "--locale=C", "--no-sync"])
        options = f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.sockets}"
        if not self.durable:
            options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        self._run([str(POSTGRES_BIN / "pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-o", options, "-w",
                   "-t", str(START_SECONDS), "start"])

    def stop(self):
        if (self.data / "postmaster.pid").exists():
            self._run([str(POSTGRES_BIN / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop"])

    def _run(self, command):
        run = subprocess.run(_as_postgres(command), cwd=self.folder, capture_output=True, text=True)
        if run.returncode:
            log = self.log.read_text() if self.log.exists() else ""
            raise RuntimeError(f"{' '.join(command)} failed: {run.stderr.strip()} {log[-2000:]}")

    def url(self, database):
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def new_database(self):
        import psycopg  # only the tests and the benchmark need it
        name = f"gradebook_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(host="127.0.0.1", port=self.port, user="postgres", dbname="postgres",
                             autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)



def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
