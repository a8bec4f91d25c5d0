"""The warm-kernel template: a process inside a sandbox that has started Python and imported what every notebook
imports, and forks one kernel per submission, which enters namespaces of its own before any student code runs.

This file runs inside the template's sandbox (kernel/warm.py starts it with `python -c` and this file's text, so
that the sandbox holds none of the kit's files); it imports only the standard library before its preload.

How a submission's kernel comes to be, and what it can see
-----------------------------------------------------------
The template runs in a bubblewrap sandbox built as a cold kernel's is (kernel/sandbox.py: the operating system's
/usr and the Python installation read-only, /proc and /dev of its own, no network, its own pid, IPC and UTS
namespaces, a cleared environment, --die-with-parent), with no submission's files, as root of the sandbox with
the few capabilities it needs to build namespaces (the grader's user, in a user namespace of bubblewrap's, when the
grader is not root). It never runs student code: it imports NumPy, Matplotlib (Agg), h5py and ipykernel, then
answers requests from its grader over a socket pair that only the grader and the template hold. A request holds
plain settings (a sockets folder's path, the kernel's arguments and environment, the limits) and two file
descriptors: a memory file that the grader filled with the submission's files, which the template never reads,
and the socket the new kernel's keeper reports on. So the template's memory holds nothing of any submission but
those settings, and it has no threads when it forks (it checks).

Per request the template forks a keeper, which unshares new mount, pid, IPC, network and UTS namespaces; the
keeper forks the new pid namespace's init, which mounts a /proc of that namespace and forks the kernel. Before it
runs any student code, the kernel, in its own mount namespace:
- mounts fresh size-limited tmpfs over /tmp and the working folder (and an empty read-only one over /dev/shm):
  nothing another submission wrote there is visible, and nothing it writes there outlives it;
- covers the folder of every submission's sockets with an empty tmpfs, and mounts back only its own;
- writes the files of the memory file (the release's files and its own submission's, as worker.kernel_files
  lists them, exactly what a cold kernel mounts) into its working folder, and makes them read-only mounts;
- brings up the loopback of its own network namespace (nothing else is reachable: abstract Unix sockets and
  loopback ports of other kernels are in theirs) and names its host "sandbox";
- sets the limits (address space, CPU seconds, processes, file size, no core files), closes every inherited file
  descriptor (the template's socket among them: a kernel cannot ask the template for anything; the socket it
  reports on to its keeper is closed once ipykernel's sockets are bound, before any cell runs), drops to the
  sandbox's unprivileged user (as root) and every capability, bounding set included, under no_new_privs;
- reseeds Python's and NumPy's random generators, then starts ipykernel in-process, as ipykernel_launcher would.

What a kernel can see, then. Of the template: the memory it inherited at the fork, which is the preloaded
libraries and the settings of earlier requests (paths and limits, not files, not grades); it cannot signal or
trace the template or its keeper (other pid namespace, root-owned, not dumpable). Of other kernels: nothing; each
is in a pid namespace of its own (it cannot name another's processes), a mount namespace whose writable places are
its own fresh tmpfs, and its own network and IPC namespaces, whether it runs after another kernel of the template
(a worker's next submission) or beside it (a Dask worker's threads); and all of a kernel's processes end with its
init. Of the grader: as a cold kernel, its sockets folder (made read-only to it once the kernel is up) and nothing
else. Python's string hashes are salted as the template's were (one salt for all kernels of a template), which
exposes nothing of another submission.

Limits: the kernel's are those of a cold kernel, set in the kernel itself; the keeper, which no kernel can reach,
kills the namespace's init (so every process of the submission) when the wall clock runs out, whatever signals
the kernel catches; the grader kills the same init through a pidfd. A kernel that crashes or forks without end
costs its own pid namespace only: the template never waits on it.
"""
import ctypes
import fcntl
import json
import os
import select
import signal
import socket
import struct
import sys
import threading
import traceback

# What every notebook imports, then ipykernel and what its start imports (its debugger's debugpy, the history's
# sqlite3, tornado's asyncio loop, IPython's completer and extensions); a module missing here is imported by the
# kernel itself, as a cold kernel would.
PRELOAD = ("numpy", "numpy.random", "matplotlib", "matplotlib.pyplot", "matplotlib.backends.backend_agg", "h5py",
           "ipykernel.kernelapp", "ipykernel.ipkernel", "ipykernel.zmqshell", "ipykernel.iostream",
           "ipykernel.debugger", "debugpy", "debugpy.server.api", "IPython.core.interactiveshell",
           "IPython.core.debugger", "IPython.core.completerlib", "IPython.extensions.storemagic", "sqlite3",
           "tornado.gen", "tornado.locks", "tornado.queues", "tornado.platform.asyncio", "jupyter_client.session",
           "pdb", "pydoc", "http.server", "xmlrpc.server", "email.parser", "encodings.idna", "faulthandler")
