"""Warm kernels, the grader's side: start the template (kernel/zygote.py, whose docstring argues the isolation),
ask it for one kernel per submission, and hand jupyter_client a Popen-like handle of that kernel.

A cold kernel costs a Python start, ipykernel's start and the imports of NumPy and Matplotlib, about a second of
CPU, the same for every student; a warm one is forked from a template that paid them once. Everything else is as
for a cold kernel (SandboxedKernelManager): the same sockets folder, connection file, sealing and limits.
"""
import atexit
import dataclasses
import functools
import importlib.util
import json
import os
import select
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
from pathlib import Path

from . import zygote as zygote_module
from .manager import QuickStopKernelManager
from .sandbox import (BWRAP, SCRATCH, WORKDIR, Limits, Sandbox, SandboxedKernelManager, matplotlib_font_list,
                      python_dirs)
from .sandbox import problem as sandbox_problem

START_SECONDS = 60  # for the template to import its preload, or to fork a kernel, before it counts as broken
REPORT_SECONDS = 5  # for a kernel's keeper to report the exit code once the kernel has ended
# What the template needs to build a kernel's namespaces; each kernel drops them all before student code runs.
TEMPLATE_CAPABILITIES = ("CAP_SYS_ADMIN", "CAP_SETUID", "CAP_SETGID", "CAP_SETPCAP", "CAP_NET_ADMIN", "CAP_KILL")


class TemplateFailed(Exception):
    """The template did not start, or did not start a kernel; the message says how."""


class TemplateSandbox(Sandbox):
    """A cold kernel's sandbox without a submission: no files, and the template keeps the capabilities it needs
    (it runs no student code); each kernel sets its own limits and wall clock, and drops to the sandbox's user."""

    def __init__(self, sockets_root, slot=0):
        super().__init__(sockets_root, {}, Limits(), slot)

    def wrap(self, command):
        capabilities = [argument for name in TEMPLATE_CAPABILITIES for argument in ("--cap-add", name)]
        return [BWRAP, *self._namespaces(), *self._filesystem(), *self._environment(), *capabilities, "--",
                *command]


class WarmKernel:
    """A kernel forked by the template, as jupyter_client's provisioner handles a Popen: poll, wait, kill.

    Signals other than SIGKILL and SIGTERM are not passed on (interrupts go as messages); both of those kill
    the kernel's pid namespace, all the submission's processes.
    """
    stdin = stdout = stderr = None

    def __init__(self, pid, pidfd, reports):
        self.pid = pid  # of the kernel's init, in the template's namespace
        self.returncode = None
        self.problem = None  # why the kernel did not start, if it said
        self._pidfd, self._reports = pidfd, reports
        self._early = []  # what the keeper reported while the kernel was awaited (its end, then)

    def wait_listening(self, timeout=START_SECONDS):
        """Return once the kernel's sockets are bound (a client that connects sooner retries 0.1 s later), or it
        ended, or after `timeout` seconds."""
        self._reports.settimeout(timeout)
        try:
            message = self._reports.recv(4096)
        except OSError:
            return
        if message != zygote_module.LISTENING:
            self._early.append(message)

    def poll(self):
        if self.returncode is None and select.select([self._pidfd], [], [], 0)[0]:
            self._ended()
        return self.returncode

    def wait(self, timeout=None):
        if self.returncode is None:
            if not select.select([self._pidfd], [], [], timeout)[0]:
                raise subprocess.TimeoutExpired("warm kernel", timeout)
            self._ended()
        return self.returncode

    def send_signal(self, signum):
        if self.returncode is None and signum in (signal.SIGKILL, signal.SIGTERM):
            try:
                signal.pidfd_send_signal(self._pidfd, signal.SIGKILL)
            except ProcessLookupError:
                pass

    def kill(self):
        self.send_signal(signal.SIGKILL)

    def terminate(self):
        self.send_signal(signal.SIGTERM)

    def _ended(self):
        """Read what the keeper reports (a setup error, then the exit code), and let go of the kernel."""
        self.returncode = -signal.SIGKILL
        self._reports.settimeout(REPORT_SECONDS)
        try:
            for message in self._reports_until_closed():
                if message.startswith(b"error: "):
                    self.problem = message[7:].decode(errors="replace")
                elif message != zygote_module.LISTENING:
                    self.returncode = int(message)
        except (OSError, ValueError):
            pass
        self._reports.close()
        os.close(self._pidfd)

    def _reports_until_closed(self):
        yield from self._early
        while message := self._reports.recv(4096):
            yield message


