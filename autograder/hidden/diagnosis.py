"""Name the typical mistake behind a wrong answer in the grader's verdict.

The grader runs each catalogue mistake of the graded function (autograder/catalogue/, BUGS) on the same calls as
the student's function, in its own process: the mistake's solution cell is executed in a namespace like the
notebook's, where `np` and the function's callees are the reference versions (as the stubs answer them while the
student's function is graded). A mistake whose outcomes agree with the student's is named (testCases/mistakes.py
chooses). Each outcome is computed once per process, as the reference's expected values are.
"""
import contextlib
import copy
import importlib
import io
import warnings

import numpy as np

from testCases.checks import SPECS, same_outcome
from testCases.compare import mismatch
from testCases.diagnosis import Answer, explain
from testCases.mistakes import KnownMistake, Outcome

from ..kernel import in_kernel
from ..grading.outcomes import quoted

_OUTCOMES = {}  # {(reference module, mistake id, call description): Outcome or None}


def catalogue_mistakes(tests, function_name):
    """The catalogue's Mistakes of `function_name`, for the assignment whose reference `tests` grade with, then
    its variants of the reference (autograder/catalogue/variants.py)."""
    assignment = tests.reference.__name__.rsplit(".", 1)[-1]
    catalogue = importlib.import_module(f"{__package__.rsplit('.', 1)[0]}.catalogue.{assignment}")
    return catalogue.BUGS.get(function_name, []) + getattr(catalogue, "VARIANTS", {}).get(function_name, [])


def call_quietly(function, args):
    """function(*args), its prints and warnings discarded, as in the student's kernel, where a warning is only a
    note."""
    with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return function(*args)


def run(function, function_name, call):
    """The Outcome of `function` on a copy of `call.args` (call_quietly)."""
    args = copy.deepcopy(call.args)
    try:
        output = call_quietly(function, args)
    except Exception as error:
        return Outcome(raised=(type(error).__name__, str(error)[:500]))
    changed = any(mismatch(name, original, after) for name, original, after
                  in zip(SPECS[function_name].arguments, call.args, args))
    return Outcome(output=output, args_after=tuple(args) if changed else None)


def _run_mistake(tests, function_name, mistake, call):
    namespace = {"np": np}
    namespace.update({name: tests.callee(name) for name in tests.callee_names(function_name)})
    exec(compile(mistake.source, f"<mistake {mistake.id}>", "exec"), namespace)
    return run(namespace[function_name], function_name, call)


def mistake_outcome(tests, function_name, mistake, call):
    """The Outcome of `mistake` on `call`, or None when it depends on NumPy's global random state (a missing seed):
    it is run twice from two seeds, and the process's random state is restored."""
    key = (tests.reference.__name__, mistake.id, call.description)
    if key not in _OUTCOMES:
        state = np.random.get_state()
        try:
            outcomes = []
            for seed in (101, 202):
                np.random.seed(seed)
                outcomes.append(_run_mistake(tests, function_name, mistake, call))
        finally:
            np.random.set_state(state)
        _OUTCOMES[key] = outcomes[0] if same_outcome(function_name, call, *outcomes) else None
    return _OUTCOMES[key]


def known_mistakes(tests, function_name, calls, candidates=None):
    """[KnownMistake] of `function_name`'s catalogue mistakes (or only those in `candidates`) on `calls`."""
    return [KnownMistake(mistake.id, mistake.description,
                         tuple(mistake_outcome(tests, function_name, mistake, call) for call in calls))
            for mistake in catalogue_mistakes(tests, function_name)
            if candidates is None or mistake.id in candidates]


def _student_outcome(result):
    """The Outcome of one call as the kernel reported it (in_kernel's result message); None if unreadable."""
    try:
        if result.get("op") == "raised":
            return Outcome(raised=(str(result.get("type")), str(result.get("message"))))
        if result.get("op") == "returned":
            return Outcome(output=in_kernel.decode(result.get("output")),
                           args_after=tuple(in_kernel.decode(result.get("args"))))
    except (in_kernel.MalformedMessage, TypeError):
        pass
    return None


def _is_wrong(tests, function_name, call, outcome):
    if outcome is None or outcome.raised is not None:
        return True
    return bool(tests.problems(function_name, call, outcome.output, list(outcome.args_after)))


def name_mistake(tests, function_name, calls, results, parameters=None):
    """The testCases.diagnosis.Cause that explains the student's `results` (the kernel's result message of each
    call), or None. parameters: the names of the student's function's parameters, as the kernel reported them."""
    actual = [_student_outcome(result if isinstance(result, dict) else {}) for result in results]
    if None in actual:
        return None
    wrong = [_is_wrong(tests, function_name, call, outcome) for call, outcome in zip(calls, actual)]
    if True not in wrong:
        return None
    first = wrong.index(True)

    def same(index, expected, outcome):
        return same_outcome(function_name, calls[index], expected, outcome)

    # Only mistakes that agree on the first wrong call can explain the answer: run the others on that call alone.
    candidates = {mistake.id for mistake in catalogue_mistakes(tests, function_name)
                  if (outcome := mistake_outcome(tests, function_name, mistake, calls[first])) is not None
                  and same(first, outcome, actual[first])}
    known = known_mistakes(tests, function_name, calls, candidates) if candidates else []
    answer = Answer(function_name, SPECS[function_name], tuple(calls),
                    tuple(tests.expected(function_name, call) for call in calls), tuple(actual), tuple(wrong), same,
                    parameters)
    return explain(answer, known)


def message(where, cause, result):
    """The verdict's line naming `cause`; the student's exception quoted after it when the call raised."""
    if result.get("op") == "raised":
        return (f"{where}: {cause.description} (raised {quoted(result.get('type'), 80)}: "
                f"{quoted(result.get('message'))})")
    return f"{where}: {cause.description}"
