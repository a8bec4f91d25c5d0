"""Turn a wrong answer into one line a student can act on.

`mismatch(name, expected, actual, m=...)` walks expected and actual side by side (arrays,
scalars, tuples, lists, dicts) and returns a message for the first difference, or None when
they agree. Where the difference looks like a typical mistake, the message names it.
"""
import numbers

import numpy as np

RTOL = 1e-6
ATOL = 1e-9


def mismatch(name, expected, actual, m=None, show_values=True):
    """Describe the first way `actual` differs from `expected`; None if it does not.

    name: what the value is called in the notebook, e.g. "dW" or "caches[1]".
    m: the number of examples, when a value that is m times off is a likely mistake.
    show_values: False keeps numbers that would reveal the expected value out of the message
        (hidden tests use it).
    """
    if isinstance(expected, dict):
        return _dict_mismatch(name, expected, actual, m, show_values)
    if isinstance(expected, (tuple, list)):
        return _sequence_mismatch(name, expected, actual, m, show_values)
    if isinstance(expected, str):
        return None if actual == expected else f"{name} is {actual!r}, expected {expected!r}"
    if expected is None or isinstance(expected, bool):
        return None if actual is expected else f"{name} is {actual!r}, expected {expected!r}"
    if np.ndim(expected) == 0:
        return _scalar_mismatch(name, expected, actual, m, show_values)
    return _array_mismatch(name, np.asarray(expected), actual, m, show_values)


def _type_name(value):
    return type(value).__name__


def _dict_mismatch(name, expected, actual, m, show_values):
    if not isinstance(actual, dict):
        return f"{name} is a {_type_name(actual)}, expected a dict"
    missing = [key for key in expected if key not in actual]
    if missing:
        return f"{name} is missing the key(s) {', '.join(map(repr, missing))}"
    extra = [key for key in actual if key not in expected]
    if extra:
        return f"{name} has unexpected key(s) {', '.join(map(repr, extra))}"
    for key in expected:
        problem = mismatch(f"{name}[{key!r}]", expected[key], actual[key], m, show_values)
        if problem:
            return problem
    return None


def _sequence_mismatch(name, expected, actual, m, show_values):
    # A list where the API says tuple (or the reverse) unpacks the same way, so both are accepted.
    if not isinstance(actual, (tuple, list)):
        kind = "tuple" if isinstance(expected, tuple) else "list"
        return f"{name} is a {_type_name(actual)}, expected a {kind} of {len(expected)} items"
    if len(actual) != len(expected):
        return f"{name} has {len(actual)} items, expected {len(expected)}"
    for index, (expected_item, actual_item) in enumerate(zip(expected, actual)):
        problem = mismatch(f"{name}[{index}]", expected_item, actual_item, m, show_values)
        if problem:
            return problem
    return None


def _scalar_mismatch(name, expected, actual, m, show_values):
    if isinstance(actual, np.ndarray) and actual.ndim > 0:
        if actual.size == 1:
            return (f"{name} has shape {actual.shape}, expected a scalar: "
                    f"did you forget np.squeeze?")
        return f"{name} has shape {actual.shape}, expected a scalar"
    if not isinstance(actual, (numbers.Real, np.ndarray)) or isinstance(actual, bool):
        return f"{name} is a {_type_name(actual)}, expected a number"
    actual = float(actual)
    if not np.isfinite(actual):
        return f"{name} is {actual}, expected a finite number"
    if np.isclose(actual, expected, rtol=RTOL, atol=ATOL):
        return None
    hint = _value_hint(np.float64(expected), np.float64(actual), m, show_values)
    return f"{name} is {actual:.6g}, which is wrong{hint}"


def _array_mismatch(name, expected, actual, m, show_values):
    if not isinstance(actual, np.ndarray):
        return f"{name} is a {_type_name(actual)}, expected a numpy array"
    if actual.shape != expected.shape:
        return f"{name} has shape {actual.shape}, expected {expected.shape}{_shape_hint(expected, actual)}"
    if actual.dtype.kind != expected.dtype.kind:
        return f"{name} has dtype {actual.dtype}, expected {expected.dtype}"
    if np.issubdtype(actual.dtype, np.number) and not np.all(np.isfinite(actual)):
        return f"{name} contains NaN or infinite values"
    if np.allclose(actual, expected, rtol=RTOL, atol=ATOL):
        return None
    return f"{name} has the right shape but wrong values{_value_hint(expected, actual, m, show_values)}"


