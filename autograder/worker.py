"""Run one submission through nbgrader's autograde pipeline in a worker process.

The pipeline is nbgrader's own, as nbgrader_config.py configures it: the sanitising preprocessors,
then the grading ones, run in order on the submitted notebook in a folder laid out as nbgrader
autograde lays out autograded/<student>/<assignment>/. The only preprocessors left out are those
that write to the gradebook (SaveAutoGrades, AssignLatePenalties): the parent process runs them,
so that the gradebook has a single writer however many workers grade. The kernel runs in a
bubblewrap sandbox (sandbox.py) that sees only the release's files and what the student submitted,
and GradeInKernel grades each function from outside it (remote.py).
"""
import os
import shutil
import tempfile
from pathlib import Path

import nbformat
from jupyter_core.utils import run_sync
from nbgrader import utils
from nbgrader.converters import Autograde
from nbgrader.preprocessors import AssignLatePenalties, CheckCellMetadata, SaveAutoGrades
from traitlets.config import Config

from .course import load_config
from .inert import RemovedContent
from .sandbox import Limits, Sandbox, SandboxedKernelManager

GRADEBOOK_WRITERS = (SaveAutoGrades, AssignLatePenalties)
IGNORED = shutil.ignore_patterns("__pycache__", ".ipynb_checkpoints")

_worker = {}  # this process's preprocessors and settings, made once by prepare_worker


def prepare_worker(config_overrides):
    """Worker start-up: build nbgrader's preprocessors once, with the course's configuration.

    config_overrides: traitlets configuration as a dict, e.g. {"Execute": {"timeout": 5}}.
    """
    config = load_config()
    config.merge(Config(config_overrides))
    autograde = Autograde(config=config)
    classes = list(autograde.sanitize_preprocessors) + list(autograde.autograde_preprocessors)
    # nbgrader checks the cell metadata at the end of each of its two passes; in one pass, once is enough.
    classes = [cls for index, cls in enumerate(classes) if cls not in classes[index + 1:]
               or cls is not CheckCellMetadata]
    _worker["preprocessors"] = [cls(config=config) for cls in classes if not issubclass(cls, GRADEBOOK_WRITERS)]
    _worker["exclude_overwriting"] = dict(autograde.exclude_overwriting)
    _worker["slot"] = os.getpid() % 1000  # tells this worker's sandbox user apart from the other workers'


def lay_out(workdir, submission_folder, release_dir, assignment, exclude_overwriting):
    """The submitted files, then the released non-notebook files over them, as nbgrader autograde lays the
    instructor's over them (the release holds the instructor's files and the shared modules, and grading
    never writes into source/ to put those there)."""
    if workdir.exists():
        shutil.rmtree(workdir)
    shutil.copytree(submission_folder, workdir, ignore=IGNORED, symlinks=True)  # a link is copied, never followed
    keep = {Path(release_dir) / name for name in exclude_overwriting.get(assignment, [])}
    for source in Path(release_dir).rglob("*"):
        if source.is_file() and source.suffix != ".ipynb" and source not in keep and "__pycache__" not in source.parts:
            target = workdir / source.relative_to(release_dir)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)


def kernel_files(release_dir, submission_folder, notebook):
    """{path in the kernel's folder: host path} of the files the notebook may read: what the student
    submitted beside it, then the release's own files over them (read-only, in the sandbox)."""
    submission_folder = Path(submission_folder).absolute()  # the sandbox starts in another folder
    folder = submission_folder.resolve()
    files = {path.relative_to(submission_folder).as_posix(): path for path in submission_folder.rglob("*")
             if path.is_file() and path.name != notebook and "__pycache__" not in path.parts
             and path.resolve().is_relative_to(folder)}  # a link out of the submission is not followed
    released = {path.name: path for path in Path(release_dir).absolute().iterdir()
                if path.suffix != ".ipynb" and path.name != "__pycache__"}
    submitted = {name: host for name, host in files.items() if name.split("/")[0] not in released}
    return {**submitted, **released}


def grade_submission(task):
    """Sanitise, execute and grade one submitted notebook; write the executed copy; return the verdicts.

    task: dict with student_id, assignment, notebook (file name), submission_folder, release_dir, workdir (the autograded folder to create), db_url (read by OverwriteCells), sandbox
    (bool), memory (bytes, the sandbox's limit) and time_limit (seconds the submission may take).
    """
    workdir = Path(task["workdir"])
    lay_out(workdir, task["submission_folder"], task["release_dir"], task["assignment"], _worker["exclude_overwriting"])
    notebook = nbformat.read(workdir / task["notebook"], as_version=4)
    resources = {"nbgrader": {"notebook": Path(task["notebook"]).stem, "assignment": task["assignment"],
                              "student": task["student_id"], "db_url": task["db_url"]},
                 "metadata": {"path": str(workdir)},
                 "autograder": {}}
    with tempfile.TemporaryDirectory(prefix="kit-") as sockets, utils.setenv(NBGRADER_EXECUTION="autograde"):
        kernel_manager = None
        if task["sandbox"]:
            files = kernel_files(task["release_dir"], task["submission_folder"], task["notebook"])
            limits = Limits(memory=task["memory"], wall_seconds=int(task["time_limit"]) + 60)
            sandbox = Sandbox(sockets, files, limits, slot=_worker["slot"])
            kernel_manager = resources["autograder"]["kernel_manager"] = SandboxedKernelManager(sandbox)
        try:
            for preprocessor in _worker["preprocessors"]:
                notebook, resources = preprocessor(notebook, resources)  # __call__ skips a disabled one
        finally:
            if kernel_manager is not None:
                run_sync(kernel_manager.stop)()
    nbformat.write(notebook, workdir / task["notebook"])
    verdicts = resources["autograder"].get("verdicts")
    if verdicts is None:
        raise RuntimeError("nbgrader_config.py's autograde_preprocessors lack GradeInKernel: nothing was graded")
    return {"autograded": str(workdir), "verdicts": {name: [v.status, v.message, v.mistake]
                                                  for name, v in verdicts.items()},
            "removed": resources["autograder"].get("removed", RemovedContent())}
