"""Grade a class on a Dask distributed cluster: `python -m autograder grade ... --scheduler tcp://HOST:8786`.

Each submission is one Dask task, and the task runs the very function a local worker runs
(worker.grade_submission) with the same preprocessors (worker.prepare_worker), in the worker's own
bubblewrap sandbox. Workers share no filesystem with this process: a task carries its submission's
files (a Folder), and a worker plugin (CourseFiles) gives every worker, including those that join or
restart later, the release's files and a small SQLite gradebook that knows only the assignment's
cells (nbgrader's OverwriteCells reads it). The autograded notebook comes back with the verdicts;
this process lays out the course's autograded/ folder as a local worker would have. A course whose
gradebook is a database server (PostgreSQL) is recorded by the workers, each student in its own
transaction, as with the local pool; an SQLite gradebook is recorded by this process alone.

What a worker writes (the course's files, each task's, its kernel's sockets) goes in its Dask local directory,
which Dask removes when the worker closes, and which the next worker started there removes if it was killed.

Dask reschedules the task of a worker that died; a submission whose task kept killing its workers
ends in KilledWorker after the scheduler's `distributed.scheduler.allowed-failures` tries and is
reported as needing attention. This module is imported only when --scheduler is given.
"""
import concurrent.futures
import contextlib
import hashlib
import importlib.metadata
import logging
import shutil
import tempfile
import uuid
from concurrent.futures import CancelledError
from dataclasses import dataclass, field, replace
from pathlib import Path

from distributed import Client, as_completed, get_worker
from distributed.diagnostics.plugin import WorkerPlugin
from distributed.scheduler import KilledWorker
from nbgrader.converters import Autograde

from ..course import CONFIG_FILE
from ..kernel.warm import problem as warm_problem
from ..paths import ROOT
from . import worker
from .refusal import CannotGrade, sandbox_refusal
from .gradebook import register_assignment
from .pool import TaskFailed, WorkerDied
from .submitted_files import MAX_FILE_BYTES, NotRegular, read_regular, walk

CONNECT_SECONDS = 20  # to reach the scheduler
WORKER_WAIT_SECONDS = 60  # for a first worker to join the scheduler
# Tasks handed to the scheduler ahead of the results, per worker thread. One: a worker then holds only the task
# it runs, so when a submission kills its worker, no other student's task is counted as a suspect with it (the
# scheduler gives up on a task after allowed-failures deaths of workers that held it).
TASKS_PER_THREAD = 1
# What makes two installations of the kit grade alike: its code, its configuration and its checks.
KIT_SOURCES = ("autograder/**/*.py", "testCases/**/*.py", "testCases/*.json", "dnn_utils.py", "image_data.py",
               "nbgrader_config.py", "pyproject.toml")


class ClusterProblem(CannotGrade):
    """Grading on the cluster cannot start or go on; the message says why and what to do, in one line."""


class WorkerRefused(Exception):
    """A worker cannot grade as this grader asks (another kit, no sandbox); the message names the worker."""


def kit_identity(root=ROOT):
    """The kit's version and a hash of its source, e.g. "0.1.0 (source 3f2a9c01b7de)"."""
    digest = hashlib.sha256()
    paths = sorted({path for pattern in KIT_SOURCES for path in Path(root).glob(pattern)
                    if "__pycache__" not in path.parts})
    for path in paths:
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    try:
        version = importlib.metadata.version("deep-nn-course-kit")
    except importlib.metadata.PackageNotFoundError:
        version = "not installed"
    return f"{version} (source {digest.hexdigest()[:12]})"


def worker_problem(kit, sandbox):
    """On a worker: None if it can grade as asked, else why not, in one line."""
    mine = kit_identity()
    if mine != kit:
        return (f"this worker has the kit {mine}, the grader has {kit}: install the same version of the kit "
                f"on every worker")
    return sandbox_refusal() if sandbox else None


