"""Naming the mistake: every catalogue mistake is named by its own description, in the visible check a student
runs (testCases/checks.py, from mistakes.json) and by the grader (autograder/hidden/diagnosis.py, from the
kernel's results); a mistake in one function fails only that function's visible check (callees.json)."""
import contextlib
import io
import warnings

import pytest

from autograder.hidden.simulated import simulated_results
from autograder.hidden import diagnosis
from test_fair_grading import BUG_ENTRIES, CATALOGUES, HIDDEN, _student_namespace
from testCases import CheckFailed, check, mistakes
from testCases.checks import VISIBLE_CALLS, same_outcome


def _mistake(assignment, function_name, label):
    return next(mistake for mistake in CATALOGUES[assignment].BUGS[function_name] if mistake.label == label)


BUG_PARAMS = [pytest.param(assignment, function_name, label, source, id=f"{assignment}-{function_name}-{label}")
              for assignment, _, function_name, label, source in BUG_ENTRIES]


def _reproducible(assignment, function_name, mistake, calls):
    return all(diagnosis.mistake_outcome(HIDDEN[assignment].TESTS, function_name, mistake, call) is not None
               for call in calls)


def _run_check(namespace, function_name):
    """(passed, printed text) of the visible check of `function_name` run in the student's `namespace`."""
    out = io.StringIO()
    try:
        with contextlib.redirect_stdout(out), warnings.catch_warnings():
            warnings.simplefilter("error")
            namespace["check"](function_name, namespace[function_name])
    except Exception:
        return False, out.getvalue()
    return True, out.getvalue()


def _named(assignment, function_name, text):
    """The descriptions of `function_name`'s catalogue mistakes that `text` shows."""
    return {mistake.description for mistake in CATALOGUES[assignment].BUGS[function_name]
            if mistake.description in text}


def test_every_mistake_has_a_unique_id_and_a_one_sentence_description():
    every = [mistake for catalogue in CATALOGUES.values() for entries in catalogue.BUGS.values() for mistake in entries]
    assert len({mistake.id for mistake in every}) == len(every)
    for mistake in every:
        assert mistake.id.startswith(mistake.source[4:mistake.source.index("(")] + ".")
        assert 20 < len(mistake.description) <= 160 and "\n" not in mistake.description, mistake.id
    assert len({mistake.description for mistake in every}) > 0.9 * len(every)


def _told_apart(assignment, function_name, mistake, calls):
    """Whether no other catalogue mistake with another description has the same outcomes on `calls` (the same
    exception messages too, which rank a mistake above one whose messages are only compatible)."""
    tests = HIDDEN[assignment].TESTS
    own = [diagnosis.mistake_outcome(tests, function_name, mistake, call) for call in calls]
    for other in CATALOGUES[assignment].BUGS[function_name]:
        if other.description != mistake.description and all(
                outcome is not None and (theirs := diagnosis.mistake_outcome(tests, function_name, other, call))
                is not None and same_outcome(function_name, call, theirs, outcome) and theirs.raised == outcome.raised
                for call, outcome in zip(calls, own)):
            return False
    return True


@pytest.mark.parametrize("assignment, function_name, label, source", BUG_PARAMS)
def test_visible_check_names_the_mistakes_own_description(assignment, function_name, label, source, monkeypatch):
    """Named exactly when the check fails and its calls tell the mistake apart from the others of the catalogue."""
    mistake = _mistake(assignment, function_name, label)
    passed, text = _run_check(_student_namespace(assignment, function_name, source, monkeypatch), function_name)
    calls = HIDDEN[assignment].TESTS.visible_calls(function_name)
    known = not passed and _reproducible(assignment, function_name, mistake, calls) and \
        _told_apart(assignment, function_name, mistake, calls)
    assert _named(assignment, function_name, text) == ({mistake.description} if known else set()), text


