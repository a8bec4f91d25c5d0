"""Answer a function's calls of the functions it builds on with the results a correct version gets, in its
visible check, so that a mistake in linear_backward fails linear_backward's check only.

`callees.json` (generated with `make expected`) records, for each graded function, the calls its reference makes
on the visible check's inputs to the graded functions before it, with their arguments and results: reference
results on public inputs, no code. While the check runs, a call with the recorded argument values gets the recorded
result; any other call goes to the student's own function. A student's own function that disagrees with a recorded
result is reported: it fails its own check.
"""
import contextlib
import copy
import inspect
import io
import json
from pathlib import Path

from .compare import mismatch
from .expected import decode, encode

CALLEES_FILE = Path(__file__).with_name("callees.json")


def load(path=CALLEES_FILE):
    """{function name: [(callee name, [argument values], result)]}."""
    with open(path, encoding="utf-8") as handle:
        stored = json.load(handle)
    return {function: [(record["callee"], decode(record["arguments"]), decode(record["result"]))
                       for record in records]
            for function, records in stored.items()}


def dump(records, path=CALLEES_FILE):
    """Write {function name: [(callee name, [argument values], result)]} to `path`, one call per line."""
    blocks = []
    for function, items in records.items():
        lines = [json.dumps({"callee": callee, "arguments": encode(list(arguments)), "result": encode(result)})
                 for callee, arguments, result in items]
        blocks.append(f" {json.dumps(function)}: [" + ("\n  " + ",\n  ".join(lines) + "\n " if lines else "") + "]")
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("{\n" + ",\n".join(blocks) + "\n}\n")


def _same(expected, actual):
    return mismatch("value", expected, actual) is None


def _agrees(own, args, kwargs, result):
    """Whether the student's own function gives `result` for this call."""
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            return _same(result, own(*copy.deepcopy(args), **copy.deepcopy(kwargs)))
    except Exception:
        return False


def _root(name, scope, records, seen=()):
    """The earliest function that `name` builds on whose student's version disagrees with a recorded result of its
    own, or `name` itself when its callees all agree: the function to fix first, never one whose check passes."""
    for callee, arguments, result in records.get(name, []):
        own = scope.get(callee)
        if callable(own) and callee not in seen and not _agrees(own, arguments, {}, result):
            return _root(callee, scope, records, seen + (name,))
    return name


def _answering(name, own, records, broken):
    def answer(*args, **kwargs):
        try:
            bound = inspect.signature(own).bind(*args, **kwargs)
            bound.apply_defaults()
        except (TypeError, ValueError):
            return own(*args, **kwargs)
        values = list(bound.arguments.values())
        for arguments, result in records:
            if len(arguments) == len(values) and all(map(_same, arguments, values)):
                if not _agrees(own, args, kwargs, result):
                    broken.append(name)
                return copy.deepcopy(result)
        return own(*args, **kwargs)
    return answer


@contextlib.contextmanager
def answering(function_name, target, path=CALLEES_FILE):
    """While in the block, `target`'s module-level names of its recorded callees answer the recorded calls.

    Yields the list of the functions to fix first (in call order): for each callee whose student's version
    disagreed with a recorded result, the earliest function it builds on that disagrees with its own records.
    """
    every = load(path) if path.exists() else {}
    records = every.get(function_name, [])
    scope = getattr(target, "__globals__", None)
    broken = []
    saved = {name: scope[name] for name in {callee for callee, _, _ in records}
             if scope is not None and callable(scope.get(name))}
    try:
        for name, own in saved.items():
            scope[name] = _answering(name, own, [(arguments, result) for callee, arguments, result in records
                                                 if callee == name], broken)
        yield broken
    finally:
        for name, own in saved.items():
            scope[name] = own
        if scope is not None:
            broken[:] = [_root(name, scope, every) for name in broken]
