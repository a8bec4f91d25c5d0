"""The kit's nbgrader preprocessors, called directly on notebooks built here (no kernel, no gradebook)."""
import nbformat
import pytest

from autograder.grading.outcomes import with_verdicts
from autograder.grading.preprocessors import DropMalformedGradingMetadata
from autograder.grading.outcomes import Verdict


def _notebook(*metadata):
    return nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1", metadata=dict(item))
                                           for item in metadata])


GRADED = {"nbgrader": {"grade": True, "grade_id": "check_linear_forward", "points": 5, "solution": False,
                       "locked": True, "schema_version": 3}}


@pytest.mark.parametrize("metadata", [{"nbgrader": "graded"}, {"nbgrader": {}}, {"nbgrader": {"grade_id": 7}},
                                      {"nbgrader": ["grade_id"]}, {"nbgrader": None}],
                         ids=["a string", "empty", "a number for grade_id", "a list", "null"])
def test_grading_metadata_nbgrader_cannot_read_is_dropped(metadata):
    notebook, _ = DropMalformedGradingMetadata().preprocess(_notebook(metadata, GRADED), {})
    assert "nbgrader" not in notebook.cells[0].metadata
    assert notebook.cells[1].metadata == GRADED


def test_a_grade_id_the_instructor_notebook_lacks_is_dropped_and_known_ones_stay(monkeypatch):
    from autograder.grading import preprocessors
    monkeypatch.setattr(preprocessors, "_known_grade_ids", lambda resources: frozenset({"check_linear_forward"}))
    made_up = {"nbgrader": {**GRADED["nbgrader"], "grade_id": "check_extra_credit"}}
    notebook, _ = DropMalformedGradingMetadata().preprocess(_notebook(made_up, GRADED), {})
    assert "nbgrader" not in notebook.cells[0].metadata
    assert notebook.cells[1].metadata == GRADED


def test_verdicts_replace_what_the_graded_cells_printed():
    notebook = _notebook(GRADED, {"nbgrader": {**GRADED["nbgrader"], "grade_id": "check_linear_backward"}}, {})
    for cell in notebook.cells:
        cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="All checks passed.\n")]
    verdicts = {"linear_forward": Verdict("passed"), "linear_backward": Verdict("failed", "dW is wrong")}
    cells = with_verdicts(notebook, verdicts).cells
    assert cells[0].outputs == []
    assert [(output.output_type, output.ename, output.evalue) for output in cells[1].outputs] == \
        [("error", "Grader: failed", "dW is wrong")]
    assert cells[2].outputs[0].text == "All checks passed.\n"  # not a graded cell: left as it is
