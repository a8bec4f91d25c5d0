"""testCases.compare: every way an answer can be wrong gets a message that names it."""
import numpy as np
import pytest

from testCases.compare import costs_mismatch, mismatch, predictions_mismatch

EXPECTED = np.array([[1.0, -2.0, 3.0], [0.5, 0.25, -1.5]])


def test_equal_values_have_no_mismatch():
    assert mismatch("Z", EXPECTED, EXPECTED.copy()) is None
    assert mismatch("cache", (EXPECTED, 2.0), [EXPECTED + 1e-12, 2.0]) is None
    assert mismatch("grads", {"dW1": EXPECTED}, {"dW1": EXPECTED}) is None


@pytest.mark.parametrize("actual, message", [
    (EXPECTED.tolist(), "Z is a list, expected a numpy array"),
    (EXPECTED.T, "Z has shape (3, 2), expected (2, 3): is it transposed"),
    (EXPECTED[:1], "Z has shape (1, 3), expected (2, 3)"),
    (EXPECTED.astype(int), "Z has dtype int64, expected float64"),
    (EXPECTED * np.nan, "Z contains NaN or infinite values"),
    (EXPECTED * 4, "it is m = 4 times too large, did you divide by m?"),
    (EXPECTED / 4, "it is m = 4 times too small, did you divide by m twice?"),
    (-EXPECTED, "it has the wrong sign"),
    (EXPECTED + np.array([[0, 0, 0], [0, 0.5, 0]]), "largest difference 0.5 at index (1, 1)"),
], ids=["list", "transposed", "shape", "dtype", "nan", "m-times-too-large", "m-times-too-small", "sign", "values"])
def test_array_mismatch_names_the_difference(actual, message):
    assert message in mismatch("Z", EXPECTED, actual, m=4)


def test_square_transposed_values_are_named():
    square = np.array([[1.0, 2.0], [3.0, 4.0]])
    assert "it is transposed" in mismatch("W", square, square.T)


def test_missing_keepdims_is_named():
    assert "keepdims=True" in mismatch("db", np.ones((3, 1)), np.ones(3))


def test_unsqueezed_scalar_is_named():
    assert "np.squeeze" in mismatch("cost", np.float64(0.5), np.array([[0.5]]))


def test_scalar_that_is_m_times_too_large_is_named():
    assert "m = 3 times too large" in mismatch("cost", 0.5, 1.5, m=3)


def test_hidden_mode_keeps_values_out_of_the_message():
    for actual in (EXPECTED + 0.5, np.float64(0.75)):
        expected = EXPECTED if np.ndim(actual) else 0.5
        message = mismatch("x", expected, actual, show_values=False)
        assert "wrong" in message and "difference" not in message and "expected 0.5" not in message


@pytest.mark.parametrize("actual, message", [
    ((EXPECTED,), "cache has 1 items, expected 2"),
    (EXPECTED, "cache is a ndarray, expected a tuple of 2 items"),
    ((EXPECTED, EXPECTED), "cache[1] has shape (2, 3), expected (2,)"),
])
def test_structure_mismatch_names_the_position(actual, message):
    assert mismatch("cache", (EXPECTED, np.ones(2)), actual) == message


@pytest.mark.parametrize("actual, message", [
    ({"W1": EXPECTED}, "grads is missing the key(s) 'b1'"),
    ({"W1": EXPECTED, "b1": EXPECTED, "dA2": EXPECTED}, "grads has unexpected key(s) 'dA2'"),
    ([EXPECTED, EXPECTED], "grads is a list, expected a dict"),
])
def test_dict_mismatch_names_the_key(actual, message):
    assert mismatch("grads", {"W1": EXPECTED, "b1": EXPECTED}, actual) == message


def test_strings_compare_by_equality():
    assert mismatch("activation", "relu", "relu") is None
    assert mismatch("activation", "relu", "sigmoid") == "activation is 'sigmoid', expected 'relu'"


def test_none_and_booleans_compare_by_identity():
    assert mismatch("y", None, None) is None
    assert mismatch("print_cost", False, False) is None
    assert mismatch("y", None, EXPECTED) == f"y is {EXPECTED!r}, expected None"


COSTS = [0.69, 0.41, 0.22, 0.20]  # recorded at iterations 0, 100, 200 and 249 of 250


@pytest.mark.parametrize("actual, message", [
    (COSTS[:3], "costs has 3 entries, expected 4: record the cost at iteration 0, every 100 iterations "
                "(i % 100 == 0) and at the last one (i == num_iterations - 1)"),
    ([0.69] * 4, "costs never changes during training: update the parameters at every iteration"),
    ([0.69, 0.9, 1.4, 2.5], "costs rises during training: is every step taken against the gradient"),
    ([0.69, 0.9, float("nan"), float("nan")], "costs holds NaN or infinite values: the cost blew up"),
    ([0.75, 0.41, 0.22, 0.20], "costs[0], the cost of the initial parameters, is wrong"),
    ([0.69, 0.41, 0.25, 0.20], "costs[2] is 0.25, which is wrong"),
    (0.69, "costs is a float, expected a list of 4 costs"),
], ids=["cadence", "never-changes", "rises", "blows-up", "initialisation", "values", "not-a-list"])
def test_costs_mismatch_names_the_training_loop_mistake(actual, message):
    assert message in costs_mismatch("costs", COSTS, actual)


def test_costs_may_be_numpy_scalars_or_an_array():
    assert costs_mismatch("costs", COSTS, [np.array(cost) for cost in COSTS]) is None
    assert costs_mismatch("costs", COSTS, np.array(COSTS)) is None


PREDICTIONS = np.array([[1, 0, 1, 0]])


@pytest.mark.parametrize("actual", [PREDICTIONS, PREDICTIONS.astype(float), PREDICTIONS.astype(bool)],
                         ids=["int", "float", "bool"])
def test_predictions_of_any_dtype_holding_0_and_1_match(actual):
    assert predictions_mismatch("p", PREDICTIONS, actual) is None


@pytest.mark.parametrize("actual, message", [
    (np.array([[0.9, 0.2, 0.7, 0.5]]), "p holds values other than 0 and 1"),
    (PREDICTIONS[0], "p has shape (4,), expected (1, 4): one prediction per example, in a single row"),
    (PREDICTIONS.T, "p has shape (4, 1), expected (1, 4)"),
    (np.array([[1, 0, 1, 1]]), "p has 1 wrong prediction(s) out of 4: predict 1 when the probability is greater "
                               "than 0.5 (a probability of exactly 0.5 gives 0)"),
    ([1, 0, 1, 0], "p is a list of 4 items, expected a numpy array of 0/1 predictions"),
], ids=["probabilities", "flat", "column", "threshold", "list"])
def test_predictions_mismatch_names_the_mistake(actual, message):
    assert message in predictions_mismatch("p", PREDICTIONS, actual)
