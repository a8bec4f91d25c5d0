"""Autograde one submission with nbgrader in a private scratch course.

Each worker process grades in its own folder with its own copy of a template gradebook, so that
workers never write to the same database: the instructor's gradebook has one writer, the parent
process (see gradebook.py). The scratch course links to the instructor's source folder, so that
nbgrader restores the instructor's files over the submitted ones exactly as it normally does.
"""
import os
import shutil
from pathlib import Path

from .course import open_api

TEMPLATE_DB = "template.db"


def scratch_course(scratch_root, source_dir, assignment, student_id, submission_folder):
    """Lay out <scratch_root>/<student_id>/ as an nbgrader course holding one submission."""
    root = Path(scratch_root) / student_id
    if root.exists():
        shutil.rmtree(root)
    (root / "source").mkdir(parents=True)
    os.symlink(Path(source_dir).resolve(), root / "source" / assignment)
    shutil.copytree(submission_folder, root / "submitted" / student_id / assignment,
                    ignore=shutil.ignore_patterns("__pycache__", ".ipynb_checkpoints"))
    shutil.copy2(Path(scratch_root) / TEMPLATE_DB, root / "gradebook.db")
    return root


def autograde_in_scratch(task):
    """Run nbgrader autograde for task["student_id"]; return where the graded notebook is, or the error.

    task: dict with scratch_root, source_dir, assignment, student_id, submission_folder, config (traitlets
    overrides such as the cell timeout).
    """
    root = scratch_course(task["scratch_root"], task["source_dir"], task["assignment"], task["student_id"],
                          task["submission_folder"])
    overrides = dict(task.get("config", {}))
    overrides.setdefault("CourseDirectory", {})["db_url"] = f"sqlite:///{root / 'gradebook.db'}"
    api = open_api(root, **overrides)
    result = api.autograde(task["assignment"], task["student_id"], force=True, create=True)
    autograded = root / "autograded" / task["student_id"] / task["assignment"]
    return {"success": bool(result["success"]) and autograded.is_dir(), "autograded": str(autograded),
            "error": result.get("error") or "", "log": result.get("log") or ""}
