"""Hidden tests of the step-by-step assignment.

Each graded test cell of the instructor notebook reads

    ### BEGIN HIDDEN TESTS
    from autograder.hidden import step_by_step as hidden_tests
    check = hidden_tests.fair_check
    ### END HIDDEN TESTS
    check("<function>", <function>)
    ### BEGIN HIDDEN TESTS
    hidden_tests.check("<function>", globals())
    ### END HIDDEN TESTS

and students see only the middle line. `check` calls the student's function on inputs the visible
checks never use (deeper networks, a batch of one example, non-square layers) and compares the
results with the reference solution. While either check runs, every other graded function in the
student's namespace is replaced by its reference version, so one bug costs one function's points.
"""
import contextlib
import copy
import warnings

import numpy as np

import dnn_utils
from testCases.checks import SPECS, Call, run_calls
from testCases.checks import check as visible_check

from ..reference import step_by_step as reference

ACTIVATIONS = ("sigmoid", "relu")
GIVEN = {name: getattr(dnn_utils, name) for name in ("sigmoid", "relu", "sigmoid_backward", "relu_backward")}


def _rng(seed):
    return np.random.default_rng(seed)


def _parameters(rng, layer_dims):
    parameters = {}
    for l in range(1, len(layer_dims)):
        parameters["W" + str(l)] = rng.standard_normal((layer_dims[l], layer_dims[l - 1]))
        parameters["b" + str(l)] = rng.standard_normal((layer_dims[l], 1))
    return parameters


def _linear_cache(rng, n_prev, n, m):
    return rng.standard_normal((n_prev, m)), rng.standard_normal((n, n_prev)), rng.standard_normal((n, 1))


def _caches(rng, layer_dims, m):
    return [(_linear_cache(rng, layer_dims[l - 1], layer_dims[l], m), rng.standard_normal((layer_dims[l], m)))
            for l in range(1, len(layer_dims))]


def _labels(rng, m):
    return (rng.uniform(size=(1, m)) > 0.5).astype(int)


def _network(layer_dims, m):
    return f"network {layer_dims}, m = {m}"


def _initialize_parameters():
    return [Call(f"n_x, n_h, n_y = {dims}", dims) for dims in ((5, 4, 2), (1, 1, 1), (7, 3, 1))]


def _initialize_parameters_deep():
    return [Call(f"layer_dims = {dims}", (dims,)) for dims in ([4, 3, 2, 1], [6, 5, 4, 3, 2], [3, 7, 1])]


def _linear_forward():
    rng = _rng(101)
    return [Call(f"n_prev = {n_prev}, n = {n}, m = {m}", _linear_cache(rng, n_prev, n, m))
            for n_prev, n, m in ((4, 2, 1), (3, 6, 5), (2, 2, 3))]


def _linear_activation_forward():
    rng = _rng(102)
    return [Call(f"activation = {activation!r}, n_prev = {n_prev}, n = {n}, m = {m}",
                 _linear_cache(rng, n_prev, n, m) + (activation,))
            for n_prev, n, m in ((4, 3, 1), (2, 5, 6)) for activation in ACTIVATIONS]


def _L_model_forward():
    rng = _rng(103)
    return [Call(_network(dims, m), (rng.standard_normal((dims[0], m)), _parameters(rng, dims)))
            for dims, m in (([3, 1], 4), ([4, 3, 2, 1], 1), ([6, 5, 4, 3, 1], 5), ([2, 7, 3, 4, 5, 1], 3))]


def _compute_cost():
    rng = _rng(104)
    return [Call(f"m = {m}", (rng.uniform(0.02, 0.98, (1, m)), _labels(rng, m))) for m in (1, 7, 50)]


def _linear_backward():
    rng = _rng(105)
    return [Call(f"n_prev = {n_prev}, n = {n}, m = {m}",
                 (rng.standard_normal((n, m)), _linear_cache(rng, n_prev, n, m)))
            for n_prev, n, m in ((4, 2, 1), (3, 6, 5), (5, 5, 4))]


def _linear_activation_backward():
    rng = _rng(106)
    return [Call(f"activation = {activation!r}, n_prev = {n_prev}, n = {n}, m = {m}",
                 (rng.standard_normal((n, m)), _caches(rng, [n_prev, n], m)[0], activation))
            for n_prev, n, m in ((4, 3, 1), (2, 5, 6)) for activation in ACTIVATIONS]


def _L_model_backward():
    rng = _rng(107)
    return [Call(_network(dims, m), (rng.uniform(0.05, 0.95, (1, m)), _labels(rng, m), _caches(rng, dims, m)))
            for dims, m in (([3, 4, 2, 1], 5), ([5, 4, 3, 2, 1], 1), ([2, 6, 1], 4))]


def _update_parameters():
    rng = _rng(108)
    calls = []
    for dims, learning_rate in (([4, 5, 3, 1], 0.05), ([2, 3, 4, 3, 1], 1.2)):
        parameters = _parameters(rng, dims)
        grads = {"d" + key: rng.standard_normal(value.shape) for key, value in parameters.items()}
        calls.append(Call(f"network {dims}, learning_rate = {learning_rate}", (parameters, grads, learning_rate)))
    return calls


HIDDEN_CALLS = {
    "initialize_parameters": _initialize_parameters,
    "initialize_parameters_deep": _initialize_parameters_deep,
    "linear_forward": _linear_forward,
    "linear_activation_forward": _linear_activation_forward,
    "L_model_forward": _L_model_forward,
    "compute_cost": _compute_cost,
    "linear_backward": _linear_backward,
    "linear_activation_backward": _linear_activation_backward,
    "L_model_backward": _L_model_backward,
    "update_parameters": _update_parameters,
}


@contextlib.contextmanager
def reference_dependencies(namespace, function_name):
    """Bind, for the duration, the reference version of every graded function but `function_name`
    and the given activations in `namespace`, the globals the student's function looks names up in."""
    substitutes = {name: getattr(reference, name) for name in SPECS if name != function_name}
    substitutes.update(GIVEN)
    missing = object()
    saved = {name: namespace.get(name, missing) for name in substitutes}
    namespace.update(substitutes)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is missing:
                namespace.pop(name, None)
            else:
                namespace[name] = value


def fair_check(function_name, target):
    """The visible check, run with the reference versions of the graded functions `target` calls."""
    namespace = getattr(target, "__globals__", None)
    if namespace is None:
        return visible_check(function_name, target)
    with reference_dependencies(namespace, function_name):
        return visible_check(function_name, target)


def check(function_name, namespace):
    """Run the hidden tests of `function_name`, defined in `namespace`; raise AssertionError on the first failure."""
    student_function = namespace.get(function_name)
    if not callable(student_function):
        raise AssertionError(f"{function_name} is not defined: run its cell, and keep its name as given")
    with reference_dependencies(namespace, function_name), warnings.catch_warnings():
        # A warning fails the cell in nbgrader anyway; as an error it gets a message that names it.
        warnings.simplefilter("error")
        for call in HIDDEN_CALLS[function_name]():
            _check_call(function_name, student_function, call)


def _check_call(function_name, student_function, call):
    expected_output = getattr(reference, function_name)(*copy.deepcopy(call.args))
    where = f"{function_name}, hidden test ({call.description})"
    try:
        results = list(run_calls(function_name, student_function, [call], [expected_output], show_values=False))
    except Exception as error:
        raise AssertionError(f"{where}: raised {type(error).__name__}: {error}") from None
    for _, _, problem in results:
        if problem:
            raise AssertionError(f"{where}: {problem}")