READY = b"ready"
STARTED = b"started"
LISTENING = b"listening"  # the kernel's sockets are bound: its client may connect without retrying
MAX_REQUEST = 1024 ** 2  # bytes of one request's settings

CLONE_NEWNS, CLONE_NEWUTS, CLONE_NEWIPC, CLONE_NEWPID, CLONE_NEWNET = (0x00020000, 0x04000000, 0x08000000,
                                                                      0x20000000, 0x40000000)
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC, MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = (1, 2, 4, 8, 32, 4096, 0x4000,
                                                                                      1 << 18)
PR_SET_PDEATHSIG, PR_SET_DUMPABLE, PR_CAPBSET_DROP, PR_SET_NO_NEW_PRIVS, PR_CAP_AMBIENT = 1, 4, 24, 38, 47
PR_CAP_AMBIENT_CLEAR_ALL = 4
LINUX_CAPABILITY_VERSION_3 = 0x20080522
SIOCGIFFLAGS, SIOCSIFFLAGS, IFF_UP = 0x8913, 0x8914, 0x1
O_PATH = 0o10000000

_libc = ctypes.CDLL(None, use_errno=True)
_libc.mount.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_ulong, ctypes.c_char_p]
_libc.prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong]


class SetupFailed(Exception):
    """A step of a kernel's setup failed; the kernel does not start."""


def _checked(result, what):
    if result != 0:
        number = ctypes.get_errno()
        raise SetupFailed(f"{what}: {os.strerror(number)}")


def _mount(source, target, kind=None, flags=0, options=None):
    encode = (lambda text: None if text is None else os.fsencode(text))
    _checked(_libc.mount(encode(source), encode(target), encode(kind), flags, encode(options)),
             f"mount {kind or source} on {target}")


def _prctl(option, argument=0):
    _checked(_libc.prctl(option, argument, 0, 0, 0), f"prctl {option}")


def _tmpfs(path, size, mode="1777"):
    _mount("tmpfs", path, "tmpfs", MS_NOSUID | MS_NODEV, f"size={size},mode={mode}")


def _read_only(path):
    """Make `path` (a file or a folder, and all beneath it) a read-only mount of itself."""
    _mount(path, path, None, MS_BIND | MS_REC)
    _mount(None, path, None, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV)


# --- the template ---------------------------------------------------------------------------------------------


def main():
    channel = socket.socket(fileno=int(sys.argv[1]))
    _prctl(PR_SET_DUMPABLE, 0)  # kernels (other uid, or a user namespace) can neither trace nor read it
    _prctl(PR_SET_PDEATHSIG, signal.SIGKILL)  # its grader is gone: so is it (bubblewrap ends it too)
    if sys.argv[2:] != ["probe"]:
        _preload()
    channel.send(READY)
    serve(channel)


def _preload():
    import gc
    import importlib
    for name in PRELOAD:
        try:
            importlib.import_module(name)
        except ImportError:  # the application's h5py, say, on an environment without it: the kernel imports it
            pass
    gc.collect()
    gc.freeze()  # the kernels' collections then leave the preload alone, and do not copy its pages by touching it


def serve(channel):
    """Fork a kernel's keeper per request until the grader closes its end."""
    while True:
        readable, _, _ = select.select([channel], [], [], 1.0)
        _reap()
        if not readable:
            continue
        try:
            message, fds, _, _ = socket.recv_fds(channel, MAX_REQUEST, 3)
        except OSError:
            return
        if not message:
            return
        if len(fds) not in (2, 3) or threading.active_count() != 1 or len(os.listdir("/proc/self/task")) != 1:
            for fd in fds:
                os.close(fd)
            continue  # the grader sees the reply socket closed: the kernel did not start
        keeper = os.fork()
        if keeper == 0:
            _keeper(channel, json.loads(message), *fds)  # never returns
        for fd in fds:
            os.close(fd)


def _close_all_but(*kept):
    for fd in [int(name) for name in os.listdir("/proc/self/fd")]:
        if fd > 2 and fd not in kept:
            try:
                os.close(fd)
            except OSError:  # the listing's own descriptor, closed already
                pass


