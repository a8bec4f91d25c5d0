"""Reference solutions, generated from the instructor notebooks (see autograder/solutions.py)."""
