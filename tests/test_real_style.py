"""On code written the ways published solutions of this assignment are written (autograder/catalogue/real_style.py,
our own variants), the grade names a right cause for every bug and never a wrong one, and every correct answer gets
full marks: the verdicts the grader gives after its kernel ran each cell (make bench-diagnosis prints the shares)."""
import pytest

from autograder.bench import diagnosis as bench
from autograder.hidden import simulated
from autograder.catalogue import real_style
from autograder.grading.outcomes import Status

TESTS = simulated.hidden_tests("step_by_step")
BUGS = [pytest.param(function_name, causes, source, id=f"{function_name}: {label}")
        for function_name, entries in real_style.BUGS.items() for label, causes, source in entries]
CORRECT = [pytest.param(function_name, source, id=f"{function_name}: {label}")
           for function_name, entries in real_style.CORRECT.items() for label, source in entries]


@pytest.mark.parametrize("function_name, causes, source", BUGS)
def test_a_real_style_bug_is_caught_and_named_with_a_right_cause(function_name, causes, source):
    verdict = simulated.verdict(TESTS, function_name, source)
    assert verdict.status != Status.PASSED and verdict.mistake in causes, verdict


@pytest.mark.parametrize("function_name, source", CORRECT)
def test_a_real_style_correct_answer_gets_full_marks_and_no_cause(function_name, source):
    verdict = simulated.verdict(TESTS, function_name, source)
    assert verdict.status == Status.PASSED and not verdict.mistake, verdict


def test_a_name_left_over_from_an_earlier_cell_is_told_with_the_name_the_loop_made():
    source = dict((label, source) for label, _, source in real_style.BUGS["L_model_backward"])[
        "a name left over from an earlier cell stored"]
    assert "did you mean dA_prev_temp?" in simulated.verdict(TESTS, "L_model_backward", source).message


def test_make_bench_diagnosis_meets_its_targets(capsys):
    assert bench.main([]) == 0
    assert "real-style variants" in capsys.readouterr().out
