"""Warm kernels (autograder/kernel/warm.py, zygote.py): forked from a template, yet as isolated as fresh ones.

Each test runs short Python programs as warm kernels of one template, one after the other or at once, as a
grading worker runs its submissions, and checks what a kernel can see of the others and of the template; that a
crash or a fork bomb costs its own kernel only; that the limits and the wall clock hold; and that the grade command
gives the same grades and notebooks with warm kernels as with --cold-kernels. What every sandboxed kernel can and
cannot do (cold or warm) is in tests/test_sandbox.py.
"""
import asyncio
import contextlib
import io
import json
import os
import secrets
import signal
import tempfile
import textwrap
import time
from pathlib import Path

import pytest

from autograder.__main__ import main
from autograder.generators import sample_class
from autograder.kernel import sandbox as sandbox_module
from autograder.kernel import warm
from autograder.kernel.sandbox import WORKDIR, Limits, Sandbox, SandboxedKernelManager
from autograder.kernel.sandbox import problem as sandbox_problem

pytestmark = pytest.mark.kernels  # real kernels: left out of make test-fast

if sandbox_problem() is not None or warm.problem() is not None:
    pytest.skip(f"no warm kernels on this machine: {sandbox_problem() or warm.problem()}", allow_module_level=True)

SLOT = 2000 + os.getpid() % 1000  # a sandbox user of its own (see tests/test_sandbox.py)


@pytest.fixture
def template():
    template = warm.Template(slot=SLOT)
    yield template
    template.close()


def sandbox_of(template, files=None, limits=Limits()):
    return Sandbox(tempfile.mkdtemp(prefix="sockets-", dir=template.root), files or {}, limits, slot=SLOT)


def run(template, code, files=None, limits=Limits()):
    """What the program `code` printed, run as a warm kernel of `template`, once it has ended without error."""
    status, printed = template.run(sandbox_of(template, files, limits), textwrap.dedent(code))
    assert status == 0, printed
    return printed.strip()


def start(template, code, files=None, limits=Limits()):
    """A warm kernel running `code` (which prints "ready" once it is), and a stream of what it prints."""
    reading, writing = os.pipe()
    kernel = template.kernel(sandbox_of(template, files, limits), [], code=textwrap.dedent(code), output=writing)
    os.close(writing)
    printed = open(reading, "rb")
    assert printed.readline() == b"ready\n"
    return kernel, printed


LEAVES_TRACES = """
    import os, socket
    for folder in ("/tmp", ".", "/dev/shm"):  # where a kernel might write (not /dev/shm: read-only)
        try:
            with open(os.path.join(folder, "answers.txt"), "w") as handle:
                handle.write("the first student's answers")
        except OSError:
            pass
    os.makedirs("/tmp/matplotlib/cache", exist_ok=True)
    listener = socket.socket(socket.AF_UNIX)
    listener.bind("\\0first-student")  # an abstract socket: no file, only a network namespace holds it
    listener.listen()
    print("ready", flush=True)
    {then}
"""

LOOKS_FOR_TRACES = """
    import os, socket
    found = [path for path in ("/tmp/answers.txt", "answers.txt", "/dev/shm/answers.txt", "/tmp/matplotlib/cache")
             if os.path.exists(path)]
    try:
        socket.socket(socket.AF_UNIX).connect("\\0first-student")
        found.append("abstract socket")
    except OSError:
        pass
    print(found)
"""


def test_a_kernel_cannot_read_what_an_earlier_kernel_wrote(template):
    assert run(template, LEAVES_TRACES.format(then="")) == "ready"
    assert run(template, LOOKS_FOR_TRACES) == "[]"


def test_a_kernel_cannot_read_what_a_concurrent_kernel_writes(template):
    first, printed = start(template, LEAVES_TRACES.format(then="import time; time.sleep(60)"))
    try:
        assert run(template, LOOKS_FOR_TRACES) == "[]"
    finally:
        first.kill()
        printed.close()
    assert first.wait(10) is not None


