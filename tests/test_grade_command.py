"""`python -m autograder grade`: a whole class in one command, end to end with nbgrader and real kernels.

The sample class of the demo (autograder/generators/sample_class.py) is graded once per module; the tests then
read what the command wrote: grades.csv, totals.csv, the feedback pages, the report, the gradebook.
"""
import copy
import csv
import fcntl
import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from contextlib import redirect_stderr, redirect_stdout

import numpy as np
import pytest
from nbgrader.api import Gradebook

from autograder.environment import scripts_on_path
from autograder.generators import sample_class
from autograder.generators.release import release
from autograder.course import Course
from autograder.__main__ import main
from autograder.hidden.step_by_step import HIDDEN_CALLS
from autograder.paths import NOTEBOOKS, ROOT
from autograder.reference import step_by_step as reference
from autograder.grading import results
from autograder.grading.results import GRADE_COLUMNS

pytestmark = pytest.mark.kernels  # real Jupyter kernels: left out of make test-fast

ASSIGNMENT = "step_by_step"
NOTEBOOK = NOTEBOOKS[ASSIGNMENT]
FUNCTIONS = list(HIDDEN_CALLS)  # the step-by-step functions, in notebook order
POINTS = {"initialize_parameters": 5, "initialize_parameters_deep": 5, "linear_forward": 5,
          "linear_activation_forward": 10, "L_model_forward": 15, "compute_cost": 10, "linear_backward": 10,
          "linear_activation_backward": 10, "L_model_backward": 20, "update_parameters": 10}

# Every function of every sample student passes, except these.
NOT_PASSED = {
    "ada_perfect": {},
    "ben_blank": {function: "error" for function in FUNCTIONS},
    "cleo_partial": {function: "error" for function in FUNCTIONS[5:]},
    "dev_forgot_one_over_m": {"linear_backward": "failed"},
    "eve_two_layers_only": {"L_model_forward": "failed", "compute_cost": "failed"},
    "finn_other_styles": {},
    "gia_deleted_a_test": {},
    "hugo_kernel_dies": {function: "error" for function in FUNCTIONS[6:]},
    "ivy_broken_file": {function: "error" for function in FUNCTIONS},
}
NEEDS_ATTENTION = {"gia_deleted_a_test", "hugo_kernel_dies", "ivy_broken_file"}


def grade(course, submitted, out, *extra):
    return main(["grade", str(submitted), "--assignment", ASSIGNMENT, "--out", str(out), "--course", str(course.root),
                 "--workers", "2", *extra])


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def sample(course, tmp_path_factory):
    """The sample class, graded once: (submitted folder, output folder, exit code, what was printed)."""
    folder = tmp_path_factory.mktemp("sample")
    submitted = sample_class.build(folder / "submitted")
    out = folder / "grades"
    printed, errors = io.StringIO(), io.StringIO()
    with redirect_stdout(printed), redirect_stderr(errors):
        code = grade(course, submitted, out)
    return submitted, out, code, printed.getvalue(), errors.getvalue()


@pytest.mark.parametrize("student", list(NOT_PASSED))
def test_sample_student_gets_exactly_the_expected_grades(sample, student):
    rows = {row["function"]: row for row in read_csv(sample[1] / "grades.csv") if row["student_id"] == student}
    assert list(rows) == FUNCTIONS
    for function, row in rows.items():
        status = NOT_PASSED[student].get(function, "passed")
        assert (row["status"], float(row["score"]), float(row["max_score"])) == \
            (status, POINTS[function] if status == "passed" else 0.0, POINTS[function]), (function, row["message"])
        assert (row["message"] == "") == (status == "passed")


def test_grades_csv_has_the_documented_columns_and_one_row_per_student_and_function(sample):
    with open(sample[1] / "grades.csv", newline="", encoding="utf-8") as handle:
        assert tuple(next(csv.reader(handle))) == GRADE_COLUMNS
    keys = [(row["student_id"], row["function"]) for row in read_csv(sample[1] / "grades.csv")]
    assert sorted(keys) == sorted((student, function) for student in NOT_PASSED for function in FUNCTIONS)


