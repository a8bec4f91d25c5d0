"""What a student's code can and cannot do inside the grading sandbox (autograder/kernel/sandbox.py).

Each test runs a short Python program in a sandbox, as the grader runs a submission's kernel, and
checks what it reports. Inside, the program runs as an unprivileged user; it sees the release files
(read-only) and its own scratch space, but not the instructor's notebooks, reference solutions,
gradebook or home, nor other students' submissions; it has no network and a cleared environment;
memory, processes and file size are limited; nothing it starts outlives the sandbox; and once the
kernel is up, it can no longer write in the folder of its sockets. The tests of what runs inside run twice: in a
cold kernel's sandbox, and in a warm kernel forked by a template (tests/test_warm_kernels.py tests what is warm
kernels' own: what one kernel can see of another and of the template).
"""
import os
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from autograder.kernel import sandbox as sandbox_module
from autograder.paths import ROOT, SOURCE, source_notebook
from autograder.kernel.sandbox import UNPRIVILEGED_UID, WORKDIR, Limits, Sandbox, problem
from autograder.kernel.warm import Template
from autograder.kernel.warm import problem as warm_problem

pytestmark = pytest.mark.kernels  # real Jupyter kernels: left out of make test-fast

if problem() is not None:
    pytest.skip(f"no sandbox on this machine: {problem()}", allow_module_level=True)

AS_ROOT = os.geteuid() == 0
only_as_root = pytest.mark.skipif(not AS_ROOT, reason="the sandbox changes user only when the grader runs as root")
# The sandbox's user is UNPRIVILEGED_UID + slot; the grader's workers take slots 0-999 (autograder/grading/worker.py),
# so these tests take another, lest their process limit count a kernel graded at the same time.
SLOT = 1000 + os.getpid() % 1000


def run(sandbox, code):
    """Run the Python program `code` in `sandbox`; what it printed, once it has ended without error."""
    result = subprocess.run(sandbox.wrap([sys.executable, "-c", textwrap.dedent(code)]),
                            capture_output=True, text=True, timeout=60)
    assert (result.returncode, result.stderr) == (0, "")
    return result.stdout.strip()


@pytest.fixture
def sockets(tmp_path):
    folder = tmp_path / "sockets"
    folder.mkdir()
    return folder


@pytest.fixture(scope="module")
def template():
    """A template of warm kernels (autograder/kernel/warm.py), as a grading worker holds one."""
    if warm_problem() is not None:
        pytest.skip(f"no warm kernels on this machine: {warm_problem()}")
    template = Template(slot=SLOT)
    yield template
    template.close()


@pytest.fixture(params=["cold", "warm"])
def kernel(request, sockets):
    """A kind of kernel: a cold one (bubblewrap's own sandbox), or a warm one (forked by a template, in namespaces of
    its own). kernel.sandbox(files=None, limits=Limits()) is a fresh sandbox for it; kernel.run(sandbox, code) what
    `code` printed, run in `sandbox` as that kind of kernel."""
    if request.param == "cold":
        def sandbox(files=None, limits=Limits()):
            return Sandbox(sockets, files or {}, limits, slot=SLOT)
        return SimpleNamespace(sandbox=sandbox, run=run)
    template = request.getfixturevalue("template")

    def sandbox(files=None, limits=Limits()):
        return Sandbox(tempfile.mkdtemp(prefix="sockets-", dir=template.root), files or {}, limits, slot=SLOT)

    def run_warm(sandbox, code):
        status, printed = template.run(sandbox, textwrap.dedent(code))
        assert (status, printed.endswith("\n") or not printed) == (0, True), printed
        return printed.strip()
    return SimpleNamespace(sandbox=sandbox, run=run_warm)


@pytest.fixture
def run_inside(kernel):
    """run_inside(code, files=None, limits=Limits()): what `code` printed, run in a fresh sandbox of `kernel`'s."""
    return lambda code, files=None, limits=Limits(): kernel.run(kernel.sandbox(files, limits), code)


@pytest.fixture
def release(tmp_path):
    """{path in the working folder: host path} of release-like files: a module, a folder, a file in a
    subfolder. They are writable by anyone on the host: only the sandbox's read-only mounts protect them."""
    folder = tmp_path / "release"
    (folder / "testCases").mkdir(parents=True)
    (folder / "images").mkdir()
    files = {"dnn_utils.py": "def sigmoid(z): ...\n", "testCases/__init__.py": "CASES = []\n",
             "images/cat.txt": "a cat\n"}
    for name, text in files.items():
        (folder / name).write_text(text)
        (folder / name).chmod(0o666)
    return {"dnn_utils.py": folder / "dnn_utils.py", "testCases": folder / "testCases",
            "images/cat.txt": folder / "images" / "cat.txt"}


