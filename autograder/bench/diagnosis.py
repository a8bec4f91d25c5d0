"""How often the grade names a likely cause: the share of catalogue mistakes whose verdict names a mistake.

`python -m autograder.bench.diagnosis` grades every catalogue mistake in this process, as the grader would after its
kernel ran it (the mistake's own outcomes stand for the kernel's results), and prints, per assignment, how many
verdicts name a mistake, how many name the right one, and the time the diagnosis took. The target is 80%.
"""
import argparse
import importlib
import time

from ..kernel import in_kernel
from ..hidden import diagnosis
from ..paths import NOTEBOOKS

TARGET = 0.8


def simulated_results(tests, function_name, mistake, calls):
    """The kernel's result message for each call, had the student's function been `mistake`."""
    results = []
    for call in calls:
        outcome = diagnosis._run_mistake(tests, function_name, mistake, call)
        if outcome.raised:
            results.append({"op": "raised", "type": outcome.raised[0], "message": outcome.raised[1]})
        else:
            args = call.args if outcome.args_after is None else outcome.args_after
            results.append({"op": "returned", "output": in_kernel.encode(outcome.output),
                            "args": in_kernel.encode(list(args))})
    return results


def measure(assignment):
    """(mistakes, named, named rightly, [ids not named], seconds of diagnosis)."""
    tests = importlib.import_module(f"{__package__.rsplit('.', 1)[0]}.hidden.{assignment}").TESTS
    total = named = right = 0
    missed, seconds = [], 0.0
    for function_name in tests.functions:
        calls = tests.calls(function_name)
        for mistake in diagnosis.catalogue_mistakes(tests, function_name):
            results = simulated_results(tests, function_name, mistake, calls)
            start = time.perf_counter()
            found = diagnosis.name_mistake(tests, function_name, calls, results)
            seconds += time.perf_counter() - start
            total += 1
            named += found is not None
            right += found is not None and found.id == mistake.id
            if found is None:
                missed.append(mistake.id)
    return total, named, right, missed, seconds


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m autograder.bench.diagnosis", description=__doc__.splitlines()[0])
    parser.parse_args(argv)
    print(f"{'assignment':<14} {'mistakes':>8} {'named':>6} {'right':>6} {'share':>6} {'diagnosis':>10}")
    totals = [0, 0]
    for assignment in NOTEBOOKS:
        total, named, right, missed, seconds = measure(assignment)
        totals[0] += total
        totals[1] += right
        print(f"{assignment:<14} {total:>8} {named:>6} {right:>6} {right / total:>6.0%} {seconds:>9.2f}s")
        for mistake_id in missed:
            print(f"  not named: {mistake_id}")
    share = totals[1] / totals[0]
    print(f"{'all':<14} {totals[0]:>8} {'':>6} {totals[1]:>6} {share:>6.0%}   (target {TARGET:.0%}: "
          f"{'met' if share >= TARGET else 'missed'})")
    return 0 if share >= TARGET else 1


if __name__ == "__main__":
    raise SystemExit(main())
