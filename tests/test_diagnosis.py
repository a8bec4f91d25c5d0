"""testCases.diagnosis: a wrong answer's cause is named by how it relates to the right one, by an earlier version's
convention, or by a catalogue mistake that reproduces it on every call; otherwise no cause is named.

The students' functions here are written in the styles published solutions of this assignment use (our own
variants, not their code); each is checked as a student checks it, with the visible check."""
import copy

import numpy as np
import pytest

from autograder.reference import step_by_step as reference
from testCases import CheckFailed, check, mistakes
from testCases.checks import SPECS, VISIBLE_CALLS, same_outcome
from testCases.diagnosis import Answer, errors, explain
from testCases.mistakes import Outcome


def likely_cause(function_name, function, capsys):
    """The line the visible check gives as the likely cause (None when it names none); the check must fail."""
    with pytest.raises(CheckFailed):
        check(function_name, function)
    lines = capsys.readouterr().out.splitlines()
    causes = [line.split("likely cause: ", 1)[1] for line in lines if "likely cause: " in line]
    return causes[0] if causes else None


def deep_initialiser(scale, draw=np.random.randn):
    def initialize_parameters_deep(layer_dims):
        np.random.seed(3)
        parameters = {}
        for l in range(1, len(layer_dims)):
            parameters["W" + str(l)] = draw(layer_dims[l], layer_dims[l - 1]) * scale(layer_dims[l - 1])
            parameters["b" + str(l)] = np.zeros((layer_dims[l], 1))
        return parameters
    return initialize_parameters_deep


@pytest.mark.parametrize("scale, draw, cause", [
    (lambda n_prev: 1.0, np.random.randn, "100 times too large: multiply the random numbers by 0.01"),
    (lambda n_prev: np.sqrt(2 / n_prev), np.random.randn, "scaled by np.sqrt(2 / n_prev) (He initialisation)"),
    (lambda n_prev: 1 / np.sqrt(n_prev), np.random.randn, "scaled by 1 / np.sqrt(n_prev) (Xavier initialisation)"),
    (lambda n_prev: 0.01, np.random.rand, "never negative: np.random.rand draws from [0, 1)"),
], ids=["no 0.01 factor", "He", "Xavier", "rand instead of randn"])
def test_an_initialisation_of_another_scale_or_distribution_is_named(scale, draw, cause, capsys):
    named = likely_cause("initialize_parameters_deep", deep_initialiser(scale, draw), capsys)
    assert named is not None and cause in named and named.startswith("W1 and W2 are"), named


def test_update_parameters_of_the_earlier_version_is_named_as_such(capsys):
    def update_parameters(parameters, grads, learning_rate):
        L = len(parameters) // 2
        for l in range(L):
            parameters["W" + str(l + 1)] = parameters["W" + str(l + 1)] - learning_rate * grads["dW" + str(l + 1)]
            parameters["b" + str(l + 1)] = parameters["b" + str(l + 1)] - learning_rate * grads["db" + str(l + 1)]
        return parameters

    named = likely_cause("update_parameters", update_parameters, capsys)
    assert named.startswith("this is update_parameters(parameters, grads, learning_rate) of an earlier version of "
                            "this course, which updates the dict it is given")


def test_an_update_in_place_without_minus_equals_is_not_told_about_minus_equals(capsys):
    def update_parameters(params, grads, learning_rate):
        for key in [key for key in params if key.startswith("W")]:
            layer = key[1:]
            params["W" + layer] = params["W" + layer] - learning_rate * grads["dW" + layer]
            params["b" + layer] = params["b" + layer] - learning_rate * grads["db" + layer]
        return params

    named = likely_cause("update_parameters", update_parameters, capsys)
    assert named.startswith("update_parameters changed the dict it was given") and "-=" not in named


def test_gradients_keyed_da1_to_dal_as_the_earlier_version_did_are_named_as_such(capsys):
    def L_model_backward(AL, Y, caches):
        grads = reference.L_model_backward(AL, Y, caches)
        return {(f"dA{int(key[2:]) + 1}" if key.startswith("dA") else key): value for key, value in grads.items()}

    named = likely_cause("L_model_backward", L_model_backward, capsys)
    assert named.startswith("grads keys the gradients dA1 ... dAL, as an earlier version of this course did")


def test_a_gradient_m_times_too_large_is_named_by_its_factor_even_outside_the_catalogue(capsys):
    def linear_backward(dZ, cache):
        dA_prev, dW, db = reference.linear_backward(dZ, cache)
        return dA_prev, dW * dZ.shape[1], db * dZ.shape[1]  # both averages forgotten: no catalogue entry

    assert likely_cause("linear_backward", linear_backward, capsys) == \
        "dW and db are m times too large: divide by m, the number of examples"


def test_only_the_wrong_layers_are_named_when_the_others_are_right(capsys):
    def update_parameters(params, grads, learning_rate):
        parameters = reference.update_parameters(params, grads, learning_rate)
        parameters["W2"] = parameters["W2"] + 0.5 * np.arange(parameters["W2"].size).reshape(parameters["W2"].shape)
        return parameters

    assert likely_cause("update_parameters", update_parameters, capsys) == "only layer 2 is wrong (W2); layer 1 is right"


