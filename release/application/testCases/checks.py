"""Run a student's function on fixed inputs and say, line by line, what is right and what is not.

`SPECS` describes each graded function of both assignments (step by step, then the application):
the names of its arguments and of what it returns, how many examples a call holds (so that an
answer m times off can be named), and which outputs need a comparison of their own. `run_calls`
is the engine the visible checks here and the instructor's hidden tests share; `check` is what
the notebook calls.
"""
import copy
import inspect
import numbers
import sysconfig
import traceback
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from . import callees, cases, diagnosis, expected, mistakes
from .diagnosis import errors
from .compare import ATOL, RTOL, costs_mismatch, describe, mismatch, predictions_mismatch
from .mistakes import compatible_exceptions


@dataclass(frozen=True)
class Spec:
    arguments: tuple  # argument names, as in the canonical signature
    outputs: tuple  # names of the returned values; one name means the value is returned alone
    examples_in: str = None  # the argument whose number of columns is m
    compare: dict = field(default_factory=dict)  # {output name: comparison used instead of `mismatch`}

    def m(self, args):
        if self.examples_in is None:
            return None
        return np.shape(args[self.arguments.index(self.examples_in)])[1]


SPECS = {
    "initialize_parameters": Spec(("n_x", "n_h", "n_y"), ("parameters",)),
    "initialize_parameters_deep": Spec(("layer_dims",), ("parameters",)),
    "linear_forward": Spec(("A", "W", "b"), ("Z", "cache")),
    "linear_activation_forward": Spec(("A_prev", "W", "b", "activation"), ("A", "cache")),
    "L_model_forward": Spec(("X", "parameters"), ("AL", "caches")),
    "compute_cost": Spec(("AL", "Y"), ("cost",), examples_in="Y"),
    "linear_backward": Spec(("dZ", "cache"), ("dA_prev", "dW", "db"), examples_in="dZ"),
    "linear_activation_backward": Spec(("dA", "cache", "activation"), ("dA_prev", "dW", "db"),
                                       examples_in="dA"),
    "L_model_backward": Spec(("AL", "Y", "caches"), ("grads",), examples_in="AL"),
    "update_parameters": Spec(("params", "grads", "learning_rate"), ("parameters",)),
    # the application
    "two_layer_model": Spec(("X", "Y", "layers_dims", "learning_rate", "num_iterations", "print_cost"),
                            ("parameters", "costs"), compare={"costs": costs_mismatch}),
    "L_layer_model": Spec(("X", "Y", "layers_dims", "learning_rate", "num_iterations", "print_cost"),
                          ("parameters", "costs"), compare={"costs": costs_mismatch}),
    "predict": Spec(("X", "y", "parameters"), ("p",), examples_in="X", compare={"p": predictions_mismatch}),
}


@dataclass(frozen=True)
class Call:
    description: str  # what is special about this call, e.g. "activation = 'relu'"
    args: tuple


def _single(case):
    def calls():
        args = case()
        return [Call("the test case", args if isinstance(args, tuple) else (args,))]
    return calls


def _each_activation(case):
    return lambda: [Call(f"activation = {name!r}", case() + (name,)) for name in ("sigmoid", "relu")]


VISIBLE_CALLS = {
    "initialize_parameters": _single(cases.initialize_parameters_test_case),
    "initialize_parameters_deep": _single(cases.initialize_parameters_deep_test_case),
    "linear_forward": _single(cases.linear_forward_test_case),
    "linear_activation_forward": _each_activation(cases.linear_activation_forward_test_case),
    "L_model_forward": _single(cases.L_model_forward_test_case_2hidden),
    "compute_cost": _single(cases.compute_cost_test_case),
    "linear_backward": _single(cases.linear_backward_test_case),
    "linear_activation_backward": _each_activation(cases.linear_activation_backward_test_case),
    "L_model_backward": _single(cases.L_model_backward_test_case),
    "update_parameters": lambda: [Call("learning_rate = 0.1", cases.update_parameters_test_case() + (0.1,))],
    "two_layer_model": lambda: [Call("learning_rate = 0.5, num_iterations = 250",
                                     cases.two_layer_model_test_case() + (0.5, 250))],
    "L_layer_model": lambda: [Call("learning_rate = 0.1, num_iterations = 250",
                                   cases.L_layer_model_test_case() + (0.1, 250))],
    "predict": _single(cases.predict_test_case),
}


