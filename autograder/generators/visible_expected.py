"""Write testCases/expected.json: the reference outputs for the calls the visible checks make.

One file serves every assignment: for each assignment, in course order, the reference module of
its solutions answers the visible calls of its graded functions.
Run `python -m autograder.generators.visible_expected` (or `make expected`) after changing a solution or a test case.

The file is the same on every machine: floats are stored rounded (testCases/expected.py), and a value whose
fresh computation agrees with the stored one keeps its stored digits (settling.py).
"""
import contextlib
import copy
import io

import numpy as np

from testCases import expected
from testCases.checks import VISIBLE_CALLS

from ..paths import NOTEBOOKS, ROOT
from . import visible_mistakes
from .reference_solutions import graded_functions, reference_module
from .settling import settled


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


def settled_outputs(outputs, path=expected.EXPECTED_FILE):
    """What `make expected` writes for `outputs`: the values stored in `path` where `outputs` only differs from
    them by less than KEEP_RTOL (another processor's last digits), the new values elsewhere."""
    stored = expected.load(path) if path.exists() else {}
    return {name: settled(values, stored.get(name)) for name, values in outputs.items()}


def main(argv=None):
    expected.dump(settled_outputs(expected_outputs()))
    for path in (expected.EXPECTED_FILE, *visible_mistakes.write()):
        print(f"wrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
