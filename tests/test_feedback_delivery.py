"""The kit's feedback page as the notebook's feedback in the course's feedback folder, for nbgrader's
release_feedback: where it goes, what goes beside it, and what the page says of the roster and lateness.
(tests/test_exchange_workflow.py runs the whole delivery with nbgrader's real commands.)"""
import os
import shutil
import stat

import pytest

from autograder.course import Course
from autograder.paths import ROOT
from autograder.reporting import feedback
from autograder.grading.gradebook import Standing
from autograder.grading.outcomes import Row
from autograder.grading.results import StudentResult
from autograder.grading.submissions import fingerprint

ASSIGNMENT = "step_by_step"
STEM = "Building_your_Deep_Neural_Network_Step_by_Step"


def submission(folder, notebook=f"{STEM}.ipynb", exchange=True):
    """A submission folder as nbgrader collect leaves it (or, with exchange=False, as copied by hand)."""
    folder.mkdir(parents=True)
    (folder / notebook).write_text("{}", encoding="utf-8")
    if exchange:
        (folder / "timestamp.txt").write_text("2026-11-20 14:03:11.123456 UTC", encoding="utf-8")
        (folder / "submission_secret.txt").write_text("9f" * 64, encoding="utf-8")
    return folder


def result_of(folder, score=10, student_id="amara"):
    rows = [Row("linear_backward", score, 10, "passed" if score == 10 else "failed", "dW is m times too large")]
    return StudentResult(student_id, ASSIGNMENT, fingerprint(folder), rows, folder=str(folder))


