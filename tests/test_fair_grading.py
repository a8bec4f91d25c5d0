"""Fair grading, end to end: the grade command (sandboxed kernels, nbgrader's pipeline) on one submission
per catalogue entry, for every assignment.

Every submission is the full solution with one solution cell replaced: by a correct solution in
another style, which must earn full marks, or by a typical bug, which must cost exactly the points
of its own function (the hidden tests grade every other function with the reference versions of
what it calls). The full solution and the blank release are the two anchors.
"""
import contextlib
import copy
import importlib
import io
import json
import re
import warnings

import pytest

from autograder.catalogue.conventions import calling_conventions
from autograder.generators.reference_solutions import reference_module
from autograder.hidden import diagnosis
from autograder.paths import NOTEBOOKS, ROOT, source_notebook
from testCases import SPECS
from testCases.notebook import solution_sources

pytestmark = pytest.mark.kernels  # real Jupyter kernels: left out of make test-fast

ASSIGNMENTS = list(NOTEBOOKS)

SOLUTION_STUDENT = "anchor-full-solution"
BLANK_STUDENT = "anchor-blank-release"


def _max_points(assignment):
    """{grade_id: points} of every graded cell, as the instructor notebook's nbgrader metadata says."""
    with open(source_notebook(assignment), encoding="utf-8") as handle:
        cells = json.load(handle)["cells"]
    return {cell["metadata"]["nbgrader"]["grade_id"]: cell["metadata"]["nbgrader"]["points"]
            for cell in cells if cell.get("metadata", {}).get("nbgrader", {}).get("grade")}


MAX_POINTS = {assignment: _max_points(assignment) for assignment in ASSIGNMENTS}
REFERENCE_CELLS = {assignment: dict(solution_sources(source_notebook(assignment))) for assignment in ASSIGNMENTS}
CATALOGUES = {assignment: importlib.import_module(f"autograder.catalogue.{assignment}") for assignment in ASSIGNMENTS}
HIDDEN = {assignment: importlib.import_module(f"autograder.hidden.{assignment}") for assignment in ASSIGNMENTS}


def _student_id(kind, function_name, label):
    slug = re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_")
    return f"{kind}-{function_name}-{slug}"


def _entries(kind, attribute):
    """[(assignment, student, function name, label, source)] of every entry of the catalogues' `attribute`."""
    return [(assignment, _student_id(kind, function_name, label), function_name, label, source)
            for assignment in ASSIGNMENTS
            for function_name, entries in getattr(CATALOGUES[assignment], attribute).items()
            for label, source in entries]


def _calling_convention_entries():
    """[(assignment, student, function name, label, source)] of the styles generated from the reference solutions
    by calling their callees with keyword arguments (autograder/catalogue/conventions.py)."""
    entries = []
    for assignment in ASSIGNMENTS:
        tests = HIDDEN[assignment].TESTS
        styles = calling_conventions(source_notebook(assignment),
                                     lambda function_name: {name: tests.callee(name)
                                                            for name in tests.callee_names(function_name)})
        entries += [(assignment, _student_id("style", function_name, label), function_name, label, source)
                    for function_name, variants in styles.items() for label, source in variants]
    return entries


CALLING_CONVENTION_ENTRIES = _calling_convention_entries()
STYLE_ENTRIES = _entries("style", "CORRECT_STYLES") + CALLING_CONVENTION_ENTRIES
BUG_ENTRIES = _entries("bug", "BUGS")


def _params(entries):
    return [pytest.param(assignment, student, function_name, id=f"{assignment}-{function_name}-{label}")
            for assignment, student, function_name, label, _ in entries]


def _submission(assignment, release, replaced_function=None, replacement=None):
    """The release notebook with every solution cell holding the reference solution, but `replaced_function`'s
    cell holding `replacement`."""
    notebook = copy.deepcopy(release)
    for cell in notebook["cells"]:
        nbgrader = cell.get("metadata", {}).get("nbgrader", {})
        if nbgrader.get("solution"):
            grade_id = nbgrader["grade_id"]
            cell["source"] = replacement if grade_id == replaced_function else REFERENCE_CELLS[assignment][grade_id]
    return notebook


