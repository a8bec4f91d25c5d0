"""How a wrong answer relates to the right one, found on every wrong value of every call, or not at all.

Each value of an answer (an array, a number, an item of a dict or a tuple) that differs from the right one is
compared with it: is it the right value times a constant (and which: m, 1/m, -1, 100, He's sqrt(2 / n_prev) ...),
transposed, the same numbers in another shape or in other places, or, for a weight matrix, a draw that cannot come
from the normal distribution? A relationship is named only when it holds for every wrong value on every call;
otherwise, when the wrong values are those of some layers only, that is said; otherwise nothing is.
"""
import re

import numpy as np

from ..compare import ATOL, RTOL

INITIALISERS = ("initialize_parameters", "initialize_parameters_deep")
WEIGHT = re.compile(r"W\d+")


def explain(answer):
    """(id, description) of the relationship that holds on every wrong value of `answer`, or None."""
    wrong_values, right_names = [], set()
    for index, (call, expected, outcome) in enumerate(zip(answer.calls, answer.expected, answer.outcomes)):
        if not answer.wrong[index]:
            continue
        if outcome.raised is not None:
            return None
        differing, agreeing = _compare(_output_items(answer.spec, expected, outcome.output))
        if differing is None:  # not the same structure: the plain facts say how
            return None
        wrong_values += [(call, *item) for item in differing]
        right_names |= agreeing
    if not wrong_values:
        return None
    common = set.intersection(*(_relations(answer, *value) for value in wrong_values))
    names = list(dict.fromkeys(name for _, name, _, _ in wrong_values))
    for relation in RELATIONS:
        if relation in common:
            return f"{answer.function_name}.{relation}", _describe(relation, names, answer, wrong_values)
    return _some_layers(answer, names, right_names - set(names))


def _output_items(spec, expected, actual):
    """[(name, expected, actual)] of the outputs, a tuple's outputs each by its name."""
    if len(spec.outputs) == 1:
        return [(spec.outputs[0], expected, actual)]
    if not isinstance(actual, (tuple, list)) or len(actual) != len(spec.outputs):
        return None
    return list(zip(spec.outputs, expected, actual))


def _compare(items):
    """(the (name, expected, actual) leaves that differ, the names of those that agree), or (None, None) where the
    structure itself differs (a missing key, another length, another type)."""
    if items is None:
        return None, None
    differing, agreeing = [], set()
    stack = list(reversed(items))
    while stack:
        name, expected, actual = stack.pop()
        if isinstance(expected, dict):
            if not isinstance(actual, dict) or set(actual) != set(expected):
                return None, None
            stack += [(key, expected[key], actual[key]) for key in reversed(list(expected))]
        elif isinstance(expected, (tuple, list)):
            if not isinstance(actual, (tuple, list)) or len(actual) != len(expected):
                return None, None
            stack += [(f"{name}[{index}]", item, actual[index]) for index, item in reversed(list(enumerate(expected)))]
        elif _numeric(expected) and _numeric(actual):
            if _close(expected, actual):
                agreeing.add(name)
            else:
                differing.append((name, np.asarray(expected, dtype=float), np.asarray(actual, dtype=float)))
        elif not _equal(expected, actual):
            return None, None
    return differing, agreeing


def _numeric(value):
    return isinstance(value, (int, float, np.ndarray, np.generic)) and not isinstance(value, bool) and \
        np.asarray(value).dtype.kind in "iuf"


def _equal(expected, actual):
    try:
        return bool(expected == actual)
    except Exception:
        return False


def _close(expected, actual):
    expected, actual = np.asarray(expected), np.asarray(actual)
    return expected.shape == actual.shape and bool(np.allclose(actual, expected, rtol=RTOL, atol=ATOL))


def _factor(expected, actual):
    """The constant c with actual = c * expected, if there is one."""
    if expected.shape != actual.shape or not np.all(np.isfinite(actual)):
        return None
    nonzero = np.abs(expected) > ATOL
    if not nonzero.any() or not np.allclose(actual[~nonzero], 0, atol=ATOL):
        return None
    ratios = actual[nonzero] / expected[nonzero]
    ratio = float(np.median(ratios))
    return ratio if np.allclose(ratios, ratio, rtol=1e-5, atol=0) else None


def _is(value, target):
    return value is not None and bool(np.isclose(value, target, rtol=1e-5, atol=0))