def test_totals_csv_adds_up_the_grades_and_flags_the_students_that_need_attention(sample):
    totals = {row["student_id"]: row for row in read_csv(sample[1] / "totals.csv")}
    assert set(totals) == set(NOT_PASSED)
    for student, row in totals.items():
        expected = sum(points for function, points in POINTS.items() if function not in NOT_PASSED[student])
        assert float(row["score"]) == expected and float(row["max_score"]) == 100
        assert bool(row["needs_attention"]) == (student in NEEDS_ATTENTION), row["needs_attention"]


def test_messages_name_the_problem(sample):
    rows = read_csv(sample[1] / "grades.csv")
    messages = {(row["student_id"], row["function"]): row["message"] for row in rows}
    mistakes = {(row["student_id"], row["function"]): row["mistake"] for row in rows}
    assert messages["dev_forgot_one_over_m", "linear_backward"].endswith(": dW is m times too large: divide it by m")
    assert mistakes["dev_forgot_one_over_m", "linear_backward"] == "linear_backward.missing_1_m_in_dw"
    assert mistakes["eve_two_layers_only", "compute_cost"] == "compute_cost.unsqueezed_1_1_cost"
    assert mistakes["ada_perfect", "compute_cost"] == "" and mistakes["ben_blank", "linear_forward"] == ""
    assert "np.squeeze" in messages["eve_two_layers_only", "compute_cost"]
    assert "not written yet" in messages["ben_blank", "linear_forward"]
    assert "kernel died" in messages["hugo_kernel_dies", "update_parameters"]
    assert "invalid JSON at line" in messages["ivy_broken_file", "linear_forward"]


def test_command_exits_nonzero_and_names_the_students_that_need_attention(sample):
    _, out, code, printed, errors = sample
    assert code == 1
    assert "3 student(s) need attention: gia_deleted_a_test, hugo_kernel_dies, ivy_broken_file" in errors
    assert str(out / "grades.csv") in printed and "ada_perfect" in printed


def test_gradebook_holds_the_same_grades_as_nbgrader_export_shows(sample, course):
    export = course.root / "export.csv"
    environment = scripts_on_path()
    subprocess.run([sys.executable, "-m", "nbgrader", "export", "--to", str(export)], cwd=course.root,
                   env=environment, check=True, capture_output=True)
    exported = {row["student_id"]: float(row["raw_score"] or 0) for row in read_csv(export)
                if row["assignment"] == ASSIGNMENT and row["student_id"] in NOT_PASSED}
    totals = {row["student_id"]: float(row["score"]) for row in read_csv(sample[1] / "totals.csv")}
    assert exported == totals


def _hidden_numbers():
    """Distinctive numbers among the outputs the hidden tests expect."""
    numbers = set()
    for function, calls in HIDDEN_CALLS.items():
        for call in calls():
            output = getattr(reference, function)(*copy.deepcopy(call.args))
            for value in _arrays(output):
                numbers |= {f"{x:.4f}" for x in np.ravel(value) if abs(x) > 0.01}
    return numbers


def _arrays(value):
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, (list, tuple)):
        return [array for item in value for array in _arrays(item)]
    return [value] if np.ndim(value) >= 0 and not isinstance(value, str) else []


def test_feedback_shows_every_function_but_no_hidden_test_code_or_expected_value(sample, course):
    hidden_numbers = _hidden_numbers()
    for student in NOT_PASSED:
        page = (sample[1] / "feedback" / f"{student}.html").read_text(encoding="utf-8")
        assert all(f"<code>{function}</code>" in page for function in FUNCTIONS)
        for hidden in ("hidden_tests", "fair_check", "HIDDEN TESTS", "autograder"):
            assert hidden not in page, (student, hidden)
        leaked = [number for number in hidden_numbers if number in page]
        assert not leaked, (student, leaked[:5])
    # The hidden tests never ran in the student's kernel: the notebook it executed holds none of them.
    autograded = course.root / "autograded" / "dev_forgot_one_over_m" / ASSIGNMENT / NOTEBOOK
    assert "hidden_tests" not in autograded.read_text(encoding="utf-8")