class ClassScores:
    """{assignment: {student: {grade_id: score}}}: an assignment's catalogue submissions and both anchors,
    autograded in one run the first time a test asks for that assignment; `messages(assignment)` gives
    {student: {function name: the grader's message}} of the same run."""

    def __init__(self, course):
        self.course = course
        self.graded = {}

    def __getitem__(self, assignment):
        return {student: {f"check_{row.function}": row.score for row in rows}
                for student, rows in self._rows(assignment).items()}

    def messages(self, assignment):
        return {student: {row.function: row.message for row in rows} for student, rows in self._rows(assignment).items()}

    def _rows(self, assignment):
        if assignment not in self.graded:
            self.graded[assignment] = {result.student_id: result.rows for result in self._autograde(assignment)}
        return self.graded[assignment]

    def _autograde(self, assignment):
        release = self.course.release_notebook(assignment)
        submissions = {SOLUTION_STUDENT: _submission(assignment, release), BLANK_STUDENT: release}
        for entry_assignment, student, function_name, _, source in STYLE_ENTRIES + BUG_ENTRIES:
            if entry_assignment == assignment:
                submissions[student] = _submission(assignment, release, function_name, source)
        for student, notebook in submissions.items():
            self.course.submit(student, assignment, notebook)
        return self.course.grade_results(assignment)


@pytest.fixture(scope="module")
def scores(course):
    return ClassScores(course)


def _lost_points(assignment, student_scores):
    """{grade_id: (score, max)} of every graded cell that did not get its full points."""
    return {grade_id: (student_scores.get(grade_id), points) for grade_id, points in MAX_POINTS[assignment].items()
            if student_scores.get(grade_id) != points}


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_catalogue_covers_every_function_with_six_bugs_and_two_styles(assignment):
    graded = set(HIDDEN[assignment].HIDDEN_CALLS)
    catalogue = CATALOGUES[assignment]
    assert set(catalogue.CORRECT_STYLES) == graded
    assert set(catalogue.BUGS) == graded
    for function_name in graded:
        assert len(catalogue.CORRECT_STYLES[function_name]) >= 2, function_name
        assert len(catalogue.BUGS[function_name]) >= 6, function_name
    students = [student for entry_assignment, student, *_ in STYLE_ENTRIES + BUG_ENTRIES
                if entry_assignment == assignment]
    assert len(set(students)) == len(students), "two catalogue labels of one function give the same student id"


@pytest.mark.parametrize("function_name, source", [
    pytest.param(function_name, source, id=f"{assignment}-{function_name}-{label}")
    for assignment, _, function_name, label, source in STYLE_ENTRIES + BUG_ENTRIES])
def test_every_catalogue_source_is_one_def_of_its_function(function_name, source):
    compile(source, function_name, "exec")
    assert re.match(rf"def {function_name}\(", source), "a catalogue source is the whole solution cell: one def"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_solution_cell_and_graded_cell_is_known(assignment):
    graded = set(HIDDEN[assignment].HIDDEN_CALLS)
    assert graded <= set(SPECS)
    assert set(REFERENCE_CELLS[assignment]) == graded
    assert set(MAX_POINTS[assignment]) == {f"check_{function_name}" for function_name in graded}


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_hidden_tests_pass_the_reference_solutions(assignment):
    reference = reference_module(assignment)
    for function_name in HIDDEN[assignment].HIDDEN_CALLS:
        HIDDEN[assignment].check(function_name, vars(reference))


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_solution_scores_full_marks(scores, assignment):
    assert _lost_points(assignment, scores[assignment][SOLUTION_STUDENT]) == {}


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_blank_release_scores_zero(scores, assignment):
    assert scores[assignment][BLANK_STUDENT] == {grade_id: 0 for grade_id in MAX_POINTS[assignment]}


@pytest.mark.parametrize("assignment, student, function_name", _params(STYLE_ENTRIES))
def test_correct_style_gets_full_marks(scores, assignment, student, function_name):
    assert _lost_points(assignment, scores[assignment][student]) == {}


@pytest.mark.parametrize("assignment, student, function_name", _params(BUG_ENTRIES))
def test_bug_loses_exactly_its_own_functions_points(scores, assignment, student, function_name):
    own_cell = f"check_{function_name}"
    student_scores = scores[assignment][student]
    assert student_scores[own_cell] == 0, f"the bug is not caught: {own_cell} scores {student_scores[own_cell]}"
    lost_elsewhere = set(_lost_points(assignment, student_scores)) - {own_cell}
    assert lost_elsewhere == set(), f"the bug also costs the points of {sorted(lost_elsewhere)}"


