"""Generate the student version of an assignment: `python -m autograder release [ASSIGNMENT ...]`.

nbgrader's generate_assignment strips solutions and hidden tests from source/<assignment>/ into
release/<assignment>/ and copies the folder's other files with it. Its pre-convert hook
(`bring_shared_modules`, set in nbgrader_config.py) first copies the shared modules into
source/<assignment>/ (git ignores those copies), so that they travel with the release however it is
generated (`make release`, or nbgrader's own `nbgrader generate_assignment`), and so that nbgrader
autograde restores the instructor's copies over whatever a student submits.
"""
import shutil
from pathlib import Path

from ..course import Course, NbgraderFailed, succeeded
from ..paths import ROOT, SHARED

IGNORED = shutil.ignore_patterns("__pycache__", "*.pyc", ".ipynb_checkpoints")


def copy_shared_modules(assignment: str, assignment_dir: Path) -> None:
    """Copy the repository's shared modules of `assignment` into `assignment_dir`, replacing older copies."""
    for name, path in SHARED[assignment].items():
        source, target = ROOT / path, assignment_dir / name
        if target.is_dir():
            shutil.rmtree(target)
        if source.is_dir():
            shutil.copytree(source, target, ignore=IGNORED)
        else:
            shutil.copy2(source, target)


def bring_shared_modules(assignment: str, student: str, notebooks: list) -> None:
    """nbgrader's pre-convert hook of generate_assignment: the shared modules of the assignment whose
    instructor notebooks are `notebooks`, copied beside them before nbgrader copies that folder."""
    folders = {Path(notebook).parent for notebook in notebooks}
    for folder in folders:
        if folder.name in SHARED:
            copy_shared_modules(folder.name, folder)


def sync(course: Course) -> None:
    """Copy the shared modules next to every instructor notebook of `course`."""
    for assignment in course.assignments:
        copy_shared_modules(assignment, course.source_dir(assignment))


def release(course: Course, assignment: str) -> Path:
    """Generate release/<assignment>/ of `course` with nbgrader; return that folder."""
    succeeded(course.api().generate_assignment(assignment, force=True, create=True), f"generate_assignment {assignment}")
    released = course.release_dir(assignment)
    missing = [name for name in SHARED[assignment] if not (released / name).exists()]
    if missing:
        raise NbgraderFailed(f"{released}: nbgrader released it without {', '.join(missing)}: is "
                             f"nbgrader_config.py's GenerateAssignment.pre_convert_hook bring_shared_modules?")
    return released


def main(course: Course, assignments: list) -> None:
    for assignment in assignments or course.assignments:
        print(f"released {release(course, assignment).relative_to(course.root)}/")
