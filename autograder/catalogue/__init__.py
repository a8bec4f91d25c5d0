"""Correct styles and typical bugs, one module per assignment: the fairness tests, the sample class
of the demo and the grading benchmark all build their submissions from them."""
