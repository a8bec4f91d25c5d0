"""Run a student's function on fixed inputs and say, line by line, what is right and what is not.

`SPECS` describes each graded function of both assignments (step by step, then the application):
the names of its arguments and of what it returns, how many examples a call holds (so that an
answer m times off can be named), and which outputs need a comparison of their own. `run_calls`
is the engine the visible checks here and the instructor's hidden tests share; `check` is what
the notebook calls.
"""
import copy
from dataclasses import dataclass, field

import numpy as np

from . import cases, expected
from .compare import costs_mismatch, describe, mismatch, predictions_mismatch


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


class CheckFailed(AssertionError):
    """Raised by a visible check; its message says how many checks failed."""


def check(function_name, target):
    """The visible check of one graded function: print a line per output, raise if any is wrong."""
    calls = VISIBLE_CALLS[function_name]()
    outputs = expected.load()[function_name]
    failed = 0
    print(f"Checking {function_name}:")
    for description, name, problem in run_calls(function_name, target, calls, outputs):
        prefix = f"  [{description}] " if len(calls) > 1 else "  "
        if problem:
            failed += 1
            print(f"{prefix}\u2718 {problem}")
        else:
            print(f"{prefix}\u2714 {name}")
    if failed:
        raise CheckFailed(f"{function_name}: {failed} check(s) failed, see the lines marked \u2718 above")
    print("All checks passed.")
