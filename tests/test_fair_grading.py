"""Fair grading, end to end: real nbgrader autograde of one submission per catalogue entry.

Every submission is the full solution with one solution cell replaced: by a correct solution in
another style, which must earn full marks, or by a typical bug, which must cost exactly the points
of its own function (the hidden tests grade every other function with the reference versions of
what it calls). The full solution and the blank release are the two anchors.
"""
import copy
import json
import re

import pytest

from autograder.paths import source_notebook
from autograder.catalogue.step_by_step import BUGS, CORRECT_STYLES
from testCases import SPECS
from testCases.notebook import solution_sources

ASSIGNMENT = "step_by_step"
INSTRUCTOR_NOTEBOOK = source_notebook(ASSIGNMENT)

SOLUTION_STUDENT = "anchor-full-solution"
BLANK_STUDENT = "anchor-blank-release"


def _max_points():
    """{grade_id: points} of every graded cell, as the instructor notebook's nbgrader metadata says."""
    with open(INSTRUCTOR_NOTEBOOK, encoding="utf-8") as handle:
        cells = json.load(handle)["cells"]
    return {cell["metadata"]["nbgrader"]["grade_id"]: cell["metadata"]["nbgrader"]["points"]
            for cell in cells if cell.get("metadata", {}).get("nbgrader", {}).get("grade")}


MAX_POINTS = _max_points()
REFERENCE_CELLS = dict(solution_sources(INSTRUCTOR_NOTEBOOK))


def _student_id(kind, function_name, label):
    slug = re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_")
    return f"{kind}-{function_name}-{slug}"


def _entries(kind, catalogue):
    return [(_student_id(kind, function_name, label), function_name, label, source)
            for function_name, entries in catalogue.items() for label, source in entries]


STYLE_ENTRIES = _entries("style", CORRECT_STYLES)
BUG_ENTRIES = _entries("bug", BUGS)


def _params(entries):
    return [pytest.param(student, function_name, id=f"{function_name}-{label}")
            for student, function_name, label, _ in entries]


def _submission(release, replaced_function=None, replacement=None):
    """The release notebook with every solution cell holding the reference solution, but `replaced_function`'s
    cell holding `replacement`."""
    notebook = copy.deepcopy(release)
    for cell in notebook["cells"]:
        nbgrader = cell.get("metadata", {}).get("nbgrader", {})
        if nbgrader.get("solution"):
            grade_id = nbgrader["grade_id"]
            cell["source"] = replacement if grade_id == replaced_function else REFERENCE_CELLS[grade_id]
    return notebook


@pytest.fixture(scope="module")
def scores(course):
    """{student: {grade_id: score}}: every catalogue submission and both anchors, autograded in one run."""
    release = course.release_notebook(ASSIGNMENT)
    submissions = {SOLUTION_STUDENT: _submission(release), BLANK_STUDENT: release}
    for student, function_name, _, source in STYLE_ENTRIES + BUG_ENTRIES:
        submissions[student] = _submission(release, function_name, source)
    for student, notebook in submissions.items():
        course.submit(student, ASSIGNMENT, notebook)
    return course.autograde(ASSIGNMENT, list(submissions))


def _lost_points(student_scores):
    """{grade_id: (score, max)} of every graded cell that did not get its full points."""
    return {grade_id: (student_scores.get(grade_id), points) for grade_id, points in MAX_POINTS.items()
            if student_scores.get(grade_id) != points}


def test_catalogue_covers_every_function_with_four_bugs_and_two_styles():
    assert set(CORRECT_STYLES) == set(SPECS)
    assert set(BUGS) == set(SPECS)
    for function_name in SPECS:
        assert len(CORRECT_STYLES[function_name]) >= 2, function_name
        assert len(BUGS[function_name]) >= 4, function_name
    students = [student for student, *_ in STYLE_ENTRIES + BUG_ENTRIES]
    assert len(set(students)) == len(students), "two catalogue labels of one function give the same student id"


@pytest.mark.parametrize("function_name, source", [
    pytest.param(function_name, source, id=f"{function_name}-{label}")
    for catalogue in (CORRECT_STYLES, BUGS) for function_name, entries in catalogue.items()
    for label, source in entries])
def test_every_catalogue_source_is_one_def_of_its_function(function_name, source):
    compile(source, function_name, "exec")
    assert re.match(rf"def {function_name}\(", source), "a catalogue source is the whole solution cell: one def"


def test_every_solution_cell_and_graded_cell_is_known():
    assert set(REFERENCE_CELLS) == set(SPECS)
    assert set(MAX_POINTS) == {f"check_{function_name}" for function_name in SPECS}


def test_solution_scores_full_marks(scores):
    assert _lost_points(scores[SOLUTION_STUDENT]) == {}


def test_blank_release_scores_zero(scores):
    assert scores[BLANK_STUDENT] == {grade_id: 0 for grade_id in MAX_POINTS}


@pytest.mark.parametrize("student, function_name", _params(STYLE_ENTRIES))
def test_correct_style_gets_full_marks(scores, student, function_name):
    assert _lost_points(scores[student]) == {}


@pytest.mark.parametrize("student, function_name", _params(BUG_ENTRIES))
def test_bug_loses_exactly_its_own_functions_points(scores, student, function_name):
    own_cell = f"check_{function_name}"
    assert scores[student][own_cell] == 0, f"the bug is not caught: {own_cell} scores {scores[student][own_cell]}"
    lost_elsewhere = set(_lost_points(scores[student])) - {own_cell}
    assert lost_elsewhere == set(), f"the bug also costs the points of {sorted(lost_elsewhere)}"