@pytest.mark.parametrize("assignment, function_name, label, source", BUG_PARAMS)
def test_a_mistake_fails_only_its_own_functions_visible_check(assignment, function_name, label, source,
                                                             monkeypatch):
    namespace = _student_namespace(assignment, function_name, source, monkeypatch)
    failing = {other for other in HIDDEN[assignment].HIDDEN_CALLS if other != function_name
               and not _run_check(namespace, other)[0]}
    assert failing == set()


@pytest.mark.parametrize("assignment, function_name, label, source", BUG_PARAMS)
def test_grader_names_the_mistake_that_behaves_as_the_submission(assignment, function_name, label, source):
    tests = HIDDEN[assignment].TESTS
    mistake = _mistake(assignment, function_name, label)
    calls = tests.calls(function_name)
    named = diagnosis.name_mistake(tests, function_name, calls,
                                   simulated_results(tests, function_name, mistake.source, calls))
    expected = mistake.id if _reproducible(assignment, function_name, mistake, calls) else None
    assert (named.id if named else None) == expected


def test_an_exception_a_mistake_raises_is_named_with_the_exception_quoted_after_it(monkeypatch):
    mistake = _mistake("step_by_step", "linear_backward", "W instead of W.T in dA_prev")
    namespace = _student_namespace("step_by_step", "linear_backward", mistake.source, monkeypatch)
    passed, text = _run_check(namespace, "linear_backward")
    assert not passed
    assert (f"\u2718 {mistake.description} (linear_backward raised ValueError: shapes (3,5) and (3,4) not aligned"
            in text), text


def test_an_exception_no_mistake_raises_is_reported_as_the_students_own(capsys):
    def linear_forward(A, W, b):
        return A.no_such_attribute

    with pytest.raises(CheckFailed) as failure:
        check("linear_forward", linear_forward)
    out = capsys.readouterr().out
    assert "\u2718 linear_forward raised AttributeError: 'numpy.ndarray' object has no attribute" in out
    rendered = "\n".join(failure.value._render_traceback_())
    assert "in linear_forward" in rendered and "checks.py" not in rendered


def test_a_function_not_written_yet_gets_one_line(capsys):
    def linear_backward(dZ, cache):
        raise NotImplementedError()

    with pytest.raises(CheckFailed) as failure:
        check("linear_backward", linear_backward)
    assert capsys.readouterr().out.splitlines() == [
        "Checking linear_backward:",
        "  \u2718 linear_backward is not written yet: replace raise NotImplementedError() with your code"]
    assert failure.value._render_traceback_() == ["CheckFailed: linear_backward is not written yet"]


def test_a_wrong_callee_is_named_when_the_function_itself_is_right(monkeypatch):
    mistake = _mistake("step_by_step", "linear_backward", "missing 1/m in dW")
    namespace = _student_namespace("step_by_step", "linear_backward", mistake.source, monkeypatch)
    passed, text = _run_check(namespace, "linear_activation_backward")
    assert passed
    assert "linear_backward, which linear_activation_backward calls, fails its own check: fix it first" in text


def test_the_visible_mistakes_file_covers_every_mistake_on_every_visible_call():
    stored = mistakes.load()
    for catalogue in CATALOGUES.values():
        for function_name, entries in catalogue.BUGS.items():
            entries = entries + getattr(catalogue, "VARIANTS", {}).get(function_name, [])
            assert [item.id for item in stored[function_name]] == [mistake.id for mistake in entries]
            assert all(len(item.outcomes) == len(VISIBLE_CALLS[function_name]()) for item in stored[function_name])


def test_a_callee_not_written_yet_is_named_rather_than_the_function_checked(capsys):
    def linear_backward(dZ, cache):
        raise NotImplementedError()

    def linear_activation_backward(dA, cache, activation):
        return linear_backward(dA * 2, cache[0])  # not a call a correct version makes: goes to linear_backward

    with pytest.raises(CheckFailed, match="linear_backward is not written yet"):
        check("linear_activation_backward", linear_activation_backward)
    assert ("\u2718 linear_backward, which linear_activation_backward calls, is not written yet: write it first"
            in capsys.readouterr().out)