def _reap():
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


# --- a kernel's keeper, in the template's pid namespace ---------------------------------------------------------


def _keeper(channel, request, files, reply, output=None):
    """Unshare the kernel's namespaces, start its init, report its pidfd, kill it at the wall clock, report its
    exit code."""
    code = 70
    try:
        channel.close()
        _close_all_but(files, reply, output)
        _checked(_libc.unshare(CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWIPC | CLONE_NEWNET | CLONE_NEWUTS), "unshare")
        _mount(None, "/", None, MS_REC | MS_PRIVATE)  # nothing mounted from here on reaches the template
        init = os.fork()
        if init == 0:
            _init(request, files, reply, output)  # never returns
        os.close(files)
        if output is not None:
            os.close(output)
        pidfd = os.pidfd_open(init)
        reporter = socket.socket(fileno=reply)
        socket.send_fds(reporter, [STARTED + b" %d" % init], [pidfd])
        if not select.select([pidfd], [], [], request["limits"]["wall_seconds"])[0]:
            signal.pidfd_send_signal(pidfd, signal.SIGKILL)
        _, status = os.waitpid(init, 0)
        reporter.send(b"%d" % os.waitstatus_to_exitcode(status))
        code = 0
    finally:
        os._exit(code)


# --- the namespace's init, pid 1 ----------------------------------------------------------------------------


def _init(request, files, reply, output):
    """Mount the namespace's /proc, start the kernel, reap what ends, and end with the kernel (which ends all)."""
    code = 70
    try:
        _mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC)
        kernel = os.fork()
        if kernel == 0:
            _kernel(request, files, reply, output)  # never returns
        os.closerange(3, 1 << 20)
        while True:
            pid, status = os.waitpid(-1, 0)
            if pid == kernel:
                code = os.waitstatus_to_exitcode(status)
                code = 128 - code if code < 0 else code  # a signal's number, as a shell reports it
                break
    finally:
        os._exit(code)


# --- the kernel -------------------------------------------------------------------------------------------------


def _kernel(request, files, reply, output):
    reporter = socket.socket(fileno=reply)
    if output is not None:  # a test's program: what it prints goes to the test
        os.dup2(output, 1)
        os.dup2(output, 2)
    try:
        os.setsid()
        os.umask(request["umask"])
        _filesystem(request, files)
        _network()
        _limits(request["limits"])
        _drop_privileges(request["uid"])
        _environment(request)
    except Exception as error:  # the grader logs it; the kernel never starts
        reporter.send(b"error: " + "".join(traceback.format_exception_only(error)).strip().encode())
        os._exit(71)
    _close_all_but(reporter.fileno())
    _reseed()
    if request.get("probe"):  # what the kernel would start from is there
        os._exit(0 if os.path.exists(request["launcher"]) and os.path.isdir(sys.prefix) else 72)
    if request.get("code") is not None:
        reporter.close()
        _run(request["code"])
    _start_ipykernel(request["arguments"], reporter)


