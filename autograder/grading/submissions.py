"""Find the submissions of a class and look at each before it is graded.

The layout is nbgrader's: SUBMITTED/<student_id>/<assignment>/<notebook>.ipynb. A submission that
cannot be graded (no folder, no notebook, not a notebook) gets a problem, and a graded cell that a
student deleted, duplicated, retyped or edited gets a notice: both reach the instructor's summary.
"""
import functools
import hashlib
import json
import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from .gradecells import grade_id_of
from .outcomes import one_line, quoted
from .roster import id_problem
from .submitted_files import MAX_FILE_BYTES, NotRegular, open_regular, read_regular, walk



@dataclass
class Submission:
    student_id: str
    folder: Path  # SUBMITTED/<student_id>/<assignment>
    notebook: Path = None  # set when there is a notebook to grade
    problem: tuple = None  # (status, message) when the submission cannot be graded
    notices: list = field(default_factory=list)  # tampering seen in the graded cells
    fingerprint: str = ""  # changes whenever any submitted file changes
    submitted_at: object = None  # its SubmissionTime (submission_time.py), as the grading process found it


class SubmissionsNotFound(Exception):
    """The SUBMITTED folder does not exist or is not a folder."""


def find_submissions(submitted_dir, assignment: str, released: Path) -> list:
    """One Submission per student folder in `submitted_dir`, sorted by student id; `released` is the
    assignment's released notebook, which each submitted one is compared with."""
    submitted_dir = Path(submitted_dir).absolute()  # graders, sandboxes and nbgrader run in other folders
    if not submitted_dir.is_dir():
        raise SubmissionsNotFound(f"{submitted_dir}: no such folder (expected <student_id>/{assignment}/ inside)")
    return [inspect_safely(student_dir.name, student_dir / assignment, assignment, released)
            for student_dir in _student_folders(submitted_dir) if not _refusal(student_dir)]


def refused(submitted_dir) -> list[str]:
    """One line per student folder that is not graded: a link (never followed), or a name that is no safe
    student id, which would reach paths, pages and the gradebook as the student typed it."""
    submitted_dir = Path(submitted_dir).absolute()
    return [f"{submitted_dir}: {_refusal(folder)}" for folder in _student_folders(submitted_dir) if _refusal(folder)]


def _student_folders(submitted_dir):
    return [folder for folder in sorted(Path(submitted_dir).iterdir())
            if folder.is_dir() and not folder.name.startswith(".")]


def _refusal(folder):
    if id_problem(folder.name):
        return id_problem(folder.name)
    if folder.is_symlink():
        return f"student folder {folder.name} is a link, which is never followed: copy the submission itself there"
    return None


def inspect_safely(student_id: str, folder: Path, assignment: str, released: Path) -> Submission:
    """inspect, but whatever goes wrong while reading one submission is that submission's problem only."""
    try:
        return inspect(student_id, folder, assignment, released)
    except Exception as error:  # a submission is any bytes a student chose: no failure may stop the class
        return Submission(student_id, folder, problem=("error", f"{folder}: could not be read "
                                                                f"({type(error).__name__}: {one_line(error, 120)})"))


def inspect(student_id: str, folder: Path, assignment: str, released: Path) -> Submission:
    submission = Submission(student_id, folder, fingerprint=fingerprint(folder))
    expected = folder / released.name
    if folder.is_symlink() or not folder.is_dir():
        submission.problem = ("missing", f"{folder}: no such folder, nothing was submitted for {assignment}")
    elif not os.path.lexists(expected):
        others = sorted(path.name for path in folder.glob("*.ipynb"))
        found = f"; it holds {', '.join(others)}: rename it to {expected.name} to have it graded" if others else ""
        submission.problem = ("missing", f"{folder}: no {expected.name}{found}")
    else:
        notebook, problem = read_notebook(expected)
        if problem:
            submission.problem = ("error", f"{expected}: {problem}")
        else:
            submission.notebook = expected
            submission.notices = tampering(notebook, _released(released))
            left_out = walk(folder).notice()
            submission.notices += [left_out] if left_out else []
    return submission


