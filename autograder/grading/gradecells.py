"""The graded cells of an assignment, read from its instructor notebook."""
from dataclasses import dataclass

import nbformat

from ..paths import source_notebook

TEST_PREFIX = "check_"


def tested_function(grade_id):
    """The graded function a test cell's grade_id names ("check_linear_forward": linear_forward), or None."""
    return grade_id[len(TEST_PREFIX):] if isinstance(grade_id, str) and grade_id.startswith(TEST_PREFIX) else None


def tested_function_of(cell):
    """The graded function a notebook cell's nbgrader metadata says it tests, or None."""
    return tested_function(cell.metadata.get("nbgrader", {}).get("grade_id"))


@dataclass(frozen=True)
class GradedCell:
    grade_id: str  # e.g. "check_linear_forward"
    points: float
    cell_type: str

    @property
    def function(self):
        """The graded function the cell tests: its grade_id without the "check_" prefix."""
        return tested_function(self.grade_id) or self.grade_id


def graded_cells(assignment):
    """Every cell that carries points, in notebook order."""
    notebook = nbformat.read(source_notebook(assignment), as_version=4)
    return [GradedCell(cell.metadata.nbgrader["grade_id"], float(cell.metadata.nbgrader["points"]), cell.cell_type)
            for cell in notebook.cells if cell.metadata.get("nbgrader", {}).get("grade")]
