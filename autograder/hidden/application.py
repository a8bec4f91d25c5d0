"""Hidden tests of the application assignment.

The graded test cells of the instructor notebook follow the step-by-step pattern, with
`from autograder.hidden import application as hidden_tests`. `check` trains the student's models
on small data the visible checks never use: other layer sizes (one layer, four layers), learning
rates and numbers of iterations chosen so that the last iteration is, or is not, a multiple of 100
(the costs must follow the documented cadence), and compares parameters and costs with the
reference; it runs `predict` on a single example, on ties at probability 0.5 and without labels.
While a function is graded, the step-by-step functions and the given `initialize_parameters_deep_scaled`
it calls are the reference versions, as is any earlier graded function (autograder/hidden/engine.py).
"""
import numpy as np

import dnn_utils

from testCases.cases import random_parameters
from testCases.checks import Call

from ..reference import application as reference
from ..reference import step_by_step
from .engine import HiddenTests
from .inputs import generator, labels
from .step_by_step import GIVEN as ACTIVATIONS
from .step_by_step import HIDDEN_CALLS as STEP_BY_STEP_CALLS

# Everything the notebook gives: the step-by-step functions (dnn_app_utils), their activations and the given cell.
GIVEN = {name: getattr(step_by_step, name) for name in STEP_BY_STEP_CALLS}
GIVEN.update(ACTIVATIONS)
GIVEN["initialize_parameters_deep_scaled"] = reference.initialize_parameters_deep_scaled


def _data(rng, n_x, m):
    """X: (n_x, m) in [0, 1) and Y: (1, m), 1 where the last feature exceeds the first (a rule the models can learn)."""
    X = rng.uniform(0, 1, (n_x, m))
    return X, (X[-1:] > X[:1]).astype(int)


def _training(rng, layers_dims, m, learning_rate, num_iterations):
    X, Y = _data(rng, layers_dims[0], m)
    return Call(f"layers_dims = {layers_dims}, m = {m}, learning_rate = {learning_rate}, "
                f"num_iterations = {num_iterations}", (X, Y, layers_dims, learning_rate, num_iterations))


def _two_layer_model():
    rng = generator(201)
    return [_training(rng, dims, m, learning_rate, num_iterations)
            for dims, m, learning_rate, num_iterations in (((5, 4, 1), 8, 0.5, 1), ((3, 6, 1), 12, 0.3, 101),
                                                           ((6, 2, 1), 9, 1.0, 320), ((2, 5, 1), 1, 0.2, 150))]


def _L_layer_model():
    rng = generator(202)
    return [_training(rng, dims, m, learning_rate, num_iterations)
            for dims, m, learning_rate, num_iterations in (([5, 4, 3, 1], 8, 0.3, 150), ([3, 1], 6, 0.5, 100),
                                                           ([6, 5, 4, 3, 1], 10, 0.05, 301), ([4, 2, 1], 1, 0.1, 2))]


def _predict():
    rng = generator(203)
    calls = []
    for dims, m, labelled in (([4, 3, 1], 1, True), ([5, 4, 3, 1], 7, False), ([6, 1], 9, True)):
        X, y = rng.standard_normal((dims[0], m)), labels(rng, m)
        calls.append(Call(f"network {dims}, m = {m}" + ("" if labelled else ", y = None"),
                          (X, y if labelled else None, random_parameters(rng, dims))))
    # Zero weights in the last layer give every example a probability of exactly 0.5, which predicts 0.
    parameters = random_parameters(rng, [4, 3, 1])
    parameters["W2"], parameters["b2"] = np.zeros((1, 3)), np.zeros((1, 1))
    calls.append(Call("network [4, 3, 1], every probability exactly 0.5",
                      (rng.standard_normal((4, 3)), labels(rng, 3), parameters)))
    return calls


HIDDEN_CALLS = {
    "two_layer_model": _two_layer_model,
    "L_layer_model": _L_layer_model,
    "predict": _predict,
}

# The release gives dnn_utils.py and the step-by-step solutions (dnn_app_utils.py).
TESTS = HiddenTests(reference, HIDDEN_CALLS, GIVEN, public=[dnn_utils, step_by_step])
check = TESTS.check
