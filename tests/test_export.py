"""`python -m autograder export`: the gradebook's scores in a plain CSV and in the Canvas gradebook CSV.

tests/data/canvas_gradebook.csv is laid out as Canvas exports a course's gradebook: the identity
columns, a column per assignment named "<name> (<Canvas id>)", read-only totals, a "Manual Posting"
row, the "Points Possible" row, quoted names and sections, a student the course's gradebook does not
know (giulia) and Canvas's test student.
"""
import csv
import io
import shutil
from contextlib import redirect_stderr, redirect_stdout
from datetime import datetime
from pathlib import Path

import pytest
from nbgrader.api import Gradebook

from autograder.__main__ import main
from autograder.reporting.export import Score, fill_canvas

CANVAS = Path(__file__).parent / "data" / "canvas_gradebook.csv"
ASSIGNMENT = "step_by_step"
COLUMN = "step_by_step (48211)"
NOTEBOOK = "Building_your_Deep_Neural_Network_Step_by_Step"

# The course's gradebook: amara and bruno graded, chen late by a day (nbgrader's "zero" policy took off 90
# points), dara on the roster but never submitted (nbgrader counts that as zero).
GRADED = {"amara": (60, 40, 0), "bruno": (60, 30, 0), "chen": (60, 30, 90)}
ROSTER = {"amara": "50101", "bruno": "50102", "chen": "50103", "dara": "50105"}
SCORES = {"amara": 100, "bruno": 90, "chen": 0, "dara": 0}


@pytest.fixture(scope="module")
def gradebook_file(tmp_path_factory):
    """A gradebook holding the grades above, written with nbgrader's API."""
    path = tmp_path_factory.mktemp("export") / "gradebook.db"
    with Gradebook(f"sqlite:///{path}") as gradebook:
        gradebook.add_assignment(ASSIGNMENT, duedate=datetime(2026, 11, 20, 23, 59))
        gradebook.add_notebook(NOTEBOOK, ASSIGNMENT)
        for name, points in (("check_forward", 60), ("check_backward", 40)):
            gradebook.add_grade_cell(name, NOTEBOOK, ASSIGNMENT, max_score=points, cell_type="code")
        for student_id, lms_id in ROSTER.items():
            gradebook.add_student(student_id, lms_user_id=lms_id)
        for student_id, (forward, backward, penalty) in GRADED.items():
            submitted = datetime(2026, 11, 21 if penalty else 20)
            submission = gradebook.add_submission(ASSIGNMENT, student_id, timestamp=submitted)
            for name, score in (("check_forward", forward), ("check_backward", backward)):
                gradebook.find_grade(name, NOTEBOOK, ASSIGNMENT, student_id).auto_score = score
            submission.notebooks[0].late_submission_penalty = penalty
        gradebook.db.commit()
    return path


@pytest.fixture
def course(tmp_path, gradebook_file):
    """A course folder of its own with that gradebook."""
    shutil.copyfile(gradebook_file, tmp_path / "gradebook.db")
    return tmp_path


def export(course, *args):
    """Run the command; return (exit status, stdout, stderr)."""
    stdout, stderr = io.StringIO(), io.StringIO()
    with redirect_stdout(stdout), redirect_stderr(stderr):
        status = main(["export", "--assignment", ASSIGNMENT, "--course", str(course), "--out", str(course / "out"),
                       *args])
    return status, stdout.getvalue(), stderr.getvalue()


def rows(path):
    with open(path, newline="", encoding="utf-8-sig") as handle:
        return list(csv.reader(handle))


def scores_of(canvas_rows, key_column="SIS Login ID"):
    header = canvas_rows[0]
    return {row[header.index(key_column)]: row[header.index(COLUMN)] for row in canvas_rows[3:]}


