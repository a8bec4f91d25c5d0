"""What nbgrader's sanitising steps read, read once per worker instead of once per submission.

For every submission, OverwriteKernelspec and OverwriteCells open a Gradebook and look up the instructor notebook
and each of its graded cells (about 50 queries, 30 ms of a worker's 140 ms per submission), and CheckCellMetadata
checks each cell's nbgrader metadata against nbgrader's schema with jsonschema.validate, which checks the schema
itself first every time (11 ms). The instructor notebook does not change while a class is graded, and the
schema's verdict on a metadata dict is a pure function of it; the released cells' metadata recur in every
submission. So, in a grading worker:

- `instructor_notebook` reads the notebook's cells from the gradebook once, into plain data, and `lent_to_nbgrader`
  gives it to those two steps in place of their Gradebook for the block;
- `remember_valid_metadata` makes CheckCellMetadata validate each distinct cell metadata once (with the cell's
  type, which nbgrader's checks also read), with nbgrader's own validator; one that fails is checked, and fails,
  every time.

The steps themselves run unchanged: only what they look up comes from here.
"""
import contextlib
import functools
import json
from dataclasses import dataclass

from nbgrader.api import MissingEntry
from nbgrader.nbgraderformat import MetadataValidator
from nbgrader.preprocessors import checkcellmetadata, overwritecells, overwritekernelspec

from .gradebook import file_of, gradebook, lent_to_nbgrader

NBGRADER_READERS = (overwritecells, overwritekernelspec)  # each opens `Gradebook(db_url)` to read the notebook


@dataclass(frozen=True)
class SourceCell:
    """A cell of the instructor notebook, with the attributes nbgrader's steps read of its SourceCell."""
    name: str
    cell_type: str
    locked: bool
    checksum: str
    source: str


@dataclass(frozen=True)
class SolutionCell:
    """A solution cell: nbgrader's steps read only its name."""
    name: str


@dataclass(frozen=True)
class GradedCell:
    """A grade or task cell, with the attributes nbgrader's steps read of its GradeCell or TaskCell."""
    name: str
    cell_type: str
    max_score: float


@dataclass(frozen=True)
class InstructorNotebook:
    """The instructor notebook as the gradebook knows it, answering the lookups nbgrader's sanitising steps make
    of a Gradebook (find_notebook, find_source_cell, find_graded_cell) as nbgrader's Gradebook answers them."""
    name: str
    assignment: str
    kernelspec: str | None  # JSON text, as nbgrader stores it
    source_cells: tuple  # of SourceCell, in the gradebook's order
    grade_cells: tuple  # of GradedCell
    solution_cells: tuple  # of SolutionCell
    task_cells: tuple  # of GradedCell

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        return False

    def find_notebook(self, name, assignment):
        if (name, assignment) != (self.name, self.assignment):
            raise MissingEntry(f"No such notebook: {assignment}/{name}")
        return self

    def find_source_cell(self, name, notebook, assignment):
        self.find_notebook(notebook, assignment)
        return _named(self.source_cells, name, f"No such source cell: {assignment}/{notebook}/{name}")

    def find_graded_cell(self, name, notebook, assignment):
        """A grade cell of that name, else a task cell, as nbgrader looks them up."""
        self.find_notebook(notebook, assignment)
        return _named(self.grade_cells + self.task_cells, name,
                      f"No such graded cell: {assignment}/{notebook}/{name}")

    @property
    def source_cell_names(self):
        return frozenset(cell.name for cell in self.source_cells)


def _named(cells, name, missing):
    found = next((cell for cell in cells if cell.name == name), None)
    if found is None:
        raise MissingEntry(missing)
    return found


def instructor_notebook(db_url, notebook, assignment) -> InstructorNotebook:
    """The notebook's cells from the gradebook, read once per process and gradebook file; MissingEntry if it has
    no such notebook."""
    return _read(db_url, file_of(db_url), notebook, assignment)


@functools.lru_cache(maxsize=None)
def _read(db_url, _file, notebook, assignment):
    with gradebook(db_url) as book:
        found = book.find_notebook(notebook, assignment)

        def source(cell):
            return SourceCell(cell.name, cell.cell_type, cell.locked, cell.checksum, cell.source)

        def graded(cell):
            return GradedCell(cell.name, cell.cell_type, cell.max_score)

        return InstructorNotebook(notebook, assignment, found.kernelspec,
                                  tuple(map(source, found.source_cells)), tuple(map(graded, found.grade_cells)),
                                  tuple(SolutionCell(cell.name) for cell in found.solution_cells),
                                  tuple(map(graded, found.task_cells)))


@contextlib.contextmanager
def reads_once(db_url, notebook, assignment):
    """For the block, nbgrader's steps in this thread that read `notebook` from the gradebook get it from
    instructor_notebook; with no such notebook in the gradebook, they look for it themselves, as always."""
    try:
        lent = instructor_notebook(db_url, notebook, assignment)
    except MissingEntry:
        yield
        return
    with lent_to_nbgrader(NBGRADER_READERS, db_url, lent):
        yield


_valid_metadata = set()  # (cell type, metadata's JSON text) of the cells nbgrader's schema accepted in this process


class _RememberingValidator(MetadataValidator):
    def validate_cell(self, cell):
        metadata = cell.metadata.get("nbgrader")
        if metadata is None or metadata.get("cell_type", cell.cell_type) != cell.cell_type:
            return super().validate_cell(cell)  # a changed cell type is logged each time, as nbgrader logs it
        key = (cell.cell_type, json.dumps(metadata, sort_keys=True))
        if key not in _valid_metadata:
            super().validate_cell(cell)
            _valid_metadata.add(key)


def remember_valid_metadata():
    """From now on, CheckCellMetadata in this process validates each distinct metadata dict once."""
    checkcellmetadata.MetadataValidator = _RememberingValidator
