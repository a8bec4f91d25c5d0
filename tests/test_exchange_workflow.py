"""The whole course workflow through nbgrader's exchange, end to end, with nbgrader's real commands.

An instructor and three students share an exchange folder. The instructor imports the roster and
releases the assignment; each student, in their own home folder and under their own user name,
fetches it, solves it (one with a bug, one after the due date) and submits; the instructor collects,
grades with the kit from the course root with a relative SUBMITTED path, writes the kit's feedback and
releases it; each student fetches their feedback. Each must receive the kit's page with their own
score, and nothing of the others'. Last, the instructor fills in the Canvas gradebook's column.
"""
import csv
import getpass
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

import pytest
from nbgrader.api import Gradebook

from autograder.environment import scripts_on_path
from autograder.generators import sample_class
from autograder.grading.gradecells import graded_cells
from autograder.paths import source_notebook
from scratch_course import ScratchCourse

pytestmark = pytest.mark.kernels  # real Jupyter kernels: left out of make test-fast

ASSIGNMENT = "step_by_step"
COURSE_ID = "deep-nn-step-by-step"
NOTEBOOK = "Building_your_Deep_Neural_Network_Step_by_Step.ipynb"
MAX_SCORE = sum(cell.points for cell in graded_cells(source_notebook(ASSIGNMENT)))
POINTS = {cell.function: cell.points for cell in graded_cells(source_notebook(ASSIGNMENT))}

# id: (first name, last name, LMS user id, the sample submission they hand in, its expected score)
STUDENTS = {
    "amara": ("Amara", "Okafor", "50101", "ada_perfect", MAX_SCORE),
    "bruno": ("Bruno", "Lindqvist", "50102", "dev_forgot_one_over_m", MAX_SCORE - POINTS["linear_backward"]),
    "chen": ("Chen", "Wei", "50103", "finn_other_styles", MAX_SCORE),  # submits after the due date
}
LATE = "chen"


FIRST_UID = 63101  # the students' user ids (the sandbox's users are 64000 and up)


def run(args, cwd, env):
    """Run a command as a person would, from `cwd`; fail the test with its output if it fails."""
    done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, f"{' '.join(map(str, args))} (in {cwd}) exited {done.returncode}:\n" \
                                 f"{done.stdout}\n{done.stderr}"
    return done