def answer_of(function_name, function):
    """The Answer of `function` on the visible calls, computed here."""
    calls = VISIBLE_CALLS[function_name]()
    expected = [getattr(reference, function_name)(*copy.deepcopy(call.args)) for call in calls]
    outcomes = []
    for call in calls:
        args = copy.deepcopy(call.args)
        outcomes.append(Outcome(output=function(*args), args_after=tuple(args)))
    wrong = [not same_outcome(function_name, call, Outcome(output=right, args_after=tuple(call.args)), outcome)
             for call, right, outcome in zip(calls, expected, outcomes)]
    return Answer(function_name, SPECS[function_name], tuple(calls), tuple(expected), tuple(outcomes), tuple(wrong),
                  lambda index, one, other: same_outcome(function_name, calls[index], one, other))


@pytest.mark.parametrize("seed", range(20))
def test_random_wrong_values_get_no_cause(seed):
    generator = np.random.default_rng(seed)

    def linear_backward(dZ, cache):
        dA_prev, dW, db = reference.linear_backward(dZ, cache)
        return dA_prev, dW + generator.normal(size=dW.shape), db

    assert explain(answer_of("linear_backward", linear_backward)) is None


def test_a_mistake_agreeing_on_some_calls_only_is_not_named():
    """A catalogue mistake that explains the sigmoid call but not the relu one does not explain the answer."""
    def linear_activation_forward(A_prev, W, b, activation):
        if activation == "sigmoid":
            return reference.linear_activation_forward(A_prev, W, b, "relu")
        A, cache = reference.linear_activation_forward(A_prev, W, b, activation)
        return A + 1.0, cache

    answer = answer_of("linear_activation_forward", linear_activation_forward)
    known = mistakes.load()["linear_activation_forward"]
    relu_for_sigmoid = next(mistake for mistake in known if mistake.id.endswith("relu_whatever_the_activation"))
    assert answer.same(0, relu_for_sigmoid.outcomes[0], answer.outcomes[0])  # it agrees on the sigmoid call
    assert explain(answer, known) is None


@pytest.mark.parametrize("undefined, defined, meant", [
    ("Al", ["AL", "Y", "m"], "AL"), ("true", [], "True"), ("lenght", ["length"], "length"),
    ("parameter", ["parameters", "grads"], "parameters"), ("zzz", ["AL", "Y"], None),
])
def test_an_undefined_name_is_told_with_the_name_probably_meant(undefined, defined, meant):
    assert errors.likely_name(undefined, defined) == meant


def test_an_exception_without_a_line_of_the_students_gets_nothing_added():
    assert errors.sentence("ValueError", "shapes (3,2) and (3,2) not aligned", "", {}) is None


def test_another_seed_is_named_with_the_seed_used(capsys):
    def initialize_parameters_deep(layer_dims):
        np.random.seed(2)
        return {key: value for l in range(1, len(layer_dims)) for key, value in
                (("W%d" % l, np.random.randn(layer_dims[l], layer_dims[l - 1]) * 0.01),
                 ("b%d" % l, np.zeros((layer_dims[l], 1))))}

    assert likely_cause("initialize_parameters_deep", initialize_parameters_deep, capsys).startswith(
        "the weights come from np.random.seed(2): seed with np.random.seed(3)")


@pytest.mark.parametrize("first, second, cause", [
    (lambda AL: np.log(AL), lambda AL: np.log(AL), "the (1 - Y) term takes log(AL)"),
    (lambda AL: np.log(1 - AL), lambda AL: np.log(1 - AL), "the Y term takes log(1 - AL)"),
], ids=["log(AL) in the (1 - Y) term", "log(1 - AL) in the Y term"])
def test_one_wrong_term_of_the_cost_is_named(first, second, cause, capsys):
    def compute_cost(AL, Y):
        m = Y.shape[1]
        return np.squeeze(-(np.dot(Y, first(AL).T) + np.dot(1 - Y, second(AL).T)) / m)

    assert likely_cause("compute_cost", compute_cost, capsys).startswith(cause)


def _linear_backward_with(change):
    def linear_backward(dZ, cache):
        dA_prev, dW, db = reference.linear_backward(dZ, cache)
        return change(dA_prev, dW, db, dZ.shape[1])
    return linear_backward


@pytest.mark.parametrize("change, relation", [
    (lambda dA_prev, dW, db, m: (dA_prev, dW / m, db / m), "m_times_too_small"),
    (lambda dA_prev, dW, db, m: (-dA_prev, dW, db), "wrong_sign"),
    (lambda dA_prev, dW, db, m: (dA_prev, dW, db * 2), "twice_too_large"),
    (lambda dA_prev, dW, db, m: (dA_prev, dW, db.ravel()), "right_values_in_another_shape"),
    (lambda dA_prev, dW, db, m: (dA_prev.T, dW, db), "transposed"),
    (lambda dA_prev, dW, db, m: (dA_prev[::-1], dW, db), "right_numbers_in_other_places"),
    (lambda dA_prev, dW, db, m: (dA_prev, dW * 3.7, db), "constant_factor"),
], ids=lambda value: value if isinstance(value, str) else "")
def test_each_relationship_is_found_when_it_holds_on_every_wrong_value(change, relation):
    cause = explain(answer_of("linear_backward", _linear_backward_with(change)))
    assert cause is not None and cause.id == f"linear_backward.{relation}", cause


def test_a_relationship_that_holds_for_one_wrong_value_but_not_another_is_not_named():
    cause = explain(answer_of("linear_backward", _linear_backward_with(lambda dA_prev, dW, db, m: (dA_prev, dW * m,
                                                                                                 db + 1.0))))
    assert cause is None