def test_report_is_a_png_and_an_html_page_that_embeds_it(sample):
    out = sample[1]
    assert (out / "report.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    page = (out / "report.html").read_text(encoding="utf-8")
    assert 'src="report.png"' in page and "ivy_broken_file" in page
    assert "Graded without a sandbox" not in page


def test_grading_ends_with_the_similarity_check_and_the_report_has_its_section(sample):
    """The sample class shares only the common solution (and a broken file): no pair, and a report that says so."""
    out = sample[1]
    assert read_csv(out / "similarity.csv") == []
    assert "No pair of students was flagged" in (out / "report.html").read_text(encoding="utf-8")
    assert "ivy_broken_file's code is not compared" in sample[4]


def test_each_wrong_answer_is_stored_as_a_digest_of_its_values_and_a_right_one_as_nothing(sample):
    """What the similarity check compares for shared rare mistakes, without running anything again."""
    stored = {result.student_id: {row.function: row for row in result.rows}
              for result in map(results.load, (sample[1] / "results").glob("*.json"))}
    wrong = stored["dev_forgot_one_over_m"]["linear_backward"]
    assert wrong.status == "failed" and re.fullmatch(r"[0-9a-f]{16}", wrong.answer)
    assert {row.answer for row in stored["ada_perfect"].values()} == {""}


def _copy_class(sample, destination):
    shutil.copytree(sample[0], destination)
    return destination


def test_rerun_grades_nothing_again_and_leaves_the_grades_as_they_were(sample, course, capsys):
    out = sample[1]
    before = {path.name: path.stat().st_mtime_ns for path in (out / "results").iterdir()}
    grades_before = (out / "grades.csv").read_bytes()
    assert grade(course, sample[0], out) == 1
    assert {path.name: path.stat().st_mtime_ns for path in (out / "results").iterdir()} == before
    assert (out / "grades.csv").read_bytes() == grades_before


def test_changed_submission_and_force_are_regraded(sample, course, tmp_path):
    submitted = _copy_class(sample, tmp_path / "submitted")
    out = tmp_path / "grades"
    shutil.copytree(sample[1], out)
    blank = submitted / "ben_blank" / ASSIGNMENT / NOTEBOOK
    blank.write_text((submitted / "ada_perfect" / ASSIGNMENT / NOTEBOOK).read_text())
    before = {path.name: path.stat().st_mtime_ns for path in (out / "results").iterdir()}
    grade(course, submitted, out)
    after = {path.name: path.stat().st_mtime_ns for path in (out / "results").iterdir()}
    assert [name for name in before if before[name] != after[name]] == ["ben_blank.json"]
    totals = {row["student_id"]: row["score"] for row in read_csv(out / "totals.csv")}
    assert totals["ben_blank"] == "100"
    grade(course, submitted, out, "--force")
    forced = {path.name: path.stat().st_mtime_ns for path in (out / "results").iterdir()}
    assert all(forced[name] != after[name] for name in after)


def test_a_killed_run_resumes_to_exactly_one_set_of_grades_per_student(sample, course, tmp_path, tmp_path_factory):
    out = tmp_path / "grades"
    command = [sys.executable, "-m", "autograder", "grade", str(sample[0]), "--assignment", ASSIGNMENT, "--out",
               str(out), "--course", str(course.root), "--workers", "1"]
    # What the killed run leaves in its temporary folder (its workers' folder, its forkserver's) stays in pytest's.
    environment = dict(os.environ, TMPDIR=str(tmp_path_factory.mktemp("tmp")))
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
                               env=environment)
    deadline = time.monotonic() + 120
    while len(list((out / "results").glob("*.json"))) < 4 and time.monotonic() < deadline:
        time.sleep(0.1)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    finished_before_kill = len(list((out / "results").glob("*.json")))
    assert 4 <= finished_before_kill < len(NOT_PASSED)
    assert grade(course, sample[0], out) == 1
    rows = read_csv(out / "grades.csv")
    assert sorted((row["student_id"], row["function"]) for row in rows) == \
        sorted((student, function) for student in NOT_PASSED for function in FUNCTIONS)
    assert read_csv(out / "totals.csv") == read_csv(sample[1] / "totals.csv")


def test_missing_submitted_folder_is_a_one_line_error(course, tmp_path, capsys):
    assert grade(course, tmp_path / "nowhere", tmp_path / "out") == 2
    errors = capsys.readouterr().err.strip().splitlines()
    assert errors == [f"error: {tmp_path / 'nowhere'}: no such folder (expected <student_id>/{ASSIGNMENT}/ inside)"]


