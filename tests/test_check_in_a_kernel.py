"""The visible check as a student meets it: its output, rendered by a real kernel, shows one line per problem and
nothing of the kit's internals, and the cell still ends in an error (so Run All stops and nbgrader counts it)."""
import shutil

import nbclient
import nbformat
import pytest

from autograder.paths import RELEASE

pytestmark = pytest.mark.kernels

CELLS = [
    "import numpy as np\nfrom testCases import check",
    "def linear_backward(dZ, cache):\n    raise NotImplementedError()",
    'check("linear_backward", linear_backward)',
    "def linear_forward(A, W, b):\n    Z = A.no_such_attribute\n    return Z, (A, W, b)",
    'check("linear_forward", linear_forward)',
]


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    """[outputs of each cell] of the little notebook, executed in a copy of the step-by-step release."""
    folder = tmp_path_factory.mktemp("student") / "step_by_step"
    shutil.copytree(RELEASE / "step_by_step", folder)
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source) for source in CELLS])
    nbclient.NotebookClient(notebook, timeout=120, kernel_name="python3", allow_errors=True,
                            extra_arguments=["--IPKernelApp.log_level=ERROR"],
                            resources={"metadata": {"path": str(folder)}}).execute()
    return [cell.outputs for cell in notebook.cells]


def _rendered(cell_outputs):
    """(stdout, [traceback lines], ename) of one cell."""
    stdout = "".join(output.text for output in cell_outputs if output.output_type == "stream")
    errors = [output for output in cell_outputs if output.output_type == "error"]
    assert len(errors) == 1, cell_outputs
    return stdout, errors[0].traceback, errors[0].ename


def test_a_function_not_written_yet_shows_one_line_and_one_error_line(outputs):
    stdout, traceback, ename = _rendered(outputs[2])
    assert stdout.splitlines() == ["Checking linear_backward:", "  \u2718 linear_backward is not written yet: "
                                   "replace raise NotImplementedError() with your code"]
    assert traceback == ["CheckFailed: linear_backward is not written yet"]
    assert ename == "CheckFailed"


def test_the_students_own_exception_shows_the_students_frames_only(outputs):
    stdout, traceback, ename = _rendered(outputs[4])
    assert ("\u2718 linear_forward raised AttributeError: 'numpy.ndarray' object has no attribute "
            "'no_such_attribute'") in stdout
    text = "\n".join(traceback)
    assert "in linear_forward" in text and "Z = A.no_such_attribute" in text
    assert "testCases" not in text and "checks.py" not in text
    assert len(traceback) <= 6, text
    assert ename == "CheckFailed"
