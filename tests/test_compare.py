"""testCases.compare: every way an answer can be wrong gets a message that names it."""
import numpy as np
import pytest

from testCases.compare import mismatch

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
