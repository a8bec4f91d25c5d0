"""Run one submission through nbgrader's autograde pipeline in a worker process.

The pipeline is nbgrader's own, as nbgrader_config.py configures it: the sanitising preprocessors,
then the grading ones, run in order on the submitted notebook in a folder laid out as nbgrader
autograde lays out autograded/<student>/<assignment>/. The only preprocessors left out are those
that write to the gradebook (SaveAutoGrades, AssignLatePenalties): they run in gradebook.record_graded,
in the parent process for an SQLite gradebook (one writer at a time), and here, in the worker's own
transaction, for a database server, which then records as many students at once as there are workers.
The kernel runs in a bubblewrap sandbox (kernel/sandbox.py) that sees only the release's files and what the
student submitted, and GradeInKernel grades each function from outside it (kernel/conversation.py). A warm kernel
(the default when the grading process found that they work here) is forked by this worker's template
(kernel/warm.py), started with the worker (on a cluster, with its first warm submission) and kept for the next; a
cold one starts afresh.
"""
import json
import os
import shutil
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import nbformat
from jupyter_core.utils import run_sync
from nbgrader import utils
from nbgrader.converters import Autograde
from nbgrader.preprocessors import AssignLatePenalties, CheckCellMetadata, SaveAutoGrades
from sqlalchemy.exc import SQLAlchemyError

from ..course import Course
from ..kernel.sandbox import Limits, Sandbox, SandboxedKernelManager
from ..kernel.warm import Template, WarmKernelManager
from .gradebook import record_graded
from .inert import RemovedContent
from .outcomes import one_line
from .preprocessors import GradeInKernel
from .sanitising import reads_once, remember_valid_metadata
from .submission_time import SubmissionTime
from .submitted_files import MAX_FILE_BYTES, NotRegular, open_regular, walk

GRADEBOOK_WRITERS = (SaveAutoGrades, AssignLatePenalties)
# The environment variable naming a file to which each submission's timings are appended, one JSON line each (the
# benchmark's breakdown); without it, none are written.
TIMINGS_FILE = "AUTOGRADER_TIMINGS"

_worker = {}  # this process's preprocessors and settings, made once by prepare_worker
_template_lock = threading.Lock()


@dataclass(frozen=True)
class GradingTask:
    """One submission to grade, as the parent hands it to a worker."""
    student_id: str
    assignment: str
    notebook: str  # file name of the graded notebook
    submission_folder: str
    release_dir: str
    workdir: str  # the autograded folder to create
    db_url: str  # the gradebook, which OverwriteCells reads
    sandbox: bool
    memory: int  # bytes the sandbox's processes may use
    time_limit: float  # seconds the submission may take
    record_into: str | None = None  # a gradebook several processes may write: the worker records the student there
    submitted_at: SubmissionTime | None = None  # when it was submitted, as the grading process established it
    warm_kernels: bool = False  # fork the kernel from this worker's template (kernel/warm.py), if sandboxed


@dataclass(frozen=True)
class GradingOutcome:
    """What a worker hands back: where the executed notebook is, and the verdicts."""
    autograded: str  # the autograded folder, holding the executed notebook
    verdicts: dict  # {function name: Verdict}
    removed: RemovedContent  # active content taken out of the notebook
    recorded: bool = False  # the student's grades are in the gradebook already (GradingTask.record_into)
    record_problem: str = ""  # why the worker could not record them, when it was asked to


def prepare_worker(course_root: str, config_overrides: dict, warm_kernels: bool = False) -> None:
    """Worker start-up: build nbgrader's preprocessors once, with the course's configuration.

    config_overrides: traitlets configuration sections, e.g. {"Execute": {"timeout": 5}}.
    warm_kernels: start this worker's template of warm kernels now, so that it imports while the worker waits for
    its first submission.
    """
    _worker["course"] = Course.at(course_root)  # its configuration's late policy, for recording
    config = _worker["course"].configured(**config_overrides)
    autograde = Autograde(config=config)
    classes = list(autograde.sanitize_preprocessors) + list(autograde.autograde_preprocessors)
    # nbgrader checks the cell metadata at the end of each of its two passes; in one pass, once is enough.
    classes = [cls for index, cls in enumerate(classes) if cls not in classes[index + 1:]
               or cls is not CheckCellMetadata]
    _worker["preprocessors"] = [cls(config=config) for cls in classes if not issubclass(cls, GRADEBOOK_WRITERS)]
    _worker["exclude_overwriting"] = dict(autograde.exclude_overwriting)
    _worker["slot"] = os.getpid() % 1000  # tells this worker's sandbox user apart from the other workers'
    remember_valid_metadata()
    if warm_kernels:
        _template()


def lay_out(workdir: Path, submission_folder, release_dir, assignment: str, exclude_overwriting: dict) -> None:
    """The submitted regular files (no link, FIFO or device: nothing in the autograded folder, which nbgrader's
    generate_feedback and the formgrader read, leads out of it), then the released non-notebook files over them,
    as nbgrader autograde lays the instructor's over them (the release holds the instructor's files and the
    shared modules, and grading never writes into source/ to put those there)."""
    if workdir.exists():
        shutil.rmtree(workdir)
    workdir.mkdir(parents=True)
    for name in walk(submission_folder).files:
        target = workdir / name
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            with open_regular(Path(submission_folder) / name, MAX_FILE_BYTES) as source, open(target, "wb") as copy:
                shutil.copyfileobj(source, copy)
        except NotRegular:  # replaced since the walk: left out, as the walk leaves out what it is now
            target.unlink()
    keep = {Path(release_dir) / name for name in exclude_overwriting.get(assignment, [])}
    for source in Path(release_dir).rglob("*"):
        if source.is_file() and source.suffix != ".ipynb" and source not in keep and "__pycache__" not in source.parts:
            target = workdir / source.relative_to(release_dir)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)


