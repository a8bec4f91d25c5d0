"""The course works with nbgrader's own commands, as nbgrader's documentation describes."""
import subprocess

import pytest
from nbgrader.validator import Validator

from autograder.course import load_config
from autograder.paths import NOTEBOOKS, ROOT


def _validate(notebook, invert=False):
    config = load_config()
    config.Validator.invert = invert
    return Validator(config=config).validate(str(notebook))


@pytest.mark.parametrize("assignment", list(NOTEBOOKS))
def test_instructor_notebook_passes_nbgrader_validate(assignment):
    assert _validate(ROOT / "source" / assignment / NOTEBOOKS[assignment]) == {}


@pytest.mark.parametrize("assignment", list(NOTEBOOKS))
def test_blank_release_fails_every_graded_test_under_validate_invert(assignment):
    results = _validate(ROOT / "release" / assignment / NOTEBOOKS[assignment], invert=True)
    assert "passed" not in results and "changed" not in results, results


def test_config_names_the_course_sets_a_cell_timeout_and_restores_deleted_cells():
    config = load_config()
    assert config.CourseDirectory.course_id == "deep-nn-step-by-step"
    assert 0 < config.Execute.timeout <= 300
    assert config.OverwriteCells.add_missing_cells is True


def test_gradebook_is_kept_out_of_git():
    ignored = subprocess.run(["git", "check-ignore", "-q", "gradebook.db"], cwd=ROOT)
    assert ignored.returncode == 0


def test_deleted_graded_cell_is_restored_and_graded(course):
    notebook = course.release_notebook("step_by_step")
    notebook["cells"] = [cell for cell in notebook["cells"]
                         if cell["metadata"].get("nbgrader", {}).get("grade_id") != "check_linear_forward"]
    course.submit("deleted_a_test_cell", "step_by_step", notebook)
    scores = course.autograde("step_by_step", ["deleted_a_test_cell"])["deleted_a_test_cell"]
    assert "check_linear_forward" in scores and scores["check_linear_forward"] == 0