def _filesystem(request, files):
    limits = request["limits"]
    kept = {path: os.open(path, O_PATH) for path in (request["sockets"], *request["carried"])}
    manifest, contents = _unpack(files)
    _tmpfs(request["sockets_root"], 1024 ** 2, "0755")  # every submission's sockets folder hidden...
    _tmpfs("/tmp", limits["scratch"])  # (which hides the sockets root too, when it is in /tmp)
    if os.path.isdir("/dev/shm"):  # empty and read-only, as good as a cold kernel's, which it cannot write
        _mount("tmpfs", "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV | MS_RDONLY, "size=4k,mode=0755")
    for folder in request["folders"]:
        _make_folders(folder)
        os.chmod(folder, 0o1777)
    for path, fd in kept.items():  # ...but its own, and what a cold sandbox also mounts in /tmp (read-only)
        _mount_back(fd, path)
        if path != request["sockets"]:
            _mount(None, path, None, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV)
    size = limits["scratch"] + sum(len(data) for data in contents)
    _tmpfs(request["workdir"], size)
    _write_files(request["workdir"], manifest, contents)
    os.chdir(request["workdir"])


def _make_folders(path):
    """Make `path` and its missing parents, traversable by all (0755), whatever the umask."""
    if not os.path.isdir(path):
        _make_folders(os.path.dirname(path))
        os.mkdir(path)
        os.chmod(path, 0o755)


def _mount_back(fd, path):
    if os.path.isdir(f"/proc/self/fd/{fd}"):
        _make_folders(path)
    else:
        _make_folders(os.path.dirname(path))
        open(path, "ab").close()
    _mount(f"/proc/self/fd/{fd}", path, None, MS_BIND)
    os.close(fd)


def _unpack(files):
    """(manifest, the contents of its files) of the memory file the grader wrote (warm.pack_files)."""
    with os.fdopen(files, "rb") as stream:
        stream.seek(0)
        (length,) = struct.unpack("!Q", stream.read(8))
        manifest = json.loads(stream.read(length))
        contents = [stream.read(entry["size"]) for entry in manifest["entries"] if entry["kind"] == "file"]
    return manifest, contents


def _write_files(workdir, manifest, contents):
    remaining = iter(contents)
    for entry in manifest["entries"]:
        path = os.path.join(workdir, entry["path"])
        _make_folders(os.path.dirname(path))
        if entry["kind"] == "folder":
            _make_folders(path)
            os.chmod(path, entry["mode"])
        else:
            with open(path, "wb") as file:
                file.write(next(remaining))
            os.chmod(path, entry["mode"])
        os.utime(path, ns=(entry["mtime_ns"], entry["mtime_ns"]))
    for name in manifest["read_only"]:
        _read_only(os.path.join(workdir, name))


def _network():
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        flags = struct.unpack("16sH", fcntl.ioctl(probe, SIOCGIFFLAGS, struct.pack("16sH22x", b"lo", 0))[:18])[1]
        fcntl.ioctl(probe, SIOCSIFFLAGS, struct.pack("16sH22x", b"lo", flags | IFF_UP))
    finally:
        probe.close()
    socket.sethostname("sandbox")


def _limits(limits):
    import resource
    for kind, value in ((resource.RLIMIT_AS, limits["memory"]), (resource.RLIMIT_CPU, limits["cpu_seconds"]),
                        (resource.RLIMIT_NPROC, limits["processes"]), (resource.RLIMIT_FSIZE, limits["file_size"]),
                        (resource.RLIMIT_CORE, 0)):
        resource.setrlimit(kind, (value, value))


class _CapHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _CapData(ctypes.Structure):
    _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32), ("inheritable", ctypes.c_uint32)]


def _drop_privileges(uid):
    last = int(open("/proc/sys/kernel/cap_last_cap").read())
    for capability in range(last + 1):
        _checked(_libc.prctl(PR_CAPBSET_DROP, capability, 0, 0, 0), "drop the bounding set")
    if uid is not None:
        os.setgroups([])
        os.setresgid(uid, uid, uid)
        os.setresuid(uid, uid, uid)  # from root: the permitted and effective sets empty too
    _checked(_libc.prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0), "clear the ambient set")
    nothing = (_CapData * 2)()
    _checked(_libc.capset(ctypes.byref(_CapHeader(LINUX_CAPABILITY_VERSION_3, 0)), nothing), "capset")
    _prctl(PR_SET_NO_NEW_PRIVS, 1)
    _prctl(PR_SET_DUMPABLE, 1)  # as a cold kernel, which execve made dumpable: its own user's tools may look


def _environment(request):
    os.environ.clear()
    os.environ.update(request["environment"])
    sys.argv = [request["launcher"], *request["arguments"]]
    sys.path[0] = request["workdir"]  # `python -m ipykernel_launcher` puts its folder first, as here


def _reseed():
    """Draw new seeds: each kernel's random numbers are its own, not a copy of the template's."""
    import random
    random.seed()
    numpy_random = sys.modules.get("numpy.random")
    if numpy_random is not None:
        numpy_random.seed()


def _run(code):
    """Run a test's program as `python -c` would, in a fresh __main__."""
    import types
    main_module = types.ModuleType("__main__")
    sys.modules["__main__"] = main_module
    status = 0
    try:
        exec(compile(code, "<string>", "exec"), main_module.__dict__)
    except SystemExit as stop:
        status = stop.code if isinstance(stop.code, int) else 1
    except BaseException:
        traceback.print_exc()
        status = 1
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)


def _start_ipykernel(arguments, reporter):
    """ipykernel_launcher's launch_instance, which also says when the kernel's sockets are bound."""
    code = 0
    try:
        from ipykernel.kernelapp import IPKernelApp
        app = IPKernelApp.instance()
        app.initialize(arguments)
        reporter.send(LISTENING)
        reporter.close()
        app.start()
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else 1
    except BaseException:
        code = 1
    finally:
        os._exit(code)


if __name__ == "__main__":
    main()