def run_calls(function_name, target, calls, expected_outputs, show_values=True):
    """Call `target` on each call's arguments and compare with the expected outputs.

    Yields (description, name, problem) for every output checked; problem is None when it matches.
    The arguments are passed as copies, and a function that changes them is reported.
    show_values: passed on to `mismatch`.
    """
    for call, expected_output in zip(calls, expected_outputs):
        args = copy.deepcopy(call.args)
        output = target(*args)
        for name, problem in compare_call(function_name, call, expected_output, output, args, show_values):
            yield call.description, name, problem


def compare_call(function_name, call, expected_output, output, args_after, show_values=True):
    """Yield (name, problem) for each output of one call, then for each argument the function changed.

    args_after: the arguments as the function left them (it was given copies of call.args).
    """
    spec = SPECS[function_name]
    yield from _compare_outputs(function_name, spec, expected_output, output, spec.m(call.args), show_values)
    for name, original, after in zip(spec.arguments, call.args, args_after):
        problem = mismatch(name, original, after, show_values=show_values)
        if problem:
            yield name, (f"{function_name} changed its argument {name} ({problem}): work on a new object instead")


def _compare_outputs(function_name, spec, expected_output, output, m, show_values):
    if len(spec.outputs) == 1:
        compare = spec.compare.get(spec.outputs[0], mismatch)
        yield spec.outputs[0], compare(spec.outputs[0], expected_output, output, m, show_values)
        return
    returns = "(" + ", ".join(spec.outputs) + ")"
    if not isinstance(output, (tuple, list)) or len(output) != len(spec.outputs):
        yield returns, f"{function_name} should return {returns}, got {describe(output)}"
        return
    # Outputs with a comparison of their own come first: their messages name the mistake (a training loop's costs
    # say why its parameters are wrong), and the first message is the one a grade report shows.
    outputs = sorted(zip(spec.outputs, expected_output, output), key=lambda item: item[0] not in spec.compare)
    for name, expected_value, actual_value in outputs:
        yield name, spec.compare.get(name, mismatch)(name, expected_value, actual_value, m, show_values)


def same_outcome(function_name, call, expected_outcome, actual_outcome):
    """Whether two mistakes.Outcome of `call` agree, within the checks' tolerance: both raised compatible
    exceptions, or both returned the same outputs and left the arguments the same."""
    if expected_outcome.raised is not None or actual_outcome.raised is not None:
        return (expected_outcome.raised is not None and actual_outcome.raised is not None
                and compatible_exceptions(expected_outcome.raised, actual_outcome.raised))
    spec = SPECS[function_name]
    m = spec.m(call.args)
    expected_output, output = expected_outcome.output, actual_outcome.output
    if len(spec.outputs) == 1:
        pairs = [(spec.outputs[0], expected_output, output)]
    elif all(isinstance(value, (tuple, list)) and len(value) == len(spec.outputs) for value in (expected_output, output)):
        pairs = list(zip(spec.outputs, expected_output, output))
    else:  # not the API's tuple: compared as a whole
        pairs = [("(" + ", ".join(spec.outputs) + ")", expected_output, output)]
    expected_args = call.args if expected_outcome.args_after is None else expected_outcome.args_after
    actual_args = call.args if actual_outcome.args_after is None else actual_outcome.args_after
    pairs += list(zip(spec.arguments, expected_args, actual_args))
    return all(_same_value(spec, name, expected_value, value, m) for name, expected_value, value in pairs)