@dataclass(frozen=True)
class Folder:
    """A folder's regular files and links, as bytes and link targets, to rebuild it on another machine.

    Links are kept as links, as the local grader copies them (symlinks=True); nothing is read through one.
    """
    files: tuple = ()  # ((path relative to the folder, posix, bytes), ...)
    links: tuple = ()  # ((path, target), ...)

    @classmethod
    def read(cls, folder):
        """The folder as submitted_files.walk sees it: its regular files, its links, and nothing else."""
        found = walk(folder)
        files = []
        for relative in found.files:
            try:
                files.append((relative, read_regular(Path(folder) / relative, MAX_FILE_BYTES)))
            except NotRegular:  # replaced since the walk: left out, as the walk leaves out what it is now
                pass
        return cls(tuple(files), found.links)

    def write(self, destination):
        """Rebuild the folder at `destination` (created); return it. Links are made last, so no file is
        written through one."""
        destination = Path(destination)
        destination.mkdir(parents=True, exist_ok=True)
        for relative, data in self.files:
            target = destination / _inside(relative)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        for relative, link_target in self.links:
            (destination / _inside(relative)).symlink_to(link_target)
        return destination

    @property
    def digest(self):
        digest = hashlib.sha256()
        for relative, data in self.files:
            digest.update(relative.encode() + b"\0" + hashlib.sha256(data).digest())
        for relative, link_target in self.links:
            digest.update(relative.encode() + b"\0" + link_target.encode() + b"\1")
        return digest.hexdigest()


def _inside(relative):
    path = Path(relative)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise ValueError(f"{relative!r}: not a path inside the folder")
    return path


class CourseFiles(WorkerPlugin):
    """Gives each worker the release's files and the assignment's gradebook, in a folder of its own."""

    idempotent = True  # a second run with the same files keeps what the workers already have

    def __init__(self, name, release, gradebook, config):
        self.name = name
        self.release = release  # a Folder
        self.gradebook = gradebook  # bytes of an SQLite gradebook
        self.config = config  # the text of the course's nbgrader_config.py
        self.folder = None

    def setup(self, worker):
        # In the worker's local directory: a killed worker's teardown never runs, and Dask removes that folder.
        self.folder = Path(tempfile.mkdtemp(prefix="kit-course-", dir=worker.local_directory))
        self.release.write(self.folder / "release")
        (self.folder / "gradebook.db").write_bytes(self.gradebook)
        (self.folder / CONFIG_FILE).write_text(self.config, encoding="utf-8")

    def teardown(self, worker=None):
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)

    @property
    def release_dir(self):
        return self.folder / "release"

    @property
    def db_url(self):
        return f"sqlite:///{self.folder / 'gradebook.db'}"


@dataclass(frozen=True)
class GradeRequest:
    """One submission to grade on a worker: what worker.grade_submission needs, its files included."""
    student_id: str
    assignment: str
    notebook: str  # the notebook's file name
    submission: Folder
    course_files: str  # the name of the CourseFiles plugin that holds the release and the gradebook
    kit: str  # kit_identity() of the grader
    sandbox: bool
    memory: int
    time_limit: float
    config: dict = field(default_factory=dict)  # traitlets overrides for prepare_worker
    record_into: str | None = None  # the course's gradebook, when it is a database server the worker records into
    submitted_at: object = None  # the SubmissionTime the grading process established (the worker has no exchange)
    warm_kernels: bool = False  # fork the kernel from the worker's template, where warm kernels work on the worker


@dataclass(frozen=True)
class Graded:
    """What comes back: the autograded notebook's text and what grade_submission returned with it."""
    notebook_text: str
    outcome: worker.GradingOutcome  # its autograded folder is the worker's, gone by now


_prepared = {}  # the configuration this worker process's preprocessors were built with


