import pytest

from autograder.environment import NBGRADER_NOISE, prepare_process
from scratch_course import ScratchCourse


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