def test_a_kernel_sees_its_own_submitted_files_and_not_another_students(template, tmp_path):
    for student in ("ada", "ben"):
        (tmp_path / student / "images").mkdir(parents=True)
        (tmp_path / student / "images" / f"{student}.txt").write_text(f"{student}'s drawing")
        (tmp_path / student / "notes.txt").write_text(f"{student}'s notes")
    ada = {"notes.txt": tmp_path / "ada" / "notes.txt", "images/ada.txt": tmp_path / "ada" / "images" / "ada.txt"}
    ben = {"notes.txt": tmp_path / "ben" / "notes.txt", "images/ben.txt": tmp_path / "ben" / "images" / "ben.txt"}
    lists = """
        import os
        print(sorted(os.path.join(folder, name)[2:] for folder, _, names in os.walk(".") for name in names),
              os.path.exists("notes.txt") and open("notes.txt").read(), os.path.exists(%r))
    """
    assert run(template, lists % str(tmp_path)) == "[] False False"  # nor the host's folders
    assert run(template, lists % str(tmp_path), ada) == "['images/ada.txt', 'notes.txt'] ada's notes False"
    assert run(template, lists % str(tmp_path), ben) == "['images/ben.txt', 'notes.txt'] ben's notes False"


def test_a_kernel_finds_nothing_of_an_earlier_submission_in_the_memory_it_inherited(template, tmp_path):
    # The template never reads a submission's files, nor runs its code: nothing of either is in its memory, so not
    # in a later kernel's either. The kernel searches all of its memory for the two halves of each secret, one
    # right after the other, which only a copy of the earlier submission's own bytes would hold.
    halves = [(secrets.token_hex(16), secrets.token_hex(16)) for _ in range(2)]
    (tmp_path / "secret.txt").write_text(halves[0][0] + halves[0][1])
    assert run(template, f"""
        import numpy, sys
        numpy.secret = "{halves[1][0]}" + "{halves[1][1]}"  # module state, set by the student's code
        sys.modules["secret_module"] = numpy
        print(open("secret.txt").read() == "{halves[0][0]}" "{halves[0][1]}")
    """, {"secret.txt": tmp_path / "secret.txt"}) == "True"
    assert run(template, f"""
        import re, sys, numpy
        halves = {halves!r}
        halves = [(first.encode(), second.encode()) for first, second in halves]

        def joined(data, first, second):  # never builds first + second itself, which would then be in memory
            at = data.find(first)
            while at >= 0 and data[at + len(first):at + len(first) + len(second)] != second:
                at = data.find(first, at + 1)
            return at >= 0

        found = [hasattr(numpy, "secret"), "secret_module" in sys.modules]
        with open("/proc/self/maps") as maps, open("/proc/self/mem", "rb", buffering=0) as memory:
            regions = [line.split() for line in maps]
            for region in regions:
                start, end = (int(address, 16) for address in region[0].split("-"))
                if region[1].startswith("r") and region[-1] not in ("[vvar]", "[vsyscall]", "[vvar_vclock]"):
                    try:
                        memory.seek(start)
                        data = memory.read(end - start)
                    except (OSError, OverflowError):
                        continue
                    found += [joined(data, first, second) for first, second in halves]
        print(any(found), len(regions) > 10)
    """) == "False True"


def test_a_kernel_cannot_reach_the_template_or_its_grader(template):
    assert run(template, """
        import os, signal
        print(sorted(os.listdir("/proc/self/fd")), sorted(int(pid) for pid in os.listdir("/proc") if pid.isdigit()))
        try:
            os.kill(-1, signal.SIGKILL)  # every process it may signal: its own only
        except ProcessLookupError:
            pass
        print("alive")
    """) == "['0', '1', '2', '3'] [1, 2]\nalive"
    assert template.alive()
    assert run(template, "print('next')") == "next"


@pytest.mark.parametrize("crash", {
    "os._exit": "import os; os._exit(3)",
    "segfault": "import ctypes; ctypes.string_at(0)",
    "SIGKILL to itself": "import os, signal; os.kill(os.getpid(), signal.SIGKILL)",
})
def test_a_kernel_that_crashes_costs_only_itself(template, crash):
    status, _ = template.run(sandbox_of(template), crash)
    assert status != 0
    assert template.alive()
    assert run(template, "print('next')") == "next"


def test_a_fork_bomb_costs_only_its_own_kernel(template):
    # Its processes stay behind once it has ended: they end with its pid namespace, not one is left.
    status, printed = template.run(sandbox_of(template, limits=Limits(processes=40)), textwrap.dedent("""
        import os, time
        forked = 0
        try:
            while True:
                if os.fork() == 0:
                    time.sleep(300)
                    os._exit(0)
                forked += 1
        except OSError:
            print("stopped after", forked < 40, flush=True)
    """))
    assert (status, printed) == (0, "stopped after True\n")
    assert template.alive()
    assert run(template, """
        import os
        child = os.fork()
        if child == 0:
            os._exit(0)
        print(sorted(int(pid) for pid in os.listdir("/proc") if pid.isdigit()), os.waitpid(child, 0)[1])
    """) == "[1, 2, 3] 0"
    deadline = time.monotonic() + 5
    while _processes_of(SLOT) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _processes_of(SLOT) == []