def test_scores_csv_has_every_student_of_the_gradebook_with_the_late_penalty_taken_off(course):
    status, _, stderr = export(course)
    assert (status, stderr) == (0, "")
    assert rows(course / "out" / "scores.csv") == [["student_id", "assignment", "score", "max_score"]] + [
        [student_id, ASSIGNMENT, f"{score:g}", "100"] for student_id, score in SCORES.items()]


def test_canvas_column_gets_the_score_of_each_student_the_course_knows(course):
    status, stdout, stderr = export(course, "--canvas", str(CANVAS))
    assert (status, stderr) == (0, "")
    assert scores_of(rows(course / "out" / "canvas.csv")) == {"amara": "100", "bruno": "90", "chen": "0",
                                                              "giulia": "62.00", "": ""}
    assert "filled 3 student(s)" in stdout
    assert "unscaled" not in stdout  # Canvas's 100.00 points are the gradebook's 100


def test_everything_but_the_assignments_cells_of_known_students_is_kept_byte_for_byte(course):
    export(course, "--canvas", str(CANVAS))
    before = CANVAS.read_bytes().split(b"\n")
    after = (course / "out" / "canvas.csv").read_bytes().split(b"\n")
    assert len(before) == len(after)
    changed = {number: new for number, (old, new) in enumerate(zip(before, after)) if old != new}
    assert changed == {  # amara's, bruno's and chen's rows; the quotes Canvas (or a spreadsheet) wrote stay
        3: b'"Okafor, Amara",50101,S1001,amara,DNN 2026 Section A,8.00,100,,80.00,80.00,3.81,3.81,80.00,80.00,3.81,'
           b'3.81',
        4: b'"Lindqvist, Bruno",50102,S1002,bruno,"DNN 2026 Section A, DNN 2026 Lab 2",10.00,90,,100.00,100.00,4.76,'
           b'4.76,100.00,100.00,4.76,4.76',
        6: b'"Wei, Chen",50103,S1003,chen,"DNN 2026 Section B",,0,,,,0.00,0.00,,,0.00,0.00'}


def test_canvas_students_the_course_does_not_know_are_left_as_they_were_and_reported_one_line_each(course):
    _, stdout, _ = export(course, "--canvas", str(CANVAS))
    unknown = [line for line in stdout.splitlines() if line.startswith("unknown: ")]
    assert unknown == ["unknown: Rossi, Giulia \"Gigi\" (SIS Login ID 'giulia'): not a student of the course's "
                       "gradebook; left as it was",
                       "unknown: Student, Test (no SIS Login ID): not a student of the course's gradebook; left as "
                       "it was"]


def test_course_students_missing_from_canvas_are_reported_with_the_score_to_enter(course):
    _, stdout, _ = export(course, "--canvas", str(CANVAS))
    missing = [line for line in stdout.splitlines() if line.startswith("missing: ")]
    assert len(missing) == 1 and missing[0].startswith("missing: dara: in the course's gradebook, not in")
    assert "enter 0 / 100 in Canvas by hand" in missing[0]


def test_students_can_be_matched_by_the_rosters_lms_user_id_against_canvas_id(course):
    status, _, _ = export(course, "--canvas", str(CANVAS), "--match", "lms-user-id")
    assert status == 0
    assert scores_of(rows(course / "out" / "canvas.csv"), "ID") == {"50101": "100", "50102": "90", "50103": "0",
                                                                    "50104": "62.00", "50199": ""}


def test_students_can_be_matched_by_sis_user_id(tmp_path):
    scores = [Score("amara", "S1001", 97.5, 100)]
    report = fill_canvas(CANVAS, tmp_path / "canvas.csv", ASSIGNMENT, scores, match="sis-user-id")
    assert scores_of(rows(tmp_path / "canvas.csv"), "SIS User ID")["S1001"] == "97.5"
    assert report.filled == 1 and report.missing == []