# Bad submissions: each gets rows with a clear status and message; the rest of the class is graded.

def _release(course):
    return course.release_notebook(ASSIGNMENT)


def _perfect(course):
    return sample_class.notebooks(_release(course))["ada_perfect"]


def _graded_cell_index(notebook, grade_id):
    return next(index for index, cell in enumerate(notebook["cells"])
                if cell["metadata"].get("nbgrader", {}).get("grade_id") == grade_id)


def _with_solution(notebook, function, source):
    notebook = copy.deepcopy(notebook)
    notebook["cells"][_graded_cell_index(notebook, function)]["source"] = source
    return notebook


def _duplicated(notebook):
    notebook = copy.deepcopy(notebook)
    index = _graded_cell_index(notebook, "check_linear_forward")
    twin = copy.deepcopy(notebook["cells"][index])
    twin["id"] = "a-copy"
    notebook["cells"].insert(index + 1, twin)
    return notebook


def _retyped(notebook):
    notebook = copy.deepcopy(notebook)
    cell = notebook["cells"][_graded_cell_index(notebook, "check_linear_forward")]
    cell["cell_type"] = "markdown"
    del cell["outputs"], cell["execution_count"]
    return notebook


def _garbled(notebook):
    notebook = copy.deepcopy(notebook)
    notebook["cells"][_graded_cell_index(notebook, "check_linear_forward")]["metadata"]["nbgrader"] = 5
    return notebook


def _made_up_graded_cell(notebook):
    notebook = copy.deepcopy(notebook)
    nbgrader = {"grade": True, "grade_id": "check_fake_points", "points": 100, "solution": False, "locked": False,
                "schema_version": 3, "task": False}
    notebook["cells"].append({"cell_type": "code", "execution_count": None, "id": "fake", "outputs": [],
                              "metadata": {"nbgrader": nbgrader}, "source": "print('free points')"})
    return notebook


def _stripped(notebook):
    notebook = copy.deepcopy(notebook)
    del notebook["cells"][_graded_cell_index(notebook, "check_linear_forward")]["metadata"]["nbgrader"]
    return notebook


LOOP = "def linear_forward(A, W, b):\n    while True:\n        pass\n"
TOP_LEVEL_LOOP = "while True:\n    pass\n\n" + LOOP.replace("while True:\n        pass", "return W @ A + b, (A, W, b)")
TOP_LEVEL_ERROR = "print(A_test)\n\n" + TOP_LEVEL_LOOP.split("\n\n", 1)[1]


@pytest.fixture(scope="module")
def bad_class(course, tmp_path_factory):
    folder = tmp_path_factory.mktemp("bad")
    submitted = folder / "submitted"
    perfect = _perfect(course)
    notebooks = {"honest": perfect, "loops_forever": _with_solution(perfect, "linear_forward", LOOP),
                 "loops_before_def": _with_solution(perfect, "linear_forward", TOP_LEVEL_LOOP),
                 "raises_before_def": _with_solution(perfect, "linear_forward", TOP_LEVEL_ERROR),
                 "duplicated_cell": _duplicated(perfect), "retyped_cell": _retyped(perfect),
                 "stripped_metadata": _stripped(perfect), "garbled_metadata": _garbled(perfect),
                 "made_up_graded_cell": _made_up_graded_cell(perfect),
                 "linked_notebook": perfect, "links_out": perfect}
    for student, notebook in notebooks.items():
        course_folder = submitted / student / ASSIGNMENT
        shutil.copytree(course.root / "release" / ASSIGNMENT, course_folder)
        (course_folder / NOTEBOOK).write_text(json.dumps(notebook))
    (submitted / "empty_folder").mkdir()
    renamed = submitted / "renamed_notebook" / ASSIGNMENT
    renamed.mkdir(parents=True)
    (renamed / "my_copy.ipynb").write_text(json.dumps(perfect))
    (folder / "elsewhere.ipynb").write_text(json.dumps(perfect))
    (submitted / "linked_notebook" / ASSIGNMENT / NOTEBOOK).unlink()
    (submitted / "linked_notebook" / ASSIGNMENT / NOTEBOOK).symlink_to(folder / "elsewhere.ipynb")
    (submitted / "links_out" / ASSIGNMENT / "course_sources").symlink_to(course.root / "source")
    out = folder / "grades"
    code = grade(course, submitted, out, "--cell-timeout", "5")
    rows = {}
    for row in read_csv(out / "grades.csv"):
        rows.setdefault(row["student_id"], {})[row["function"]] = row
    totals = {row["student_id"]: row for row in read_csv(out / "totals.csv")}
    return code, rows, totals