def _processes_of(slot):
    """The host's processes of the sandbox user of `slot` (as root, the kernels run as that user)."""
    uid = f"{Sandbox('.', {}, slot=slot).uid}"
    found = []
    for status in Path("/proc").glob("[0-9]*/status"):
        with contextlib.suppress(OSError):
            if any(line.split()[1] == uid for line in status.read_text().splitlines() if line.startswith("Uid:")):
                found.append(int(status.parent.name))
    return found


def test_the_memory_and_file_size_limits_hold_in_a_warm_kernel(template):
    assert run(template, """
        import errno, numpy
        try:
            numpy.ones(1024 ** 3, dtype=numpy.uint8)
        except MemoryError:
            print("MemoryError")
        try:
            with open("big.bin", "wb") as handle:
                handle.write(b"x" * 2 * 1024 ** 2)
        except OSError as error:
            print(errno.errorcode[error.errno])
    """, limits=Limits(memory=768 * 1024 ** 2, file_size=1024 ** 2)) == "MemoryError\nEFBIG"


def test_the_scratch_space_is_limited_in_a_warm_kernel(template):
    assert run(template, """
        import errno
        for folder in ("/tmp", "."):
            try:
                with open(f"{folder}/big.bin", "wb") as handle:
                    for _ in range(16):
                        handle.write(b"x" * 1024 ** 2)
            except OSError as error:
                print(errno.errorcode[error.errno])
    """, limits=Limits(scratch=4 * 1024 ** 2)) == "ENOSPC\nENOSPC"


def test_the_wall_clock_kills_a_kernel_that_ignores_every_signal_it_can(template):
    start_time = time.monotonic()
    status, _ = template.run(sandbox_of(template, limits=Limits(wall_seconds=2)), textwrap.dedent("""
        import signal
        for number in range(1, signal.NSIG):
            try:
                signal.signal(number, signal.SIG_IGN)
            except (OSError, ValueError):  # SIGKILL and SIGSTOP, which it cannot
                pass
        while True:
            pass
    """))
    assert status == -signal.SIGKILL and time.monotonic() - start_time < 30
    assert template.alive()
    assert run(template, "print('next')") == "next"


def test_the_grader_kills_a_kernel_and_all_its_processes(template):
    kernel, printed = start(template, """
        import os, time
        for _ in range(3):
            if os.fork() == 0:
                break
        print("ready", flush=True)
        time.sleep(300)
    """)
    kernel.kill()
    assert kernel.wait(10) == -signal.SIGKILL
    assert set(printed.read().split()) <= {b"ready"}  # read to the end: no process of it holds its output
    printed.close()


@pytest.mark.parametrize("warm_kernel", [True, False], ids=["warm", "cold"])
def test_the_sockets_folder_is_sealed_once_the_kernel_answered(template, warm_kernel):
    # nbgrader's Execute sets kernels up through nbclient's synchronous setup_kernel, which never called the
    # preprocessor's own sealing step: the kernel manager's client seals instead, as soon as the kernel answers.
    if os.geteuid() != 0:
        pytest.skip("the sandbox changes user only when the grader runs as root")
    sandbox = sandbox_of(template)
    manager = warm.WarmKernelManager(sandbox, template) if warm_kernel else SandboxedKernelManager(sandbox)

    async def start_and_ask():
        await manager.start_kernel(extra_arguments=["--HistoryManager.hist_file=:memory:"])
        client = manager.client()
        client.start_channels()
        try:
            owner_before = os.stat(sandbox.sockets).st_uid
            await client.wait_for_ready(timeout=60)
            return owner_before, os.stat(sandbox.sockets).st_uid, manager.kernel_start_seconds() > 0
        finally:
            client.stop_channels()
            await manager.stop()

    assert asyncio.run(start_and_ask()) == (sandbox.uid, 0, True)


