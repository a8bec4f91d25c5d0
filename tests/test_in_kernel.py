"""The plain-data format the student's kernel speaks (autograder/kernel/in_kernel.py): what the grader decodes is plain
values and arrays of a few numeric dtypes, whatever the kernel sends. No kernel here."""
import builtins
import json
import sys

import numpy as np
import pytest

from autograder.kernel.in_kernel import MAX_DEPTH, Foreign, MalformedMessage, ask, decode, encode


def _round_trip(value):
    return decode(json.loads(json.dumps(encode(value))))


@pytest.mark.parametrize("value", [None, True, 0, -7, 2.5, float("inf"), "text", "", (1, "a"), [1, [2, 3]],
                                   {"W1": 1.0, "b1": [0]}, (), []],
                         ids=repr)
def test_plain_values_come_back_equal_and_of_the_same_type(value):
    back = _round_trip(value)
    assert back == value and type(back) is type(value)


@pytest.mark.parametrize("dtype", ["bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32",
                                   "uint64", "float16", "float32", "float64", ">f8"])
def test_arrays_of_every_allowed_dtype_come_back_with_their_values_shape_and_dtype(dtype):
    array = (np.arange(12).reshape(3, 4) % 3).astype(dtype)
    back = _round_trip(array)
    assert back.shape == (3, 4) and back.dtype == array.dtype.newbyteorder("=")
    np.testing.assert_array_equal(back, array)
    back[0, 0] = 1  # writable: the grader may compare it in place


def test_numpy_scalars_and_empty_or_zero_dimensional_arrays_keep_their_kind():
    assert type(_round_trip(np.float64(0.5))) is np.float64 and _round_trip(np.float64(0.5)) == 0.5
    assert _round_trip(np.zeros((0, 3))).shape == (0, 3)
    assert _round_trip(np.array(2.0)).shape == ()


def test_a_non_contiguous_array_is_sent_as_its_values():
    array = np.arange(12.0).reshape(3, 4).T
    np.testing.assert_array_equal(_round_trip(array), array)


@pytest.mark.parametrize("value, name", [(object(), "object"), (np.array(["a"]), "ndarray of dtype <U1"),
                                         (np.array([1 + 2j]), "ndarray of dtype complex128"),
                                         ({1: "a"}, "dict with keys that are not strings"), ({1, 2}, "set")])
def test_other_types_become_foreign_values_that_equal_nothing(value, name):
    back = _round_trip(value)
    assert isinstance(back, Foreign) and back.type_name == name and back != value


def test_a_subclass_of_a_plain_type_is_not_taken_for_it():
    class Anything(float):
        def __eq__(self, other):
            return True

    assert isinstance(_round_trip(Anything(1.0)), Foreign)


def test_values_nested_past_the_limit_are_not_followed():
    value = []
    for _ in range(MAX_DEPTH + 5):
        value = [value]
    innermost = _round_trip(value)
    for _ in range(MAX_DEPTH):
        innermost = innermost[0]
    assert isinstance(innermost, Foreign) and innermost.type_name == "too deeply nested value"


@pytest.mark.parametrize("data", [
    None, [], "py", [1, 2], ["py"], ["py", [1]], ["py", {"a": 1}], ["tuple", "abc"], ["dict", [["a"]]],
    ["dict", [[1, ["py", 1]]]], ["martian", 1], ["object", 3],
    ["array", "<f8", [2], "AAAAAAAA8D8="], ["array", "<f8", [1], "not base64!"], ["array", "|O", [1], ""],
    ["array", "<f8", [-1], ""], ["array", "<f8", [1.5], ""], ["scalar", "<f8", [1], "AAAAAAAA8D8="],
    ["array", "<f8", "1", ""],
], ids=repr)
def test_malformed_data_is_rejected(data):
    with pytest.raises(MalformedMessage):
        decode(data)


def test_data_nested_past_the_limit_is_rejected_without_recursing_forever():
    data = ["py", 1]
    for _ in range(10 * MAX_DEPTH):
        data = ["list", [data]]
    with pytest.raises(MalformedMessage):
        decode(data)


def test_asking_the_grader_sets_the_output_streams_aside_for_the_request_only(monkeypatch):
    """ipykernel flushes both streams before an input request, waiting for its output thread each time; with the
    streams set aside, those flushes do nothing. The graded code finds its own streams again afterwards."""
    seen = []

    def input_request(prompt):
        seen.append((sys.stdout, sys.stderr, json.loads(prompt)))
        return json.dumps({"op": "done"})

    monkeypatch.setattr(builtins, "input", input_request)
    streams = sys.stdout, sys.stderr
    assert ask({"op": "ready"}) == {"op": "done"}
    [(stdout, stderr, sent)] = seen
    assert sent == {"op": "ready"} and stdout not in streams and stderr not in streams
    assert (sys.stdout, sys.stderr) == streams


def test_the_streams_come_back_when_the_request_fails(monkeypatch):
    def interrupted(prompt):
        raise KeyboardInterrupt

    monkeypatch.setattr(builtins, "input", interrupted)
    streams = sys.stdout, sys.stderr
    with pytest.raises(KeyboardInterrupt):
        ask({"op": "ready"})
    assert (sys.stdout, sys.stderr) == streams
