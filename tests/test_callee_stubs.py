"""The stand-ins of a graded function's callees accept exactly the calls the reference accepts.

No kernel here: the stub is built as the kernel builds it (in_kernel._stub, with the signature the grader
sends) and its questions are answered by the grader's own code (remote._callee_answer), in this process.
"""
import importlib
import inspect
import re

import numpy as np
import pytest

from autograder.kernel import in_kernel
from autograder.kernel import conversation as remote
from autograder.paths import NOTEBOOKS


class Callees:
    """The part of HiddenTests that answering a stub needs: which names are answered, and with what."""

    def __init__(self, callees):
        self.callees = callees

    def remote_callees(self, function_name):
        return tuple(self.callees)

    def callee(self, name):
        return self.callees[name]


def scaled_sum(values, factor=2.0, *, offset=0.0):
    """A callee with a default and a keyword-only parameter, as a future assignment may give."""
    return factor * np.sum(values) + offset


def _stub(tests, name, monkeypatch):
    def ask(message):  # what the grader answers the kernel, through the message format both ends use
        return remote._callee_answer(tests, "graded", in_kernel.decode(in_kernel.encode(message)))

    monkeypatch.setattr(in_kernel, "ask", ask)
    return in_kernel._stub(name, remote.stub_signature(tests.callee(name)))


def _remote_callees():
    """[(assignment, callee name)] of every callee a grader answers, in both assignments."""
    pairs = set()
    for assignment in NOTEBOOKS:
        tests = importlib.import_module(f"autograder.hidden.{assignment}").TESTS
        pairs |= {(assignment, name) for function in tests.functions for name in tests.remote_callees(function)}
    return sorted(pairs)


def test_every_remote_callee_of_both_assignments_is_known():
    assert ("step_by_step", "linear_activation_forward") in _remote_callees()
    assert ("application", "initialize_parameters_deep_scaled") in _remote_callees()


@pytest.mark.parametrize("assignment, name", _remote_callees())
def test_a_stub_has_the_references_signature(assignment, name, monkeypatch):
    tests = importlib.import_module(f"autograder.hidden.{assignment}").TESTS
    stub = _stub(Callees({name: tests.callee(name)}), name, monkeypatch)
    reference = tests.callee(name)
    assert stub.__name__ == name
    assert list(inspect.signature(stub).parameters) == list(inspect.signature(reference).parameters)


@pytest.fixture
def linear_activation_forward(monkeypatch):
    tests = importlib.import_module("autograder.hidden.step_by_step").TESTS
    reference = tests.callee("linear_activation_forward")
    return _stub(Callees({"linear_activation_forward": reference}), "linear_activation_forward", monkeypatch), reference


ARGS = (np.arange(6.0).reshape(3, 2) - 2, np.ones((2, 3)) * 0.5, np.array([[0.1], [-0.2]]))


@pytest.mark.parametrize("call", [
    lambda f: f(*ARGS, "relu"),
    lambda f: f(*ARGS, activation="relu"),
    lambda f: f(ARGS[0], ARGS[1], b=ARGS[2], activation="relu"),
    lambda f: f(activation="relu", b=ARGS[2], W=ARGS[1], A_prev=ARGS[0]),
], ids=["positional", "last by keyword", "mixed", "every argument by keyword, out of order"])
def test_positional_keyword_and_mixed_calls_get_the_references_answer(linear_activation_forward, call):
    stub, reference = linear_activation_forward
    A, cache = call(stub)
    expected_A, expected_cache = reference(*ARGS, "relu")
    np.testing.assert_array_equal(A, expected_A)
    np.testing.assert_array_equal(cache[1], expected_cache[1])


@pytest.mark.parametrize("call", [
    lambda f: f(*ARGS),
    lambda f: f(*ARGS, activaton="relu"),
    lambda f: f(*ARGS, "relu", "sigmoid"),
    lambda f: f(*ARGS, "relu", activation="relu"),
], ids=["missing argument", "misspelt keyword", "one argument too many", "an argument given twice"])
def test_a_call_the_reference_rejects_raises_pythons_own_type_error(linear_activation_forward, call):
    stub, reference = linear_activation_forward
    with pytest.raises(TypeError) as by_reference:
        call(reference)
    with pytest.raises(TypeError, match=f"^{re.escape(str(by_reference.value))}$"):
        call(stub)


def test_defaults_left_out_are_the_references_own(monkeypatch):
    stub = _stub(Callees({"scaled_sum": scaled_sum}), "scaled_sum", monkeypatch)
    assert stub([1.0, 2.0]) == 6.0
    assert stub([1.0, 2.0], 3.0) == 9.0
    assert stub(values=[1.0, 2.0], offset=1.0) == 7.0
    with pytest.raises(TypeError, match="positional"):
        stub([1.0], 2.0, 1.0)  # offset is keyword-only


def test_arguments_that_are_not_a_call_of_the_callee_are_refused():
    tests = Callees({"scaled_sum": scaled_sum})
    for arguments in ([1.0, 2.0], {"values": [1.0], "unknown": 1}):
        answer = remote._callee_answer(tests, "graded", {"op": "callee", "name": "scaled_sum",
                                                         "args": in_kernel.encode(arguments)})
        assert answer["op"] == "raised" and answer["type"] == "MalformedMessage"
