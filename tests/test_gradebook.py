"""A student's grades reach the nbgrader gradebook whole, or not at all, in SQLite and in PostgreSQL."""
import nbformat
import pytest
from nbgrader.api import Gradebook, MissingEntry
from nbgrader.preprocessors import SaveAutoGrades

from autograder.course import Course
from autograder.grading.gradebook import ensure_registered, record_graded
from autograder.grading.gradecells import graded_cells
from autograder.grading.outcomes import Verdict, with_verdicts

pytestmark = pytest.mark.kernels  # real Jupyter kernels: left out of make test-fast

ASSIGNMENT = "step_by_step"


@pytest.fixture(params=["sqlite", "postgresql"])
def gradebook_course(request, course, tmp_path):
    """The session's course, but with an empty gradebook of its own of each kind nbgrader supports here, as its
    nbgrader_config.py says, the assignment registered in it."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'gradebook.db'}"
    else:
        url = request.getfixturevalue("postgres").new_database()
    root = tmp_path / "course"
    root.mkdir()
    for folder in ("source", "release"):
        (root / folder).symlink_to(course.root / folder)
    (root / "nbgrader_config.py").write_text(f"c = get_config()  # noqa: F821\n"
                                             f"load_subconfig({str(course.root / 'nbgrader_config.py')!r})  # noqa: F821\n"
                                             f"c.CourseDirectory.db_url = {url!r}\n")
    own = Course.at(root)
    ensure_registered(own, ASSIGNMENT, graded_cells(own.source_notebook(ASSIGNMENT)))
    return own


@pytest.fixture
def db_url(gradebook_course):
    return gradebook_course.db_url


def _graded_notebook(course, status):
    notebook = nbformat.read(course.release_notebook(ASSIGNMENT), as_version=4)
    cells = graded_cells(course.source_notebook(ASSIGNMENT))
    return with_verdicts(notebook, {cell.function: Verdict(status, "a message") for cell in cells})


def _total(db_url, student):
    with Gradebook(db_url) as gradebook:
        return gradebook.find_submission(ASSIGNMENT, student).score


def test_recorded_grades_are_the_verdicts(gradebook_course, db_url, tmp_path):
    record_graded(gradebook_course, ASSIGNMENT, "passes", _graded_notebook(gradebook_course, "passed"), tmp_path)
    record_graded(gradebook_course, ASSIGNMENT, "fails", _graded_notebook(gradebook_course, "failed"), tmp_path)
    assert (_total(db_url, "passes"), _total(db_url, "fails")) == (100, 0)


def test_a_failure_while_recording_leaves_the_gradebook_as_it_was(gradebook_course, db_url, tmp_path, monkeypatch):
    record_graded(gradebook_course, ASSIGNMENT, "student", _graded_notebook(gradebook_course, "failed"), tmp_path)
    scored = []

    def fail_on_the_third_cell(self, cell, resources):
        scored.append(cell)
        if len(scored) == 3:
            raise RuntimeError("the grader was stopped here")
        return original(self, cell, resources)

    original = SaveAutoGrades._add_score
    monkeypatch.setattr(SaveAutoGrades, "_add_score", fail_on_the_third_cell)
    with pytest.raises(RuntimeError):
        record_graded(gradebook_course, ASSIGNMENT, "student", _graded_notebook(gradebook_course, "passed"), tmp_path)
    assert _total(db_url, "student") == 0  # the earlier grades, whole
    scored.clear()
    with pytest.raises(RuntimeError):
        record_graded(gradebook_course, ASSIGNMENT, "newcomer", _graded_notebook(gradebook_course, "passed"), tmp_path)
    with Gradebook(db_url) as gradebook, pytest.raises(MissingEntry):
        gradebook.find_submission(ASSIGNMENT, "newcomer")