@only_as_root
def test_the_kernel_runs_as_an_unprivileged_user_without_capabilities(run_inside):
    output = run_inside("""
        import os
        print(*os.getresuid(), *os.getresgid(), os.getgroups())
        print([line.split()[1] for line in open("/proc/self/status") if line.startswith(("CapEff", "CapPrm"))])
    """)
    uid = UNPRIVILEGED_UID + SLOT
    no_capabilities = "['0000000000000000', '0000000000000000']"
    assert output.splitlines() == [f"{uid} {uid} {uid} {uid} {uid} {uid} []", no_capabilities]


def _instructor_home():
    """The instructor's (the grader's) home, but what leads to the Python installation the kernel runs on."""
    home = Path.home()
    python = {Path(os.path.realpath(prefix)).relative_to(home).parts[0] for prefix in (sys.prefix, sys.base_prefix)
              if Path(os.path.realpath(prefix)).is_relative_to(home)}
    return [path for path in home.iterdir() if path.name not in python]


SECRETS = {
    "instructor notebooks": lambda course: [SOURCE, source_notebook("step_by_step")],
    "reference solutions": lambda course: [ROOT / "autograder" / "reference",
                                           ROOT / "autograder" / "reference" / "step_by_step.py"],
    "gradebook": lambda course: [course / "gradebook.db"],
    "another student's submission": lambda course: [course / "submitted" / "bob" / "step_by_step"],
    "instructor's home": lambda course: _instructor_home(),
}


@pytest.mark.parametrize("secret", SECRETS)
def test_the_kernel_cannot_see_what_is_not_its_own(secret, run_inside, tmp_path):
    course = tmp_path / "course"  # beside the sockets folder, as the grader's temporary folders are
    (course / "submitted" / "bob" / "step_by_step").mkdir(parents=True)
    (course / "submitted" / "bob" / "step_by_step" / "answers.ipynb").write_text("{}")
    (course / "gradebook.db").write_text("grades")
    paths = [str(path) for path in SECRETS[secret](course)]
    assert paths and all(os.path.exists(path) for path in paths)
    output = run_inside(f"""
        import os
        for path in {paths!r}:
            try:
                os.listdir(path) if os.path.isdir(path) else open(path, "rb").close()
                print("read", path)
            except OSError as error:
                print(type(error).__name__, path)
    """)
    assert output.splitlines() == [f"FileNotFoundError {path}" for path in paths]


def test_the_kernel_reads_the_release_files_but_cannot_change_them(run_inside, release):
    output = run_inside("""
        import os
        for name in ("dnn_utils.py", "testCases/__init__.py", "images/cat.txt"):
            print(repr(open(name).read()))
            for change in (lambda: open(name, "a").write("# mine"), lambda: os.remove(name),
                           lambda: os.rename(name, "renamed"), lambda: os.chmod(name, 0o600)):
                try:
                    change()
                    print("changed", name)
                except OSError:
                    pass
        for folder in ("testCases", "images"):
            try:
                open(f"{folder}/new.py", "w").close()
                print("created in", folder)
            except OSError:
                pass
    """, files=release)
    assert output.splitlines() == ["'def sigmoid(z): ...\\n'", "'CASES = []\\n'", "'a cat\\n'"]
    assert (release["dnn_utils.py"].read_text(), sorted(os.listdir(release["testCases"]))) == (
        "def sigmoid(z): ...\n", ["__init__.py"])


def test_the_kernel_creates_its_own_files_in_its_folder_and_in_tmp(run_inside, release):
    output = run_inside("""
        import os
        for path in ("results.txt", "/tmp/cache.npy"):
            with open(path, "w") as handle:
                handle.write("mine")
            print(os.getcwd(), open(path).read())
    """, files=release)
    assert output.splitlines() == [f"{WORKDIR} mine"] * 2


def test_the_kernel_has_no_network(run_inside):
    output = run_inside("""
        import errno, socket
        print([line.split(":")[0].strip() for line in open("/proc/net/dev").readlines()[2:]])
        try:
            socket.create_connection(("1.1.1.1", 443), timeout=5)
            print("connected")
        except OSError as error:
            print(errno.errorcode.get(error.errno, error))
    """)
    assert output.splitlines() == ["['lo']", "ENETUNREACH"]


def test_the_kernel_environment_is_cleared(run_inside, monkeypatch):
    monkeypatch.setenv("GRADER_SECRET", "x")
    output = run_inside("import os; print(os.environ.get('GRADER_SECRET'), os.environ['HOME'])")
    secret, home = output.split()
    assert secret == "None"
    assert home not in (os.environ["HOME"], str(Path.home()))


