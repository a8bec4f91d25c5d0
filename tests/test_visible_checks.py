"""testCases.check: what a student sees after running a check cell."""
import inspect

import numpy as np
import pytest

from autograder.generators.reference_solutions import reference_module
from autograder.paths import NOTEBOOKS
from autograder.reference import step_by_step as reference
from autograder.generators.reference_solutions import graded_functions
from testCases import SPECS, CheckFailed, check
from testCases import expected as expected_module

GRADED = [(assignment, function_name) for assignment in NOTEBOOKS for function_name in graded_functions(assignment)]


def test_every_graded_function_has_a_spec():
    assert sorted(function_name for _, function_name in GRADED) == sorted(SPECS)


@pytest.mark.parametrize("assignment, function_name", GRADED, ids=[name for _, name in GRADED])
def test_reference_passes_every_visible_check(assignment, function_name, capsys):
    check(function_name, getattr(reference_module(assignment), function_name))
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == f"Checking {function_name}:"
    assert lines[-1] == "All checks passed."
    # predict prints the accuracy it reaches before the check's own lines
    assert all("\u2714" in line for line in lines[1:-1] if not line.startswith("Accuracy: "))


def test_a_passing_check_does_not_read_the_typical_mistakes(monkeypatch, capsys):
    """Decoding every function's typical mistakes took most of a passing check's time, in every student's kernel."""
    from testCases import mistakes

    def unread(*args, **kwargs):
        raise AssertionError("a passing check read mistakes.json")

    monkeypatch.setattr(mistakes, "load", unread)
    check("L_model_forward", reference.L_model_forward)
    assert capsys.readouterr().out.splitlines()[-1] == "All checks passed."


def test_a_wrong_answer_prints_a_cross_with_the_reason_and_raises(capsys):
    def linear_backward_without_one_over_m(dZ, cache):
        dA_prev, dW, db = reference.linear_backward(dZ, cache)
        return dA_prev, dW * dZ.shape[1], db

    with pytest.raises(CheckFailed, match="linear_backward: 1 check"):
        check("linear_backward", linear_backward_without_one_over_m)
    out = capsys.readouterr().out
    assert "\u2714 dA_prev" in out and "\u2714 db" in out
    assert "\u2718 dW has the right shape but wrong values: it is m = 4 times too large" in out


def test_a_wrong_return_structure_is_reported():
    def linear_forward_returning_only_z(A, W, b):
        return reference.linear_forward(A, W, b)[0]

    with pytest.raises(CheckFailed):
        check("linear_forward", linear_forward_returning_only_z)


def test_changing_an_argument_is_reported(capsys):
    def update_in_place(params, grads, learning_rate):
        for key in params:
            params[key] -= learning_rate * grads["d" + key]
        return dict(params)

    with pytest.raises(CheckFailed):
        check("update_parameters", update_in_place)
    assert "update_parameters changed its argument params" in capsys.readouterr().out


def test_expected_values_survive_the_json_round_trip(tmp_path):
    value = {"a": (np.arange(6.0).reshape(2, 3), [np.float64(0.1), 3]), "b": np.array(0.25)}
    expected_module.dump({"f": [value]}, tmp_path / "e.json")
    loaded = expected_module.load(tmp_path / "e.json")["f"][0]
    assert isinstance(loaded["a"], tuple) and loaded["a"][0].shape == (2, 3)
    np.testing.assert_array_equal(loaded["a"][0], value["a"][0])
    assert loaded["a"][1] == [0.1, 3] and loaded["b"].shape == ()


def test_test_cases_are_the_same_on_every_call():
    from testCases import cases
    first, second = cases.L_model_backward_test_case(), cases.L_model_backward_test_case()
    np.testing.assert_array_equal(first[0], second[0])
    np.testing.assert_array_equal(first[2][1][1], second[2][1][1])


def test_a_training_loop_that_never_updates_is_named(capsys):
    application = reference_module("application")

    def never_updates(X, Y, layers_dims, learning_rate=0.0075, num_iterations=3000, print_cost=False):
        parameters, costs = application.L_layer_model(X, Y, layers_dims, learning_rate, 1)
        return parameters, [costs[0]] * len(application.L_layer_model(X, Y, layers_dims, learning_rate,
                                                                      num_iterations)[1])

    with pytest.raises(CheckFailed, match="L_layer_model: 2 check"):
        check("L_layer_model", never_updates)
    assert "\u2718 costs never changes during training" in capsys.readouterr().out


def test_predictions_print_the_accuracy_and_pass(capsys):
    check("predict", reference_module("application").predict)
    assert capsys.readouterr().out.splitlines()[1] == "Accuracy: 0.833"


def test_a_right_answer_that_warns_passes_with_a_note_and_nothing_on_stderr(capsys):
    def linear_backward_with_a_matrix(dZ, cache):
        dA_prev, dW, db = reference.linear_backward(dZ, cache)
        return dA_prev, dW, np.asarray(np.matrix(db))  # np.matrix warns (PendingDeprecationWarning)

    check("linear_backward", linear_backward_with_a_matrix)
    captured = capsys.readouterr()
    assert captured.out.rstrip().endswith("All checks passed.") and not captured.err
    assert "Note: linear_backward warned (PendingDeprecationWarning: the matrix subclass" in captured.out


def test_a_later_check_names_the_earliest_function_to_fix_never_one_whose_check_passed(capsys):
    """A bug in linear_backward makes linear_activation_backward, which calls it, wrong on L_model_backward's
    inputs; linear_activation_backward's own check passes (it is answered with a correct linear_backward)."""
    namespace = {"np": np, **{name: getattr(reference, name) for name in
                             ("sigmoid_backward", "relu_backward", "linear_activation_backward", "L_model_backward")}}
    namespace["linear_backward"] = lambda dZ, cache: tuple(value * 2 for value in reference.linear_backward(dZ, cache))
    for name in ("linear_activation_backward", "L_model_backward"):  # the student's own, calling the names above
        exec(compile(inspect.getsource(getattr(reference, name)), "<student>", "exec"), namespace)
    check("linear_activation_backward", namespace["linear_activation_backward"])
    check("L_model_backward", namespace["L_model_backward"])  # answered with correct results: it passes
    out = capsys.readouterr().out
    assert "Note: linear_backward, which L_model_backward calls, fails its own check: fix it first." in out
    assert "linear_activation_backward, which" not in out


def test_the_failure_message_stands_alone_as_nbgrader_validate_shows_it(capsys):
    """validate shows the error's message without the ✘ lines printed above it."""
    def linear_backward(dZ, cache):
        dA_prev, dW, db = reference.linear_backward(dZ, cache)
        return dA_prev, dW * dZ.shape[1], db

    with pytest.raises(CheckFailed) as failed:
        check("linear_backward", linear_backward)
    assert str(failed.value) == ("linear_backward: 1 check(s) failed, the first: dW has the right shape but wrong "
                                 "values: it is m = 4 times too large, did you divide by m?; likely cause: dW is m "
                                 "times too large: divide it by m")
    assert "above" not in str(failed.value)
