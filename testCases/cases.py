"""Fixed inputs for the visible checks of the step-by-step and application assignments.

Each function builds its arrays from its own seeded generator, so a case is the same on every
machine and calling one case never changes what another (or the student's code) draws.
"""
import numpy as np


def _rng(seed):
    return np.random.default_rng(seed)


def initialize_parameters_test_case():
    """Returns (n_x, n_h, n_y)."""
    return 3, 2, 1


def initialize_parameters_deep_test_case():
    """Returns layer_dims for a network 5 -> 4 -> 3."""
    return [5, 4, 3]


def random_linear_cache(rng, n_prev, n, m):
    """(A_prev: (n_prev, m), W: (n, n_prev), b: (n, 1)), standard normal, drawn in that order from `rng`."""
    return rng.standard_normal((n_prev, m)), rng.standard_normal((n, n_prev)), rng.standard_normal((n, 1))


def random_parameters(rng, layer_dims):
    """{Wl: (n_l, n_{l-1}), bl: (n_l, 1)} for l = 1..L, standard normal, drawn layer by layer from `rng`."""
    parameters = {}
    for l in range(1, len(layer_dims)):
        parameters["W" + str(l)] = rng.standard_normal((layer_dims[l], layer_dims[l - 1]))
        parameters["b" + str(l)] = rng.standard_normal((layer_dims[l], 1))
    return parameters


def random_caches(rng, layer_dims, m):
    """[((A_prev, W, b), Z)] for every layer of a network `layer_dims` and a batch of m examples."""
    return [(random_linear_cache(rng, layer_dims[l - 1], layer_dims[l], m), rng.standard_normal((layer_dims[l], m)))
            for l in range(1, len(layer_dims))]


def linear_forward_test_case():
    """Returns (A, W, b) with A: (3, 2), W: (1, 3), b: (1, 1)."""
    return random_linear_cache(_rng(11), 3, 1, 2)


def linear_activation_forward_test_case():
    """Returns (A_prev, W, b) with A_prev: (3, 2), W: (1, 3), b: (1, 1)."""
    return random_linear_cache(_rng(12), 3, 1, 2)


def L_model_forward_test_case_2hidden():
    """Returns (X, parameters) for a network 5 -> 4 -> 3 -> 1 and a batch of 4 examples."""
    rng = _rng(13)
    X = rng.standard_normal((5, 4))
    return X, random_parameters(rng, [5, 4, 3, 1])


def compute_cost_test_case():
    """Returns (AL, Y) with AL: (1, 3) strictly between 0 and 1 and Y: (1, 3) of 0/1 labels."""
    AL = np.array([[0.8, 0.9, 0.4]])
    Y = np.array([[1, 1, 0]])
    return AL, Y


def linear_backward_test_case():
    """Returns (dZ, linear_cache) with dZ: (3, 4) and linear_cache = (A_prev: (5, 4), W: (3, 5), b: (3, 1))."""
    rng = _rng(14)
    dZ = rng.standard_normal((3, 4))
    return dZ, random_linear_cache(rng, 5, 3, 4)


def linear_activation_backward_test_case():
    """Returns (dA, cache) with dA: (1, 2) and cache = ((A_prev: (3, 2), W: (1, 3), b: (1, 1)), Z: (1, 2)).

    Z has a positive and a negative entry, so that relu_backward changes dA: skipping it shows.
    """
    rng = _rng(25)
    dA = rng.standard_normal((1, 2))
    return dA, random_caches(rng, [3, 1], 2)[0]


def L_model_backward_test_case():
    """Returns (AL, Y, caches) for a network 4 -> 3 -> 1 and a batch of 3 examples.

    AL: (1, 3), Y: (1, 3), caches: a list of 2 caches ((A_prev, W, b), Z).
    """
    rng = _rng(16)
    AL = rng.uniform(0.1, 0.9, (1, 3))
    Y = np.array([[1, 0, 1]])
    return AL, Y, random_caches(rng, [4, 3, 1], 3)


def update_parameters_test_case():
    """Returns (parameters, grads) for a network 4 -> 3 -> 1; use learning_rate = 0.1."""
    rng = _rng(17)
    layer_dims = [4, 3, 1]
    parameters, grads = {}, {}
    for l in range(1, len(layer_dims)):
        shape_W, shape_b = (layer_dims[l], layer_dims[l - 1]), (layer_dims[l], 1)
        parameters["W" + str(l)] = rng.standard_normal(shape_W)
        parameters["b" + str(l)] = rng.standard_normal(shape_b)
        grads["dW" + str(l)] = rng.standard_normal(shape_W)
        grads["db" + str(l)] = rng.standard_normal(shape_b)
    return parameters, grads


# The application: training loops and predictions.

def _separable_data(rng, n_x, m):
    """X: (n_x, m) in [0, 1) and Y: (1, m), 1 where the first two features add up to more than 1."""
    X = rng.uniform(0, 1, (n_x, m))
    Y = (X[0:1] + X[1:2] > 1).astype(int)
    return X, Y


def two_layer_model_test_case():
    """Returns (X, Y, layers_dims) for a 2-layer network 4 -> 3 -> 1 and a batch of 10 examples.

    X: (4, 10), Y: (1, 10), layers_dims = (n_x, n_h, n_y) = (4, 3, 1).
    """
    X, Y = _separable_data(_rng(18), 4, 10)
    return X, Y, (4, 3, 1)


def L_layer_model_test_case():
    """Returns (X, Y, layers_dims) for a network 4 -> 5 -> 3 -> 1 and a batch of 10 examples.

    X: (4, 10), Y: (1, 10), layers_dims = [4, 5, 3, 1].
    """
    X, Y = _separable_data(_rng(19), 4, 10)
    return X, Y, [4, 5, 3, 1]


def predict_test_case():
    """Returns (X, y, parameters) for a network 4 -> 3 -> 1 and a batch of 6 examples.

    X: (4, 6), y: (1, 6), parameters: W1: (3, 4), b1: (3, 1), W2: (1, 3), b2: (1, 1).
    The biases are zero and the last example is all zeros, so its probability is exactly 0.5.
    """
    rng = _rng(24)
    X = rng.standard_normal((4, 6))
    X[:, -1] = 0
    parameters = {"W1": rng.standard_normal((3, 4)), "b1": np.zeros((3, 1)),
                  "W2": rng.standard_normal((1, 3)), "b2": np.zeros((1, 1))}
    y = np.array([[1, 0, 1, 0, 1, 1]])
    return X, y, parameters
