"""The course works with nbgrader's own commands, as nbgrader's documentation describes."""
import hashlib
import shutil
import subprocess
import sys
from contextlib import redirect_stderr, redirect_stdout
from io import StringIO
from pathlib import Path

import pytest
from nbgrader.validator import Validator

from autograder.environment import scripts_on_path
from autograder.generators import sample_class
from autograder.__main__ import main
from autograder.course import Course
from autograder.paths import NOTEBOOKS, ROOT

pytestmark = pytest.mark.kernels  # real Jupyter kernels: left out of make test-fast


def _validate(notebook, invert=False):
    config = Course.at(ROOT).configured()
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
    config = Course.at(ROOT).configured()
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


@pytest.fixture(scope="module")
def fresh_clone(tmp_path_factory):
    """The repository's tracked files, as a fresh clone has them, in a git repository of their own."""
    clone = tmp_path_factory.mktemp("clone")
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    for name in filter(None, listed.decode().split("\0")):
        if (ROOT / name).is_file():
            (clone / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, clone / name)
    git = ["git", "-c", "user.name=kit", "-c", "user.email=kit@localhost"]
    for command in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "clone"]):
        subprocess.run(git + command, cwd=clone, check=True)
    return clone


def _git_status(folder):
    return subprocess.run(["git", "status", "--porcelain"], cwd=folder, capture_output=True, text=True,
                          check=True).stdout


def _contents(folder):
    """{path: sha256} of every file under `folder`, ignored ones included."""
    return {path.relative_to(folder): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(Path(folder).rglob("*")) if path.is_file()}


@pytest.mark.parametrize("assignment", list(NOTEBOOKS))
def test_nbgrader_generate_assignment_on_a_fresh_clone_gives_exactly_the_committed_release(fresh_clone, assignment):
    environment = scripts_on_path()
    done = subprocess.run([sys.executable, "-m", "nbgrader", "generate_assignment", assignment, "--force"],
                          cwd=fresh_clone, env=environment, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert _git_status(fresh_clone) == ""


def test_grading_feedback_and_report_leave_source_and_release_as_they_were(fresh_clone, tmp_path):
    submitted = sample_class.build(tmp_path / "submitted")
    before = {folder: _contents(fresh_clone / folder) for folder in ("source", "release")}
    common = ["--assignment", "step_by_step", "--out", str(tmp_path / "grades")]
    with redirect_stdout(StringIO()), redirect_stderr(StringIO()):
        # the sample class has broken submissions on purpose: exit status 1
        assert main(["grade", str(submitted), *common, "--course", str(fresh_clone), "--workers", "2"]) == 1
        assert main(["feedback", *common, "--course", str(fresh_clone)]) == 0  # its gradebook, not the repository's
        assert main(["report", *common]) == 0
    assert {folder: _contents(fresh_clone / folder) for folder in ("source", "release")} == before
    assert _git_status(fresh_clone) == ""
