"""nbgrader preprocessors the course adds to nbgrader's own pipeline (see nbgrader_config.py)."""
import nbformat
from nbclient.exceptions import DeadKernelError
from nbgrader import utils
from nbgrader.preprocessors import Execute, NbGraderPreprocessor


class DropEmptyGradingMetadata(NbGraderPreprocessor):
    """Remove the empty `nbgrader` metadata that DeduplicateIds leaves on a duplicated graded cell.

    nbgrader 0.9 keeps the last copy of a duplicated cell and empties the metadata of the others;
    OverwriteCells then fails on the empty metadata when add_missing_cells is on, and the whole
    submission goes ungraded. Without the empty metadata, the extra copies are ordinary cells.
    """

    def preprocess_cell(self, cell, resources, cell_index):
        if cell.metadata.get("nbgrader", None) == {}:
            del cell.metadata["nbgrader"]
        return cell, resources


class ExecuteUntilKernelDies(Execute):
    """nbgrader's Execute, but a kernel that dies costs only the cells it did not run.

    nbgrader gives a graded cell without output full marks, and a dead kernel makes it drop the
    whole submission. Here the cells that ran keep their outputs, and every graded cell that did
    not run gets an error output instead, so it scores zero and says why.
    """

    def preprocess(self, nb, resources=None, km=None):
        try:
            return super().preprocess(nb, resources, km=km)
        except DeadKernelError:
            for cell in nb.cells:
                if cell.cell_type == "code" and cell.get("execution_count") is None and utils.is_grade(cell):
                    cell.outputs = [nbformat.v4.new_output(
                        "error", ename="DeadKernelError", evalue="the kernel died before this cell ran",
                        traceback=["DeadKernelError: the kernel died before this cell ran"])]
            return nb, resources
