"""A new instructor's first hour, followed as the README says: the demo grades in a scratch course of its own, and
nbgrader's commands work as shown, from the environment's bin/ without activating it."""
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from autograder.__main__ import main
from autograder.build import demo_course, sample_class
from autograder.paths import ROOT

pytestmark = pytest.mark.kernels  # real kernels, nbgrader's own commands


def _state(path):
    return path.stat().st_mtime_ns if path.exists() else None


def test_the_demo_grades_in_a_scratch_course_and_never_touches_the_courses_own(tmp_path):
    own = {name: _state(ROOT / name) for name in ("gradebook.db", "autograded", "feedback")}
    course = demo_course.make(tmp_path / "course")
    sample_class.build(tmp_path / "submitted", 2)
    assert main(["grade", str(tmp_path / "submitted"), "--assignment", "step_by_step", "--course", str(course.root),
                 "--out", str(tmp_path / "grades"), "--force", "--workers", "2"]) in (0, 1)
    assert {name: _state(ROOT / name) for name in own} == own
    assert (course.root / "gradebook.db").is_file() and (course.root / "autograded").is_dir()
    recipe = subprocess.run(["make", "-n", "demo"], cwd=ROOT, capture_output=True, text=True).stdout
    assert "--course build/demo/course" in recipe and "autograder.build.demo_course build/demo/course" in recipe


def test_the_readmes_roster_import_works_as_shown_without_the_environment_on_path(tmp_path):
    """nbgrader makes the gradebook with its alembic script, which it looks for on PATH."""
    (tmp_path / "nbgrader_config.py").write_bytes((ROOT / "nbgrader_config.py").read_bytes())
    (tmp_path / "source").symlink_to(ROOT / "source")
    (tmp_path / "students.csv").write_text("id,first_name,last_name\namara,Amara,Okafor\n", encoding="utf-8")
    environment = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "PYTHONDONTWRITEBYTECODE": "1"}
    run = subprocess.run([str(Path(sys.executable).parent / "nbgrader"), "db", "student", "import", "students.csv"],
                         cwd=tmp_path, env=environment, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-2000:]
    with sqlite3.connect(tmp_path / "gradebook.db") as database:
        assert database.execute("SELECT count(*) FROM alembic_version").fetchone() == (1,)
        assert database.execute("SELECT id, last_name FROM student").fetchall() == [("amara", "Okafor")]


def test_nbgraders_export_writes_a_file_no_table_of_the_kit_is_named_like(tmp_path):
    (tmp_path / "nbgrader_config.py").write_bytes((ROOT / "nbgrader_config.py").read_bytes())
    (tmp_path / "source").symlink_to(ROOT / "source")
    run = subprocess.run([str(Path(sys.executable).parent / "nbgrader"), "export"], cwd=tmp_path,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-2000:]
    assert (tmp_path / "nbgrader-export.csv").is_file() and not (tmp_path / "grades.csv").exists()
