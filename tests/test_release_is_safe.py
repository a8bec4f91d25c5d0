"""What students receive holds no solution, no hidden test and nothing from the instructor's side.

The one exception is deliberate: the application's release carries the step-by-step reference
solutions as dnn_app_utils.py (autograder/paths.py, SHARED), so it goes out after that deadline.
"""
import nbformat
import pytest

from autograder.paths import NOTEBOOKS, ROOT, revealed_solutions
from testCases.notebook import solution_sources
from autograder.generators.reference_solutions import MARKERS

RELEASE_FILES = sorted(path for path in (ROOT / "release").rglob("*")
                       if path.is_file() and path.suffix in (".ipynb", ".py", ".json"))


def _given_away(line, hints):
    """Whether the notebook's text `hints` shows `line`: the whole line, or the call it assigns as a code span
    (the application's text says "`L_model_backward(AL, Y, caches)` returns `grads`", so the line
    `grads = L_model_backward(AL, Y, caches)` tells nothing more)."""
    assigned = line.split(" = ", 1)[-1]
    return line in hints or f"`{assigned}`" in hints


def _solution_lines(assignment):
    """The lines between the solution markers of the instructor notebook, long enough to be telling,
    except those the notebook's text gives away on purpose as hints."""
    notebook = ROOT / "source" / assignment / NOTEBOOKS[assignment]
    hints = "\n".join(cell["source"] for cell in nbformat.read(notebook, as_version=4).cells
                      if cell.cell_type == "markdown")
    lines = []
    for _, source in solution_sources(notebook):
        inside = False
        for line in source.splitlines():
            if line.strip() in MARKERS:
                inside = line.strip() == MARKERS[0]
            elif inside and len(line.strip()) > 12 and not _given_away(line.strip(), hints):
                lines.append(line.strip())
    return lines


def test_release_has_files():
    assert RELEASE_FILES


def _released_with(path):
    """The assignment whose release holds `path`."""
    return path.relative_to(ROOT / "release").parts[0]


def test_only_the_application_reveals_solutions_and_only_the_step_by_step_ones():
    assert {assignment: revealed_solutions(assignment) for assignment in NOTEBOOKS} == {
        "step_by_step": [], "application": ["step_by_step"]}


@pytest.mark.parametrize("path", RELEASE_FILES, ids=lambda path: str(path.relative_to(ROOT)))
def test_release_file_holds_no_solution_line(path):
    text = path.read_text(encoding="utf-8")
    kept_secret = [assignment for assignment in NOTEBOOKS if assignment not in revealed_solutions(_released_with(path))]
    leaked = [line for assignment in kept_secret for line in _solution_lines(assignment) if line in text]
    assert not leaked, f"{path} contains solution code: {leaked[:3]}"


@pytest.mark.parametrize("path", RELEASE_FILES, ids=lambda path: str(path.relative_to(ROOT)))
def test_release_file_holds_no_marker_and_no_instructor_import(path):
    text = path.read_text(encoding="utf-8")
    for forbidden in ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "autograder", "hidden_tests"):
        assert forbidden not in text, f"{path} contains {forbidden!r}"
