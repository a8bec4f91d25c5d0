"""Instructor-side tools of the course kit: release, reference solutions, hidden tests and grading."""
