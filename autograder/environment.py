"""How a process of the kit is set up, where it starts: a command's main, a grading worker's start-up, the tests.

Importing any module of the kit changes nothing; `prepare_process` does it all, once, at the start.
"""
import os
import sys
import warnings
from pathlib import Path

# nbgrader 0.9 adds a submission to its SQLAlchemy session late, which SQLAlchemy reports on every
# autograde (the grades it writes are complete); and the cell nbgrader adds back for a deleted graded cell
# has no id, which nbformat fills in with a warning. Both are noise.
NBGRADER_NOISE = (".* not in session, add operation along", "Cell is missing an id field")


def scripts_on_path(environment=None) -> dict:
    """`environment` (by default this process's) with this Python's bin/ first on PATH: nbgrader runs its own
    console scripts (alembic, to create a gradebook) and Jupyter kernels from there."""
    environment = dict(os.environ if environment is None else environment)
    scripts = str(Path(sys.executable).parent)
    path = environment.get("PATH", "")
    if scripts not in path.split(os.pathsep):
        environment["PATH"] = scripts + (os.pathsep + path if path else "")
    return environment


def prepare_process() -> None:
    """Set this process up to run the kit: PATH, nbgrader's noise silenced, and jsonschema kept quick."""
    os.environ["PATH"] = scripts_on_path()["PATH"]
    for message in NBGRADER_NOISE:
        warnings.filterwarnings("ignore", message=message)
    # nbformat validates with jsonschema, whose format checkers import rfc3987_syntax when it is installed
    # (Jupyter's packages install it). That module compiles about 35 Lark grammars at import, 0.9 s of CPU in
    # every grader process, for the "iri" format, which no notebook schema uses (python-jsonschema/jsonschema#1428).
    # Marked as absent, it is skipped: jsonschema then leaves that one format unchecked, as where it is missing.
    # It only helps before jsonschema is first imported, hence here, before the kit's modules are.
    sys.modules.setdefault("rfc3987_syntax", None)
