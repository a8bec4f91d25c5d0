"""Generate the student version of an assignment: `python -m autograder release [ASSIGNMENT ...]`.

nbgrader's generate_assignment strips solutions and hidden tests from source/<assignment>/ into
release/<assignment>/ and copies the folder's other files with it. The shared modules are copied
into source/<assignment>/ first, so that they travel with the release and so that nbgrader
autograde restores the instructor's copies over whatever a student submits.
"""
import shutil

from .course import open_api, succeeded
from .paths import NOTEBOOKS, ROOT, SHARED

IGNORED = shutil.ignore_patterns("__pycache__", "*.pyc", ".ipynb_checkpoints")


def copy_shared_modules(assignment, assignment_dir):
    """Copy the repository's shared modules of `assignment` into `assignment_dir`, replacing older copies."""
    for name, path in SHARED[assignment].items():
        source, target = ROOT / path, assignment_dir / name
        if target.is_dir():
            shutil.rmtree(target)
        if source.is_dir():
            shutil.copytree(source, target, ignore=IGNORED)
        else:
            shutil.copy2(source, target)


def sync(root=ROOT):
    """Copy the shared modules next to every instructor notebook of the course at `root`."""
    for assignment in NOTEBOOKS:
        copy_shared_modules(assignment, root / "source" / assignment)


def release(assignment, root=ROOT):
    """Generate release/<assignment>/ of the course at `root` (the repository unless a test says otherwise)."""
    copy_shared_modules(assignment, root / "source" / assignment)
    api = open_api(root)
    succeeded(api.generate_assignment(assignment, force=True, create=True), f"generate_assignment {assignment}")
    return root / "release" / assignment


def main(assignments):
    for assignment in assignments or list(NOTEBOOKS):
        print(f"released {release(assignment).relative_to(ROOT)}/")
