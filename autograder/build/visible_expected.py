"""Write testCases/expected.json: the reference outputs for the calls the visible checks make.

One file serves every assignment: for each assignment, in course order, the reference module of
its solutions answers the visible calls of its graded functions.
Run `python -m autograder.build.visible_expected` (or `make expected`) after changing a solution or a test case.

The file is the same on every machine: floats are stored rounded (testCases/expected.py), and a value whose
fresh computation agrees with the stored one to within KEEP_RTOL keeps its stored digits, since rounding alone
cannot settle a value that sits on a rounding boundary (the check of linear_activation_forward holds
0.72395654164999..., which another processor's BLAS may compute as ...6500...).
"""
import contextlib
import copy
import io

import numpy as np

from testCases import expected
from testCases.checks import VISIBLE_CALLS

from ..paths import NOTEBOOKS, ROOT
from .reference_solutions import graded_functions, reference_module


def expected_outputs():
    """{function name: [reference output of each visible call]}, for the graded functions of every assignment."""
    outputs = {}
    for assignment in NOTEBOOKS:
        reference = reference_module(assignment)
        for name in graded_functions(assignment):
            # predict prints the accuracy it reaches; that line is for students, not for this file's maker
            with contextlib.redirect_stdout(io.StringIO()):
                outputs[name] = [getattr(reference, name)(*copy.deepcopy(call.args)) for call in VISIBLE_CALLS[name]()]
    return outputs


# Above the stored values' rounding error (5e-10 of a value at 10 significant digits) plus the BLAS kernels'
# differences (5e-15), and a thousand times below the checks' tolerance (testCases/compare.py, RTOL = 1e-6): only
# a change of a solution or a test case moves a value by more.
KEEP_RTOL = 1e-9


def _settled(fresh, stored):
    """`fresh`, with every float that agrees with its counterpart in `stored` to within KEEP_RTOL replaced by it."""
    if isinstance(fresh, np.ndarray) and fresh.dtype.kind == "f":
        if not (isinstance(stored, np.ndarray) and stored.shape == fresh.shape and stored.dtype == fresh.dtype):
            return fresh
        return np.where(np.isclose(fresh, stored, rtol=KEEP_RTOL, atol=0), stored, fresh)
    if isinstance(fresh, float) and isinstance(stored, float):
        return stored if np.isclose(fresh, stored, rtol=KEEP_RTOL, atol=0) else fresh
    if isinstance(fresh, (tuple, list)) and isinstance(stored, (tuple, list)) and len(stored) == len(fresh):
        return type(fresh)(_settled(item, stored_item) for item, stored_item in zip(fresh, stored))
    if isinstance(fresh, dict) and isinstance(stored, dict) and stored.keys() == fresh.keys():
        return {key: _settled(item, stored[key]) for key, item in fresh.items()}
    return fresh


def settled_outputs(outputs, path=expected.EXPECTED_FILE):
    """What `make expected` writes for `outputs`: the values stored in `path` where `outputs` only differs from
    them by less than KEEP_RTOL (another processor's last digits), the new values elsewhere."""
    stored = expected.load(path) if path.exists() else {}
    return {name: _settled(values, stored.get(name)) for name, values in outputs.items()}


def main(argv=None):
    from . import visible_mistakes  # it builds on this module's settling of stored values

    expected.dump(settled_outputs(expected_outputs()))
    for path in (expected.EXPECTED_FILE, *visible_mistakes.write()):
        print(f"wrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
