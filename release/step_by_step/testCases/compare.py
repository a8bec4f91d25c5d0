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
