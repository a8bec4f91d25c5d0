"""Write testCases/mistakes.json and testCases/callees.json, what the visible checks need beyond the expected
values (`make expected` writes all three).

mistakes.json: the outcome of every catalogue mistake on the visible checks' inputs, so that a student's check names
    the mistake (outputs of wrong code on public inputs: no solution, no hidden value).
callees.json: the calls a graded function's reference makes, on its visible check's inputs, to the graded functions
    before it, with their results (reference results on public inputs), so that a check answers them.
Floats are rounded and kept as stored where a fresh computation agrees to within settling.KEEP_RTOL, as in
expected.json.
"""
import contextlib
import copy
import functools
import importlib
import inspect
import io
import types

from testCases import callees, mistakes

from ..hidden import diagnosis
from ..paths import NOTEBOOKS
from .settling import settled
from .reference_solutions import graded_functions


def hidden_tests(assignment):
    return importlib.import_module(f"autograder.hidden.{assignment}").TESTS


def _settled_outcome(fresh, stored):
    if fresh is None or fresh.raised is not None or stored is None or stored.raised is not None:
        return fresh
    args_after = fresh.args_after
    if args_after is not None and stored.args_after is not None:
        args_after = settled(args_after, stored.args_after)
    return mistakes.Outcome(output=settled(fresh.output, stored.output), args_after=args_after)


def visible_mistakes(stored_path=mistakes.MISTAKES_FILE):
    """{function name: [KnownMistake on the visible calls]}, for the graded functions of every assignment."""
    stored = mistakes.load(stored_path) if stored_path.exists() else {}
    known = {}
    for assignment in NOTEBOOKS:
        tests = hidden_tests(assignment)
        for name in graded_functions(assignment):
            before = {item.id: item for item in stored.get(name, [])}
            known[name] = []
            for item in diagnosis.known_mistakes(tests, name, tests.visible_calls(name)):
                old = before.get(item.id)
                outcomes = item.outcomes if old is None or len(old.outcomes) != len(item.outcomes) else tuple(
                    _settled_outcome(fresh, kept) for fresh, kept in zip(item.outcomes, old.outcomes))
                known[name].append(mistakes.KnownMistake(item.id, item.description, outcomes))
    return known


def _recording(function, callee_names, callee_of, records):
    """`function` with its module-level callees replaced by versions that append (name, arguments, result)."""
    def recorder(name):
        callee = callee_of(name)

        @functools.wraps(callee)
        def record(*args, **kwargs):
            bound = inspect.signature(callee).bind(*args, **kwargs)
            bound.apply_defaults()
            arguments = copy.deepcopy(list(bound.arguments.values()))
            result = callee(*args, **kwargs)
            records.append((name, arguments, copy.deepcopy(result)))
            return result
        return record

    scope = dict(function.__globals__)
    scope.update({name: recorder(name) for name in callee_names})
    return types.FunctionType(function.__code__, scope, function.__name__, function.__defaults__,
                              function.__closure__)


def visible_callee_calls(stored_path=callees.CALLEES_FILE):
    """{function name: [(callee, arguments, result)]}: each graded function's reference's calls, on its visible
    check's inputs, of the graded functions before it."""
    stored = callees.load(stored_path) if stored_path.exists() else {}
    recorded = {}
    for assignment in NOTEBOOKS:
        tests = hidden_tests(assignment)
        for name in graded_functions(assignment):
            graded_callees = [callee for callee in tests.callee_names(name) if callee in tests.functions]
            records = []
            function = _recording(getattr(tests.reference, name), graded_callees, tests.callee, records)
            for call in tests.visible_calls(name):
                with contextlib.redirect_stdout(io.StringIO()):
                    function(*copy.deepcopy(call.args))
            old = stored.get(name, [])
            if len(old) == len(records):
                records = [(callee, settled(arguments, kept[1]), settled(result, kept[2]))
                           for (callee, arguments, result), kept in zip(records, old)]
            recorded[name] = records
    return recorded


def write():
    mistakes.dump(visible_mistakes())
    callees.dump(visible_callee_calls())
    return mistakes.MISTAKES_FILE, callees.CALLEES_FILE