def _shape_hint(expected, actual):
    if actual.shape == expected.shape[::-1]:
        return ": is it transposed (W where W.T belongs, or the reverse)?"
    if expected.ndim == 2 and expected.shape[1] == 1 and actual.shape == expected.shape[:1]:
        return ": did you sum with keepdims=True?"
    if expected.ndim == 2 and actual.ndim == 2 and actual.shape[0] == expected.shape[0]:
        return ": did you sum over the examples (axis=1)?"
    return ""


def _value_hint(expected, actual, m, show_values):
    def close(candidate):
        return np.allclose(actual, candidate, rtol=RTOL, atol=ATOL)

    if m is not None and m != 1 and close(expected * m):
        return f": it is m = {m} times too large, did you divide by m?"
    if m is not None and m != 1 and close(expected / m):
        return f": it is m = {m} times too small, did you divide by m twice?"
    if close(-expected):
        return ": it has the wrong sign"
    if expected.ndim == 2 and expected.shape[0] == expected.shape[1] and close(expected.T):
        return ": it is transposed"
    if not show_values:
        return ""
    if expected.ndim == 0:
        return f" (expected {expected:.6g})"
    largest = np.abs(actual - expected)
    index = np.unravel_index(np.argmax(largest), largest.shape)
    return f" (largest difference {largest[index]:.3g} at index {tuple(int(i) for i in index)})"


def costs_mismatch(name, expected, actual, m=None, show_values=True):
    """`mismatch` for the list of costs a training loop records, naming the usual mistakes of such a loop."""
    if not isinstance(actual, (tuple, list, np.ndarray)) or isinstance(actual, np.ndarray) and actual.ndim != 1:
        return f"{name} is {describe(actual)}, expected a list of {len(expected)} costs"
    if len(actual) != len(expected):
        return (f"{name} has {len(actual)} entries, expected {len(expected)}: record the cost at iteration 0, "
                f"every 100 iterations (i % 100 == 0) and at the last one (i == num_iterations - 1)")
    problem = mismatch(name, list(expected), list(actual), m, show_values)
    if problem is None or len(expected) < 2:
        return problem
    try:
        actual = np.asarray(actual, dtype=float)
    except (TypeError, ValueError):
        return problem
    if not np.all(np.isfinite(actual)):
        return (f"{name} holds NaN or infinite values: the cost blew up, is every step taken against the gradient "
                f"(mind the sign of dA and of the update)?")
    if np.allclose(actual, actual[0], rtol=RTOL, atol=ATOL):
        return (f"{name} never changes during training: update the parameters at every iteration "
                f"(parameters = update_parameters(...)) and initialise them once, before the loop")
    if actual[-1] > actual[0] and expected[-1] < expected[0]:
        return (f"{name} rises during training: is every step taken against the gradient "
                f"(mind the sign of dA and of the update)?")
    if not np.isclose(actual[0], expected[0], rtol=RTOL, atol=ATOL):
        return (f"{name}[0], the cost of the initial parameters, is wrong: initialise the parameters with the "
                f"function the docstring names")
    return problem


def predictions_mismatch(name, expected, actual, m=None, show_values=True):
    """`mismatch` for an array of 0/1 predictions: any dtype holding only 0 and 1 (int, float, bool) will do."""
    if not isinstance(actual, np.ndarray):
        return f"{name} is {describe(actual)}, expected a numpy array of 0/1 predictions"
    if actual.shape != expected.shape:
        return (f"{name} has shape {actual.shape}, expected {expected.shape}: "
                f"one prediction per example, in a single row")
    if not np.isin(actual, (0, 1)).all():
        return (f"{name} holds values other than 0 and 1: turn each probability into a prediction "
                f"(1 when it is greater than 0.5, else 0)")
    wrong = int(np.sum(actual != expected))
    if wrong:
        return (f"{name} has {wrong} wrong prediction(s) out of {expected.size}: predict 1 when the probability "
                f"is greater than 0.5 (a probability of exactly 0.5 gives 0)")
    return None


def describe(value):
    """What `value` is, in a few words: "a list of 3 items", "an array of shape (1, 5)"."""
    if isinstance(value, (tuple, list)):
        return f"a {_type_name(value)} of {len(value)} items"
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape}"
    return f"a {_type_name(value)}"