def test_bad_submissions_do_not_stop_the_class_and_make_the_command_fail(bad_class):
    code, rows, totals = bad_class
    assert code == 1
    assert float(totals["honest"]["score"]) == 100 and not totals["honest"]["needs_attention"]


def test_an_infinite_loop_times_out_its_own_function_only(bad_class):
    _, rows, _ = bad_class
    student = rows["loops_forever"]
    assert student["linear_forward"]["status"] == "timeout", student["linear_forward"]["message"]
    assert "time limit" in student["linear_forward"]["message"]
    others = {function: row["message"] for function, row in student.items() if function != "linear_forward" and row["status"] != "passed"}
    assert others == {}


@pytest.mark.parametrize("student, status, message", [
    ("loops_before_def", "timeout", "the cell that defines linear_forward was still running after 5 s and was "
                                    "interrupted: an infinite loop outside the function?"),
    ("raises_before_def", "error", "the cell that defines linear_forward raised 'NameError': \"name 'A_test' is "
                                   "not defined\" before linear_forward was defined"),
])
def test_a_defining_cell_that_never_finishes_or_raises_is_named_and_costs_its_own_function_only(bad_class, student,
                                                                                                 status, message):
    _, rows, _ = bad_class
    assert (rows[student]["linear_forward"]["status"], rows[student]["linear_forward"]["message"]) == (status, message)
    others = {function: row["message"] for function, row in rows[student].items()
              if function != "linear_forward" and row["status"] != "passed"}
    assert others == {}


@pytest.mark.parametrize("student, notice", [
    ("duplicated_cell", "graded cell check_linear_forward appears 2 times"),
    ("retyped_cell", "graded cell check_linear_forward was turned into markdown"),
    ("stripped_metadata", "graded cell check_linear_forward was deleted or lost its metadata"),
    ("garbled_metadata", "graded cell check_linear_forward was deleted or lost its metadata"),
    ("made_up_graded_cell", "a cell claims to be graded cell 'check_fake_points', which the assignment does not have"),
])
def test_tampered_graded_cells_are_graded_as_released_and_reported(bad_class, student, notice):
    _, rows, totals = bad_class
    assert all(row["status"] == "passed" for row in rows[student].values())
    assert notice in totals[student]["needs_attention"]


@pytest.mark.parametrize("student, message", [
    ("empty_folder", "no such folder, nothing was submitted"),
    ("renamed_notebook", f"it holds my_copy.ipynb: rename it to {NOTEBOOK}"),
])
def test_missing_notebooks_are_reported_as_missing(bad_class, student, message):
    _, rows, totals = bad_class
    assert all(row["status"] == "missing" and message in row["message"] for row in rows[student].values())
    assert message in totals[student]["needs_attention"]


def test_a_notebook_that_is_a_link_is_not_followed_and_is_reported(bad_class):
    _, rows, totals = bad_class
    message = "a link, not a notebook: submit the notebook file itself"
    assert all(row["status"] == "error" and message in row["message"] for row in rows["linked_notebook"].values())


def test_a_link_out_of_a_submission_is_left_out_of_the_autograded_folder_reported_and_grading_goes_on(bad_class,
                                                                                                     course):
    """nbgrader's generate_feedback and the formgrader read the autograded folder: nothing there leads out of it."""
    _, rows, totals = bad_class
    assert float(totals["links_out"]["score"]) == 100
    assert not os.path.lexists(course.root / "autograded" / "links_out" / ASSIGNMENT / "course_sources")
    assert "1 link(s) not followed and left out of grading ('course_sources')" in totals["links_out"]["needs_attention"]


def _too_slow(course, submitted):
    """A class of one, whose submission sleeps for a minute before its first graded function."""
    notebook = copy.deepcopy(_perfect(course))
    notebook["cells"].insert(3, {"cell_type": "code", "id": "slow", "metadata": {}, "execution_count": None,
                                 "outputs": [], "source": "import time\ntime.sleep(60)"})
    folder = submitted / "too_slow" / ASSIGNMENT
    shutil.copytree(course.root / "release" / ASSIGNMENT, folder)
    (folder / NOTEBOOK).write_text(json.dumps(notebook))
    return submitted


