"""Copied work flagged for the instructor (`python -m autograder similarity`): similarity.csv and a report section.

fingerprints.py: token fingerprints of a cell (winnowing); answers.py: the digest of a wrong answer the grader
stores; detect.py: the class's pairs, against each other and against reference folders. Never shown to students.
"""
