"""Reference solutions, generated from the instructor notebooks (see autograder/generators/reference_solutions.py)."""
