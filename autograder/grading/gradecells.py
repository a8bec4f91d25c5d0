"""The graded cells of an assignment, read from its instructor notebook."""
from dataclasses import dataclass

import nbformat


TEST_PREFIX = "check_"


def readable_metadata(cell) -> dict | None:
    """The cell's nbgrader metadata if nbgrader can work with it (a non-empty dict whose grade_id, if it has one,
    is a string), else None: a student may have garbled it."""
    metadata = cell.metadata.get("nbgrader", None)
    if isinstance(metadata, dict) and metadata and isinstance(metadata.get("grade_id", ""), str):
        return metadata
    return None


def grade_id_of(cell) -> str | None:
    """The cell's grade_id; None if it has none, or nbgrader metadata it cannot read."""
    metadata = readable_metadata(cell)
    return metadata.get("grade_id") if metadata else None


def tested_function(grade_id) -> str | None:
    """The graded function a test cell's grade_id names ("check_linear_forward": linear_forward), or None."""
    return grade_id[len(TEST_PREFIX):] if isinstance(grade_id, str) and grade_id.startswith(TEST_PREFIX) else None


def tested_function_of(cell) -> str | None:
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


def graded_cells(source_notebook) -> list:
    """Every cell of the instructor notebook at `source_notebook` that carries points, in notebook order."""
    notebook = nbformat.read(source_notebook, as_version=4)
    return [GradedCell(cell.metadata.nbgrader["grade_id"], float(cell.metadata.nbgrader["points"]), cell.cell_type)
            for cell in notebook.cells if cell.metadata.get("nbgrader", {}).get("grade")]
