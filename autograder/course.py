"""The nbgrader course in this repository, opened through nbgrader's own Python API."""
import os
import sys
import warnings
from pathlib import Path

from nbgrader.apps import NbGraderAPI
from nbgrader.coursedir import CourseDirectory
from traitlets.config import Config
from traitlets.config.loader import PyFileConfigLoader

from .paths import ROOT


# nbgrader runs its own console scripts (alembic, to create the gradebook): make those of this
# Python's environment reachable even when the environment is not activated.
_SCRIPTS = str(Path(sys.executable).parent)
if _SCRIPTS not in os.environ.get("PATH", "").split(os.pathsep):
    os.environ["PATH"] = _SCRIPTS + os.pathsep + os.environ.get("PATH", "")


# nbgrader 0.9 adds a submission to its SQLAlchemy session late, which SQLAlchemy reports on
# every autograde; the grades it writes are complete, so the notice is only noise.
warnings.filterwarnings("ignore", message=".* not in session, add operation along", module="nbgrader")
# The cell nbgrader adds back for a deleted graded cell has no id; nbformat fills one in and warns.
warnings.filterwarnings("ignore", message="Cell is missing an id field")


def load_config(root=ROOT):
    """nbgrader_config.py of the repository, with the course directory pinned to `root`."""
    config = PyFileConfigLoader("nbgrader_config.py", path=str(ROOT)).load_config()
    # A course elsewhere has its own nbgrader_config.py, which nbgrader's commands run there read: its gradebook
    # URL (c.CourseDirectory.db_url, e.g. PostgreSQL) and its other settings apply to the kit's commands too.
    if Path(root).resolve() != ROOT and (Path(root) / "nbgrader_config.py").is_file():
        config.merge(PyFileConfigLoader("nbgrader_config.py", path=str(root)).load_config())
    config.merge(Config({"CourseDirectory": {"root": str(root)}}))
    return config


def open_api(root=ROOT, **overrides):
    """An NbGraderAPI for the course at `root`; `overrides` are extra traitlets config sections."""
    config = load_config(root)
    config.merge(Config(overrides))
    return NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)


class NbgraderFailed(RuntimeError):
    """An nbgrader step reported failure; the message holds its error and log."""


def succeeded(result, step):
    """Raise NbgraderFailed unless an NbGraderAPI result dict says it succeeded."""
    if not result["success"]:
        raise NbgraderFailed(f"nbgrader {step} failed:\n{result.get('error') or ''}\n{result.get('log') or ''}")
    return result
