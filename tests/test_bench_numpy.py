"""make bench's FLOP accounting: it counts the matrix products the kit's iteration really makes."""
from unittest import mock

import numpy as np

import autograder.reference.step_by_step as reference
from autograder.bench import layers as bench_numpy

DIMS = [12, 5, 4, 3, 1]
M = 7


def counted_product_flops(call):
    """Run call() and return 2*n*k*m summed over every np.dot the reference module makes meanwhile."""
    flops = []
    real_dot = np.dot

    def counting_dot(a, b):
        product = real_dot(a, b)
        flops.append(2 * np.shape(a)[0] * np.shape(a)[1] * np.shape(product)[1])
        return product

    with mock.patch.object(reference.np, "dot", counting_dot):
        call()
    return sum(flops)


def test_iteration_flops_are_those_of_the_kits_matrix_products():
    X, Y = bench_numpy.make_data(DIMS[0], M)
    parameters = bench_numpy.make_parameters(DIMS)

    made = counted_product_flops(lambda: bench_numpy.numpy_iteration(X, Y, parameters))

    assert made == bench_numpy.iteration_flops(DIMS, M)


def test_layer_one_products_are_layer_ones_share_of_the_iteration():
    call, flops = bench_numpy.layer_one_products(DIMS, M)
    W1_X, dZ1_XT, W1T_dZ1 = call()

    assert (W1_X.shape, dZ1_XT.shape, W1T_dZ1.shape) == ((DIMS[1], M), (DIMS[1], DIMS[0]), (DIMS[0], M))
    assert flops == bench_numpy.iteration_flops(DIMS[:2], M)


def test_the_updated_parameters_are_new_arrays_and_the_inputs_are_untouched():
    X, Y = bench_numpy.make_data(DIMS[0], M)
    parameters = bench_numpy.make_parameters(DIMS)
    before = {name: value.copy() for name, value in parameters.items()}

    updated, cost, grads = bench_numpy.numpy_iteration(X, Y, parameters)

    assert all(np.array_equal(parameters[name], before[name]) for name in before)
    assert all(not np.array_equal(updated[f"W{l}"], before[f"W{l}"]) for l in range(1, len(DIMS)))
    assert np.isfinite(cost) and grads["dA0"].shape == X.shape
