"""A throwaway nbgrader course, built from this repository in a temporary folder.

End-to-end tests release, submit and autograde in it with the real nbgrader and real kernels,
without touching the repository's own gradebook or course folders.
"""
import json
import shutil
from pathlib import Path

from nbgrader.api import Gradebook

from autograder.generators.release import release
from autograder.course import Course, succeeded
from autograder.grading.grade import Options, grade
from autograder.grading.gradecells import TEST_PREFIX
from autograder.paths import NOTEBOOKS, ROOT


class ScratchCourse:
    """A copy of the repository's course (instructor notebooks and nbgrader_config.py), released with nbgrader;
    `course` is the kit's Course of it."""

    def __init__(self, root):
        self.root = Path(root)
        shutil.copytree(ROOT / "source", self.root / "source",
                        ignore=shutil.ignore_patterns("__pycache__", ".ipynb_checkpoints"))
        shutil.copy2(ROOT / "nbgrader_config.py", self.root)
        self.course = Course.at(self.root)
        for assignment in NOTEBOOKS:
            release(self.course, assignment)

    def release_notebook(self, assignment):
        with open(self.root / "release" / assignment / NOTEBOOKS[assignment], encoding="utf-8") as handle:
            return json.load(handle)

    def submit(self, student, assignment, notebook):
        """Place `notebook` (a dict, or raw text) as the student's submission, beside the released files."""
        folder = self.root / "submitted" / student / assignment
        if folder.exists():
            shutil.rmtree(folder)
        shutil.copytree(self.root / "release" / assignment, folder)
        text = notebook if isinstance(notebook, str) else json.dumps(notebook, indent=1)
        (folder / NOTEBOOKS[assignment]).write_text(text, encoding="utf-8")

    def autograde(self, assignment, students):
        """Autograde each student with nbgrader; return {student: {grade_id: score}}."""
        api = self.course.api()
        for student in students:
            succeeded(api.autograde(assignment, student, force=True), f"autograde {student}")
        return {student: self.scores(assignment, student) for student in students}

    def grade(self, assignment):
        """Grade every submission with the kit's grade command; return {student: {grade_id: score}}."""
        return {result.student_id: {f"{TEST_PREFIX}{row.function}": row.score for row in result.rows}
                for result in self.grade_results(assignment)}

    def grade_results(self, assignment):
        """Grade every submission with the kit's grade command; return its StudentResults."""
        options = Options(self.root / "submitted", assignment, self.root / "grades" / assignment, force=True,
                          course=self.course, progress=False)
        return grade(options)

    def scores(self, assignment, student):
        notebook_id = Path(NOTEBOOKS[assignment]).stem
        with Gradebook(f"sqlite:///{self.root / 'gradebook.db'}") as gradebook:
            submission = gradebook.find_submission_notebook(notebook_id, assignment, student)
            return {grade.name: grade.score for grade in submission.grades}
