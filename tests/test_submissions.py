"""Reading a submitted file never raises: whatever is wrong with it comes back as one line."""
import pytest

from autograder.grading.submissions import read_notebook


@pytest.mark.parametrize("content, problem", [
    (b"\xff\xfe not text", "not a notebook: the file is not UTF-8 text"),
    (b'{"cells": [', "not a notebook: invalid JSON at line 1"),
    (b"[" * 100_000 + b"]" * 100_000, "not a notebook: JSON nested too deeply to read"),
    (b'{"cells": 3}', "not a notebook: "),
])
def test_a_broken_file_gives_its_problem_in_one_line(tmp_path, content, problem):
    path = tmp_path / "submitted.ipynb"
    path.write_bytes(content)
    notebook, found = read_notebook(path)
    assert notebook is None and found.startswith(problem) and "\n" not in found
