"""Every generated file that is committed is exactly what its generator makes now."""
import filecmp

import pytest

from autograder import expected as expected_generator
from autograder.paths import NOTEBOOKS, ROOT
from autograder.solutions import reference_path, reference_source
from testCases import expected


@pytest.mark.parametrize("assignment", list(NOTEBOOKS))
def test_reference_module_is_built_from_the_instructor_notebook(assignment):
    assert reference_path(assignment).read_text(encoding="utf-8") == reference_source(assignment), \
        "autograder/reference/ is stale: run `make reference`"


def test_visible_expected_values_are_the_reference_outputs(tmp_path):
    expected.dump(expected_generator.expected_outputs(), tmp_path / "expected.json")
    assert (tmp_path / "expected.json").read_bytes() == expected.EXPECTED_FILE.read_bytes(), \
        "testCases/expected.json is stale: run `make expected`"


def _files(folder):
    return sorted(path.relative_to(folder) for path in folder.rglob("*")
                  if path.is_file() and "__pycache__" not in path.parts)


@pytest.mark.parametrize("assignment", list(NOTEBOOKS))
def test_committed_release_is_what_make_release_generates(course, assignment):
    generated, committed = course.root / "release" / assignment, ROOT / "release" / assignment
    assert _files(committed) == _files(generated), "release/ is stale: run `make release`"
    differing = [str(path) for path in _files(generated) if not filecmp.cmp(generated / path, committed / path,
                                                                               shallow=False)]
    assert not differing, f"release/ is stale (differs: {differing}): run `make release`"
