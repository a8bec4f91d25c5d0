"""An nbgrader course: its folder, its own nbgrader configuration, its gradebook and its assignments.

A command builds one Course from `--course` (the repository by default) and passes it down; nothing
below the command line looks for course data anywhere else.
"""
import copy
import functools
from dataclasses import dataclass
from pathlib import Path

from nbgrader.apps import NbGraderAPI
from nbgrader.coursedir import CourseDirectory
from traitlets.config import Config
from traitlets.config.loader import PyFileConfigLoader

from .paths import NOTEBOOKS

CONFIG_FILE = "nbgrader_config.py"


class NoCourse(Exception):
    """The folder is not a course the kit can grade; the message says why and what to do."""


class NbgraderFailed(RuntimeError):
    """An nbgrader step reported failure; the message holds its error and log."""


@dataclass(frozen=True)
class Course:
    root: Path  # absolute
    gradebook: str = ""  # a gradebook URL that replaces the configured one (benchmarks, a cluster's workers)

    @classmethod
    def at(cls, root) -> "Course":
        course = cls(Path(root).resolve())
        if not course.root.is_dir():
            raise NoCourse(f"{course.root}: no such folder (the course folder holds source/, release/ and "
                           f"{CONFIG_FILE})")
        return course

    @functools.cached_property
    def config(self) -> Config:
        """The course's nbgrader_config.py (nbgrader's defaults where it has none), with nbgrader's course
        directory pinned to the course's folder."""
        config = Config()
        if (self.root / CONFIG_FILE).is_file():
            config = PyFileConfigLoader(CONFIG_FILE, path=str(self.root)).load_config()
        config.merge(Config({"CourseDirectory": {"root": str(self.root)}}))
        return config

    def with_gradebook(self, db_url) -> "Course":
        """This course, its grades kept in the gradebook at `db_url`."""
        return Course(self.root, db_url)

    @property
    def db_url(self) -> str:
        """The gradebook the instructor configured: nbgrader's SQLite default in the course folder, or their URL."""
        if self.gradebook:
            return self.gradebook
        if "db_url" in self.config.CourseDirectory:
            return self.config.CourseDirectory.db_url
        return f"sqlite:///{self.root / 'gradebook.db'}"

    @property
    def assignments(self) -> list:
        return list(NOTEBOOKS)

    def notebook(self, assignment) -> str:
        """The file name of the assignment's graded notebook."""
        return NOTEBOOKS[assignment]

    def source_dir(self, assignment) -> Path:
        return self.root / "source" / assignment

    def release_dir(self, assignment) -> Path:
        return self.root / "release" / assignment

    def source_notebook(self, assignment) -> Path:
        return self.source_dir(assignment) / NOTEBOOKS[assignment]

    def release_notebook(self, assignment) -> Path:
        return self.release_dir(assignment) / NOTEBOOKS[assignment]

    @property
    def autograded_dir(self) -> Path:
        return self.root / "autograded"

    def configured(self, **overrides) -> Config:
        """The course's configuration with `overrides` (traitlets sections, e.g. Execute={"timeout": 5}) on top."""
        config = copy.deepcopy(self.config)
        config.merge(Config(overrides))
        return config

    def api(self, **overrides) -> NbGraderAPI:
        """nbgrader's Python API on this course; `overrides` are extra traitlets config sections."""
        config = self.configured(**overrides)
        return NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)


def succeeded(result, step):
    """Raise NbgraderFailed unless an NbGraderAPI result dict says it succeeded."""
    if not result["success"]:
        raise NbgraderFailed(f"nbgrader {step} failed:\n{result.get('error') or ''}\n{result.get('log') or ''}")
    return result
