"""Write testCases/expected.json: the reference outputs for the calls the visible checks make.

One file serves every assignment: for each assignment, in course order, the reference module of
its solutions answers the visible calls of its graded functions.
Run `python -m autograder.expected` (or `make expected`) after changing a solution or a test case.
"""
import contextlib
import copy
import importlib
import io

from testCases import expected
from testCases.checks import VISIBLE_CALLS

from .paths import NOTEBOOKS, ROOT
from .solutions import graded_functions


def reference_module(assignment):
    """The generated module of the assignment's reference solutions (see autograder/solutions.py)."""
    return importlib.import_module(f"{__package__}.reference.{assignment}")


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


def main(argv=None):
    expected.dump(expected_outputs())
    print(f"wrote {expected.EXPECTED_FILE.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
