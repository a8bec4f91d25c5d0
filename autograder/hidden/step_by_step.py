"""Hidden tests of the step-by-step assignment.

Each graded test cell of the instructor notebook reads

    check("<function>", <function>)
    ### BEGIN HIDDEN TESTS
    from autograder.hidden import step_by_step as hidden_tests
    hidden_tests.check("<function>", globals())
    ### END HIDDEN TESTS

and students see only the first line. The hidden part runs these tests on the solutions, in place;
when a class is graded, the grader strips it and runs the same tests from outside the student's
kernel (autograder/kernel/conversation.py). They call the student's function on the visible check's inputs and
on inputs the visible checks never use (deeper networks, a batch of one example, non-square
layers), and compare the results with the reference solution. While a function is graded, the
functions it calls are the reference versions, so one bug costs one function's points
(autograder/hidden/engine.py, shared with the application's hidden tests).
"""

import dnn_utils
from testCases.cases import random_caches, random_linear_cache, random_parameters
from testCases.checks import Call

from ..reference import step_by_step as reference
from .engine import HiddenTests
from .inputs import generator, labels

ACTIVATIONS = ("sigmoid", "relu")
GIVEN = {name: getattr(dnn_utils, name) for name in ("sigmoid", "relu", "sigmoid_backward", "relu_backward")}


def _network(layer_dims, m):
    return f"network {layer_dims}, m = {m}"


def _initialize_parameters():
    return [Call(f"n_x, n_h, n_y = {dims}", dims) for dims in ((5, 4, 2), (1, 1, 1), (7, 3, 1))]


def _initialize_parameters_deep():
    return [Call(f"layer_dims = {dims}", (dims,)) for dims in ([4, 3, 2, 1], [6, 5, 4, 3, 2], [3, 7, 1])]


def _linear_forward():
    rng = generator(101)
    return [Call(f"n_prev = {n_prev}, n = {n}, m = {m}", random_linear_cache(rng, n_prev, n, m))
            for n_prev, n, m in ((4, 2, 1), (3, 6, 5), (2, 2, 3))]


def _linear_activation_forward():
    rng = generator(102)
    return [Call(f"activation = {activation!r}, n_prev = {n_prev}, n = {n}, m = {m}",
                 random_linear_cache(rng, n_prev, n, m) + (activation,))
            for n_prev, n, m in ((4, 3, 1), (2, 5, 6)) for activation in ACTIVATIONS]


def _L_model_forward():
    rng = generator(103)
    return [Call(_network(dims, m), (rng.standard_normal((dims[0], m)), random_parameters(rng, dims)))
            for dims, m in (([3, 1], 4), ([4, 3, 2, 1], 1), ([6, 5, 4, 3, 1], 5), ([2, 7, 3, 4, 5, 1], 3))]


def _compute_cost():
    rng = generator(104)
    return [Call(f"m = {m}", (rng.uniform(0.02, 0.98, (1, m)), labels(rng, m))) for m in (1, 7, 50)]


def _linear_backward():
    rng = generator(105)
    return [Call(f"n_prev = {n_prev}, n = {n}, m = {m}",
                 (rng.standard_normal((n, m)), random_linear_cache(rng, n_prev, n, m)))
            for n_prev, n, m in ((4, 2, 1), (3, 6, 5), (5, 5, 4), (3, 1, 6))]  # the last: an output layer's one unit


def _linear_activation_backward():
    rng = generator(106)
    return [Call(f"activation = {activation!r}, n_prev = {n_prev}, n = {n}, m = {m}",
                 (rng.standard_normal((n, m)), random_caches(rng, [n_prev, n], m)[0], activation))
            for n_prev, n, m in ((4, 3, 1), (2, 5, 6)) for activation in ACTIVATIONS]


def _L_model_backward():
    rng = generator(107)
    return [Call(_network(dims, m), (rng.uniform(0.05, 0.95, (1, m)), labels(rng, m), random_caches(rng, dims, m)))
            for dims, m in (([3, 4, 2, 1], 5), ([5, 4, 3, 2, 1], 1), ([2, 6, 1], 4))]


def _update_parameters():
    rng = generator(108)
    calls = []
    for dims, learning_rate in (([4, 5, 3, 1], 0.05), ([2, 3, 4, 3, 1], 1.2)):
        parameters = random_parameters(rng, dims)
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


TESTS = HiddenTests(reference, HIDDEN_CALLS, GIVEN, public=[dnn_utils])
check = TESTS.check