def grade_on_worker(request):
    """The Dask task: rebuild the submission on this worker, grade it with worker.grade_submission, return it."""
    here = get_worker()
    problem = worker_problem(request.kit, request.sandbox)
    if problem:
        raise WorkerRefused(f"Dask worker {here.address}: {problem}")
    course = here.plugins[request.course_files]
    if _prepared.get("config") != (request.course_files, request.config):
        worker.prepare_worker(str(course.folder), request.config)  # the course's configuration, as the plugin has it
        _prepared["config"] = (request.course_files, request.config)
    with tempfile.TemporaryDirectory(prefix="kit-task-", dir=here.local_directory) as scratch:
        submission = request.submission.write(Path(scratch) / "submitted")
        task = worker.GradingTask(student_id=request.student_id, assignment=request.assignment,
                                  notebook=request.notebook, submission_folder=str(submission),
                                  release_dir=str(course.release_dir), workdir=str(Path(scratch) / "autograded"),
                                  db_url=course.db_url, sandbox=request.sandbox, memory=request.memory,
                                  time_limit=request.time_limit, record_into=request.record_into,
                                  submitted_at=request.submitted_at,
                                  warm_kernels=request.warm_kernels and warm_problem() is None)
        # The sockets folder beside the task's, not in it: a Unix socket's path has at most 107 characters.
        outcome = worker.grade_submission(task, scratch=here.local_directory)
        text = (Path(outcome.autograded) / request.notebook).read_text(encoding="utf-8")
    return Graded(text, outcome)


def _quiet_dask():
    """distributed's client logs its reconnection attempts, also after the grader has given up on them, from its
    own thread; the grader says what they mean itself, in one line. For the rest of the grading process."""
    names = ["distributed"] + [name for name in logging.root.manager.loggerDict if name.startswith("distributed.")]
    for name in names:  # distributed's configuration gives some of its loggers levels of their own
        logging.getLogger(name).setLevel(logging.CRITICAL + 1)


