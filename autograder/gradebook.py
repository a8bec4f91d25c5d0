"""The instructor's gradebook, written by one process only.

Workers grade in scratch courses (scratch.py); the parent then records each result here with
nbgrader's own SaveAutoGrades preprocessor, inside nbgrader's Gradebook API, so that
`nbgrader export` and the formgrader see exactly what grades.csv says.
"""
import shutil
import tempfile
from pathlib import Path

import nbformat
from nbgrader.api import Gradebook, MissingEntry
from nbgrader.preprocessors import SaveAutoGrades

from .course import load_config, open_api, succeeded
from .paths import NOTEBOOKS, ROOT


def register_assignment(assignment, db_url, source_root=ROOT):
    """Make sure the gradebook at `db_url` knows the assignment's notebooks and graded cells.

    nbgrader records them when it generates the release; doing that in a throwaway course folder
    records them without touching release/.
    """
    with tempfile.TemporaryDirectory() as scratch:
        (Path(scratch) / "source").mkdir()
        (Path(scratch) / "source" / assignment).symlink_to(source_root / "source" / assignment)
        api = open_api(Path(scratch), CourseDirectory={"db_url": db_url})
        succeeded(api.generate_assignment(assignment, force=True, create=True), f"generate_assignment {assignment}")


def course_db_url(root=ROOT):
    """The gradebook the instructor configured: nbgrader's SQLite default in the course root, or their URL."""
    config = load_config(root)
    if "db_url" in config.CourseDirectory:
        return config.CourseDirectory.db_url
    return f"sqlite:///{Path(root) / 'gradebook.db'}"


def record_graded(db_url, assignment, student_id, autograded_notebook):
    """Store the scores nbgrader computed for an executed notebook, as nbgrader autograde would."""
    notebook = nbformat.read(autograded_notebook, as_version=4)
    with Gradebook(db_url) as gradebook:
        gradebook.update_or_create_student(student_id)
        gradebook.update_or_create_submission(assignment, student_id)
    resources = {"nbgrader": {"db_url": db_url, "assignment": assignment, "student": student_id,
                              "notebook": Path(NOTEBOOKS[assignment]).stem}}
    SaveAutoGrades(config=load_config()).preprocess(notebook, resources)


def record_ungraded(db_url, assignment, student_id):
    """A student whose submission could not be graded: known to the gradebook, with no submission (0 points)."""
    with Gradebook(db_url) as gradebook:
        gradebook.update_or_create_student(student_id)
        try:
            gradebook.remove_submission(assignment, student_id)
        except MissingEntry:
            pass


def copy_tree(source, target):
    """Replace `target` by a copy of `source`."""
    target = Path(target)
    if target.exists():
        shutil.rmtree(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copytree(source, target)
