"""Write testCases/expected.json: the reference outputs for the calls the visible checks make.

Run `python -m autograder.expected` (or `make expected`) after changing a solution or a test case.
"""
import copy

from testCases import expected
from testCases.checks import VISIBLE_CALLS

from .paths import ROOT
from .reference import step_by_step as reference


def expected_outputs():
    """{function name: [reference output of each visible call]}."""
    return {name: [getattr(reference, name)(*copy.deepcopy(call.args)) for call in calls()]
            for name, calls in VISIBLE_CALLS.items()}


def main(argv=None):
    expected.dump(expected_outputs())
    print(f"wrote {expected.EXPECTED_FILE.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
