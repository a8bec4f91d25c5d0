"""A student's grades reach the nbgrader gradebook whole, or not at all, in SQLite and in PostgreSQL, and exactly as
nbgrader's own writers would have recorded them."""
import copy
import subprocess

import nbformat
import pytest
from sqlalchemy import text
from nbgrader.api import Gradebook, MissingEntry, _temp_alembic_ini
from nbgrader.preprocessors import AssignLatePenalties, SaveAutoGrades

from autograder.grading.gradebook import alembic_head, gradebook, record_graded
from autograder.grading.gradecells import graded_cells
from autograder.grading.outcomes import Verdict, with_verdicts

pytestmark = pytest.mark.kernels  # real Jupyter kernels: left out of make test-fast

ASSIGNMENT = "step_by_step"
NOTEBOOK = "Building_your_Deep_Neural_Network_Step_by_Step"


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


def _plain_nbgrader_record(course, student, notebook):
    """What `nbgrader autograde` does to the gradebook for a student: its own writers, each with its own Gradebook."""
    with Gradebook(course.db_url) as gradebook:
        gradebook.update_or_create_student(student)
        gradebook.update_or_create_submission(ASSIGNMENT, student)
    resources = {"nbgrader": {"db_url": course.db_url, "assignment": ASSIGNMENT, "student": student,
                              "notebook": NOTEBOOK}}
    for writer in (SaveAutoGrades, AssignLatePenalties):
        notebook, resources = writer(config=course.config).preprocess(notebook, resources)


def _recorded(db_url, student):
    """Every grade and comment the gradebook holds for the student, by cell name, and the late penalty."""
    with Gradebook(db_url) as gradebook:
        submitted = gradebook.find_submission_notebook(NOTEBOOK, ASSIGNMENT, student)
        grades = {grade.name: (grade.auto_score, grade.manual_score, grade.needs_manual_grade)
                  for grade in submitted.grades}
        comments = {comment.name: (comment.auto_comment, comment.manual_comment) for comment in submitted.comments}
        return grades, comments, gradebook.find_submission(ASSIGNMENT, student).late_submission_penalty


def _mixed_notebook(course):
    """Some functions passed, some failed, one solved cell and the rest left as released ("No response.")."""
    notebook = nbformat.read(course.release_notebook(ASSIGNMENT), as_version=4)
    cells = graded_cells(course.source_notebook(ASSIGNMENT))
    verdicts = {cell.function: Verdict("passed" if index % 2 else "failed", "a message")
                for index, cell in enumerate(cells)}
    solution = next(cell for cell in notebook.cells if cell.metadata.get("nbgrader", {}).get("solution"))
    solution.source += "\n# the student's answer"
    return with_verdicts(notebook, verdicts)


def test_the_kit_records_exactly_what_nbgraders_own_writers_record(gradebook_course, db_url, tmp_path):
    notebook = _mixed_notebook(gradebook_course)
    _plain_nbgrader_record(gradebook_course, "by_nbgrader", copy.deepcopy(notebook))
    record_graded(gradebook_course, ASSIGNMENT, "by_the_kit", copy.deepcopy(notebook), tmp_path)
    expected = _recorded(db_url, "by_nbgrader")
    assert {answer for answer, _ in expected[1].values()} == {None, "No response."}
    assert _recorded(db_url, "by_the_kit") == expected


def test_recording_again_keeps_a_graders_manual_score_as_nbgrader_does(gradebook_course, db_url, tmp_path):
    first, second = _graded_notebook(gradebook_course, "failed"), _mixed_notebook(gradebook_course)
    for student, record in (("by_nbgrader", lambda notebook: _plain_nbgrader_record(gradebook_course, "by_nbgrader",
                                                                                     notebook)),
                            ("by_the_kit", lambda notebook: record_graded(gradebook_course, ASSIGNMENT, "by_the_kit",
                                                                          notebook, tmp_path))):
        record(copy.deepcopy(first))
        with Gradebook(db_url) as gradebook:
            gradebook.find_grade("check_linear_forward", NOTEBOOK, ASSIGNMENT, student).manual_score = 1.5
            gradebook.db.commit()
        record(copy.deepcopy(second))
    expected = _recorded(db_url, "by_nbgrader")
    assert any(manual == 1.5 and needs for _, manual, needs in expected[0].values())
    assert _recorded(db_url, "by_the_kit") == expected


def test_recording_a_student_again_loads_the_notebooks_cells_in_one_query(gradebook_course, db_url, tmp_path,
                                                                         statements):
    """SQLAlchemy would load each grade's and comment's cell in a query of its own: 20 queries a student."""
    notebook = _graded_notebook(gradebook_course, "passed")
    record_graded(gradebook_course, ASSIGNMENT, "regraded", copy.deepcopy(notebook), tmp_path)
    statements.clear()
    record_graded(gradebook_course, ASSIGNMENT, "regraded", copy.deepcopy(notebook), tmp_path)
    assert [statement for statement in statements if "FROM base_cell WHERE base_cell.id =" in statement] == []
    assert _total(db_url, "regraded") == 100


def test_a_new_gradebook_is_stamped_with_the_revision_nbgrader_would_stamp(tmp_path):
    with _temp_alembic_ini(f"sqlite:///{tmp_path / 'any.db'}") as ini:  # what nbgrader's get_alembic_version runs
        heads = subprocess.run(["alembic", "-c", ini, "heads"], capture_output=True, text=True, check=True).stdout
    with gradebook(f"sqlite:///{tmp_path / 'new.db'}") as book:
        stamped = book.db.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
    assert stamped == alembic_head() == heads.split()[0]
