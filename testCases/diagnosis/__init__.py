"""Why an answer is wrong, in the student's terms: the visible checks and the grader ask the same questions.

`explain(answer, known)` takes an Answer (the function, the calls checked, the right output of each and the
student's outcome of each) and the typical mistakes' outcomes on the same calls (the catalogue: mistakes.json on
the student's side, computed by the grader on its hidden inputs). It returns the Cause that explains the answer, or
None, in which case the check's plain facts ("dW has the right shape but wrong values") stand alone.

A cause is named only when it explains every call checked, in this order:
1. a convention of an earlier version of the course, recognised in the answer itself (conventions.py);
2. a catalogue mistake whose outcome is the student's on every call (never one that agrees on some only);
3. a relationship between the answer and the right one that holds on every wrong value (relations.py): a constant
   factor, a transposition, another shape of the same values, the right numbers in other places, a draw from
   another distribution, or the layers that are right and those that are not.
"""
from dataclasses import dataclass

from .. import mistakes
from . import conventions, relations


@dataclass(frozen=True)
class Cause:
    id: str  # the catalogue mistake's id, or "<function>.<relation or convention>"
    description: str  # the sentence the student reads


@dataclass(frozen=True)
class Answer:
    """A function's answers on the calls of a check (or of the hidden tests)."""
    function_name: str
    spec: object  # checks.Spec: the names of the arguments and outputs, and the argument holding the examples
    calls: tuple  # checks.Call, each with its arguments
    expected: tuple  # the right output of each call
    outcomes: tuple  # the student's mistakes.Outcome of each call
    wrong: tuple  # whether each call's outcome is wrong
    same: object  # same(index, one Outcome, another): whether two outcomes of call `index` agree
    parameters: tuple = None  # the names of the student's function's parameters, when known


def _returns_nothing(answer):
    """A function that returned None on every call, where it should return something: its return is missing."""
    if all(outcome.raised is None and outcome.output is None for outcome in answer.outcomes) and \
            all(expected is not None for expected in answer.expected):
        outputs = ", ".join(answer.spec.outputs)
        return (f"{answer.function_name}.returns_nothing",
                f"{answer.function_name} returns nothing (None): end it with return {outputs}")
    return None


def explain(answer: Answer, known=()) -> Cause | None:
    """The Cause that explains `answer`, or None. known: the catalogue's mistakes.KnownMistake on the same calls."""
    if True not in answer.wrong:
        return None
    cause = conventions.earlier_version(answer) or _returns_nothing(answer)
    if cause is None:
        mistake = mistakes.diagnose(known, list(answer.outcomes), list(answer.wrong), answer.same)
        cause = (mistake.id, mistake.description) if mistake is not None else relations.explain(answer)
    return Cause(*cause) if cause is not None else None
