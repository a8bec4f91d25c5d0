"""Grading a class: the grade command, the submissions it finds, the worker pool and what each worker runs
(nbgrader's pipeline with the kit's preprocessors), the per-student results and the gradebook."""