def course_at(root):
    """A course folder with the kit's nbgrader configuration."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copy2(ROOT / "nbgrader_config.py", root)
    return Course.at(root)


def delivered(course, student_id="amara"):
    return course / "feedback" / student_id / ASSIGNMENT


def test_the_page_is_the_notebooks_feedback_beside_the_submissions_time_and_secret(tmp_path):
    folder = submission(tmp_path / "course" / "submitted" / "amara" / ASSIGNMENT)
    target = feedback.deliver(course_at(tmp_path / "course"), result_of(folder))
    assert target == delivered(tmp_path / "course")
    assert sorted(path.name for path in target.iterdir()) == [f"{STEM}.html", "submission_secret.txt", "timestamp.txt"]
    for name in feedback.IDENTITY:
        assert (target / name).read_bytes() == (folder / name).read_bytes()
    assert (target / f"{STEM}.html").read_text(encoding="utf-8") == feedback.render(result_of(folder))


def test_a_submission_not_collected_through_the_exchange_gets_no_page_for_release_feedback(tmp_path):
    folder = submission(tmp_path / "class" / "amara" / ASSIGNMENT, exchange=False)
    assert feedback.deliver(course_at(tmp_path / "course"), result_of(folder)) is None
    assert not (tmp_path / "course" / "feedback").exists()  # release_feedback would fail on a folder without them


def test_a_submission_changed_since_it_was_graded_keeps_the_page_of_the_graded_one(tmp_path):
    folder = submission(tmp_path / "course" / "submitted" / "amara" / ASSIGNMENT)
    graded = result_of(folder)
    feedback.deliver(course_at(tmp_path / "course"), graded)
    before = {path.name: path.read_bytes() for path in delivered(tmp_path / "course").iterdir()}
    (folder / "timestamp.txt").write_text("2026-11-21 09:00:00.000000 UTC", encoding="utf-8")  # collected again
    with pytest.raises(feedback.SubmissionChanged, match="changed since it was graded"):
        feedback.deliver(course_at(tmp_path / "course"), graded)
    assert {path.name: path.read_bytes() for path in delivered(tmp_path / "course").iterdir()} == before


def test_nbgraders_own_page_is_replaced_by_the_kits(tmp_path):
    folder = submission(tmp_path / "course" / "submitted" / "amara" / ASSIGNMENT)
    target = delivered(tmp_path / "course")
    target.mkdir(parents=True)
    (target / f"{STEM}.html").write_text("<html>nbgrader's notebook</html>", encoding="utf-8")
    (target / "scratch.html").write_text("<html>another notebook of nbgrader's</html>", encoding="utf-8")
    feedback.deliver(course_at(tmp_path / "course"), result_of(folder))
    assert sorted(path.name for path in target.glob("*.html")) == [f"{STEM}.html"]
    assert "What the grader found" in (target / f"{STEM}.html").read_text(encoding="utf-8")


def test_a_renamed_notebook_gets_the_page_under_its_own_name_too(tmp_path):
    folder = submission(tmp_path / "course" / "submitted" / "amara" / ASSIGNMENT, notebook=f"Copy of {STEM}.ipynb")
    target = feedback.deliver(course_at(tmp_path / "course"), result_of(folder, score=0))
    assert sorted(path.name for path in target.glob("*.html")) == [f"{STEM}.html", f"Copy of {STEM}.html"]


def test_the_page_names_the_student_from_the_roster(tmp_path):
    folder = submission(tmp_path / "amara" / ASSIGNMENT, exchange=False)
    page = feedback.render(result_of(folder), Standing(name="Amara Okafor"))
    assert "<h1>step_by_step: feedback for Amara Okafor (amara)</h1>" in page
    assert "<h1>step_by_step: feedback for amara</h1>" in feedback.render(result_of(folder))


def test_a_late_penalty_is_taken_off_the_score_as_nbgrader_export_takes_it_off(tmp_path):
    folder = submission(tmp_path / "amara" / ASSIGNMENT, exchange=False)
    late = Standing(seconds_late=2 * 3600 + 5 * 60, penalty=10, duedate="2026-11-20 12:00 UTC")
    page = feedback.render(result_of(folder), late)
    assert "Score: 0 / 10" in page
    assert "Submitted 2 h 5 min after the due date (2026-11-20 12:00 UTC): the course's late policy takes off 10 " \
           "of the 10 points your functions earned." in page


def test_a_late_submission_without_a_penalty_keeps_its_score_and_says_so(tmp_path):
    folder = submission(tmp_path / "amara" / ASSIGNMENT, exchange=False)
    page = feedback.render(result_of(folder), Standing(seconds_late=40, duedate="2026-11-20 12:00 UTC"))
    assert "Score: 10 / 10" in page and "Submitted 40 s after the due date" in page
    assert "no points were taken off" in page
    assert "after the due date" not in feedback.render(result_of(folder), Standing(name="Amara Okafor"))


def test_the_page_is_readable_by_the_student_whatever_the_instructors_umask(tmp_path):
    folder = submission(tmp_path / "course" / "submitted" / "amara" / ASSIGNMENT)
    private = os.umask(0o077)
    try:
        target = feedback.deliver(course_at(tmp_path / "course"), result_of(folder))
    finally:
        os.umask(private)
    assert stat.S_IMODE((target / f"{STEM}.html").stat().st_mode) == 0o644


def test_the_page_shows_no_path_of_the_graders_machine(tmp_path):
    folder = submission(tmp_path / "course" / "submitted" / "amara" / ASSIGNMENT)
    rows = [Row("linear_backward", 0, 10, "error", f"{folder / (STEM + '.ipynb')}: invalid JSON at line 3")]
    result = StudentResult("amara", ASSIGNMENT, fingerprint(folder), rows, folder=str(folder),
                           problem=f"{folder}: no {STEM}.ipynb")
    page = feedback.render(result)
    assert str(tmp_path) not in page
    assert f"{STEM}.ipynb: invalid JSON at line 3" in page and f"your submission: no {STEM}.ipynb" in page


@pytest.mark.parametrize("name", feedback.IDENTITY)
def test_a_secret_or_timestamp_linked_to_the_instructors_notebook_is_never_copied_into_the_feedback(tmp_path, name):
    """release_feedback would hand the student whatever the feedback folder holds: the solutions, here."""
    source = tmp_path / "course" / "source" / ASSIGNMENT / f"{STEM}.ipynb"
    source.parent.mkdir(parents=True)
    source.write_text("the instructor's solutions and hidden tests", encoding="utf-8")
    folder = submission(tmp_path / "course" / "submitted" / "amara" / ASSIGNMENT)
    (folder / name).unlink()
    (folder / name).symlink_to(source)
    with pytest.raises(feedback.NotDelivered, match=f"{name}: a link"):
        feedback.deliver(course_at(tmp_path / "course"), result_of(folder))
    copied = delivered(tmp_path / "course")
    assert not any("solutions" in path.read_text(encoding="utf-8") for path in copied.rglob("*") if path.is_file())


def test_the_ungraded_companion_notebook_gets_a_page_so_fetch_feedback_finds_one_for_every_notebook(tmp_path):
    folder = submission(tmp_path / "course" / "submitted" / "amara" / ASSIGNMENT)
    (folder / "gradient_checking.ipynb").write_text("{}", encoding="utf-8")
    target = feedback.deliver(course_at(tmp_path / "course"), result_of(folder))
    companion = (target / "gradient_checking.html").read_text(encoding="utf-8")
    assert "This notebook is not graded" in companion and STEM in companion
    assert (target / f"{STEM}.html").read_text(encoding="utf-8") == feedback.render(result_of(folder))