def test_allocating_more_than_the_memory_limit_raises_memory_error(run_inside):
    output = run_inside("""
        import numpy
        try:
            numpy.ones(1024 ** 3, dtype=numpy.uint8)
            print("allocated 1 GB")
        except MemoryError:
            print("MemoryError")
    """, limits=Limits(memory=512 * 1024 ** 2))
    assert output == "MemoryError"


def test_a_fork_bomb_is_stopped_by_the_process_limit(run_inside):
    # The children wait until the parent ends (end of file on the pipe), then exit at once.
    output = run_inside("""
        import os
        reading, writing = os.pipe()
        forked = 0
        try:
            for _ in range(1000):
                if os.fork() == 0:
                    os.close(writing)
                    os.read(reading, 1)
                    os._exit(0)
                forked += 1
            print("forked", forked)
        except OSError as error:
            print("fork failed:", type(error).__name__, forked < 30)
    """, limits=Limits(processes=30))
    assert output == "fork failed: BlockingIOError True"


def test_writing_a_file_larger_than_the_limit_fails(run_inside):
    # Python ignores SIGXFSZ, so the write that would pass the limit fails with EFBIG instead of killing it.
    output = run_inside("""
        import errno, os
        try:
            with open("big.bin", "wb") as handle:
                handle.write(b"x" * 2 * 1024 ** 2)
            print("wrote 2 MB")
        except OSError as error:
            print(errno.errorcode[error.errno], os.path.getsize("big.bin"))
    """, limits=Limits(file_size=1024 ** 2))
    assert output == f"EFBIG {1024 ** 2}"


def _processes_with(marker):
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            if marker.encode() in cmdline.read_bytes():
                found.append(int(cmdline.parent.name))
        except OSError:  # it ended meanwhile
            pass
    return found


def test_nothing_the_kernel_starts_outlives_the_sandbox(run_inside):
    marker = f"outlives-the-sandbox-{os.getpid()}-{time.monotonic_ns()}"
    # Only the detached process carries the marker in its arguments (not the program's own text).
    output = run_inside(f"""
        import os, subprocess, sys, time
        marker = "-".join({marker.split("-")!r})
        subprocess.Popen([sys.executable, "-c", "import time; time.sleep(300)", marker], start_new_session=True,
                         stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(500):
            if any(marker.encode() in open(f"/proc/{{pid}}/cmdline", "rb").read()
                   for pid in os.listdir("/proc") if pid.isdigit()):
                print("detached process running")
                break
            time.sleep(0.01)
    """)
    assert output == "detached process running"
    deadline = time.monotonic() + 2
    while _processes_with(marker) and time.monotonic() < deadline:
        time.sleep(0.05)
    survivors = _processes_with(marker)
    for pid in survivors:
        os.kill(pid, 9)
    assert survivors == []


@only_as_root
def test_the_sockets_folder_becomes_read_only_to_the_kernel_once_sealed(kernel):
    sandbox = kernel.sandbox()
    create = f"""
        try:
            open("{sandbox.sockets}/kernel-1", "w").close()
            print("created")
        except PermissionError:
            print("PermissionError")
    """
    sandbox.prepare()
    assert kernel.run(sandbox, create) == "created"
    sandbox.seal()
    assert kernel.run(sandbox, create.replace("kernel-1", "kernel-2")) == "PermissionError"
    assert sorted(os.listdir(sandbox.sockets)) == ["kernel-1"]


@pytest.fixture
def fresh_problem():
    problem.cache_clear()
    yield problem
    problem.cache_clear()


def test_sandboxes_work_on_this_machine(fresh_problem):
    assert fresh_problem() is None


def test_without_bubblewrap_the_problem_says_so(fresh_problem, monkeypatch):
    monkeypatch.setattr(sandbox_module, "BWRAP", "bwrap-not-installed")
    assert "bubblewrap" in fresh_problem()


def test_a_sandbox_that_outlives_its_wall_clock_limit_is_killed(sockets):
    command = Sandbox(sockets, {}, Limits(wall_seconds=2), slot=SLOT).wrap(
        [sys.executable, "-c", "import time; time.sleep(60)"])
    start = time.monotonic()
    result = subprocess.run(command, capture_output=True, timeout=60)
    assert result.returncode != 0 and time.monotonic() - start < 30


def test_the_kernel_gets_one_blas_thread(run_inside):
    """Several kernels share the cores: oversubscribed BLAS threads spin, and a notebook took minutes."""
    output = run_inside("import os; print(os.environ['OPENBLAS_NUM_THREADS'], os.environ['OMP_NUM_THREADS'])")
    assert output.split() == ["1", "1"]
