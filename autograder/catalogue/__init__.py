"""Correct styles and typical bugs, one module per assignment: the fairness tests, the sample class
of the demo and the grading benchmark all build their submissions from them."""


def cell(text):
    """A catalogue source as a solution cell holds it: the text without its surrounding blank lines, newline-ended."""
    return text.strip("\n") + "\n"
