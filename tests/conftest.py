import pytest

from course import Course

pytest_plugins = ["servers"]  # the PostgreSQL and Dask fixtures


@pytest.fixture(scope="session")
def course(tmp_path_factory):
    """A course released from this repository into a temporary folder, shared by the session."""
    return Course(tmp_path_factory.mktemp("course"))
