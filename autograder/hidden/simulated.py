"""A graded cell's verdict computed in this process, as the grader computes it after the student's kernel ran it.

The cell runs in a namespace like the notebook's (NumPy, copy, and the reference versions of the functions it may
call, as the stubs answer them while a function is graded); its outcome on every test call becomes the kernel's
result message (an exception with the cell's own line, as the kernel reports it), and the grader's own `judge`
gives the verdict. The benchmarks of the diagnosis grade their corpora so, and the similarity check learns from it
which wrong answers published solutions commonly give.
"""
import copy
import importlib
import inspect
import linecache

import numpy as np

from testCases.diagnosis import errors

from ..kernel import in_kernel
from ..kernel.conversation import judge
from .diagnosis import call_quietly

STUDENT_FILE = "<student's cell>"


def hidden_tests(assignment):
    """The hidden tests of `assignment` (autograder/hidden/<assignment>.py)."""
    return importlib.import_module(f"{__package__.rsplit('.', 1)[0]}.hidden.{assignment}").TESTS


def defined(tests, function_name, source):
    """The function `source` defines, in a namespace like the notebook's, its lines known to linecache."""
    linecache.cache[STUDENT_FILE] = (len(source), None, source.splitlines(True), STUDENT_FILE)
    namespace = {"np": np, "copy": copy}
    namespace.update({name: tests.callee(name) for name in tests.callee_names(function_name)})
    exec(compile(source, STUDENT_FILE, "exec"), namespace)
    return namespace[function_name]


def simulated_results(tests, function_name, source, calls):
    """The kernel's result message for each call, had the student's cell been `source`."""
    function = defined(tests, function_name, source)
    results = []
    for call in calls:
        args = copy.deepcopy(call.args)
        try:
            output = call_quietly(function, args)
        except Exception as error:
            result = {"op": "raised", "type": type(error).__name__, "message": str(error)[:500]}
            found = errors.where_raised(error.__traceback__, lambda filename: filename == STUDENT_FILE)
            if found:
                result.update(zip(("line", "values", "names"), found))
            results.append(result)
            continue
        results.append({"op": "returned", "output": in_kernel.encode(output), "args": in_kernel.encode(list(args))})
    return results


def verdict(tests, function_name, source):
    """The grader's Verdict on `function_name`, had the student's cell been `source`."""
    calls = tests.calls(function_name)
    parameters = list(inspect.signature(defined(tests, function_name, source)).parameters)
    return judge(tests, function_name, calls, simulated_results(tests, function_name, source, calls), parameters)
