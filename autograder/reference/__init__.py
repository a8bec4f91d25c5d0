"""Reference solutions, generated from the instructor notebooks (see autograder/build/reference_solutions.py)."""
