"""make bench-grade's floor executes what the kit grades, and nothing else."""
from autograder.bench.floor import graded_notebooks
from autograder.generators import sample_class
from autograder.paths import NOTEBOOKS


def test_the_floor_executes_each_submissions_graded_notebook_only(tmp_path):
    submitted = sample_class.build(tmp_path / "class")
    students = sorted(folder.name for folder in submitted.iterdir())
    assert any((submitted / student / sample_class.ASSIGNMENT / "gradient_checking.ipynb").exists()
               for student in students)  # the companion notebook sits beside the graded one
    assert graded_notebooks(submitted) == [submitted / student / sample_class.ASSIGNMENT /
                                           NOTEBOOKS[sample_class.ASSIGNMENT] for student in students]
