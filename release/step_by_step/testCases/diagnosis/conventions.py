"""Conventions of an earlier public version of this course, recognised in an answer and named as what they are.

The earlier template's `update_parameters(parameters, grads, learning_rate)` updated the dict it was given, and its
`L_model_backward` keyed the gradients dA1 ... dAL (the gradient of layer l's input under l + 1). Both are wrong in
this notebook, whose `update_parameters(params, ...)` leaves its argument alone and whose grads hold dA0 ...
dA{L-1}; a student who wrote them learnt from the earlier version, which the instructor may want to know.
"""
import re

from ..compare import mismatch

EARLIER = "an earlier version of this course"


def earlier_version(answer):
    """(id, description) of the earlier convention the answer follows, or None."""
    for recognise in (_updates_its_argument, _gradients_keyed_from_1):
        cause = recognise(answer)
        if cause is not None:
            return cause
    return None


def _same(expected, actual):
    return mismatch("value", expected, actual) is None


def _updates_its_argument(answer):
    """update_parameters(parameters, ...) whose output is right, but which left the new values in the dict it was
    given."""
    if answer.function_name != "update_parameters":
        return None
    for call, expected, outcome in zip(answer.calls, answer.expected, answer.outcomes):
        if outcome.raised is not None or outcome.args_after is None or not _same(expected, outcome.output):
            return None
        params = outcome.args_after[0]
        if _same(call.args[0], params) or not _same(expected, params):
            return None
    if not answer.parameters or answer.parameters[0] != "parameters":
        return None  # the catalogue names what this notebook's own version did (its in-place mistake)
    return ("update_parameters.earlier_version_updates_the_dict_it_is_given",
            f"this is update_parameters(parameters, grads, learning_rate) of {EARLIER}, which updates the dict it "
            f"is given; this notebook's update_parameters(params, grads, learning_rate) leaves params as it was and "
            f"returns the updated copy: keep the template's parameters = copy.deepcopy(params), then update "
            f"parameters")


def _gradients_keyed_from_1(answer):
    """L_model_backward whose grads hold every right gradient, but each dA under the index of the layer after."""
    if answer.function_name != "L_model_backward":
        return None
    for expected, outcome in zip(answer.expected, answer.outcomes):
        if outcome.raised is not None or not isinstance(outcome.output, dict) or not isinstance(expected, dict):
            return None
        shifted = {_shift(key, -1): value for key, value in outcome.output.items()}
        if set(shifted) != set(expected) or not all(_same(expected[key], shifted[key]) for key in expected):
            return None
        if shifted.keys() == outcome.output.keys():
            return None
    return ("L_model_backward.earlier_version_keys_da1_to_dal",
            f"grads keys the gradients dA1 ... dAL, as {EARLIER} did; this notebook keys each layer's input "
            f"gradient by the layer before it, dA0 ... dA{{L-1}}: grads['dA' + str(l - 1)] is what layer l returns as "
            f"dA_prev (the values themselves are right)")


def _shift(key, by):
    """'dA3' shifted by -1 is 'dA2'; the dW and db keys stay."""
    match = re.fullmatch(r"dA(\d+)", str(key))
    return f"dA{int(match[1]) + by}" if match else key