def _same_value(spec, name, expected_value, value, m):
    # A comparison of the output's own (0/1 predictions of any dtype) may not apply to what a mistake returns
    # (probabilities): either comparison finding no difference will do.
    if mismatch(name, expected_value, value, m, show_values=False) is None or _same_with_nan(expected_value, value):
        return True
    compare = spec.compare.get(name)
    try:
        return compare is not None and compare(name, expected_value, value, m, False) is None
    except Exception:  # a comparison written for the reference's kind of value
        return False


def _same_with_nan(expected_value, value):
    """Whether two values are the same numbers, NaN and infinities included: a mistake that makes the cost blow up
    (gradient ascent) returns NaN where the student's blown-up cost is NaN too."""
    if isinstance(expected_value, dict):
        return (isinstance(value, dict) and expected_value.keys() == value.keys()
                and all(_same_with_nan(expected_value[key], value[key]) for key in expected_value))
    if isinstance(expected_value, (tuple, list)) and not all(isinstance(item, numbers.Real) for item in expected_value):
        return (isinstance(value, (tuple, list)) and len(value) == len(expected_value)
                and all(map(_same_with_nan, expected_value, value)))
    try:
        expected_array, array = np.asarray(expected_value, dtype=float), np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        return False
    return expected_array.shape == array.shape and bool(np.allclose(array, expected_array, rtol=RTOL, atol=ATOL,
                                                                    equal_nan=True))


class CheckFailed(AssertionError):
    """Raised by a visible check; its message says how many checks failed.

    IPython shows an exception through its `_render_traceback_` when it has one: a failed check shows `lines`
    (the student's own frames of an exception their code raised, then this message), never the kit's frames.
    The cell still ends in an error, so Run All stops there and nbgrader records the failure.
    """

    def __init__(self, message, lines=()):
        super().__init__(message)
        self.lines = list(lines) + [f"CheckFailed: {message}"]

    def _render_traceback_(self):
        return self.lines


_KIT_FOLDER = Path(__file__).resolve().parent
_LIBRARIES = {Path(folder).resolve() for name, folder in sysconfig.get_paths().items()
              if name in ("stdlib", "platstdlib", "purelib", "platlib")}


def _student_frames(error):
    """The traceback of `error` without the kit's frames, as lines, ending with the exception's own line."""
    frames = [frame for frame in traceback.extract_tb(error.__traceback__)
              if Path(frame.filename).resolve().parent != _KIT_FOLDER]
    lines = "".join(traceback.format_list(frames)).rstrip("\n").split("\n") if frames else []
    return lines + traceback.format_exception_only(type(error), error)[-1:]


def _not_written(function_name, error):
    """Print the line saying which function is not written yet (this one, or one it calls); return CheckFailed."""
    origin = traceback.extract_tb(error.__traceback__)[-1].name
    if origin in (function_name, "<module>") or Path(traceback.extract_tb(error.__traceback__)[-1].filename
                                                     ).resolve().parent == _KIT_FOLDER:
        print(f"  \u2718 {function_name} is not written yet: replace raise NotImplementedError() with your code")
        return CheckFailed(f"{function_name} is not written yet")
    print(f"  \u2718 {origin}, which {function_name} calls, is not written yet: write it first")
    return CheckFailed(f"{origin} is not written yet")


def _exception_line(function_name, raised, told=None):
    return f"{function_name} raised {raised[0]}: {told or raised[1]}"


def _is_student_file(filename):
    """A notebook cell's code (not the kit's, Python's or a library's)."""
    if filename.startswith("<"):  # IPython's own names, <ipython-input-...>, but not exec's <string> or <frozen ...>
        return filename.startswith("<ipython-input")
    path = Path(filename)
    return not (path.resolve().is_relative_to(_KIT_FOLDER)
                or any(path.resolve().is_relative_to(folder) for folder in _LIBRARIES))


def _told(error):
    """What the student's own line and its values say of their exception (diagnosis/errors.py), or None."""
    found = errors.where_raised(error.__traceback__, _is_student_file)
    return errors.sentence(type(error).__name__, str(error), *found) if found else None


