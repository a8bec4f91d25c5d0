"""Run a submission's Jupyter kernel in a bubblewrap sandbox.

Inside, the kernel sees the operating system's /usr, the Python installation it runs on, the
release files its notebook needs (read-only) and private scratch space (size-limited tmpfs): not
source/, not the gradebook, not other submissions, not the instructor's home. It has no network,
its own process and IPC namespaces, a cleared environment, and resource limits (memory, CPU time,
processes, file size). When run as root, the kernel also drops to an unprivileged user, so that the
process limit applies. When the kernel ends or its grader dies, bubblewrap's process namespace
ends, and every process the student started ends with it.

The grader talks to the kernel over Unix sockets (ZeroMQ's ipc transport) in a folder that only
the kernel's sockets live in; once the kernel is up, the folder is made read-only to it.
"""
import asyncio
import functools
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import zmq
import zmq.asyncio

from .client import ReadyTellingClient
from .manager import QuickStopKernelManager

BWRAP = "bwrap"
# The folder the notebook runs in, inside the sandbox: the same for every submission.
WORKDIR = "/home/student/work"
SCRATCH = "/tmp"
SYSTEM_DIRS = ("/usr", "/etc/alternatives", "/etc/ld.so.cache", "/etc/ssl/certs")
# The only variables of the grader's environment the kernel sees: nbgrader's, and the OpenBLAS settings some
# processors need (older OpenBLAS builds compute wrong results or crash on them without).
PASSED_ON = ("NBGRADER_EXECUTION", "OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")
# One BLAS thread per kernel: the pool already runs a kernel per core, and oversubscribed BLAS threads spin.
ONE_THREAD = {name: "1" for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")}
MAX_SOCKET_MESSAGE = 64 * 1024 ** 2  # bytes of one message from the kernel
BIND_SECONDS = 60  # for a cold kernel to bind its sockets before its client connects anyway
BIND_LOOK = 0.002  # seconds between looks at a starting kernel's sockets
RECONNECT_MS = 5  # a client's socket that found no kernel to connect to tries again after this (ZeroMQ's: 100 ms)
UNPRIVILEGED_UID = 64000  # the sandbox's user when the grader runs as root (plus the worker's slot)


@dataclass(frozen=True)
class Limits:
    memory: int = 2 * 1024 ** 3  # bytes of address space of each process
    cpu_seconds: int = 900  # of each process
    wall_seconds: int = 3600  # of the whole sandbox, even if its grader is gone
    processes: int = 64 + 2 * (os.cpu_count() or 1)  # threads count too: NumPy's BLAS starts one per core
    file_size: int = 64 * 1024 ** 2  # bytes, of any file written
    scratch: int = 256 * 1024 ** 2  # bytes, of the working folder and of /tmp each


@functools.lru_cache(maxsize=None)
def problem() -> str | None:
    """None when sandboxes work here; otherwise why not, in one line."""
    if shutil.which(BWRAP) is None:
        return "bubblewrap (bwrap) is not installed; on Debian or Ubuntu: apt-get install bubblewrap"
    with tempfile.TemporaryDirectory() as sockets:
        command = Sandbox(sockets, {}).wrap(["/bin/true"] if Path("/bin/true").exists() else ["/usr/bin/true"])
        result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        return f"bubblewrap cannot create a sandbox here: {result.stderr.strip() or result.returncode}"
    return None


class Sandbox:
    """The bubblewrap command line for one submission's kernel.

    sockets: the host folder that holds the kernel's connection file and sockets (mounted at the same path).
    files: {path inside WORKDIR: host path} of the release files the notebook reads, mounted read-only.
    slot: a small number that tells parallel sandboxes apart (their unprivileged users differ).
    """

    def __init__(self, sockets, files, limits=Limits(), slot=0):
        self.sockets = str(Path(sockets).resolve())
        self.files = dict(files)
        self.limits = limits
        self.uid = UNPRIVILEGED_UID + slot if os.geteuid() == 0 else None

    def wrap(self, command):
        """`command` (a list) as it runs inside the sandbox."""
        return [BWRAP, *self._namespaces(), *self._filesystem(), *self._environment(), "--",
                *self._wall_clock(), *self._drop_privileges(), *self._limits(), *command]

    def prepare(self):
        """Let the sandbox's user create its sockets in the sockets folder."""
        if self.uid is not None:
            os.chown(self.sockets, self.uid, self.uid)
        os.chmod(self.sockets, 0o700)

    def share(self, path):
        """Let the sandbox's user read `path` (the kernel's connection file, private to the grader)."""
        if self.uid is not None:
            os.chown(path, self.uid, self.uid)

    def seal(self):
        """The kernel is up and its sockets exist: take away its right to write in the sockets folder."""
        if self.uid is not None:
            os.chown(self.sockets, 0, 0)
            os.chmod(self.sockets, 0o755)

    def _namespaces(self):
        # No user namespace when run as root: the kernel must become a real unprivileged user.
        user = [] if self.uid is not None else ["--unshare-user"]
        return [*user, "--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try",
                "--die-with-parent", "--new-session", "--hostname", "sandbox"]

    def _filesystem(self):
        arguments = []
        for path in SYSTEM_DIRS:
            if os.path.exists(path):
                arguments += ["--ro-bind", path, path]
        for name in ("bin", "lib", "lib64", "sbin"):  # merged /usr: these are links into it
            target = os.path.realpath(f"/{name}")
            if target.startswith("/usr/"):
                arguments += ["--symlink", target.lstrip("/"), f"/{name}"]
        # /tmp first: a later mount inside it (a Python environment in /tmp, the sockets) stays visible.
        arguments += ["--proc", "/proc", "--dev", "/dev", "--perms", "1777", "--size", str(self.limits.scratch),
                      "--tmpfs", SCRATCH]
        created = {SCRATCH}
        # Matplotlib wants a writable folder for its settings; the grader's font list saves it a rebuild.
        arguments += ["--perms", "1777", "--dir", f"{SCRATCH}/matplotlib"]
        font_list = matplotlib_font_list()
        if font_list:
            arguments += ["--ro-bind", font_list, f"{SCRATCH}/matplotlib/{os.path.basename(font_list)}"]
        for path in python_dirs():
            arguments += _parents(path, created) + ["--ro-bind", path, path]
        arguments += _parents(WORKDIR, created) + ["--perms", "1777", "--size", str(self.limits.scratch),
                                                   "--tmpfs", WORKDIR]
        created.add(WORKDIR)
        for inside, host in sorted(self.files.items()):  # a file in a subfolder needs its folder traversable
            arguments += _parents(f"{WORKDIR}/{inside}", created) + ["--ro-bind", str(host), f"{WORKDIR}/{inside}"]
        arguments += _parents(self.sockets, created) + ["--bind", self.sockets, self.sockets]
        return arguments + ["--chdir", WORKDIR]

    def variables(self):
        """The kernel's environment: nothing of the grader's but PASSED_ON."""
        variables = {"PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin", "HOME": f"{SCRATCH}/home",
                     "IPYTHONDIR": f"{SCRATCH}/ipython", "MPLCONFIGDIR": f"{SCRATCH}/matplotlib",
                     "MPLBACKEND": "Agg", "LANG": "C.UTF-8", "PYTHONDONTWRITEBYTECODE": "1",
                     # The kernel's parent is bubblewrap's init, pid 1 in its namespace; so told, ipykernel
                     # neither watches it nor prints its notice for kernels started by hand.
                     "JPY_PARENT_PID": "1", **ONE_THREAD}
        # nbgrader tells notebooks they are being graded (the application's training runs then stop early).
        variables.update((name, os.environ[name]) for name in PASSED_ON if name in os.environ)
        return variables

    def _environment(self):
        arguments = ["--clearenv"]
        for name, value in self.variables().items():
            arguments += ["--setenv", name, value]
        if self.uid is not None:  # to become the unprivileged user, and for `timeout` to signal it
            arguments += ["--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID", "--cap-add", "CAP_KILL"]
        return arguments

    def _wall_clock(self):
        # A kernel whose grader died before bubblewrap could tie it to its parent would otherwise wait for
        # messages forever. `timeout` runs before the kernel drops its privileges, so the kernel cannot kill it.
        return ["timeout", "--signal=KILL", f"{self.limits.wall_seconds}s"]

    def _drop_privileges(self):
        if self.uid is None:
            return []
        return ["setpriv", f"--reuid={self.uid}", f"--regid={self.uid}", "--clear-groups", "--inh-caps=-all",
                "--bounding-set=-all", "--"]

    def _limits(self):
        limits = self.limits
        return ["prlimit", f"--as={limits.memory}", f"--cpu={limits.cpu_seconds}", f"--nproc={limits.processes}",
                f"--fsize={limits.file_size}", "--core=0", "--"]


def python_dirs():
    """The folders the kernel's Python needs: its environment and the installation it was made from."""
    dirs = {os.path.realpath(sys.prefix), os.path.realpath(sys.base_prefix),
            os.path.dirname(os.path.dirname(os.path.realpath(sys.executable)))}
    # A folder inside another is mounted with it.
    return sorted(path for path in dirs if not any(path != other and path.startswith(other + "/") for other in dirs))


@functools.lru_cache(maxsize=None)
def matplotlib_font_list():
    """The grader's own Matplotlib font list (built on first use), or None."""
    try:
        from matplotlib import font_manager, get_cachedir
    except ImportError:
        return None
    font_manager.fontManager  # loading it writes the list when there is none
    lists = sorted(Path(get_cachedir()).glob("fontlist-*.json"))
    return str(lists[-1]) if lists else None


def _parents(path, created):
    """bubblewrap makes missing parent folders private (0700); make them traversable instead."""
    arguments = []
    parts = Path(path).parts
    for depth in range(2, len(parts)):
        parent = str(Path(*parts[:depth]))
        if parent not in created:
            created.add(parent)
            arguments += ["--perms", "0755", "--dir", parent]
    return arguments


class SandboxedKernelManager(QuickStopKernelManager):
    """A Jupyter kernel manager whose kernels start inside `sandbox` and talk over its sockets folder.

    The sandbox is sealed as soon as the kernel answers its client's first request: nbclient's synchronous
    setup_kernel, which nbgrader's Execute uses, never calls an override of async_start_new_kernel_client.
    """

    def __init__(self, sandbox, **kwargs):
        kwargs.setdefault("client_class", f"{ReadyTellingClient.__module__}.{ReadyTellingClient.__name__}")
        super().__init__(transport="ipc", **kwargs)
        self.sandbox = sandbox
        self.ip = os.path.join(sandbox.sockets, "kernel")
        self.connection_file = os.path.join(sandbox.sockets, "connection.json")
        # A signal would reach bubblewrap, not the kernel: ask the kernel to interrupt itself instead.
        self.kernel_spec.interrupt_mode = "message"
        self.client_context = None
        self.timings = {}  # {"grading": seconds}, which conversation.grade_function adds to
        self._starting_at = self._ready_at = None

    def client(self, **kwargs):
        """A client whose sockets drop a kernel that sends a message of more than MAX_SOCKET_MESSAGE bytes, before
        the grader holds it in memory."""
        self.client_context = zmq.asyncio.Context()
        self.client_context.setsockopt(zmq.MAXMSGSIZE, MAX_SOCKET_MESSAGE)
        self.client_context.setsockopt(zmq.RECONNECT_IVL, RECONNECT_MS)
        return super().client(context=self.client_context, **kwargs)

    async def stop(self):
        """Stop the kernel, if it still runs, and close the client's sockets (once its channels are stopped)."""
        if self.has_kernel and await self.is_alive():
            await self.shutdown_kernel(now=True)
        if self.client_context is not None:
            self.client_context.destroy(linger=0)

    def format_kernel_cmd(self, extra_arguments=None):
        return self.sandbox.wrap(super().format_kernel_cmd(extra_arguments))

    def kernel_ready(self):
        """The kernel answered: its sockets exist, so seal its sandbox; and note when (the benchmark's breakdown)."""
        if self._ready_at is None:
            self._ready_at = time.perf_counter()
            self.sandbox.seal()

    def kernel_start_seconds(self):
        """Seconds from this manager's start of the kernel until the kernel answered; None if it did not."""
        return None if self._ready_at is None or self._starting_at is None else self._ready_at - self._starting_at

    async def _async_launch_kernel(self, kernel_cmd, **kw):
        await super()._async_launch_kernel(kernel_cmd, **kw)
        await self._sockets_bound()

    async def _sockets_bound(self):
        """Return once the kernel has bound its sockets (their files exist), or it ended, or after BIND_SECONDS.

        A client socket that connects sooner finds nothing and tries again 0.1 to 0.2 s later, each on its own clock.
        The kernel's first request to the grader (conversation.py's input_request) could then come before the
        client's stdin socket had reached it, and ZeroMQ drops a message to a peer it does not know yet: in one start
        in 30, the kernel waited for an answer that never came, and a correct function lost its points to the time
        limit."""
        paths = [f"{self.ip}-{port}" for port in self.ports]
        deadline = time.monotonic() + BIND_SECONDS
        while not all(os.path.exists(path) for path in paths) and time.monotonic() < deadline:
            if self.provisioner.process is not None and self.provisioner.process.poll() is not None:
                return
            await asyncio.sleep(BIND_LOOK)

    async def _async_pre_start_kernel(self, **kw):
        self._starting_at = time.perf_counter()
        kw["cwd"] = self.sandbox.sockets  # bubblewrap's own folder; the kernel's is set inside
        self.sandbox.prepare()
        return await super()._async_pre_start_kernel(**kw)

    def write_connection_file(self, **kwargs):
        super().write_connection_file(**kwargs)
        self.sandbox.share(self.connection_file)