class DaskPool:
    """`with DaskPool(scheduler, course, assignment, config) as pool: for task, outcome in pool.run(tasks, _)`

    The local WorkerPool's interface: tasks are GradingTasks; an outcome is the GradingOutcome that
    grade_submission returns (its autograded folder now in the course), or WorkerDied, TaskFailed.
    """

    def __init__(self, scheduler, course, assignment, config, sandbox=True):
        self.scheduler = scheduler
        self.sandbox = sandbox
        self.course = course
        self.assignment = assignment
        self.config = config
        self.kit = kit_identity()
        self._stack = contextlib.ExitStack()
        self.client = None
        self.plugin_name = None

    def __enter__(self):
        _quiet_dask()
        try:
            self.client = Client(self.scheduler, timeout=CONNECT_SECONDS, set_as_default=False)
        except (OSError, TimeoutError) as error:
            self._stack.close()
            raise ClusterProblem(f"{self.scheduler}: cannot reach the Dask scheduler ({_first_line(error)}); "
                                 f"start it (dask scheduler) or correct --scheduler") from None
        self._stack.callback(self._close)
        try:
            self._wait_for_workers()
            # Each takes a second or two, one here and one on the workers: side by side.
            with concurrent.futures.ThreadPoolExecutor(1) as helper:
                gradebook = helper.submit(self._assignment_gradebook)
                self.check()
                self._register_course_files(gradebook.result())
        except BaseException:
            self._stack.close()
            raise
        return self

    def __exit__(self, *exc_info):
        self._stack.close()

    def _close(self):
        with contextlib.suppress(Exception):
            self.client.close(timeout=5)

    def _wait_for_workers(self):
        try:
            self.client.wait_for_workers(1, timeout=WORKER_WAIT_SECONDS)
        except TimeoutError:
            raise ClusterProblem(f"{self.scheduler}: no Dask worker joined the scheduler in {WORKER_WAIT_SECONDS} s; "
                                 f"start some (dask worker {self.scheduler})") from None

    def check(self):
        """Every worker connected now can grade as asked, or ClusterProblem naming the first that cannot (a worker
        that joins later refuses each task it is given, in the same words)."""
        problems = self.client.run(worker_problem, self.kit, self.sandbox)
        for address, problem in sorted(problems.items()):
            if problem:
                raise ClusterProblem(f"Dask worker {address}: {problem}")

    def _assignment_gradebook(self):
        """The bytes of an SQLite gradebook that knows the assignment's notebooks and cells, and nothing else."""
        with tempfile.TemporaryDirectory(prefix="kit-gradebook-") as scratch:
            path = Path(scratch) / "gradebook.db"
            register_assignment(self.course.with_gradebook(f"sqlite:///{path}"), self.assignment)
            return path.read_bytes()

    def _register_course_files(self, gradebook):
        release = Folder.read(self.course.release_dir(self.assignment))
        config_file = self.course.root / CONFIG_FILE
        config = config_file.read_text(encoding="utf-8") if config_file.is_file() else ""
        self.plugin_name = f"kit-course-{self.assignment}-{release.digest[:16]}"
        self.client.register_plugin(CourseFiles(self.plugin_name, release, gradebook, config), name=self.plugin_name)

    def run(self, tasks, time_limit):
        """Yield (task, outcome) for every task, in the order they finish; ClusterProblem if the cluster fails."""
        waiting = list(tasks)[::-1]
        running = {}
        finished = as_completed(loop=self.client.loop)

        threads = [sum(self.client.nthreads().values())]

        def window():  # workers come and go: the cluster's threads now (the last known, if the scheduler is gone)
            with contextlib.suppress(Exception):
                threads[0] = sum(self.client.nthreads().values())
            return max(1, TASKS_PER_THREAD * threads[0])

        def submit_next():
            task = waiting.pop()
            request = GradeRequest(task.student_id, task.assignment, task.notebook,
                                   Folder.read(task.submission_folder), self.plugin_name, self.kit,
                                   task.sandbox, task.memory, time_limit, self.config, task.record_into,
                                   task.submitted_at, warm_kernels=task.warm_kernels)
            future = self.client.submit(grade_on_worker, request, pure=False,
                                        key=f"grade-{task.assignment}-{task.student_id}-{uuid.uuid4().hex[:8]}")
            running[future.key] = task
            finished.add(future)

        while waiting and len(running) < window():
            submit_next()
        for future in finished:
            task = running.pop(future.key)
            while waiting and (not running or len(running) < window()):
                submit_next()
            yield task, self._outcome(future, task)

    def _outcome(self, future, task):
        try:
            graded = future.result()
        except WorkerRefused as error:
            raise ClusterProblem(str(error)) from None
        except KilledWorker as error:
            return WorkerDied(f"it killed every Dask worker it ran on, {error.allowed_failures + 1} of them; "
                              f"the last was {error.last_worker.address}")
        except (CancelledError, OSError) as error:
            reason = getattr(error, "reason", None) or _first_line(error)  # distributed's FutureCancelledError's
            raise ClusterProblem(f"{self.scheduler}: lost the Dask scheduler while grading ({reason}); "
                                 f"the grades finished so far are kept: run the same command again to grade "
                                 f"the rest") from None
        except Exception as error:
            return TaskFailed(f"{type(error).__name__}: {_first_line(error)}")
        return self._lay_out(task, graded)

    def _lay_out(self, task, graded):
        """The course's autograded/<student>/<assignment>/ as a local worker leaves it."""
        workdir = Path(task.workdir)
        exclude_overwriting = dict(Autograde(config=self.course.config).exclude_overwriting)
        worker.lay_out(workdir, task.submission_folder, task.release_dir, task.assignment, exclude_overwriting)
        (workdir / task.notebook).write_text(graded.notebook_text, encoding="utf-8")
        return replace(graded.outcome, autograded=str(workdir))


def _first_line(error):
    text = str(error).strip() or type(error).__name__
    return text.splitlines()[0]