@pytest.mark.parametrize("warm_kernel", [True, False], ids=["warm", "cold"])
def test_a_kernel_has_bound_its_sockets_when_its_start_returns(template, warm_kernel):
    # A client socket that connects sooner tries again 0.1 to 0.2 s later, each on its own clock: the kernel's first
    # input_request of a grading could come before the stdin socket had reached it, and ZeroMQ drops such a message.
    sandbox = sandbox_of(template)
    manager = warm.WarmKernelManager(sandbox, template) if warm_kernel else SandboxedKernelManager(sandbox)

    async def start():
        await manager.start_kernel(extra_arguments=["--HistoryManager.hist_file=:memory:"])
        try:
            return [os.path.exists(f"{manager.ip}-{port}") for port in manager.ports]
        finally:
            await manager.stop()

    assert asyncio.run(start()) == [True] * 5


def test_a_python_environment_in_tmp_stays_visible_to_a_warm_kernel_read_only(monkeypatch, tmp_path):
    # A kernel's fresh /tmp would hide it (a hub's or a test's environment lives there), as bubblewrap's order of
    # mounts keeps it visible to a cold kernel.
    environment = tmp_path / "environment"
    environment.mkdir()
    (environment / "marker.py").write_text("WHERE = 'the environment'\n")
    dirs = [*sandbox_module.python_dirs(), str(environment)]
    monkeypatch.setattr(sandbox_module, "python_dirs", lambda: dirs)
    monkeypatch.setattr(warm, "python_dirs", lambda: dirs)
    template = warm.Template(slot=SLOT)
    try:
        assert run(template, f"""
            import errno, sys
            sys.path.append({str(environment)!r})
            import marker
            try:
                open({str(environment / "new.py")!r}, "w")
            except OSError as error:
                print(marker.WHERE, errno.errorcode[error.errno])
        """) == "the environment EROFS"
    finally:
        template.close()


def test_a_warm_kernel_runs_where_a_cold_one_does(template):
    assert run(template, "import os, sys; print(os.getcwd(), sys.path[0], os.uname().nodename)") == \
        f"{WORKDIR} {WORKDIR} sandbox"


# --- the grade command -----------------------------------------------------------------------------------------


def grade(course, submitted, out, *extra):
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed), contextlib.redirect_stderr(io.StringIO()):
        code = main(["grade", str(submitted), "--assignment", sample_class.ASSIGNMENT, "--out", str(out),
                     "--course", str(course.root), "--workers", "2", "--force", *extra])
    return code, printed.getvalue()


def _autograded(course):
    """{path: notebook} of the course's autograded folder, without what differs from one run to the next whatever
    the kernel: the cells' timings, the random id nbgrader gives a graded cell it restores, and the execution count
    of a cell that a dying kernel had or had not yet begun."""
    folder = course.course.autograded_dir
    notebooks = {}
    for path in sorted(folder.rglob("*.ipynb")):
        notebook = json.loads(path.read_text(encoding="utf-8"))
        for cell in notebook["cells"]:
            cell.pop("id", None)
            cell["metadata"].pop("execution", None)
            if cell["cell_type"] == "code" and not cell["outputs"]:
                cell.pop("execution_count")
        notebooks[str(path.relative_to(folder))] = notebook
    return notebooks


def test_grades_and_notebooks_are_the_same_as_with_cold_kernels(course, tmp_path):
    submitted = sample_class.build(tmp_path / "submitted")
    graded = {}
    for mode in ("--cold-kernels", None):
        out = tmp_path / f"grades{mode or ''}"
        code, _ = grade(course, submitted, out, *([mode] if mode else []))
        graded[mode] = (code, (out / "grades.csv").read_bytes(), (out / "totals.csv").read_bytes(),
                        _autograded(course))
    assert graded[None] == graded["--cold-kernels"]
    assert graded[None][3]  # the notebooks were compared


def test_where_warm_kernels_cannot_work_one_line_says_so_and_grading_goes_on(course, tmp_path, monkeypatch):
    submitted = sample_class.build(tmp_path / "submitted", size=1)
    monkeypatch.setattr(warm, "problem", lambda: "user namespaces are not available")
    code, printed = grade(course, submitted, tmp_path / "grades")
    lines = [line for line in printed.splitlines() if "warm kernels" in line]
    assert lines == ["  warm kernels do not work here (user namespaces are not available): every submission gets "
                     "a fresh kernel, as with --cold-kernels"]
    assert "ada_perfect" in printed and code in (0, 1)