def test_a_submission_over_the_time_limit_is_stopped_and_reported(course, tmp_path):
    _too_slow(course, tmp_path / "submitted")
    started = time.monotonic()
    assert grade(course, tmp_path / "submitted", tmp_path / "grades", "--time-limit", "6") == 1
    assert time.monotonic() - started < 45
    rows = read_csv(tmp_path / "grades" / "grades.csv")
    assert {row["status"] for row in rows} == {"timeout"}
    assert "still running after 6 s" in rows[0]["message"]


def test_a_worker_killed_for_running_past_its_time_limit_leaves_no_folder_in_the_temporary_directory(
        course, tmp_path, tmp_path_factory):
    """Its kernel's sockets folder included, which the sandbox's user owned while the kernel started."""
    temporary = tmp_path_factory.mktemp("tmp")  # a short path: the kernel's sockets are in it, 107 characters at most
    command = [sys.executable, "-m", "autograder", "grade", str(_too_slow(course, tmp_path / "submitted")),
               "--assignment", ASSIGNMENT, "--out", str(tmp_path / "grades"), "--course", str(course.root),
               "--workers", "1", "--time-limit", "6"]
    graded = subprocess.run(command, env=scripts_on_path(dict(os.environ, TMPDIR=str(temporary))),
                            capture_output=True, text=True, timeout=120)
    assert graded.returncode == 1, graded.stderr
    assert {row["status"] for row in read_csv(tmp_path / "grades" / "grades.csv")} == {"timeout"}
    assert list(temporary.iterdir()) == []


def test_a_class_collected_by_nbgrader_grades_from_a_relative_path(course, tmp_path, monkeypatch):
    """nbgrader collect puts timestamp.txt and submission_secret.txt beside each notebook; the README's command
    names the submitted folder relative to where it runs."""
    folder = tmp_path / "collected" / "ada" / ASSIGNMENT
    shutil.copytree(course.root / "release" / ASSIGNMENT, folder)
    (folder / NOTEBOOK).write_text(json.dumps(_perfect(course)))
    (folder / "timestamp.txt").write_text("2026-12-01 09:00:00.000000 UTC")
    (folder / "submission_secret.txt").write_text("0123456789abcdef")
    monkeypatch.chdir(tmp_path)
    assert grade(course, "collected", "grades") == 0
    assert [row["score"] for row in read_csv(tmp_path / "grades" / "totals.csv")] == ["100"]


def test_a_course_outside_the_repository_is_graded_with_its_own_notebooks_release_and_configuration(tmp_path):
    """--course is honoured end to end: the course's instructor notebook (linear_forward worth 7 points there,
    not 5), its release, and its nbgrader_config.py (a gradebook of another name)."""
    root = tmp_path / "elsewhere"
    shutil.copytree(ROOT / "source", root / "source", ignore=shutil.ignore_patterns("__pycache__"))
    path = root / "source" / ASSIGNMENT / NOTEBOOK
    notebook = json.loads(path.read_text(encoding="utf-8"))
    notebook["cells"][_graded_cell_index(notebook, "check_linear_forward")]["metadata"]["nbgrader"]["points"] = 7
    path.write_text(json.dumps(notebook, indent=1), encoding="utf-8")
    (root / "nbgrader_config.py").write_text(f"c = get_config()  # noqa: F821\n"
                                             f"load_subconfig({str(ROOT / 'nbgrader_config.py')!r})  # noqa: F821\n"
                                             f"c.CourseDirectory.db_url = 'sqlite:///{root / 'course.db'}'\n")
    own = Course.at(root)
    release(own, ASSIGNMENT)
    folder = tmp_path / "submitted" / "ada" / ASSIGNMENT
    shutil.copytree(root / "release" / ASSIGNMENT, folder)
    released = json.loads(own.release_notebook(ASSIGNMENT).read_text(encoding="utf-8"))
    (folder / NOTEBOOK).write_text(json.dumps(sample_class.notebooks(released)["ada_perfect"]))
    with redirect_stdout(io.StringIO()):
        assert main(["grade", str(tmp_path / "submitted"), "--assignment", ASSIGNMENT, "--out", str(tmp_path / "out"),
                     "--course", str(root), "--workers", "1"]) == 0
    totals = read_csv(tmp_path / "out" / "totals.csv")
    assert [(row["score"], row["max_score"], row["needs_attention"]) for row in totals] == [("102", "102", "")]
    with Gradebook(f"sqlite:///{root / 'course.db'}") as gradebook:
        assert gradebook.find_submission(ASSIGNMENT, "ada").score == 102
    assert not (root / "gradebook.db").exists()


