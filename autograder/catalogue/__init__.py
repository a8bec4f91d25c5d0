"""Correct styles and typical bugs, one module per assignment: the fairness tests, the sample class
of the demo, the grading benchmark and the diagnosis of wrong answers all build on them.

A typical bug is a `Mistake`: the whole solution cell of a plausible wrong answer, and the sentence a student
sees when their answer behaves like it (the visible check and the grade name it, testCases/mistakes.py).
"""
import re
from dataclasses import dataclass


def cell(text):
    """A catalogue source as a solution cell holds it: the text without its surrounding blank lines, newline-ended."""
    return text.strip("\n") + "\n"


@dataclass(frozen=True)
class Mistake:
    id: str  # "<function>.<slug of the label>", stable: grades.csv's mistake column holds it
    label: str  # what the code does wrong, for the instructor and the tests' ids
    description: str  # for the student: what they probably did and how to fix it, one short sentence
    source: str  # the whole solution cell

    def __iter__(self):
        # Unpacks as a CORRECT_STYLES entry does (label, source), for code that treats both catalogues alike.
        return iter((self.label, self.source))


def slug(label):
    return re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_")


def mistakes(entries_by_function):
    """{function: [Mistake]} from {function: [(label, description, source)]}."""
    return {function: [Mistake(f"{function}.{slug(label)}", label, description, source)
                       for label, description, source in entries]
            for function, entries in entries_by_function.items()}
