"""A student's grades reach the nbgrader gradebook whole, or not at all, in SQLite and in PostgreSQL."""
import nbformat
import pytest
from nbgrader.api import Gradebook, MissingEntry
from nbgrader.preprocessors import SaveAutoGrades

from autograder.gradebook import ensure_registered, record_graded
from autograder.gradecells import graded_cells
from autograder.outcomes import with_verdicts
from autograder.paths import NOTEBOOKS
from autograder.remote import Verdict

pytestmark = pytest.mark.kernels  # real Jupyter kernels: left out of make test-fast

ASSIGNMENT = "step_by_step"


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, course, tmp_path):
    """An empty gradebook of each kind nbgrader supports here, the assignment registered in it."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'gradebook.db'}"
    else:
        url = request.getfixturevalue("postgres").new_database()
    ensure_registered(ASSIGNMENT, url, graded_cells(ASSIGNMENT), course.root)
    return url


def _graded_notebook(course, status):
    notebook = nbformat.read(course.root / "release" / ASSIGNMENT / NOTEBOOKS[ASSIGNMENT], as_version=4)
    return with_verdicts(notebook, {cell.function: Verdict(status, "a message") for cell in graded_cells(ASSIGNMENT)})


def _total(db_url, student):
    with Gradebook(db_url) as gradebook:
        return gradebook.find_submission(ASSIGNMENT, student).score


def test_recorded_grades_are_the_verdicts(course, db_url, tmp_path):
    record_graded(db_url, ASSIGNMENT, "passes", _graded_notebook(course, "passed"), tmp_path)
    record_graded(db_url, ASSIGNMENT, "fails", _graded_notebook(course, "failed"), tmp_path)
    assert (_total(db_url, "passes"), _total(db_url, "fails")) == (100, 0)


def test_a_failure_while_recording_leaves_the_gradebook_as_it_was(course, db_url, tmp_path, monkeypatch):
    record_graded(db_url, ASSIGNMENT, "student", _graded_notebook(course, "failed"), tmp_path)
    scored = []

    def fail_on_the_third_cell(self, cell, resources):
        scored.append(cell)
        if len(scored) == 3:
            raise RuntimeError("the grader was stopped here")
        return original(self, cell, resources)

    original = SaveAutoGrades._add_score
    monkeypatch.setattr(SaveAutoGrades, "_add_score", fail_on_the_third_cell)
    with pytest.raises(RuntimeError):
        record_graded(db_url, ASSIGNMENT, "student", _graded_notebook(course, "passed"), tmp_path)
    assert _total(db_url, "student") == 0  # the earlier grades, whole
    scored.clear()
    with pytest.raises(RuntimeError):
        record_graded(db_url, ASSIGNMENT, "newcomer", _graded_notebook(course, "passed"), tmp_path)
    with Gradebook(db_url) as gradebook, pytest.raises(MissingEntry):
        gradebook.find_submission(ASSIGNMENT, "newcomer")