def test_a_second_run_on_the_same_course_and_assignment_refuses_while_the_first_holds_the_lock(course, tmp_path,
                                                                                               capsys):
    submitted = sample_class.build(tmp_path / "submitted")
    lock_path = course.root / "autograded" / f".grading-{ASSIGNMENT}.lock"
    lock_path.parent.mkdir(exist_ok=True)
    with open(lock_path, "a") as first_run:
        fcntl.flock(first_run, fcntl.LOCK_EX | fcntl.LOCK_NB)
        assert grade(course, submitted, tmp_path / "grades") == 2
    errors = capsys.readouterr().err.strip().splitlines()
    assert len(errors) == 1 and "another grade run" in errors[0] and str(lock_path) in errors[0]
    assert not (tmp_path / "grades" / "grades.csv").exists()


# Without bubblewrap, grading refuses to start unless the instructor asks to grade unsandboxed.

@pytest.fixture
def no_bubblewrap(monkeypatch):
    from autograder.kernel import sandbox
    sandbox.problem.cache_clear()
    monkeypatch.setattr(sandbox, "BWRAP", "bwrap-is-not-installed")
    yield
    sandbox.problem.cache_clear()


def test_without_bubblewrap_grading_refuses_to_start(course, tmp_path, capsys, no_bubblewrap):
    submitted = sample_class.build(tmp_path / "submitted")
    assert grade(course, submitted, tmp_path / "grades") == 2
    errors = capsys.readouterr().err.strip().splitlines()
    assert len(errors) == 1 and "bubblewrap" in errors[0] and "--no-sandbox" in errors[0]
    assert not (tmp_path / "grades" / "grades.csv").exists()


def test_no_sandbox_grades_and_the_report_says_so(course, tmp_path, no_bubblewrap):
    submitted = tmp_path / "submitted"
    shutil.copytree(course.root / "release" / ASSIGNMENT, submitted / "ada" / ASSIGNMENT)
    (submitted / "ada" / ASSIGNMENT / NOTEBOOK).write_text(json.dumps(_perfect(course)))
    assert grade(course, submitted, tmp_path / "grades", "--no-sandbox") == 0
    assert read_csv(tmp_path / "grades" / "totals.csv")[0]["score"] == "100"
    assert "Graded without a sandbox" in (tmp_path / "grades" / "report.html").read_text(encoding="utf-8")


def test_student_folders_that_are_no_safe_id_or_a_link_are_not_graded_and_named(course, tmp_path, capsys):
    """A folder name reaches paths, pages, CSV files and the gradebook: one that is markup, or a link to a folder
    elsewhere, is refused with a line naming it, and the rest of the class is graded."""
    submitted = tmp_path / "submitted"
    for student in ("honest_beside_refused", "<img src=x onerror=alert(1)>"):
        shutil.copytree(course.root / "release" / ASSIGNMENT, submitted / student / ASSIGNMENT)
        (submitted / student / ASSIGNMENT / NOTEBOOK).write_text(json.dumps(_perfect(course)))
    (submitted / "linked_student").symlink_to(submitted / "honest_beside_refused")
    capsys.readouterr()
    assert grade(course, submitted, tmp_path / "grades") == 1
    errors = capsys.readouterr().err
    assert "not graded: " in errors and "student folder '<img src=x onerror=alert(1)>' is not a valid student id" \
        in errors and "student folder linked_student is a link, which is never followed" in errors
    assert [row["student_id"] for row in read_csv(tmp_path / "grades" / "totals.csv")] == ["honest_beside_refused"]
    from nbgrader.api import Gradebook
    with Gradebook(course.course.db_url) as book:
        assert not {"<img src=x onerror=alert(1)>", "linked_student"} & {student.id for student in book.students}