def environment(user, home):
    """The environment of `user` logged in with `home`, where nbgrader keeps a student's submission cache."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("JUPYTER_")}
    env.update(HOME=str(home), USER=user, LOGNAME=user)
    return scripts_on_path(env)


def as_user(uid, passwd, args):
    """`args` run by the user `uid` of the `passwd` file, who has no account on this machine.

    nbgrader knows a student by the name of their process's user id (pwd.getpwuid), so each student's
    commands run under bubblewrap with `passwd` over /etc/passwd. As root, the student is a real
    unprivileged user, as on a shared JupyterHub: the exchange's permissions apply, and root's home
    (where Python may be installed) is replaced by just its Python installations. Otherwise the user
    id is only the name's, in a user namespace.
    """
    view = ["bwrap", "--bind", "/", "/", "--dev-bind", "/dev", "/dev", "--ro-bind", str(passwd), "/etc/passwd"]
    if os.geteuid() != 0:
        return [*view, "--unshare-user", "--uid", str(uid), "--gid", str(uid), "--", *args]
    installs = sorted({path.parents[-3] for path in (Path(sys.executable).resolve(), Path(sys.prefix).resolve())
                       if path.is_relative_to("/root")})  # e.g. /root/.pyenv
    root_home = ["--tmpfs", "/root"] + [arg for path in installs for arg in ("--ro-bind", str(path), str(path))]
    root_home = root_home if installs else []
    return [*view, *root_home, "--", "setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups", "--", *args]


def nbgrader(*args):
    return [sys.executable, "-m", "nbgrader", *args]


def kit(*args):
    return [sys.executable, "-m", "autograder", *args]


@pytest.fixture(scope="module")
def workflow():
    if shutil.which("bwrap") is None:
        pytest.skip("bubblewrap (bwrap) is needed to run each student's commands as their own user")
    with tempfile.TemporaryDirectory(prefix="kit-exchange-") as top:
        top = Path(top)
        top.chmod(0o755)  # the students' homes are inside
        yield _run_workflow(top)


def _run_workflow(top):
    exchange = top / "exchange"
    exchange.mkdir()
    exchange.chmod(0o777)  # as nbgrader's documentation asks: every user writes into it
    course = ScratchCourse(top / "course")
    root = course.root
    with open(root / "nbgrader_config.py", "a", encoding="utf-8") as config:
        config.write(f"\nc.Exchange.root = {str(exchange)!r}\n")
    instructor = environment(getpass.getuser(), Path.home())

    with open(root / "students.csv", "w", newline="", encoding="utf-8") as roster:
        writer = csv.writer(roster)
        writer.writerow(("id", "first_name", "last_name", "email", "lms_user_id"))
        for student_id, (first, last, lms_id, _, _) in STUDENTS.items():
            writer.writerow((student_id, first, last, f"{student_id}@example.edu", lms_id))
    run(nbgrader("db", "student", "import", "students.csv"), root, instructor)
    run(nbgrader("release_assignment", ASSIGNMENT), root, instructor)

    passwd = top / "passwd"
    homes = {student_id: top / "home" / student_id for student_id in STUDENTS}
    uids = {student_id: FIRST_UID + number for number, student_id in enumerate(STUDENTS)}
    passwd.write_text(Path("/etc/passwd").read_text(encoding="utf-8") + "".join(
        f"{student_id}:x:{uids[student_id]}:{uids[student_id]}::{homes[student_id]}:/bin/sh\n"
        for student_id in STUDENTS), encoding="utf-8")

    def student(student_id, *args):
        return run(as_user(uids[student_id], passwd, nbgrader(*args)), homes[student_id],
                   environment(student_id, homes[student_id]))

    submissions = sample_class.notebooks(course.release_notebook(ASSIGNMENT))
    for student_id, (_, _, _, sample, _) in STUDENTS.items():
        home = homes[student_id]
        home.mkdir(parents=True)
        (home / "nbgrader_config.py").write_text(f"c = get_config()\nc.Exchange.root = {str(exchange)!r}\n"
                                                 f"c.CourseDirectory.course_id = {COURSE_ID!r}\n", encoding="utf-8")
        if os.geteuid() == 0:
            os.chown(home, uids[student_id], uids[student_id])
            os.chown(home / "nbgrader_config.py", uids[student_id], uids[student_id])
        student(student_id, "fetch_assignment", ASSIGNMENT)
        (home / ASSIGNMENT / NOTEBOOK).write_text(json.dumps(submissions[sample], indent=1), encoding="utf-8")
        if student_id == LATE:  # the due date passes just before the last student submits
            duedate = datetime.now(timezone.utc).replace(tzinfo=None).isoformat()
            run(nbgrader("db", "assignment", "add", ASSIGNMENT, f"--duedate={duedate}"), root, instructor)
            time.sleep(1)
        student(student_id, "submit", ASSIGNMENT)

    run(nbgrader("collect", ASSIGNMENT), root, instructor)
    graded = subprocess.run(kit("grade", "submitted", "--assignment", ASSIGNMENT, "--course", ".", "--workers", "2"),
                            cwd=root, env=instructor, capture_output=True, text=True, timeout=900)
    rewritten = run(kit("feedback", "--assignment", ASSIGNMENT, "--course", "."), root, instructor)
    run(nbgrader("release_feedback", ASSIGNMENT), root, instructor)
    fetched = {student_id: student(student_id, "fetch_feedback", ASSIGNMENT) for student_id in STUDENTS}

    with open(root / "canvas.csv", "w", newline="", encoding="utf-8") as canvas:  # as downloaded from Canvas
        writer = csv.writer(canvas)
        writer.writerow(("Student", "ID", "SIS User ID", "SIS Login ID", "Section", f"{ASSIGNMENT} (48211)"))
        writer.writerow(("    Points Possible", "", "", "", "", f"{MAX_SCORE:.2f}"))
        for student_id, (first, last, lms_id, _, _) in STUDENTS.items():
            writer.writerow((f"{last}, {first}", lms_id, "", student_id, "DNN 2026", ""))
    run(kit("export", "--assignment", ASSIGNMENT, "--course", ".", "--canvas", "canvas.csv"), root, instructor)
    return {"root": root, "homes": homes, "graded": graded, "rewritten": rewritten, "fetched": fetched,
            "exchange": exchange, "as_student": lambda student_id, args: subprocess.run(
                as_user(uids[student_id], passwd, args), capture_output=True, text=True)}


def fetched_page(workflow, student_id):
    pages = sorted((workflow["homes"][student_id] / ASSIGNMENT / "feedback").glob(f"*/{Path(NOTEBOOK).stem}.html"))
    assert len(pages) == 1, f"{student_id} fetched {pages}"
    return pages[0].read_text(encoding="utf-8")


def test_the_roster_names_every_student_in_the_gradebook(workflow):
    with Gradebook(f"sqlite:///{workflow['root'] / 'gradebook.db'}") as gradebook:
        names = {student.id: (student.first_name, student.last_name, student.lms_user_id)
                 for student in gradebook.students}
    assert names == {student_id: (first, last, lms_id) for student_id, (first, last, lms_id, _, _) in STUDENTS.items()}


def test_the_kit_grades_the_collected_class_from_a_relative_path(workflow):
    graded = workflow["graded"]
    assert graded.returncode == 0, graded.stdout + graded.stderr
    with open(workflow["root"] / "grades" / ASSIGNMENT / "totals.csv", newline="", encoding="utf-8") as handle:
        totals = {row["student_id"]: float(row["score"]) for row in csv.DictReader(handle)}
    assert totals == {student_id: expected for student_id, (*_, expected) in STUDENTS.items()}


def test_nbgrader_marks_only_the_submission_after_the_due_date_late(workflow):
    with Gradebook(f"sqlite:///{workflow['root'] / 'gradebook.db'}") as gradebook:
        late = {student_id: gradebook.find_submission(ASSIGNMENT, student_id).total_seconds_late > 0
                for student_id in STUDENTS}
    assert late == {student_id: student_id == LATE for student_id in STUDENTS}


@pytest.mark.parametrize("student_id", STUDENTS)
def test_each_student_fetches_the_kits_page_with_their_own_name_and_score(workflow, student_id):
    first, last, _, _, expected = STUDENTS[student_id]
    page = fetched_page(workflow, student_id)
    assert f"feedback for {first} {last} ({student_id})" in page
    assert f"Score: {expected:g} / {MAX_SCORE:g}" in page
    assert "What the grader found" in page  # the kit's page, not nbgrader's HTML of the notebook
    instructors_copy = workflow["root"] / "grades" / ASSIGNMENT / "feedback" / f"{student_id}.html"
    assert page == instructors_copy.read_text(encoding="utf-8")


@pytest.mark.parametrize("student_id", STUDENTS)
def test_no_student_receives_anything_of_another_students(workflow, student_id):
    page = fetched_page(workflow, student_id)
    for other, (first, last, lms_id, _, _) in STUDENTS.items():
        if other != student_id:
            assert other not in page and first not in page and last not in page and lms_id not in page


def test_the_late_students_page_says_it_came_after_the_due_date(workflow):
    assert "after the due date" in fetched_page(workflow, LATE)
    assert all("after the due date" not in fetched_page(workflow, student_id)
               for student_id in STUDENTS if student_id != LATE)


def test_the_feedback_command_says_where_release_feedback_takes_the_pages_from(workflow):
    assert f"wrote {len(STUDENTS)} of them as the notebook's feedback" in workflow["rewritten"].stdout
    for student_id in STUDENTS:
        folder = workflow["root"] / "feedback" / student_id / ASSIGNMENT
        assert sorted(path.name for path in folder.iterdir() if path.suffix in (".html", ".txt")) == \
            [f"{Path(NOTEBOOK).stem}.html", "gradient_checking.html", "submission_secret.txt", "timestamp.txt"]


def test_fetch_feedback_finds_a_page_for_every_notebook_the_student_submitted(workflow):
    """The ungraded companion gets a short page: without one, every student's fetch_feedback warns."""
    for student_id, fetched in workflow["fetched"].items():
        assert "Could not find feedback" not in fetched.stdout + fetched.stderr, student_id


@pytest.mark.skipif(os.geteuid() != 0, reason="the students are real users only when the test runs as root")
def test_a_student_cannot_list_the_released_feedback_to_find_anothers_page(workflow):
    listing = workflow["as_student"]("amara", ["ls", str(workflow["exchange"] / COURSE_ID / "feedback")])
    assert listing.returncode != 0 and "Permission denied" in listing.stderr


def test_the_export_fills_canvass_column_with_each_students_score(workflow):
    with open(workflow["root"] / "grades" / ASSIGNMENT / "canvas.csv", newline="", encoding="utf-8") as handle:
        filled = {row["SIS Login ID"]: row[f"{ASSIGNMENT} (48211)"] for row in csv.DictReader(handle)}
    assert filled == {"": f"{MAX_SCORE:.2f}", **{student_id: f"{expected:g}"
                                                  for student_id, (*_, expected) in STUDENTS.items()}}
