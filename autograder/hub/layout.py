"""Where a course hub keeps its parts, under one folder (PREFIX)."""
from dataclasses import dataclass
from pathlib import Path

from ..paths import ROOT

DEFAULT_PREFIX = Path("/opt/dnn-course")
CONFIG_FILE = ROOT / "hub" / "jupyterhub_config.py"
INSTRUCTORS, STUDENTS = "dnn-instructors", "dnn-students"  # the two groups of the course's accounts


@dataclass(frozen=True)
class Layout:
    prefix: Path

    @property
    def venv(self) -> Path:
        return self.prefix / "venv"

    @property
    def python(self) -> Path:
        return self.venv / "bin" / "python"

    @property
    def proxy(self) -> Path:
        return self.prefix / "proxy" / "node_modules" / ".bin" / "configurable-http-proxy"

    @property
    def exchange(self) -> Path:
        return self.prefix / "exchange"

    @property
    def course(self) -> Path:
        return self.prefix / "course"

    @property
    def state(self) -> Path:
        return self.prefix / "state"

    @property
    def passwords(self) -> Path:
        """The trial accounts' first passwords, readable by root only."""
        return self.state / "trial-passwords.csv"
