"""nbgrader's sanitising steps do exactly what they do with their own Gradebook when a grading worker hands them the
instructor notebook it read once, and nbgrader's metadata schema still rejects every bad cell it is shown."""
import copy
import json

import nbformat
import pytest
from nbgrader.api import Gradebook, MissingEntry
from nbgrader.nbgraderformat import SchemaTooOldError, ValidationError, common
from nbgrader.preprocessors import CheckCellMetadata, OverwriteCells, OverwriteKernelspec, checkcellmetadata

from autograder.grading import sanitising
from autograder.grading.sanitising import instructor_notebook, reads_once, remember_valid_metadata

pytestmark = pytest.mark.kernels  # a released course and a database server: left out of make test-fast

ASSIGNMENT = "step_by_step"
NOTEBOOK = "Building_your_Deep_Neural_Network_Step_by_Step"


def _resources(course):
    return {"nbgrader": {"notebook": NOTEBOOK, "assignment": ASSIGNMENT, "student": "ada", "db_url": course.db_url}}


def _sanitised(course, notebook):
    """The notebook after nbgrader's OverwriteKernelspec and OverwriteCells, configured as the course configures them."""
    notebook = copy.deepcopy(notebook)
    for step in (OverwriteKernelspec, OverwriteCells):
        notebook, _ = step(config=course.config)(notebook, _resources(course))
    return notebook


def _tampered(course):
    """A submission that changed what nbgrader restores: a locked cell's text, a grade cell's points and type, the
    kernelspec; and that deleted a graded test cell."""
    notebook = nbformat.read(course.release_notebook(ASSIGNMENT), as_version=4)
    graded = [cell for cell in notebook.cells if cell.metadata.get("nbgrader", {}).get("grade")]
    locked = next(cell for cell in notebook.cells if cell.metadata.get("nbgrader", {}).get("locked"))
    locked.source = "print('my own version of this cell')"
    graded[0].metadata.nbgrader.points = 1000
    graded[1].cell_type = "markdown"
    notebook.metadata.kernelspec = {"name": "ruby", "display_name": "Ruby", "language": "ruby"}
    notebook.cells.remove(graded[2])
    return notebook, locked.metadata.nbgrader.grade_id


def _without_ids(notebook):
    """The notebook's text but for its cells' ids: a cell nbgrader adds back gets a random one."""
    notebook = copy.deepcopy(notebook)
    for cell in notebook.cells:
        cell.pop("id", None)
    return json.dumps(notebook, sort_keys=True)


def test_the_sanitising_steps_restore_a_tampered_submission_as_with_their_own_gradebook(gradebook_course):
    notebook, locked_id = _tampered(gradebook_course)
    own = _sanitised(gradebook_course, notebook)
    with reads_once(gradebook_course.db_url, NOTEBOOK, ASSIGNMENT):
        lent = _sanitised(gradebook_course, notebook)
    assert _without_ids(lent) == _without_ids(own)
    instructors = nbformat.read(gradebook_course.source_notebook(ASSIGNMENT), as_version=4)
    restored = next(cell for cell in lent.cells if cell.metadata.get("nbgrader", {}).get("grade_id") == locked_id)
    assert restored.source == next(cell.source for cell in instructors.cells  # hidden tests and all, as nbgrader does
                                   if cell.metadata.get("nbgrader", {}).get("grade_id") == locked_id)
    assert len(lent.cells) == len(instructors.cells) and lent.metadata.kernelspec.name == "python3"


def test_the_instructor_notebook_answers_lookups_as_nbgraders_gradebook_does(gradebook_course):
    db_url = gradebook_course.db_url
    read = instructor_notebook(db_url, NOTEBOOK, ASSIGNMENT)
    with Gradebook(db_url) as book:
        notebook = book.find_notebook(NOTEBOOK, ASSIGNMENT)
        assert read.kernelspec == notebook.kernelspec
        assert [cell.name for cell in read.solution_cells] == [cell.name for cell in notebook.solution_cells]
        for ours, theirs in ((read.source_cells, notebook.source_cells), (read.grade_cells, notebook.grade_cells),
                             (read.task_cells, notebook.task_cells)):
            assert [vars(cell) for cell in ours] == [{name: getattr(cell, name) for name in vars(ours[0])}
                                                     for cell in theirs]
        for cell in notebook.source_cells:
            ours = read.find_source_cell(cell.name, NOTEBOOK, ASSIGNMENT)
            theirs = book.find_source_cell(cell.name, NOTEBOOK, ASSIGNMENT)
            assert vars(ours) == {name: getattr(theirs, name) for name in vars(ours)}
        for cell in notebook.grade_cells:
            theirs = book.find_graded_cell(cell.name, NOTEBOOK, ASSIGNMENT)
            ours = read.find_graded_cell(cell.name, NOTEBOOK, ASSIGNMENT)
            assert (ours.name, ours.max_score, ours.cell_type) == (theirs.name, theirs.max_score, theirs.cell_type)
        for lookup in ("find_source_cell", "find_graded_cell"):
            with pytest.raises(MissingEntry):
                getattr(book, lookup)("no_such_cell", NOTEBOOK, ASSIGNMENT)
            with pytest.raises(MissingEntry):
                getattr(read, lookup)("no_such_cell", NOTEBOOK, ASSIGNMENT)
    with pytest.raises(MissingEntry):
        read.find_notebook(NOTEBOOK, "another_assignment")


