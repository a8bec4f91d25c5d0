import pytest

from autograder.environment import NBGRADER_NOISE, prepare_process
from scratch_course import ScratchCourse

ASSIGNMENT = "step_by_step"


def pytest_configure(config):
    """The tests' process is set up as the kit's commands set theirs up; pytest applies its own warning filters
    around each test, so nbgrader's noise is silenced there too."""
    prepare_process()
    for message in NBGRADER_NOISE:
        config.addinivalue_line("filterwarnings", f"ignore:{message}")


pytest_plugins = ["servers"]  # the PostgreSQL and Dask fixtures


@pytest.fixture(scope="session")
def course(tmp_path_factory):
    """A course released from this repository into a temporary folder, shared by the session."""
    return ScratchCourse(tmp_path_factory.mktemp("course"))


@pytest.fixture(params=["sqlite", "postgresql"])
def gradebook_course(request, course, tmp_path):
    """The session's course, but with an empty gradebook of its own of each kind nbgrader supports here, as its
    nbgrader_config.py says, the assignment registered in it."""
    # Imported here: the kit's modules come after prepare_process (pytest_configure), which conftest precedes.
    from autograder.course import Course
    from autograder.grading.gradebook import ensure_registered
    from autograder.grading.gradecells import graded_cells
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'gradebook.db'}"
    else:
        url = request.getfixturevalue("postgres").new_database()
    root = tmp_path / "course"
    root.mkdir()
    for folder in ("source", "release"):
        (root / folder).symlink_to(course.root / folder)
    (root / "nbgrader_config.py").write_text(f"c = get_config()  # noqa: F821\n"
                                             f"load_subconfig({str(course.root / 'nbgrader_config.py')!r})  # noqa: F821\n"
                                             f"c.CourseDirectory.db_url = {url!r}\n")
    own = Course.at(root)
    ensure_registered(own, ASSIGNMENT, graded_cells(own.source_notebook(ASSIGNMENT)))
    return own


@pytest.fixture
def statements():
    """The SQL statements sent to any database while the test runs, each on one line."""
    from sqlalchemy import event
    from sqlalchemy.engine import Engine
    sent = []

    def note(conn, cursor, statement, *args):
        sent.append(" ".join(statement.split()))

    event.listen(Engine, "before_cursor_execute", note)
    yield sent
    event.remove(Engine, "before_cursor_execute", note)
