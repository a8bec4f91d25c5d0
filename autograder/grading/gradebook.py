"""The instructor's gradebook, written by one process only.

Workers execute the submissions (worker.py); the parent then records each result here with
nbgrader's own gradebook-writing preprocessors, inside nbgrader's Gradebook API, so that
`nbgrader export` and the formgrader see exactly what grades.csv says.
"""
import contextlib
import tempfile
from dataclasses import dataclass
from pathlib import Path
from unittest import mock

from nbgrader.api import Gradebook, MissingEntry
from nbgrader.coursedir import CourseDirectory
from nbgrader.preprocessors import AssignLatePenalties, SaveAutoGrades, latesubmissions, saveautogrades

from ..course import Course, succeeded


def register_assignment(course: Course, assignment: str) -> None:
    """Make sure the course's gradebook knows the assignment's notebooks and graded cells.

    nbgrader records them when it generates the release; doing that in a throwaway course folder
    records them without touching release/, and without the hook that writes into source/.
    """
    with tempfile.TemporaryDirectory() as scratch:
        (Path(scratch) / "source").mkdir()
        (Path(scratch) / "source" / assignment).symlink_to(course.source_dir(assignment))
        api = course.api(CourseDirectory={"root": scratch, "db_url": course.db_url},
                         GenerateAssignment={"pre_convert_hook": None})
        succeeded(api.generate_assignment(assignment, force=True, create=True), f"generate_assignment {assignment}")


def ensure_registered(course: Course, assignment: str, graded: list) -> None:
    """Register the assignment unless the gradebook already knows exactly its graded cells and points."""
    expected = {(cell.grade_id, cell.points) for cell in graded}
    try:
        with Gradebook(course.db_url) as gradebook:
            notebook = gradebook.find_notebook(Path(course.notebook(assignment)).stem, assignment)
            known = {(cell.name, cell.max_score) for cell in notebook.grade_cells}
    except MissingEntry:
        known = set()
    if known != expected:
        register_assignment(course, assignment)


def record_graded(course: Course, assignment: str, student_id: str, notebook, submission_folder: Path) -> None:
    """Store the scores of an executed notebook with nbgrader's own gradebook-writing preprocessors (configured
    as the course configures them: its late policy), after recording the submission and its timestamp.txt (for
    late penalties) as nbgrader autograde does."""
    config, db_url = course.config, course.db_url
    timestamp = CourseDirectory(config=config).get_existing_timestamp(str(submission_folder))
    resources = {"nbgrader": {"db_url": db_url, "assignment": assignment, "student": student_id,
                              "notebook": Path(course.notebook(assignment)).stem}}
    with one_transaction(db_url) as gradebook:
        gradebook.update_or_create_student(student_id)
        if timestamp:
            gradebook.update_or_create_submission(assignment, student_id, timestamp=timestamp)
        else:
            gradebook.update_or_create_submission(assignment, student_id)
        for writer in (SaveAutoGrades, AssignLatePenalties):
            notebook, resources = writer(config=config).preprocess(notebook, resources)


@contextlib.contextmanager
def one_transaction(db_url):
    """A Gradebook in which everything nbgrader's gradebook writers do inside the block is one transaction.

    nbgrader commits after every cell it scores; a grader killed halfway would leave a half-recorded
    submission. Here their commits only flush, the writers share this block's session, and the one
    commit comes at the end: a student's grades are recorded whole, or not at all.
    """
    gradebook = Gradebook(db_url)
    session = gradebook.db
    commit, session.commit = session.commit, session.flush
    shared = _Shared(gradebook)
    try:
        with mock.patch.object(saveautogrades, "Gradebook", lambda url: shared), \
                mock.patch.object(latesubmissions, "Gradebook", lambda url: shared):
            yield gradebook
        commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        gradebook.close()


class _Shared:
    """The block's Gradebook, for nbgrader's writers: their `with gradebook:` must not close it."""

    def __init__(self, gradebook):
        self._gradebook = gradebook

    def __getattr__(self, name):
        return getattr(self._gradebook, name)

    def __enter__(self):
        return self._gradebook

    def __exit__(self, *exc_info):
        return False


def record_ungraded(db_url: str, assignment: str, student_id: str) -> None:
    """A student whose submission could not be graded: known to the gradebook, with no submission (0 points)."""
    with Gradebook(db_url) as gradebook:
        gradebook.update_or_create_student(student_id)
        try:
            gradebook.remove_submission(assignment, student_id)
        except MissingEntry:
            pass


@dataclass(frozen=True)
class Standing:
    """What the gradebook knows of a student's submission beyond the kit's verdicts."""
    name: str = ""  # "First Last" from the roster; empty when the gradebook has no name
    seconds_late: float = 0.0  # after the due date (and any extension), as nbgrader counts it
    penalty: float = 0.0  # points nbgrader's late-submission policy takes off
    duedate: str = ""  # the assignment's due date, UTC, as nbgrader stores it


def full_name(student):
    return " ".join(part for part in (student.first_name, student.last_name) if part)


def standing(db_url: str, assignment: str, student_id: str) -> Standing:
    """The student's Standing on `assignment`; an empty one when the gradebook knows neither."""
    with Gradebook(db_url) as gradebook:
        try:
            student = gradebook.find_student(student_id)
        except MissingEntry:
            return Standing()
        try:
            submission = gradebook.find_submission(assignment, student_id)
        except MissingEntry:
            return Standing(full_name(student))
        duedate = submission.assignment.duedate
        return Standing(full_name(student), submission.total_seconds_late, submission.late_submission_penalty or 0.0,
                        f"{duedate:%Y-%m-%d %H:%M} UTC" if duedate else "")
