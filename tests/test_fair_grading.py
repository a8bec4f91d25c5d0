"""Fair grading, end to end: the grade command (sandboxed kernels, nbgrader's pipeline) on one submission
per catalogue entry, for every assignment.

Every submission is the full solution with one solution cell replaced: by a correct solution in
another style, which must earn full marks, or by a typical bug, which must cost exactly the points
of its own function (the hidden tests grade every other function with the reference versions of
what it calls). The full solution and the blank release are the two anchors.
"""
import copy
import importlib
import json
import re

import pytest

from autograder.catalogue.conventions import calling_conventions
from autograder.expected import reference_module
from autograder.paths import NOTEBOOKS, source_notebook
from testCases import SPECS
from testCases.notebook import solution_sources

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
    autograded in one run the first time a test asks for that assignment."""

    def __init__(self, course):
        self.course = course
        self.graded = {}

    def __getitem__(self, assignment):
        if assignment not in self.graded:
            self.graded[assignment] = self._autograde(assignment)
        return self.graded[assignment]

    def _autograde(self, assignment):
        release = self.course.release_notebook(assignment)
        submissions = {SOLUTION_STUDENT: _submission(assignment, release), BLANK_STUDENT: release}
        for entry_assignment, student, function_name, _, source in STYLE_ENTRIES + BUG_ENTRIES:
            if entry_assignment == assignment:
                submissions[student] = _submission(assignment, release, function_name, source)
        for student, notebook in submissions.items():
            self.course.submit(student, assignment, notebook)
        return self.course.grade(assignment)


@pytest.fixture(scope="module")
def scores(course):
    return ClassScores(course)


def _lost_points(assignment, student_scores):
    """{grade_id: (score, max)} of every graded cell that did not get its full points."""
    return {grade_id: (student_scores.get(grade_id), points) for grade_id, points in MAX_POINTS[assignment].items()
            if student_scores.get(grade_id) != points}


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_catalogue_covers_every_function_with_four_bugs_and_two_styles(assignment):
    graded = set(HIDDEN[assignment].HIDDEN_CALLS)
    catalogue = CATALOGUES[assignment]
    assert set(catalogue.CORRECT_STYLES) == graded
    assert set(catalogue.BUGS) == graded
    for function_name in graded:
        assert len(catalogue.CORRECT_STYLES[function_name]) >= 2, function_name
        assert len(catalogue.BUGS[function_name]) >= 4, function_name
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