def check(function_name, target):
    """The visible check of one graded function: print a line per output, raise if any is wrong.

    A wrong answer that behaves as a typical mistake does on these inputs (mistakes.json) gets that mistake's
    description; calls of the graded functions before this one get a correct version's results (callees.json).
    """
    calls = VISIBLE_CALLS[function_name]()
    outputs = expected.load()[function_name]
    print(f"Checking {function_name}:")
    results, frames = [], []  # per call: (Outcome, [(name, problem)]); the student's frames of an exception
    warned = {}  # what the calls warned, once each: a note, never a failure (as in the grade)
    with callees.answering(function_name, target) as broken:
        for call, expected_output in zip(calls, outputs):
            args = copy.deepcopy(call.args)
            try:
                with warnings.catch_warnings(record=True) as caught:
                    warnings.simplefilter("always")
                    output = target(*args)
                warned.update((f"{warning.category.__name__}: {warning.message}", None) for warning in caught)
            except NotImplementedError as error:
                raise _not_written(function_name, error) from None
            except Exception as error:
                raised = (type(error).__name__, str(error))
                frames = frames or _student_frames(error)
                results.append((mistakes.Outcome(raised=raised),
                                [("", _exception_line(function_name, raised, _told(error)))]))
                continue
            problems = list(compare_call(function_name, call, expected_output, output, args))
            results.append((mistakes.Outcome(output=output, args_after=tuple(args)), problems))
    wrong = [any(problem for _, problem in problems) for _, problems in results]
    named = _named_mistake(function_name, calls, [outcome for outcome, _ in results], wrong, parameters_of(target))
    failed, first = 0, None
    for call, (outcome, problems) in zip(calls, results):
        prefix = f"  [{call.description}] " if len(calls) > 1 else "  "
        for name, problem in problems:
            if problem and outcome.raised is not None and named is not None:
                problem = f"{named.description} ({_exception_line(function_name, outcome.raised)})"
            failed += bool(problem)
            first = first or problem
            print(f"{prefix}\u2718 {problem}" if problem else f"{prefix}\u2714 {name}")
    if named is not None and not any(outcome.raised for outcome, _ in results):
        print(f"  \u279c likely cause: {named.description}")
    for name in dict.fromkeys(broken):
        print(f"  Note: {name}, which {function_name} calls, fails its own check: fix it first.")
    for warning in warned:
        print(f"  Note: {function_name} warned ({warning}): a warning costs no points, but it is worth a look.")
    if failed:
        # The message stands alone where nbgrader validate shows it without the lines above: it says the first.
        cause = f"; likely cause: {named.description}" if named is not None and named.description not in first else ""
        raise CheckFailed(f"{function_name}: {failed} check(s) failed, the first: {first}{cause}", frames)
    print("All checks passed.")


def _named_mistake(function_name, calls, outcomes, wrong, parameters=None):
    """The diagnosis.Cause that explains the outcomes of the visible calls (mistakes.json's typical mistakes, an
    earlier version's convention, a relationship with the right answer), or None. A check whose calls are all right
    reads no mistakes: their file holds every function's, and decoding it cost each passing check most of its time."""
    if True not in wrong:
        return None
    known = mistakes.load().get(function_name, []) if mistakes.MISTAKES_FILE.exists() else []
    answer = diagnosis.Answer(function_name, SPECS[function_name], tuple(calls), tuple(expected.load()[function_name]),
                              tuple(outcomes), tuple(wrong), _same_on(function_name, calls), parameters)
    return diagnosis.explain(answer, known)


def _same_on(function_name, calls):
    return lambda index, expected_outcome, outcome: same_outcome(function_name, calls[index], expected_outcome,
                                                                 outcome)


def parameters_of(function):
    """The names of a function's parameters, or None when it has no signature Python can read."""
    try:
        return tuple(inspect.signature(function).parameters)
    except (TypeError, ValueError):
        return None