@functools.lru_cache(maxsize=None)
def _released(path):
    return nbformat.read(path, as_version=4)


def read_notebook(path: Path) -> tuple:
    """(notebook, None), or (None, what is wrong with the file) in a few words."""
    try:
        text = read_regular(path, MAX_FILE_BYTES).decode("utf-8")
        json.loads(text)
    except NotRegular as error:
        if error.too_large:
            return None, f"{error.what}: too large to be this assignment's notebook"
        return None, f"{error.what}, not a notebook: submit the notebook file itself"
    except UnicodeDecodeError:
        return None, "not a notebook: the file is not UTF-8 text"
    except json.JSONDecodeError as error:
        return None, f"not a notebook: invalid JSON at line {error.lineno}, column {error.colno} ({error.msg})"
    except RecursionError:
        return None, "not a notebook: JSON nested too deeply to read"
    except ValueError as error:  # a number of more digits than Python converts (4,300), for one
        return None, f"not a notebook: its JSON cannot be read ({one_line(error, 100)})"
    try:
        # nbformat.reads would also check the notebook against its schema, which only logs what it finds; the
        # worker's nbformat.read checks it anyway, so here it is read and converted only.
        return nbformat.convert(nbformat.reader.reads(text), 4), None
    except Exception as error:  # nbformat raises several types for a JSON file that is not a notebook
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        return None, f"not a notebook: {first_line}"


def fingerprint(folder: Path) -> str:
    """A digest of every submitted file; a link counts by where it points, and is never followed, and what
    the walk leaves out (a FIFO, a folder too deep) by its description."""
    digest = hashlib.sha256()
    if Path(folder).is_symlink() or not Path(folder).is_dir():
        return digest.hexdigest()
    found = walk(folder)
    for name, target in found.links:
        digest.update(os.fsencode(name) + b"\0link\0" + os.fsencode(target) + b"\0")
    for name in found.files:
        try:
            with open_regular(Path(folder) / name, float("inf")) as handle:  # in chunks: it may exceed memory
                digest.update(os.fsencode(name) + b"\0" + hashlib.file_digest(handle, "sha256").digest() + b"\0")
        except (NotRegular, OSError) as error:  # replaced by something else since the walk
            digest.update(os.fsencode(name) + b"\0" + str(error).encode("utf-8", "replace") + b"\0")
    for line in found.left_out:
        digest.update(b"\0left out\0" + line.encode("utf-8", "replace"))
    return digest.hexdigest()


def _graded(notebook):
    return [cell for cell in notebook.cells if cell.metadata.get("nbgrader", {}).get("grade")]


def _grade_ids(notebook):
    return {grade_id_of(cell) for cell in notebook.cells} - {None}


def tampering(submitted, released) -> list[str]:
    """What happened to the released notebook's graded cells in the submitted one, one line each."""
    submitted_cells = [cell for cell in submitted.cells if grade_id_of(cell) is not None]
    counts = Counter(grade_id_of(cell) for cell in submitted_cells)
    last = {grade_id_of(cell): cell for cell in submitted_cells}  # nbgrader grades the last copy
    released_ids = _grade_ids(released)
    notices = [f"a cell claims to be graded cell {quoted(grade_id, 60)}, which the assignment does not have: it was "
               f"run as an ordinary cell" for grade_id in counts if grade_id not in released_ids]
    for original in _graded(released):
        grade_id = original.metadata.nbgrader["grade_id"]
        cell = last.get(grade_id)
        if cell is None:
            notices.append(f"graded cell {grade_id} was deleted or lost its metadata: the instructor's copy was graded")
            continue
        if counts[grade_id] > 1:
            notices.append(f"graded cell {grade_id} appears {counts[grade_id]} times: only the last copy was graded")
        if cell.cell_type != original.cell_type:
            notices.append(f"graded cell {grade_id} was turned into {cell.cell_type}: it was graded as "
                           f"{original.cell_type}")
        elif cell.source != original.source:
            notices.append(f"graded cell {grade_id} was edited: the instructor's version was graded")
        elif not cell.metadata.nbgrader.get("grade"):
            notices.append(f"graded cell {grade_id} lost its points in the metadata: it was graded as released")
    return notices
