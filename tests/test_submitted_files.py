"""A submission folder is read without following anything out of it: links, FIFOs, devices, depth and size."""
import os
import threading

import pytest

from autograder.grading.submissions import fingerprint, read_notebook
from autograder.grading.submitted_files import NotRegular, read_regular, walk


@pytest.fixture
def folder(tmp_path):
    """A submission holding a notebook, a link to a file outside, a FIFO and a data file in a subfolder."""
    secret = tmp_path / "instructor.ipynb"
    secret.write_text("solutions")
    submission = tmp_path / "submission"
    (submission / "data").mkdir(parents=True)
    (submission / "work.ipynb").write_text("{}")
    (submission / "data" / "x.csv").write_text("1,2")
    (submission / "submission_secret.txt").symlink_to(secret)
    os.mkfifo(submission / "pipe")
    return submission


def test_the_walk_lists_regular_files_and_reports_links_and_fifos_without_opening_them(folder):
    found = walk(folder)
    assert found.files == ("data/x.csv", "work.ipynb")
    assert [path for path, _ in found.links] == ["submission_secret.txt"]
    assert found.left_out == ("'pipe' is a FIFO: left out",)
    assert "1 link(s) not followed" in found.notice() and "'pipe' is a FIFO" in found.notice()


@pytest.fixture
def deep_folder(tmp_path):
    """A folder nested 1,100 levels deep, a file at the bottom; made and removed a level at a time (Python 3.11's
    rglob, os.walk, os.makedirs and shutil.rmtree recurse, and raise RecursionError here)."""
    levels = [tmp_path / "top"]
    for _ in range(1100):
        levels[-1].mkdir()
        levels.append(levels[-1] / "d")
    (levels[-2] / "bottom.txt").write_text("x")
    yield levels[0]
    (levels[-2] / "bottom.txt").unlink()
    for level in reversed(levels[:-1]):
        level.rmdir()


def test_a_folder_nested_deeper_than_any_recursion_is_walked_and_cut_at_the_depth_limit(deep_folder):
    found = walk(deep_folder)
    assert found.files == () and len(found.left_out) == 1 and "nested more than 32 folders deep" in found.left_out[0]
    assert len(fingerprint(deep_folder)) == 64


def test_too_many_entries_stop_the_walk_with_a_line_saying_so(tmp_path):
    for index in range(30):
        (tmp_path / f"f{index}").write_text("")
    found = walk(tmp_path, max_entries=10)
    assert len(found.files) == 10 and found.left_out == ("more than 10 entries: the rest was left out",)


def test_a_file_too_large_is_left_out_by_the_walk(tmp_path):
    (tmp_path / "big.bin").write_bytes(b"0" * 2000)
    assert walk(tmp_path, max_file_bytes=1000).left_out == ("'big.bin' is 2,000 bytes, more than the 1,000 allowed: "
                                                            "left out",)


@pytest.mark.parametrize("name, what", [("submission_secret.txt", "a link"), ("pipe", "a FIFO"), ("data", "a folder")])
def test_reading_a_link_a_fifo_or_a_folder_is_refused_without_blocking(folder, name, what):
    with pytest.raises(NotRegular) as refused:
        read_regular(folder / name, 1000)
    assert refused.value.what == what


def test_a_link_to_a_device_is_not_read(tmp_path):
    (tmp_path / "timestamp.txt").symlink_to("/dev/zero")
    with pytest.raises(NotRegular, match="a link"):
        read_regular(tmp_path / "timestamp.txt", 100)


def test_reading_is_bounded(tmp_path):
    (tmp_path / "big").write_bytes(b"1" * 5000)
    with pytest.raises(NotRegular, match="5,000 bytes, more than the 100 allowed") as refused:
        read_regular(tmp_path / "big", 100)
    assert refused.value.too_large
    assert read_regular(tmp_path / "big", 5000) == b"1" * 5000


def test_the_fingerprint_counts_a_link_by_its_target_and_never_reads_a_fifo(folder):
    before = fingerprint(folder)
    (folder / "submission_secret.txt").unlink()
    (folder / "submission_secret.txt").symlink_to("/elsewhere")
    assert fingerprint(folder) != before


@pytest.mark.parametrize("make, problem", [
    (lambda path: path.symlink_to("/dev/zero"), "a link, not a notebook: submit the notebook file itself"),
    (lambda path: os.mkfifo(path), "a FIFO, not a notebook: submit the notebook file itself"),
    (lambda path: path.write_text('{"nbformat": ' + "9" * 5000 + "}"), "not a notebook: its JSON cannot be read"),
])
def test_a_notebook_that_is_a_link_a_fifo_or_unreadable_json_is_one_problem(tmp_path, make, problem):
    path = tmp_path / "notebook.ipynb"
    make(path)
    result = []
    reader = threading.Thread(target=lambda: result.append(read_notebook(path)), daemon=True)
    reader.start()
    reader.join(10)
    assert result, "reading the notebook blocked"
    notebook, found = result[0]
    assert notebook is None and found.startswith(problem)