class Template:
    """The template process of one grading worker, started now, ready once it has imported its preload.

    root: the folder its kernels' sockets folders are made in (bound into its sandbox), made in `folder` (by
    default tempfile's); slot: as a Sandbox's; probe: import nothing (to find out quickly whether warm kernels work).
    """

    def __init__(self, slot=0, probe=False, folder=None):
        self.root = Path(tempfile.mkdtemp(prefix="z-", dir=folder)).resolve()
        self.slot = slot
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        source = Path(zygote_module.__file__).read_text()
        command = TemplateSandbox(self.root, slot).wrap([sys.executable, "-c", source, str(theirs.fileno()),
                                                         *(["probe"] if probe else [])])
        self.process = subprocess.Popen(command, pass_fds=[theirs.fileno()], cwd=self.root, stdin=subprocess.DEVNULL,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        theirs.close()
        self._channel = ours
        self._ready = False
        atexit.register(self.close)

    def alive(self):
        return self.process.poll() is None

    def kernel(self, sandbox, arguments, probe=False, code=None, output=None):
        """Start a kernel in `sandbox` (a Sandbox of a sockets folder in self.root) with ipykernel's `arguments`.

        probe: end once set up, without starting ipykernel; code: run this Python program instead of ipykernel,
        writing to the file descriptor `output` (for the tests, as a cold sandbox runs `python -c`)."""
        self._wait_ready()
        reports, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        files = pack_files(sandbox.files)
        try:
            request = {**self._request(sandbox, arguments), "probe": probe, "code": code}
            socket.send_fds(self._channel, [json.dumps(request).encode()],
                            [files, theirs.fileno(), *([] if output is None else [output])])
        except OSError as error:
            reports.close()
            raise TemplateFailed(f"the template is gone ({error})") from None
        finally:
            os.close(files)
            theirs.close()
        reports.settimeout(START_SECONDS)
        try:
            message, fds, _, _ = socket.recv_fds(reports, 1024, 1)
        except OSError as error:
            message, fds = f"({error})".encode(), []
        if not message.startswith(zygote_module.STARTED) or len(fds) != 1:
            reports.close()
            raise TemplateFailed(f"the template did not start a kernel {message.decode(errors='replace')}")
        return WarmKernel(int(message.split()[1]), fds[0], reports)

    def run(self, sandbox, code, timeout=60):
        """(exit code, what it printed) of the Python program `code`, run in `sandbox` as a kernel runs (tests)."""
        reading, writing = os.pipe()
        try:
            kernel = self.kernel(sandbox, [], code=code, output=writing)
        finally:
            os.close(writing)
        with open(reading, "rb") as stream:
            printed = stream.read()
        return kernel.wait(timeout), printed.decode(errors="replace")

    def close(self):
        """Stop the template (its kernels end with it) and remove its folder."""
        atexit.unregister(self.close)
        self._channel.close()
        if self.alive():
            self.process.kill()
        self.process.wait()
        shutil.rmtree(self.root, ignore_errors=True)

    def _wait_ready(self):
        if self._ready:
            return
        self._channel.settimeout(START_SECONDS)
        try:
            message = self._channel.recv(64)
        except OSError as error:
            message = f"({error})".encode()
        self._channel.settimeout(None)
        if message != zygote_module.READY:
            raise TemplateFailed(f"the template did not start (exit code {self.process.poll()}) "
                                 f"{message.decode(errors='replace')}".strip())
        self._ready = True

    def _request(self, sandbox, arguments):
        sockets = Path(sandbox.sockets)
        if sockets.parent != self.root:
            raise ValueError(f"{sockets}: a warm kernel's sockets folder must be in {self.root}")
        umask = os.umask(0o022)
        os.umask(umask)
        return {"sockets": str(sockets), "sockets_root": str(self.root), "workdir": WORKDIR,
                "folders": [f"{SCRATCH}/matplotlib"], "carried": _carried(),
                "limits": dataclasses.asdict(sandbox.limits), "uid": sandbox.uid, "umask": umask,
                "environment": sandbox.variables(), "launcher": _launcher(), "arguments": list(arguments)}


def _carried():
    """What the template's sandbox mounts in /tmp, which a kernel's fresh /tmp would hide: Matplotlib's font list, and
    the Python environment when it is in /tmp (a test's, a hub's)."""
    font_list = matplotlib_font_list()
    carried = [f"{SCRATCH}/matplotlib/{os.path.basename(font_list)}"] if font_list else []
    return carried + [path for path in python_dirs() if path.startswith(f"{SCRATCH}/")]


def pack_files(files):
    """A memory file holding `files` ({path in the working folder: host path, a file or a folder}): a manifest's
    length, the manifest (entries, and the paths to make read-only), then the files' contents in its order."""
    entries, contents = [], []
    for inside, host in sorted(files.items()):
        for path, relative in _walk(Path(host), inside):
            status = path.stat()
            kind = "folder" if path.is_dir() else "file"
            data = path.read_bytes() if kind == "file" else b""
            contents.append(data)
            entries.append({"path": relative, "kind": kind, "mode": status.st_mode & 0o7777,
                            "mtime_ns": status.st_mtime_ns, "size": len(data)})
    manifest = json.dumps({"entries": entries, "read_only": sorted(files)}).encode()
    fd = os.memfd_create("submission-files")
    with open(fd, "wb", closefd=False) as stream:
        stream.write(struct.pack("!Q", len(manifest)) + manifest)
        for data in contents:
            stream.write(data)
    return fd


def _walk(host, inside):
    """(host path, path inside) of `host` and, for a folder, all the regular files and folders beneath it."""
    yield host, inside
    if host.is_dir() and not host.is_symlink():
        for path in sorted(host.rglob("*")):
            if not path.is_symlink() and (path.is_dir() or path.is_file()):
                yield path, f"{inside}/{path.relative_to(host)}"


@functools.lru_cache(maxsize=None)
def _launcher():
    """ipykernel_launcher's path: a cold kernel's sys.argv[0]."""
    return importlib.util.find_spec("ipykernel_launcher").origin


def kernel_arguments(kernel_cmd):
    """ipykernel's arguments in jupyter_client's command line of a Python kernel."""
    if "ipykernel_launcher" not in kernel_cmd:
        raise TemplateFailed(f"a warm kernel runs ipykernel only, not {kernel_cmd[:3]}")
    return kernel_cmd[kernel_cmd.index("ipykernel_launcher") + 1:]


class WarmKernelManager(SandboxedKernelManager):
    """SandboxedKernelManager whose kernel `template` forks; if the template cannot, a cold kernel starts."""

    def __init__(self, sandbox, template, **kwargs):
        super().__init__(sandbox, **kwargs)
        self.template = template

    def format_kernel_cmd(self, extra_arguments=None):
        return QuickStopKernelManager.format_kernel_cmd(self, extra_arguments)  # the template's: not in bwrap

    async def _async_launch_kernel(self, kernel_cmd, **kw):
        try:
            process = self.template.kernel(self.sandbox, kernel_arguments(kernel_cmd))
        except TemplateFailed:
            return await super()._async_launch_kernel(self.sandbox.wrap(kernel_cmd), **kw)
        process.wait_listening()
        self.provisioner.process, self.provisioner.pid, self.provisioner.pgid = process, process.pid, None
        self._reconcile_connection_info(self.provisioner.connection_info)


@functools.lru_cache(maxsize=None)
def problem():
    """None when warm kernels work here; otherwise why not, in one line."""
    reason = sandbox_problem()
    if reason:
        return reason
    try:
        template = Template(slot=os.getpid() % 1000, probe=True)
    except OSError as error:
        return f"the template cannot start ({error})"
    try:
        sockets = Path(tempfile.mkdtemp(prefix="sockets-", dir=template.root))
        kernel = template.kernel(Sandbox(sockets, {}, slot=template.slot), [], probe=True)
        code = kernel.wait(START_SECONDS)
    except (TemplateFailed, subprocess.TimeoutExpired) as error:
        return str(error)
    finally:
        template.close()
    return None if code == 0 else kernel.problem or f"a kernel's setup ended with exit code {code}"