def _relations(answer, call, name, expected, actual):
    """The names of the relationships that hold between one wrong value and the right one."""
    found = set()
    ratio = _factor(expected, actual)
    m = answer.spec.m(call.args)
    weight = answer.function_name in INITIALISERS and WEIGHT.fullmatch(name) and expected.ndim == 2
    for relation, factor in (("m_times_too_large", m), ("m_times_too_small", 1 / m if m else None),
                             ("wrong_sign", -1.0), ("twice_too_large", 2.0), ("half_too_small", 0.5)):
        if factor is not None and factor != 1 and _is(ratio, factor):
            found.add(relation)
    if weight:
        n_prev = expected.shape[1]
        found |= {relation for relation, factor in (("weights_without_the_0_01_factor", 100.0),
                                                    ("he_scaling_instead_of_0_01", 100 * np.sqrt(2 / n_prev)),
                                                    ("xavier_scaling_instead_of_0_01", 100 / np.sqrt(n_prev)),
                                                    ("weights_10_times_too_large", 10.0))
                  if _is(ratio, factor)}
        if actual.min() >= 0 and expected.min() < 0:
            found.add("uniform_draw_instead_of_the_normal")
    elif ratio is not None and not found:
        found.add("constant_factor")
    if expected.ndim == 2 and actual.shape == expected.shape[::-1] and _close(expected.T, actual):
        found.add("transposed")
    if actual.shape != expected.shape and actual.size == expected.size and _close(expected.ravel(), actual.ravel()):
        found.add("right_values_in_another_shape")
    if actual.shape == expected.shape and not _close(expected, actual) and \
            _close(np.sort(expected, axis=None), np.sort(actual, axis=None)):
        found.add("right_numbers_in_other_places")
    return found


RELATIONS = ("m_times_too_large", "m_times_too_small", "wrong_sign",
             "weights_without_the_0_01_factor", "he_scaling_instead_of_0_01", "xavier_scaling_instead_of_0_01",
             "weights_10_times_too_large", "uniform_draw_instead_of_the_normal", "transposed",
             "right_values_in_another_shape", "right_numbers_in_other_places", "twice_too_large", "half_too_small",
             "constant_factor")


def _listed(names):
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _describe(relation, names, answer, wrong_values):
    values, verb = _listed(names), "is" if len(names) == 1 else "are"
    if relation == "constant_factor":
        ratios = {round(_factor(expected, actual), 4) for _, _, expected, actual in wrong_values}
        times = f"{ratios.pop():g} times the right value" if len(ratios) == 1 else "the right values times a constant"
        return f"{values} {verb} {times}: a factor of the formula is off"
    shapes = {(tuple(expected.shape), tuple(actual.shape)) for _, _, expected, actual in wrong_values}
    right, got = (shapes.pop() if len(shapes) == 1 else ("the right shape", "another"))
    sentences = {
        "m_times_too_large": f"{values} {verb} m times too large: divide by m, the number of examples",
        "m_times_too_small": f"{values} {verb} m times too small: divide by m once only",
        "wrong_sign": f"{values} {verb} the right value with the wrong sign: mind the minus sign",
        "twice_too_large": f"{values} {verb} twice the right value: a term is counted twice",
        "half_too_small": f"{values} {verb} half the right value: a factor of 2 is missing",
        "weights_without_the_0_01_factor": f"{values} {verb} 100 times too large: multiply the random numbers by "
                                           f"0.01, np.random.randn(...) * 0.01",
        "he_scaling_instead_of_0_01": f"{values} {verb} scaled by np.sqrt(2 / n_prev) (He initialisation): this "
                                      f"notebook scales the random numbers by 0.01",
        "xavier_scaling_instead_of_0_01": f"{values} {verb} scaled by 1 / np.sqrt(n_prev) (Xavier initialisation): "
                                          f"this notebook scales the random numbers by 0.01",
        "weights_10_times_too_large": f"{values} {verb} 10 times too large: scale the random numbers by 0.01",
        "uniform_draw_instead_of_the_normal": f"{values} {verb} never negative: np.random.rand draws from [0, 1); "
                                              f"draw from the standard normal distribution with np.random.randn",
        "transposed": f"{values} {verb} transposed: the right values, with rows and columns swapped",
        "right_values_in_another_shape": (f"{values} {verb} the right values in the shape {got}, expected {right}: "
                                          f"keep the shape (keepdims=True, or reshape)" if got != "another" else
                                          f"{values} {verb} the right values in another shape: keep the shape of the "
                                          f"right answer, (n, 1) for a column (keepdims=True, or reshape)"),
        "right_numbers_in_other_places": f"{values} {verb} the right numbers in other places: the random numbers "
                                         f"are drawn in another order or shape than the template's"
        if answer.function_name in INITIALISERS else f"{values} {verb} the right numbers in other places",
    }
    return sentences[relation]


def _some_layers(answer, wrong_names, right_names):
    """(id, description) saying which layers are wrong, when the others are right; None otherwise."""
    layer = re.compile(r"d?[WbA](\d+)")
    if any(not layer.fullmatch(name) for name in wrong_names):
        return None
    wrong_layers = {layer.fullmatch(name)[1] for name in wrong_names}
    right_layers = {match[1] for name in right_names if (match := layer.fullmatch(name))} - wrong_layers
    if not right_layers:
        return None
    listed = _listed(sorted(wrong_layers, key=int))
    return (f"{answer.function_name}.some_layers_only",
            f"only layer{'s' if len(wrong_layers) > 1 else ''} {listed} {'are' if len(wrong_layers) > 1 else 'is'} "
            f"wrong ({_listed(wrong_names)}); layer{'s' if len(right_layers) > 1 else ''} "
            f"{_listed(sorted(right_layers, key=int))} {'are' if len(right_layers) > 1 else 'is'} right")
