"""The environment every user of the hub runs, and the proxy in front of it.

One venv, outside any home (a Python under /root, such as pyenv's, cannot be run by the students): the kit's pins
(requirements.txt) and the hub's (hub/requirements.txt). Its kernelspec limits BLAS to one thread per kernel: on a
hub many kernels share the cores, and a kernel's OpenBLAS threads spinning on all of them slow every other kernel
down (the application notebook took 5 minutes instead of 16 s on a busy 2-core machine). Its system-wide Jupyter
configuration names the course and the exchange for everyone's nbgrader, and leaves the instructors' tools (the
formgrader, the assignment creator, the course list) out of everyone's JupyterLab; instructors turn them back on in
their own configuration (course.py).
"""
import hashlib
import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from ..kernel.sandbox import ONE_THREAD
from ..paths import ROOT

PYTHONS = ("/usr/bin/python3", "/usr/local/bin/python3")  # installs that every user can run, in this order
REQUIREMENTS = (ROOT / "requirements.txt", ROOT / "hub" / "requirements.txt")
PROXY_FILES = (ROOT / "hub" / "package.json", ROOT / "hub" / "package-lock.json")
COURSE_ID = "deep-nn-step-by-step"
INSTRUCTOR_LAB_PLUGINS = ("@jupyter/nbgrader:formgrader", "@jupyter/nbgrader:create-assignment",
                          "@jupyter/nbgrader:course-list")
INSTRUCTOR_SERVER_EXTENSIONS = ("nbgrader.server_extensions.formgrader", "nbgrader.server_extensions.course_list")


class SetupProblem(Exception):
    """A part of the hub cannot be made; the message says which and why."""


def everyone_can_run(path) -> bool:
    """Whether every user can reach `path` and what it is installed from (each folder on the way is o+x)."""
    path = Path(os.path.realpath(path))
    return all(os.stat(folder).st_mode & 0o001 for folder in path.parents) and bool(os.stat(path).st_mode & 0o005)


def shared_python() -> str:
    for python in PYTHONS:
        if os.path.exists(python) and everyone_can_run(python):
            return python
    raise SetupProblem(f"no Python that every user can run among {', '.join(PYTHONS)}: install Debian's python3 "
                       f"and python3-venv (apt-get install python3-venv)")


def _digest(paths) -> str:
    return hashlib.sha256(b"".join(Path(path).read_bytes() for path in paths)).hexdigest()


def _run(args, what, **options):
    done = subprocess.run(args, capture_output=True, text=True, **options)
    if done.returncode:
        raise SetupProblem(f"{what} failed ({' '.join(map(str, args[:3]))} ... exited {done.returncode}): "
                           f"{(done.stderr or done.stdout).strip()[-1500:]}")
    return done


def make_venv(layout) -> bool:
    """Create or update the shared environment; True when it had to be (re)installed."""
    stamp = layout.venv / ".installed"
    digest = _digest(REQUIREMENTS)
    if stamp.is_file() and stamp.read_text() == digest:
        return False
    if not layout.python.exists():
        _run([shared_python(), "-m", "venv", str(layout.venv)], f"making the environment {layout.venv}")
    requirements = [arg for path in REQUIREMENTS for arg in ("-r", str(path))]
    _run([str(layout.python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *requirements],
         f"installing the pinned packages into {layout.venv}")
    stamp.write_text(digest)
    return True


def install_kernel(layout):
    """The environment's python3 kernel, for every user, with one BLAS thread per kernel."""
    threads = [arg for name, value in ONE_THREAD.items() for arg in ("--env", name, value)]
    with tempfile.TemporaryDirectory(prefix="kit-kernelspec-") as scratch:  # ipykernel leaves a folder in TMPDIR
        _run([str(layout.python), "-m", "ipykernel", "install", "--prefix", str(layout.venv), "--name", "python3",
              "--display-name", "Python 3 (the course)", *threads], "installing the kernel",
             env={**os.environ, "TMPDIR": scratch})


def configure_jupyter(layout):
    """The course and the exchange for everyone's nbgrader; the instructors' tools out of everyone's JupyterLab."""
    etc = layout.venv / "etc" / "jupyter"
    etc.mkdir(parents=True, exist_ok=True)
    (etc / "nbgrader_config.py").write_text(
        "# Every user's nbgrader on the course hub (written by python -m autograder.hub setup).\n"
        "c = get_config()  # noqa: F821\n"
        f"c.CourseDirectory.course_id = {COURSE_ID!r}\n"
        f"c.Exchange.root = {str(layout.exchange)!r}\n", encoding="utf-8")
    # Written, not `jupyter labextension disable`, which also locks the formgrader: no instructor could turn it on.
    (etc / "labconfig").mkdir(exist_ok=True)
    (etc / "labconfig" / "page_config.json").write_text(
        json.dumps({"disabledExtensions": dict.fromkeys(INSTRUCTOR_LAB_PLUGINS, True)}, indent=2), encoding="utf-8")
    # JupyterHub forbids every frame; the formgrader is one, of the instructor's own server, on a host of its own.
    (etc / "jupyter_server_config.json").write_text(json.dumps(
        {"ServerApp": {"tornado_settings": {"headers": {"Content-Security-Policy": "frame-ancestors 'self'"}}}},
        indent=2), encoding="utf-8")
    # No news or update checks from the internet in anyone's JupyterLab.
    settings = layout.venv / "share" / "jupyter" / "lab" / "settings"
    settings.mkdir(parents=True, exist_ok=True)
    (settings / "overrides.json").write_text(json.dumps(
        {"@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": False}},
        indent=2), encoding="utf-8")
    jupyter = str(layout.venv / "bin" / "jupyter")
    for extension in INSTRUCTOR_SERVER_EXTENSIONS:
        _run([jupyter, "server", "extension", "disable", "--sys-prefix", extension], f"turning {extension} off")


def make_exchange(layout):
    """nbgrader's exchange: every user writes into it, as nbgrader's documentation asks."""
    layout.exchange.mkdir(parents=True, exist_ok=True)
    layout.exchange.chmod(0o777)


def install_proxy(layout):
    """configurable-http-proxy, exactly as hub/package-lock.json pins it (npm ci)."""
    if shutil.which("npm") is None:
        raise SetupProblem("npm is missing: install Debian's nodejs and npm (apt-get install nodejs npm)")
    folder = layout.proxy.parents[2]
    stamp = folder / ".installed"
    digest = _digest(PROXY_FILES)
    if stamp.is_file() and stamp.read_text() == digest and layout.proxy.exists():
        return
    folder.mkdir(parents=True, exist_ok=True)
    for path in PROXY_FILES:
        shutil.copyfile(path, folder / path.name)
    _run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], "installing configurable-http-proxy",
         cwd=folder)
    stamp.write_text(digest)