def test_markup_in_a_roster_name_is_stripped_from_the_gradebook_before_any_page_prints_it(course, tmp_path, capsys):
    """nbgrader's formgrader prints the roster's names unescaped."""
    from nbgrader.api import Gradebook
    with Gradebook(course.course.db_url) as book:
        book.update_or_create_student("roster_markup", first_name="Amara", last_name="<img src=x onerror=alert(1)>Okafor")
    submitted = tmp_path / "submitted"
    shutil.copytree(course.root / "release" / ASSIGNMENT, submitted / "roster_markup" / ASSIGNMENT)
    (submitted / "roster_markup" / ASSIGNMENT / NOTEBOOK).write_text(json.dumps(_perfect(course)))
    capsys.readouterr()
    assert grade(course, submitted, tmp_path / "grades") == 0
    assert "the last name of student roster_markup held markup" in capsys.readouterr().out
    with Gradebook(course.course.db_url) as book:
        assert book.find_student("roster_markup").last_name == "Okafor"
    assert "Amara Okafor (roster_markup)" in (tmp_path / "grades" / "feedback" / "roster_markup.html").read_text()


MATRIX_DB = """def linear_backward(dZ, cache):
    A_prev, W, b = cache
    m = A_prev.shape[1]
    dW = 1./m * np.dot(dZ, A_prev.T)
    db = 1./m * np.sum(np.matrix(dZ), axis=1)  # right values and shape; NumPy warns about np.matrix
    dA_prev = np.dot(W.T, dZ)
    return dA_prev, dW, db
"""


def test_a_right_answer_that_warns_gets_full_marks_and_a_note(course, tmp_path):
    submitted = tmp_path / "submitted"
    shutil.copytree(course.root / "release" / ASSIGNMENT, submitted / "warns" / ASSIGNMENT)
    notebook = _with_solution(_perfect(course), "linear_backward", MATRIX_DB)
    (submitted / "warns" / ASSIGNMENT / NOTEBOOK).write_text(json.dumps(notebook))
    assert grade(course, submitted, tmp_path / "grades") == 0
    row = next(row for row in read_csv(tmp_path / "grades" / "grades.csv") if row["function"] == "linear_backward")
    assert (row["status"], row["score"]) == ("passed", "10"), row["message"]
    assert row["message"].startswith("note: linear_backward is right, but it warned 'PendingDeprecationWarning: the "
                                     "matrix subclass")
    totals = read_csv(tmp_path / "grades" / "totals.csv")[0]
    assert float(totals["score"]) == 100


OWN_ASSERT = """def linear_forward(A, W, b):
    Z = np.dot(W, A) + b
    assert(Z.shape == (W.shape[0], 1))  # written for one example
    cache = (A, W, b)
    return Z, cache
"""
MISSPELT = """def compute_cost(AL, Y):
    m = Y.shape[1]
    cost = -np.sum(Y * np.log(AL) + (1 - Y) * np.log(1 - Al)) / m
    return np.squeeze(cost)
"""


@pytest.mark.parametrize("function, source, told", [
    ("linear_forward", OWN_ASSERT, "raised 'AssertionError': your own assert failed: 'assert(Z.shape == (W.shape[0], "
                                   "1)) # written for one example', where Z is an array of shape (1, 2); W is an "
                                   "array of shape (1, 3)"),
    ("compute_cost", MISSPELT, "raised 'NameError': 'Al' is not defined, in 'cost = -np.sum(Y * np.log(AL) + (1 - Y) "
                               "* np.log(1 - Al)) / m': did you mean AL?"),
])
def test_an_error_in_the_students_own_code_shows_their_line_and_its_values(course, tmp_path, function, source, told):
    submitted = tmp_path / "submitted"
    shutil.copytree(course.root / "release" / ASSIGNMENT, submitted / "own_error" / ASSIGNMENT)
    (submitted / "own_error" / ASSIGNMENT / NOTEBOOK).write_text(json.dumps(_with_solution(_perfect(course), function,
                                                                                           source)))
    assert grade(course, submitted, tmp_path / "grades") == 0
    row = next(row for row in read_csv(tmp_path / "grades" / "grades.csv") if row["function"] == function)
    assert row["status"] == "error" and told in row["message"], row["message"]
