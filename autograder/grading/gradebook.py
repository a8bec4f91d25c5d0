"""The instructor's gradebook: each student's grades recorded in one transaction.

Workers execute the submissions (worker.py); each result is recorded here with nbgrader's own
gradebook-writing preprocessors, inside nbgrader's Gradebook API, so that `nbgrader export` and the
formgrader see exactly what grades.csv says. SQLite takes one writer at a time, so the grading process
alone records into it; a database server takes several (`several_writers`), and each worker records
its own students there, in parallel.
"""
import contextlib
import functools
import os
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

import nbgrader.api
from nbgrader.api import BaseCell, Gradebook, GradeCell, MissingEntry, SolutionCell
from nbgrader.preprocessors import AssignLatePenalties, SaveAutoGrades, latesubmissions, saveautogrades
from sqlalchemy.orm.util import identity_key

from ..course import Course, succeeded
from .submission_time import SubmissionTime, submission_time


def several_writers(db_url: str) -> bool:
    """Whether processes may record into the gradebook at the same time: a database server, not an SQLite file."""
    return not db_url.startswith("sqlite:")


@functools.cache
def alembic_head() -> str:
    """The revision nbgrader stamps a new gradebook with, from alembic's API, in this process.

    nbgrader's own get_alembic_version runs `alembic heads` in a subprocess for it: 1.8 s, every time a gradebook
    is created (a course's first, each cluster run's for its workers), against 0.2 s here.
    """
    from alembic.script import ScriptDirectory
    return ScriptDirectory(str(Path(nbgrader.__file__).parent / "alembic")).get_current_head()


def _stamp_in_process():
    """From now on, this process's new gradebooks get alembic_head (the same revision, without the subprocess)."""
    nbgrader.api.get_alembic_version = alembic_head


def register_assignment(course: Course, assignment: str) -> None:
    """Make sure the course's gradebook knows the assignment's notebooks and graded cells.

    nbgrader records them when it generates the release; doing that in a throwaway course folder
    records them without touching release/, and without the hook that writes into source/.
    """
    _stamp_in_process()
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
        with gradebook(course.db_url) as book:
            notebook = book.find_notebook(Path(course.notebook(assignment)).stem, assignment)
            known = {(cell.name, cell.max_score) for cell in notebook.grade_cells}
    except MissingEntry:
        known = set()
    if known != expected:
        register_assignment(course, assignment)


def record_graded(course: Course, assignment: str, student_id: str, notebook, submission_folder: Path,
                  when: SubmissionTime | None = None) -> SubmissionTime:
    """Store the scores of an executed notebook with nbgrader's own gradebook-writing preprocessors (configured
    as the course configures them: its late policy), after recording the submission and its time (for late
    penalties) as nbgrader autograde does, but the time checked against the exchange (submission_time.py):
    `when`, or else submission_time's of `submission_folder`. Returns the SubmissionTime recorded; its notice is
    for the instructor. An unknown time is recorded as none (no late penalty), also over an earlier one."""
    config, db_url = course.config, course.db_url
    notebook_id = Path(course.notebook(assignment)).stem
    if when is None:
        when = submission_time(course, student_id, assignment, submission_folder)
    resources = {"nbgrader": {"db_url": db_url, "assignment": assignment, "student": student_id,
                              "notebook": notebook_id}}
    with one_transaction(db_url) as book:
        book.update_or_create_student(student_id)
        submission = book.update_or_create_submission(assignment, student_id, timestamp=when.timestamp)
        book.load_submission(submission, notebook_id)
        for writer in (SaveAutoGrades, AssignLatePenalties):
            notebook, resources = writer(config=config).preprocess(notebook, resources)
    return when


_opened = {}  # {(db_url, which file): Gradebook}, this process's


def file_of(db_url):
    """Tells an SQLite file from one made later at the same path (a course folder made anew); None otherwise."""
    if not db_url.startswith("sqlite:///"):
        return None
    try:
        status = os.stat(db_url.removeprefix("sqlite:///"))
    except FileNotFoundError:
        return None
    return status.st_dev, status.st_ino


@contextlib.contextmanager
def gradebook(db_url: str):
    """This process's Gradebook of `db_url`, for the block: `with gradebook(url) as book` as `with Gradebook(url)`.

    Opening a Gradebook checks every table and makes a new engine, whose compiled queries are lost when it
    closes: 40 ms on PostgreSQL, more than recording a student takes. So each is opened once per process and
    kept; each block gets a fresh session (whatever it left uncommitted is rolled back at the end). An SQLite
    file's connections end with the block too, so a file replaced meanwhile is never written through them.
    """
    book = _opened.get((db_url, file_of(db_url)))
    if book is None:
        _stamp_in_process()
        book = Gradebook(db_url)
        _opened[(db_url, file_of(db_url))] = book  # asked again: opening a new gradebook made its file
    try:
        yield book
    finally:
        book.db.remove()
        if not several_writers(db_url):  # an SQLite file
            book.engine.dispose()


