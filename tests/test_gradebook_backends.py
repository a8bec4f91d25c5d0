"""The course's gradebook in SQLite (nbgrader's default) and in PostgreSQL (`c.CourseDirectory.db_url =
"postgresql+psycopg://..."` in the course's nbgrader_config.py, on a real PostgreSQL 15 server): the kit's commands
and nbgrader's own give the same grades in both, and a killed run resumes to one set of grades per student."""
import csv
import dataclasses
import os
import shutil
import signal
import subprocess
import sys
import time

import pytest
from nbgrader.api import Gradebook

from autograder.generators import sample_class
from autograder.course import Course
from autograder.grading import grade as grade_module
from scratch_course import ScratchCourse

pytestmark = pytest.mark.kernels  # real kernels and a real database server: left out of make test-fast

ASSIGNMENT = "step_by_step"
STUDENTS = 9  # in the sample class


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def environment():
    """nbgrader creates a gradebook with its `alembic` script: the environment's bin/ must be on PATH."""
    return dict(os.environ, PATH=f"{os.path.dirname(sys.executable)}{os.pathsep}{os.environ['PATH']}")


def kit(course, *arguments):
    return [sys.executable, "-m", "autograder", *arguments, "--assignment", ASSIGNMENT, "--course", str(course.root)]


def grade_command(course, out, *extra):
    return kit(course, "grade", str(course.root / "submitted")) + ["--out", str(out), "--workers", "2", *extra]


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def backend_course(request, tmp_path_factory):
    """A course with the sample class submitted, its gradebook in SQLite or in an empty PostgreSQL database."""
    course = ScratchCourse(tmp_path_factory.mktemp(f"course-{request.param}"))
    if request.param == "postgresql":
        url = request.getfixturevalue("postgres").new_database()
        with open(course.root / "nbgrader_config.py", "a", encoding="utf-8") as config:
            config.write(f"\nc.CourseDirectory.db_url = {url!r}\n")
    sample_class.build(course.root / "submitted")
    course.backend = request.param
    return course


@pytest.fixture(scope="module")
def graded(backend_course, tmp_path_factory):
    out = tmp_path_factory.mktemp("grades") / ASSIGNMENT
    run = subprocess.run(grade_command(backend_course, out), capture_output=True, text=True, env=environment())
    assert run.returncode == 1, run.stderr
    return out


def test_the_course_config_chooses_the_gradebook(backend_course):
    assert Course.at(backend_course.root).db_url.startswith({"sqlite": "sqlite:///",
                                                         "postgresql": "postgresql+psycopg://"}[backend_course.backend])


def test_nbgrader_export_and_the_kits_export_agree_with_totals_csv(backend_course, graded):
    totals = {row["student_id"]: float(row["score"]) for row in read_csv(graded / "totals.csv")}
    assert len(totals) == STUDENTS
    exported = backend_course.root / "export.csv"
    subprocess.run([sys.executable, "-m", "nbgrader", "export", "--to", str(exported)], cwd=backend_course.root,
                   env=environment(), check=True, capture_output=True)
    nbgrader_scores = {row["student_id"]: float(row["raw_score"] or 0) for row in read_csv(exported)
                       if row["assignment"] == ASSIGNMENT}
    assert nbgrader_scores == totals
    subprocess.run(kit(backend_course, "export") + ["--out", str(graded)], env=environment(), check=True,
                   capture_output=True)
    assert {row["student_id"]: float(row["score"]) for row in read_csv(graded / "scores.csv")} == totals


def test_a_killed_run_resumes_to_exactly_one_set_of_grades_per_student(backend_course, graded, tmp_path,
                                                                       tmp_path_factory):
    out = tmp_path / "grades"
    # What the killed run leaves in its temporary folder (its workers' folder, its forkserver's) stays in pytest's.
    killed_environment = dict(environment(), TMPDIR=str(tmp_path_factory.mktemp("tmp")))
    process = subprocess.Popen(grade_command(backend_course, out, "--force"), stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, start_new_session=True, env=killed_environment)
    deadline = time.monotonic() + 120
    while len(list((out / "results").glob("*.json"))) < 4 and time.monotonic() < deadline:
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    assert 4 <= len(list((out / "results").glob("*.json"))) < STUDENTS
    rerun = subprocess.run(grade_command(backend_course, out), capture_output=True, text=True, env=environment())
    assert rerun.returncode == 1, rerun.stderr
    assert read_csv(out / "totals.csv") == read_csv(graded / "totals.csv")
    with Gradebook(Course.at(backend_course.root).db_url) as gradebook:
        submissions = gradebook.find_assignment(ASSIGNMENT).submissions
        graded_students = sorted(submission.student.id for submission in submissions)
        scores = {submission.student.id: submission.score for submission in submissions}
    assert len(graded_students) == len(set(graded_students))  # one submission per student
    totals = {row["student_id"]: float(row["score"]) for row in read_csv(out / "totals.csv")}
    assert scores == {student: score for student, score in totals.items() if student in scores}


def test_into_a_database_server_each_worker_records_its_own_students(backend_course, graded, tmp_path, monkeypatch):
    """SQLite takes one writer at a time: the grading process records. PostgreSQL takes many: the workers record,
    each student in its own transaction, and the grading process records none of them."""
    submitted = tmp_path / "submitted"
    for student in ("ada_perfect", "dev_forgot_one_over_m"):
        shutil.copytree(backend_course.root / "submitted" / student, submitted / f"{student}_again")
    recorded_here = []
    monkeypatch.setattr(grade_module, "record_graded", lambda course, assignment, student, *_, **__:
                        recorded_here.append(student))
    results = grade_module.grade(grade_module.Options(submitted, ASSIGNMENT, tmp_path / "grades", force=True,
                                                      course=Course.at(backend_course.root), progress=False))
    in_the_workers = backend_course.backend == "postgresql"
    assert sorted(recorded_here) == ([] if in_the_workers else ["ada_perfect_again", "dev_forgot_one_over_m_again"])
    if in_the_workers:
        with Gradebook(Course.at(backend_course.root).db_url) as gradebook:
            assert {result.student_id: gradebook.find_submission(ASSIGNMENT, result.student_id).score
                    for result in results} == {result.student_id: result.score for result in results}


def test_a_worker_that_cannot_reach_the_gradebook_leaves_its_students_to_the_grading_process(
        backend_course, graded, postgres, tmp_path, monkeypatch, capsys):
    submitted = tmp_path / "submitted"
    shutil.copytree(backend_course.root / "submitted" / "ada_perfect", submitted / "ada_unreachable")
    unreachable = postgres.url("no_such_database")  # as a worker would see a host name that is another machine's
    task = grade_module._task
    monkeypatch.setattr(grade_module, "_task", lambda *args: dataclasses.replace(task(*args), record_into=unreachable))
    results = grade_module.grade(grade_module.Options(submitted, ASSIGNMENT, tmp_path / "grades", force=True,
                                                      course=Course.at(backend_course.root), progress=False))
    assert [(result.student_id, result.score) for result in results] == [("ada_unreachable", 100)]
    with Gradebook(Course.at(backend_course.root).db_url) as gradebook:
        assert gradebook.find_submission(ASSIGNMENT, "ada_unreachable").score == 100
    said = capsys.readouterr().out
    assert "the workers could not record into the gradebook (" in said and "no_such_database" in said
