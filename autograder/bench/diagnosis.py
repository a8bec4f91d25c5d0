"""How often the grade names the right cause of a wrong answer, and never a wrong one: `make bench-diagnosis`.

Every entry is graded in this process as the grader grades it after its kernel ran it: the entry's cell runs in a
namespace like the notebook's (NumPy, copy, and the reference versions of the functions it may call), its outcome
on every test call is turned into the kernel's result message (an exception with the entry's own line, as the
kernel reports it), and the grader's own `judge` gives the verdict. Two corpora, printed separately:

- the catalogue (autograder/catalogue/<assignment>.py): each mistake should be named by its own id;
- our real-style corpus (autograder/catalogue/real_style.py): variants of the code published solutions of this
  assignment hold, each bug with the causes that are right for it, and correct solutions in their idioms.

Per corpus: the bugs caught, the share of caught bugs named with a right cause (target 80%), the causes named
wrongly (must be 0), and the false fails of correct code (must be 0).
"""
import argparse
import importlib
import time

from ..catalogue import real_style
from ..grading.outcomes import Status
from ..hidden.simulated import hidden_tests, verdict
from ..paths import NOTEBOOKS

TARGET = 0.8
class Tally:
    def __init__(self):
        self.bugs = self.caught = self.named = self.right = self.correct = self.false_fails = 0
        self.wrong, self.unnamed, self.seconds = [], [], 0.0

    def bug(self, label, found, right_causes):
        self.bugs += 1
        self.caught += found.status != Status.PASSED
        self.named += bool(found.mistake)
        if found.mistake in right_causes:
            self.right += 1
        elif found.mistake:
            self.wrong.append(f"{label}: named {found.mistake}")
        elif found.status != Status.PASSED:
            self.unnamed.append(label)

    def style(self, label, found):
        self.correct += 1
        if found.status != Status.PASSED or found.mistake:
            self.false_fails += 1
            self.wrong.append(f"{label}: a correct answer got {found.status} {found.mistake}")

    def line(self, name):
        share = self.right / self.caught if self.caught else 1.0
        return (f"{name:<22} {self.bugs:>5} {self.caught:>6} {self.right:>6} {share:>6.0%} {len(self.wrong) - self.false_fails:>6}"
                f" {self.correct:>8} {self.false_fails:>6} {self.seconds:>8.2f}s")


def catalogue_tally(assignment):
    tests, tally = hidden_tests(assignment), Tally()
    catalogue = importlib.import_module(f"{__package__.rsplit('.', 1)[0]}.catalogue.{assignment}")
    for function_name in tests.functions:
        for mistake in catalogue.BUGS.get(function_name, []):
            start = time.perf_counter()
            tally.bug(mistake.id, verdict(tests, function_name, mistake.source), {mistake.id})
            tally.seconds += time.perf_counter() - start
    return tally


def real_style_tally():
    tests, tally = hidden_tests("step_by_step"), Tally()
    for function_name, entries in real_style.BUGS.items():
        for label, right_causes, source in entries:
            start = time.perf_counter()
            tally.bug(f"{function_name}: {label}", verdict(tests, function_name, source), set(right_causes))
            tally.seconds += time.perf_counter() - start
    for function_name, entries in real_style.CORRECT.items():
        for label, source in entries:
            tally.style(f"{function_name}: {label}", verdict(tests, function_name, source))
    return tally


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m autograder.bench.diagnosis", description=__doc__.splitlines()[0])
    parser.parse_args(argv)
    print(f"{'corpus':<22} {'bugs':>5} {'caught':>6} {'right':>6} {'share':>6} {'wrong':>6} {'correct':>8} "
          f"{'false':>6} {'time':>9}")
    tallies = [(f"catalogue {assignment}", catalogue_tally(assignment)) for assignment in NOTEBOOKS]
    tallies.append(("real-style variants", real_style_tally()))
    met = True
    for name, tally in tallies:
        print(tally.line(name))
        for line in tally.wrong:
            print(f"  wrong: {line}")
        for label in tally.unnamed:
            print(f"  caught, not named: {label}")
        met &= (not tally.caught or tally.right / tally.caught >= TARGET) and not tally.wrong
    print(f"(right: caught bugs named with a right cause, target {TARGET:.0%}; wrong: a cause that does not explain "
          f"the answer, and false: a correct answer not given full marks, both must be 0): "
          f"{'met' if met else 'missed'}")
    return 0 if met else 1


if __name__ == "__main__":
    raise SystemExit(main())