def test_a_byte_order_mark_and_windows_line_endings_survive(tmp_path):
    source = tmp_path / "with_bom.csv"
    source.write_bytes(b"\xef\xbb\xbf" + CANVAS.read_bytes().replace(b"\n", b"\r\n"))
    fill_canvas(source, tmp_path / "canvas.csv", ASSIGNMENT, [Score("amara", "amara", 100, 100)])
    written = (tmp_path / "canvas.csv").read_bytes()
    assert written.startswith(b"\xef\xbb\xbfStudent,ID,")
    assert written.count(b"\r\n") == source.read_bytes().count(b"\r\n") and b"\r\r" not in written
    assert written == source.read_bytes().replace(b"S1001,amara,DNN 2026 Section A,8.00,,",
                                                  b"S1001,amara,DNN 2026 Section A,8.00,100,")


def test_points_possible_unlike_the_gradebooks_is_reported(tmp_path):
    source = tmp_path / "ten_points.csv"
    source.write_bytes(CANVAS.read_bytes().replace(b",10.00,100.00,100.00,", b",10.00,10.00,100.00,"))
    report = fill_canvas(source, tmp_path / "canvas.csv", ASSIGNMENT, [Score("amara", "amara", 100, 100)])
    assert len(report.warnings) == 1 and "out of 10.00 points" in report.warnings[0]


def test_another_column_can_be_named(course):
    status, _, _ = export(course, "--canvas", str(CANVAS), "--column", "application")
    assert status == 0
    canvas_rows = rows(course / "out" / "canvas.csv")
    amara = next(row for row in canvas_rows if row[3] == "amara")
    assert amara[canvas_rows[0].index("application (48212)")] == "100" and amara[canvas_rows[0].index(COLUMN)] == ""


def _write(path, data):
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("make_input, problem", [
    (lambda folder: folder / "nowhere.csv", "no such file"),
    (lambda folder: folder, "a folder, not a Canvas gradebook CSV file"),
    (lambda folder: _write(folder / "roster.csv", b"id,first_name,last_name\namara,Amara,Okafor\n"),
     "not a Canvas gradebook CSV file (its first row has no 'Student' or 'ID' column)"),
    (lambda folder: _write(folder / "grades.xlsx", b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00\xb5\xff"),
     "not a Canvas gradebook CSV file (not UTF-8 text)"),
    (lambda folder: _write(folder / "empty.csv", b""), "not a Canvas gradebook CSV file"),
    (lambda folder: _write(folder / "cut.csv", CANVAS.read_bytes()[:300] + b'"Okafor, Am'),
     "a quoted field never ends"),
    (lambda folder: _write(folder / "other_course.csv", CANVAS.read_bytes().replace(b"step_by_step (48211)",
                                                                                     b"Lab 3 (48211)")),
     "no column for step_by_step"),
    (lambda folder: _write(folder / "no_login.csv", CANVAS.read_bytes().replace(b"SIS Login ID", b"Login")),
     "no 'SIS Login ID' column to match students by"),
])
def test_bad_input_is_one_line_naming_the_file_and_exit_status_2(course, make_input, problem):
    path = make_input(course)
    status, stdout, stderr = export(course, "--canvas", str(path))
    assert status == 2
    assert stderr.count("\n") == 1 and stderr.startswith(f"error: {path}: ") and problem in stderr
    assert not (course / "out" / "canvas.csv").exists()


def test_a_course_without_a_gradebook_is_one_line_and_exit_status_2(tmp_path):
    status, _, stderr = export(tmp_path)
    assert status == 2 and stderr == f"error: {tmp_path / 'gradebook.db'}: no such gradebook; grade the class " \
                                     f"first, or name the course with --course\n"
    assert not (tmp_path / "gradebook.db").exists()


def test_an_assignment_the_gradebook_lacks_is_one_line_and_exit_status_2(course):
    stdout, stderr = io.StringIO(), io.StringIO()
    with redirect_stdout(stdout), redirect_stderr(stderr):
        status = main(["export", "--assignment", "application", "--course", str(course)])
    assert status == 2 and stderr.getvalue().startswith(f"error: {course / 'gradebook.db'}: the gradebook has no "
                                                        f"assignment application")
