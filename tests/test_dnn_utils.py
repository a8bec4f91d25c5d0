"""dnn_utils: the activations students are given must be right and never warn."""
import warnings

import numpy as np
import pytest

from dnn_utils import relu, relu_backward, sigmoid, sigmoid_backward

Z = np.array([[-3.0, -0.5, 0.0], [0.5, 2.0, 7.0]])


def test_sigmoid_returns_the_logistic_function_and_z_as_cache():
    A, cache = sigmoid(Z)
    np.testing.assert_allclose(A, 1 / (1 + np.exp(-Z)), rtol=1e-12)
    assert cache is Z


def test_relu_returns_the_positive_part_and_z_as_cache():
    A, cache = relu(Z)
    np.testing.assert_array_equal(A, np.maximum(Z, 0))
    assert cache is Z


@pytest.mark.parametrize("activation", [sigmoid, relu, lambda Z: (sigmoid_backward(np.ones_like(Z), Z),),
                                        lambda Z: (relu_backward(np.ones_like(Z), Z),)],
                         ids=["sigmoid", "relu", "sigmoid_backward", "relu_backward"])
def test_no_warning_for_extreme_inputs(activation):
    extreme = np.array([[-1e6, -800.0, -40.0, 0.0, 40.0, 800.0, 1e6]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = activation(extreme)[0]
    assert np.all(np.isfinite(result))


def test_sigmoid_saturates_to_exactly_zero_and_one():
    A, _ = sigmoid(np.array([[-1e6, 1e6]]))
    np.testing.assert_array_equal(A, [[0.0, 1.0]])


@pytest.mark.parametrize("forward, backward", [(sigmoid, sigmoid_backward), (relu, relu_backward)],
                         ids=["sigmoid", "relu"])
def test_backward_is_the_chain_rule_of_forward(forward, backward):
    """dZ = dA * g'(Z), checked against a centred finite difference away from ReLU's kink."""
    rng = np.random.default_rng(0)
    Z0 = rng.uniform(0.1, 2, (3, 4)) * rng.choice([-1, 1], (3, 4))
    dA = rng.standard_normal((3, 4))
    epsilon = 1e-6
    numeric = dA * (forward(Z0 + epsilon)[0] - forward(Z0 - epsilon)[0]) / (2 * epsilon)
    np.testing.assert_allclose(backward(dA, Z0), numeric, rtol=1e-6, atol=1e-9)


def test_relu_backward_does_not_change_da():
    dA = np.ones((2, 3))
    relu_backward(dA, Z)
    np.testing.assert_array_equal(dA, np.ones((2, 3)))