def kernel_files(release_dir, submission_folder, notebook: str) -> dict:
    """{path in the kernel's folder: host path} of the files the notebook may read: what the student
    submitted beside it, then the release's own files over them (read-only, in the sandbox)."""
    submission_folder = Path(submission_folder).absolute()  # the sandbox starts in another folder
    files = {name: submission_folder / name for name in walk(submission_folder).files if name != notebook}
    released = {path.name: path for path in Path(release_dir).absolute().iterdir()
                if path.suffix != ".ipynb" and path.name != "__pycache__"}
    submitted = {name: host for name, host in files.items() if name.split("/")[0] not in released}
    return {**submitted, **released}


def grade_submission(task: GradingTask, scratch=None) -> GradingOutcome:
    """Sanitise, execute and grade one submitted notebook; write the executed copy; return the verdicts.

    scratch: the folder the kernel's sockets folder (or the warm kernels' template's folder, which holds them) is made
    in; by default tempfile's, which a local worker's pool gives it and removes (pool.py). The sockets folder is left
    behind when this process is killed.
    """
    clock = _Clock()
    workdir = Path(task.workdir)
    lay_out(workdir, task.submission_folder, task.release_dir, task.assignment, _worker["exclude_overwriting"])
    notebook = nbformat.read(workdir / task.notebook, as_version=4)
    resources = {"nbgrader": {"notebook": Path(task.notebook).stem, "assignment": task.assignment,
                              "student": task.student_id, "db_url": task.db_url},
                 "metadata": {"path": str(workdir)},
                 "autograder": {}}
    template = _template(scratch) if task.sandbox and task.warm_kernels else None
    with tempfile.TemporaryDirectory(prefix="sockets-", dir=template.root if template else scratch) as sockets, \
            utils.setenv(NBGRADER_EXECUTION="autograde"):
        kernel_manager = None
        if task.sandbox:
            files = kernel_files(task.release_dir, task.submission_folder, task.notebook)
            limits = Limits(memory=task.memory, wall_seconds=int(task.time_limit) + 60)
            sandbox = Sandbox(sockets, files, limits, slot=_worker.get("slot", 0))
            kernel_manager = WarmKernelManager(sandbox, template) if template else SandboxedKernelManager(sandbox)
            resources["autograder"]["kernel_manager"] = kernel_manager
        try:
            with reads_once(task.db_url, resources["nbgrader"]["notebook"], task.assignment):
                for preprocessor in _worker["preprocessors"]:
                    clock.lap("preparing")
                    notebook, resources = preprocessor(notebook, resources)  # __call__ skips a disabled one
                    clock.lap("kernel" if isinstance(preprocessor, GradeInKernel) else "preparing")
        finally:
            if kernel_manager is not None:
                run_sync(kernel_manager.stop)()
            clock.lap("kernel stop")
    nbformat.write(notebook, workdir / task.notebook)
    verdicts = resources["autograder"].get("verdicts")
    if verdicts is None:
        raise RuntimeError("nbgrader_config.py's autograde_preprocessors lack GradeInKernel: nothing was graded")
    recorded, problem = _record(task, notebook)
    clock.lap("writing and recording")
    clock.save(kernel_manager, warm=template is not None)
    return GradingOutcome(str(workdir), dict(verdicts), resources["autograder"].get("removed", RemovedContent()),
                          recorded=recorded, record_problem=problem)


class _Clock:
    """Seconds spent in each step of one submission, for the benchmark's per-submission breakdown."""

    def __init__(self):
        self.spent = {}
        self._last = time.perf_counter()

    def lap(self, step):
        """The time since the last lap was spent on `step`."""
        now = time.perf_counter()
        self.spent[step] = self.spent.get(step, 0.0) + now - self._last
        self._last = now

    def save(self, kernel_manager, warm):
        """Append the timings to the file TIMINGS_FILE names, if it does: the kernel's time split into its start
        (until it was ready), the grading conversations (conversation.py) and the cells (the rest)."""
        path = os.environ.get(TIMINGS_FILE)
        if not path:
            return
        spent = dict(self.spent)
        kernel = spent.pop("kernel", 0.0)
        start = kernel_manager.kernel_start_seconds() if kernel_manager is not None else None
        grading = kernel_manager.timings.get("grading", 0.0) if kernel_manager is not None else 0.0
        spent.update({"kernel start": start or 0.0, "grading": grading,
                      "cells": kernel - (start or 0.0) - grading, "warm": warm})
        with open(path, "a") as stream:
            stream.write(json.dumps(spent) + "\n")


def _template(scratch=None):
    """This worker's template of warm kernels: started now if it is not running (a new one if it died), its folder
    in `scratch` (as grade_submission's). A Dask worker grades in several threads: one template for them all."""
    with _template_lock:
        template = _worker.get("template")
        if template is None or not template.alive():
            if template is not None:
                template.close()
            template = _worker["template"] = Template(slot=_worker.get("slot", 0), folder=scratch)
        return template


def _record(task, notebook):
    """(recorded, the problem) of recording the student into task.record_into, if the task asks for it.

    A worker that cannot reach the gradebook (a cluster's worker for which the database's host name means another
    machine, a database that hiccups) leaves the student to the grading process, which records as it records into
    SQLite, or stops the run if it cannot either: never a grade lost to the database.
    """
    if not task.record_into:
        return False, ""
    try:
        record_graded(_worker["course"].with_gradebook(task.record_into), task.assignment, task.student_id, notebook,
                      Path(task.submission_folder), when=task.submitted_at)
    except SQLAlchemyError as error:
        return False, one_line(str(error.orig if getattr(error, "orig", None) else error))
    return True, ""