def test_the_instructor_notebook_is_read_once_and_the_steps_then_send_no_query(gradebook_course, statements):
    notebook, _ = _tampered(gradebook_course)
    instructor_notebook(gradebook_course.db_url, NOTEBOOK, ASSIGNMENT)
    assert statements
    statements.clear()
    for _ in range(2):
        with reads_once(gradebook_course.db_url, NOTEBOOK, ASSIGNMENT):
            _sanitised(gradebook_course, notebook)
    assert statements == []
    _sanitised(gradebook_course, notebook)  # outside the block, nbgrader's steps query as always
    assert statements


def test_a_gradebook_made_again_at_the_same_path_is_read_again(tmp_path, gradebook_course):
    if not gradebook_course.db_url.startswith("sqlite:"):
        pytest.skip("a database server's gradebook has no file to be made again")
    path = gradebook_course.db_url.removeprefix("sqlite:///")
    before = instructor_notebook(gradebook_course.db_url, NOTEBOOK, ASSIGNMENT)
    with Gradebook(gradebook_course.db_url) as book:  # the instructor changes the points, then the file is replaced
        book.find_graded_cell(before.grade_cells[0].name, NOTEBOOK, ASSIGNMENT).max_score = 99
        book.db.commit()
    (tmp_path / "copy.db").write_bytes(open(path, "rb").read())
    (tmp_path / "copy.db").replace(path)
    after = instructor_notebook(gradebook_course.db_url, NOTEBOOK, ASSIGNMENT)
    assert after.grade_cells[0].max_score == 99 != before.grade_cells[0].max_score


@pytest.fixture
def remembering(monkeypatch):
    """remember_valid_metadata for the test only: it changes nbgrader's module for the rest of the process."""
    monkeypatch.setattr(checkcellmetadata, "MetadataValidator", checkcellmetadata.MetadataValidator)
    monkeypatch.setattr(sanitising, "_valid_metadata", set())  # remembered by none of the other tests
    remember_valid_metadata()


@pytest.mark.parametrize("bad, error", [({"points": "ten"}, ValidationError), ({"schema_version": 1}, SchemaTooOldError),
                                        ({"grade_id": ""}, ValidationError)],
                         ids=["points-not-a-number", "old-schema", "empty-grade-id"])
def test_nbgraders_schema_rejects_bad_metadata_every_time_it_is_shown(remembering, course, bad, error):
    notebook = nbformat.from_dict(course.release_notebook(ASSIGNMENT))
    for _ in range(2):
        CheckCellMetadata()(copy.deepcopy(notebook), {})  # the released metadata: valid, and remembered so
    _graded_test_cell(notebook).metadata.nbgrader.update(bad)
    for _ in range(2):
        with pytest.raises(error):
            CheckCellMetadata()(copy.deepcopy(notebook), {})


def test_metadata_accepted_on_a_code_cell_is_still_rejected_on_a_markdown_cell(remembering, course):
    notebook = nbformat.from_dict(course.release_notebook(ASSIGNMENT))
    cell = _graded_test_cell(notebook)
    del cell.metadata.nbgrader["cell_type"]  # the same metadata then fits either type of cell
    CheckCellMetadata()(copy.deepcopy(notebook), {})
    cell.cell_type = "markdown"  # nbgrader: a markdown grade cell must be a solution cell too
    with pytest.raises(ValidationError):
        CheckCellMetadata()(copy.deepcopy(notebook), {})


def _graded_test_cell(notebook):
    return next(cell for cell in notebook.cells if cell.metadata.get("nbgrader", {}).get("grade")
                and not cell.metadata.nbgrader.get("solution"))


def test_each_distinct_cell_metadata_is_checked_against_the_schema_once(remembering, course, monkeypatch):
    checked = []
    monkeypatch.setattr(common.jsonschema, "validate", lambda instance, schema: checked.append(instance))
    notebook = nbformat.from_dict(course.release_notebook(ASSIGNMENT))
    for _ in range(3):
        CheckCellMetadata()(copy.deepcopy(notebook), {})
    assert len(checked) == len({json.dumps(cell.metadata.nbgrader, sort_keys=True) for cell in notebook.cells
                                if "nbgrader" in cell.metadata}) > 0