@contextlib.contextmanager
def one_transaction(db_url):
    """A Gradebook in which everything nbgrader's gradebook writers do inside the block is one transaction.

    nbgrader commits after every cell it scores; a grader killed halfway would leave a half-recorded
    submission. Here their commits do nothing, the writers share this block's session (its autoflush sends
    what a query needs first), and the one commit comes at the end, which sends the rest in a few batched
    statements: a student's grades are recorded whole, or not at all.
    """
    with gradebook(db_url) as book:
        session = book.db()  # this thread's; gradebook() discards it at the end of the block
        session.commit = lambda: None
        recording = _Recording(book)
        with lent_to_nbgrader(NBGRADER_WRITERS, db_url, recording):
            yield recording
        del session.commit
        session.commit()


# nbgrader's preprocessors that write the gradebook each open `Gradebook(db_url)` of their own.
NBGRADER_WRITERS = (saveautogrades, latesubmissions)
_lent = threading.local()  # .books: {(module name, db_url): the Gradebook that module gets in this thread}


def _gradebook_for_nbgrader(module_name, db_url, *args, **kwargs):
    lent = getattr(_lent, "books", {}).get((module_name, db_url))
    return lent if lent is not None else Gradebook(db_url, *args, **kwargs)


@contextlib.contextmanager
def lent_to_nbgrader(modules, db_url, book):
    """For the block, nbgrader's preprocessors of `modules` that open a Gradebook of `db_url` in this thread get
    `book` instead; elsewhere, and in other threads, they open their own as always."""
    books = _lent.__dict__.setdefault("books", {})
    keys = [(module.__name__, db_url) for module in modules]
    before = {key: books.get(key) for key in keys}
    for module, key in zip(modules, keys):
        module.Gradebook = functools.partial(_gradebook_for_nbgrader, module.__name__)
        books[key] = book
    try:
        yield
    finally:
        for key, previous in before.items():
            if previous is None:
                del books[key]
            else:
                books[key] = previous


class _Recording:
    """The block's Gradebook, as nbgrader's writers see it: their `with gradebook:` must not close it, and their
    lookups of the student's grades and comments, one query per cell, come from the submission loaded once.

    load_submission(submission, notebook) loads them, mostly from what the session already holds; a lookup of any
    other cell or student goes to nbgrader's own find_grade or find_comment, as before.
    """

    def __init__(self, book):
        self._book, self._grades, self._comments, self._loaded, self._cells = book, {}, {}, None, []

    def __getattr__(self, name):
        return getattr(self._book, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        return False

    def load_submission(self, submission, notebook):
        """submission: the SubmittedAssignment that update_or_create_submission returned."""
        self._book.db.flush()  # a new submission's grades then find their cells among the loaded ones
        submitted = next(each for each in submission.notebooks if each.name == notebook)
        session, rows = self._book.db, list(submitted.grades) + list(submitted.comments)
        if any(identity_key(BaseCell, row.cell_id) not in session.identity_map for row in rows):
            # The instructor notebook's cells, in one query, held for the block (the session holds what it loaded
            # only while something else does): each row's cell then comes from the session, where SQLAlchemy would
            # load them one query at a time. Making a new submission loaded them already.
            self._cells = session.query(BaseCell).filter(BaseCell.notebook_id == submitted.notebook_id).all()
        # A grade of a grade cell, and a comment of a solution cell, win over a task cell's of the same name,
        # as in nbgrader's lookups.
        self._grades = _by_cell_name(submitted.grades, GradeCell)
        self._comments = _by_cell_name(submitted.comments, SolutionCell)
        self._loaded = (notebook, submission.assignment.name, submission.student.id)

    def find_grade(self, cell, notebook, assignment, student):
        if (notebook, assignment, student) == self._loaded and cell in self._grades:
            return self._grades[cell]
        return self._book.find_grade(cell, notebook, assignment, student)

    def find_comment(self, cell, notebook, assignment, student):
        if (notebook, assignment, student) == self._loaded and cell in self._comments:
            return self._comments[cell]
        return self._book.find_comment(cell, notebook, assignment, student)


def _by_cell_name(rows, preferred):
    rows = sorted(rows, key=lambda row: isinstance(row.cell, preferred))  # the preferred kind last: it stays
    return {row.cell.name: row for row in rows}


def record_ungraded(db_url: str, assignment: str, student_id: str) -> None:
    """A student whose submission could not be graded: known to the gradebook, with no submission (0 points)."""
    with gradebook(db_url) as book:
        book.update_or_create_student(student_id)
        try:
            book.remove_submission(assignment, student_id)
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
    with gradebook(db_url) as book:
        try:
            student = book.find_student(student_id)
        except MissingEntry:
            return Standing()
        try:
            submission = book.find_submission(assignment, student_id)
        except MissingEntry:
            return Standing(full_name(student))
        duedate = submission.assignment.duedate
        return Standing(full_name(student), submission.total_seconds_late, submission.late_submission_penalty or 0.0,
                        f"{duedate:%Y-%m-%d %H:%M} UTC" if duedate else "")