# The visible check, run as a student runs it: in the notebook's own namespace, where the function calls the
# student's own versions of the other functions (here: the reference solutions, and the entry under test).

def _student_namespace(assignment, replaced_function, replacement, monkeypatch):
    """What the notebook defines once its import cell, its given cells and its solution cells have run, with
    `replacement` in `replaced_function`'s solution cell."""
    monkeypatch.syspath_prepend(str(ROOT / "release" / assignment))  # the import cell's dnn_app_utils
    monkeypatch.chdir(ROOT / "release" / assignment)
    with open(source_notebook(assignment), encoding="utf-8") as handle:
        cells = [cell for cell in json.load(handle)["cells"] if cell["cell_type"] == "code"]
    namespace = {}
    for index, cell in enumerate(cells):
        nbgrader = cell["metadata"].get("nbgrader", {})
        source = "".join(cell["source"])
        if nbgrader.get("solution"):
            source = replacement if nbgrader["grade_id"] == replaced_function else source
        elif not (index == 0 or nbgrader.get("locked") and not nbgrader.get("grade")):
            continue  # checks, training runs and plots
        source = "\n".join(line for line in source.splitlines() if not line.startswith("%"))  # IPython magics
        exec(compile(source, f"{assignment} cell {index}", "exec"), namespace)
    return namespace


def _passes_visible_check(assignment, function_name, source, monkeypatch):
    """Whether the check cell of `function_name` ends without an error (a failed check, or the student's code
    raising or warning in it) when `source` is the student's solution of it."""
    namespace = _student_namespace(assignment, function_name, source, monkeypatch)
    try:
        with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings():
            warnings.simplefilter("error")  # the grader counts a warning as an error too
            namespace["check"](function_name, namespace[function_name])
    except Exception:  # CheckFailed, or what the student's code raised
        return False
    return True


@pytest.mark.parametrize("assignment, function_name, source", [
    pytest.param(assignment, function_name, source, id=f"{assignment}-{function_name}-{label}")
    for assignment, _, function_name, label, source in STYLE_ENTRIES])
def test_correct_style_passes_its_visible_check_run_as_a_student_runs_it(assignment, function_name, source,
                                                                        monkeypatch):
    assert _passes_visible_check(assignment, function_name, source, monkeypatch)


@pytest.mark.parametrize("assignment, student, function_name, source", [
    pytest.param(assignment, student, function_name, source, id=f"{assignment}-{function_name}-{label}")
    for assignment, student, function_name, label, source in BUG_ENTRIES])
def test_a_bug_only_a_hidden_test_finds_is_said_to_be_found_by_one(scores, assignment, student, function_name,
                                                                   source, monkeypatch):
    message = scores.messages(assignment)[student][function_name]
    says_hidden = message.startswith(f"{function_name} passes its visible check, but not the hidden test, ")
    assert says_hidden == _passes_visible_check(assignment, function_name, source, monkeypatch), message


def _named_in(message, assignment, function_name):
    return {mistake.id for mistake in CATALOGUES[assignment].BUGS[function_name] if mistake.description in message}


@pytest.mark.parametrize("assignment, student, function_name", _params(BUG_ENTRIES))
def test_the_grade_names_the_bugs_own_mistake(scores, assignment, student, function_name):
    label = next(label for entry_assignment, entry_student, _, label, _ in BUG_ENTRIES
                 if (entry_assignment, entry_student) == (assignment, student))
    mistake = next(mistake for mistake in CATALOGUES[assignment].BUGS[function_name] if mistake.label == label)
    tests = HIDDEN[assignment].TESTS
    reproducible = all(diagnosis.mistake_outcome(tests, function_name, mistake, call) is not None
                       for call in tests.calls(function_name))
    message = scores.messages(assignment)[student][function_name]
    assert _named_in(message, assignment, function_name) == ({mistake.id} if reproducible else set()), message


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_no_mistake_is_named_for_a_correct_style(scores, assignment):
    messages = scores.messages(assignment)
    for _, student, function_name, _, _ in (entry for entry in STYLE_ENTRIES if entry[0] == assignment):
        assert messages[student][function_name] == "" or not _named_in(messages[student][function_name],
                                                                         assignment, function_name)
