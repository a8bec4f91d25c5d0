"""Every generated file that is committed is exactly what its generator makes now, on any processor."""
import filecmp
import os
import platform
import subprocess
import sys

import numpy as np
import pytest
from threadpoolctl import threadpool_info

from autograder.generators import visible_expected as expected_generator
from autograder.paths import NOTEBOOKS, ROOT
from autograder.generators.reference_solutions import reference_path, reference_source
from testCases import expected


@pytest.mark.parametrize("assignment", list(NOTEBOOKS))
def test_reference_module_is_built_from_the_instructor_notebook(assignment):
    assert reference_path(assignment).read_text(encoding="utf-8") == reference_source(assignment), \
        "autograder/reference/ is stale: run `make reference`"


def test_visible_expected_values_are_the_reference_outputs(tmp_path):
    expected.dump(expected_generator.settled_outputs(expected_generator.expected_outputs()), tmp_path / "expected.json")
    assert (tmp_path / "expected.json").read_bytes() == expected.EXPECTED_FILE.read_bytes(), \
        "testCases/expected.json is stale: run `make expected`"


def _perturbed(value, rng, relative):
    """`value` (nested arrays, floats, tuples, lists, dicts) with every float moved by about `relative` of itself."""
    if isinstance(value, np.ndarray) and value.dtype.kind == "f":
        return value * (1 + relative * rng.standard_normal(value.shape))
    if isinstance(value, float):
        return value * (1 + relative * rng.standard_normal())
    if isinstance(value, (tuple, list)):
        return type(value)(_perturbed(item, rng, relative) for item in value)
    if isinstance(value, dict):
        return {key: _perturbed(item, rng, relative) for key, item in value.items()}
    return value


@pytest.mark.parametrize("seed", range(5))
def test_expected_values_do_not_depend_on_the_last_digits_of_the_reference_outputs(tmp_path, seed):
    # Another processor's BLAS kernels change the last digits (up to 5e-15 relative, see testCases/expected.py);
    # noise of 1e-13, twenty times more, still regenerates the committed file byte for byte.
    outputs = expected_generator.expected_outputs()
    perturbed = _perturbed(outputs, np.random.default_rng(seed), 1e-13)
    assert not np.array_equal(perturbed["linear_forward"][0][0], outputs["linear_forward"][0][0])
    expected.dump(expected_generator.settled_outputs(perturbed), tmp_path / "expected.json")
    assert (tmp_path / "expected.json").read_bytes() == expected.EXPECTED_FILE.read_bytes(), \
        "testCases/expected.json changes with the last digits of the reference outputs"


def test_a_real_change_of_an_expected_value_is_written(tmp_path):
    # Keeping the stored digits must not hide a change a check could see: 1e-7 is a tenth of the checks' RTOL.
    outputs = expected_generator.expected_outputs()
    moved = _perturbed(outputs, np.random.default_rng(0), 1e-7)
    expected.dump(expected_generator.settled_outputs(moved), tmp_path / "expected.json")
    assert expected.load(tmp_path / "expected.json")["linear_forward"][0][0][0, 0] == \
        expected.stored_float(moved["linear_forward"][0][0][0, 0])


def _blas():
    return next((library for library in threadpool_info() if library["user_api"] == "blas"), {})


@pytest.mark.skipif(platform.machine() not in ("x86_64", "AMD64") or _blas().get("internal_api") != "openblas",
                    reason="switches OpenBLAS's x86-64 kernels")
def test_expected_values_are_the_same_with_another_processors_blas_kernels(tmp_path):
    # OPENBLAS_CORETYPE makes OpenBLAS use the kernels it would pick on an older processor (Prescott's run on
    # every x86-64), which sum in another order than this machine's: what another machine would compute.
    generated = tmp_path / "expected.json"
    program = ("import sys; from threadpoolctl import threadpool_info; from autograder.generators import visible_expected as generator;"
               "from testCases import expected;"
               "expected.dump(generator.settled_outputs(generator.expected_outputs()), sys.argv[1]);"
               "print(next(lib['architecture'] for lib in threadpool_info() if lib['user_api'] == 'blas'))")
    run = subprocess.run([sys.executable, "-c", program, str(generated)], capture_output=True, text=True,
                         env={**os.environ, "OPENBLAS_CORETYPE": "Prescott"}, cwd=ROOT, timeout=300)
    assert run.returncode == 0 and not run.stderr, run.stderr
    if run.stdout.strip() == _blas()["architecture"]:
        pytest.skip(f"this processor already uses OpenBLAS's {run.stdout.strip()} kernels")
    assert generated.read_bytes() == expected.EXPECTED_FILE.read_bytes(), \
        f"testCases/expected.json differs when computed with OpenBLAS's {run.stdout.strip()} kernels"


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


def test_visible_mistakes_and_callee_calls_are_what_make_expected_generates(tmp_path):
    from autograder.generators import visible_mistakes
    from testCases import callees, mistakes

    mistakes.dump(visible_mistakes.visible_mistakes(), tmp_path / "mistakes.json")
    callees.dump(visible_mistakes.visible_callee_calls(), tmp_path / "callees.json")
    assert (tmp_path / "mistakes.json").read_bytes() == mistakes.MISTAKES_FILE.read_bytes(), \
        "testCases/mistakes.json is stale: run `make expected`"
    assert (tmp_path / "callees.json").read_bytes() == callees.CALLEES_FILE.read_bytes(), \
        "testCases/callees.json is stale: run `make expected`"
