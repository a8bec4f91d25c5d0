"""A new instructor's first hour, followed as the README says: the demo grades in a scratch course of its own, and
nbgrader's commands work as shown, from the environment's bin/ without activating it."""
import re
import shutil
import sqlite3
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest

from autograder.__main__ import main
from autograder.generators import demo_course, sample_class
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
    assert "--course build/demo/course" in recipe and "autograder.generators.demo_course build/demo/course" in recipe


def _fresh_clone(folder):
    """The repository as a fresh clone has it (its files as they are now, new ones included) in a git repository of
    its own, with this repository's environment as its .venv."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                            capture_output=True, check=True).stdout
    for name in filter(None, listed.decode().split("\0")):
        if (ROOT / name).is_file():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, folder / name)  # with its time: make finds the environment up to date
    git = ["git", "-c", "user.name=kit", "-c", "user.email=kit@localhost"]
    for command in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "clone"]):
        subprocess.run(git + command, cwd=folder, check=True, capture_output=True)
    (folder / ".venv").symlink_to(ROOT / ".venv")
    with open(folder / ".git" / "info" / "exclude", "a", encoding="utf-8") as exclude:
        exclude.write(".venv\n")  # .gitignore's .venv/ is a folder, not a link
    return folder


def test_make_demo_on_a_fresh_clone_leaves_no_gradebook_and_no_graded_folder_in_the_course(tmp_path):
    """The demo grades in its scratch course and releases nothing: nbgrader's generate_assignment would record the
    assignments in the course's own gradebook. Its grading step, which the test above follows, is noted, not run."""
    clone = _fresh_clone(tmp_path / "clone")
    python = tmp_path / "python"
    python.write_text(f'#!/bin/sh\nif [ "$1 $2 $3" = "-m autograder grade" ]; then echo "$@" > {tmp_path}/graded; '
                      f'exit 0; fi\nexec {sys.executable} "$@"\n', encoding="utf-8")
    python.chmod(0o755)
    installed = ["-o", ".venv/.installed", "-o", "sandbox", "-o", "browser"]  # as they are: nothing to install
    demo = subprocess.run(["make", *installed, "demo", f"PY={python}"], cwd=clone, capture_output=True, text=True,
                          timeout=900)
    assert demo.returncode == 0, demo.stderr[-2000:]
    assert not (clone / "gradebook.db").exists() and not (clone / "autograded").exists()
    assert subprocess.run(["git", "status", "--porcelain"], cwd=clone, capture_output=True, text=True).stdout == ""
    assert "--course build/demo/course" in (tmp_path / "graded").read_text(encoding="utf-8")


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


def test_the_readmes_due_date_is_in_the_future_on_any_day(tmp_path):
    """Copied on the day the course starts, the README's command gives the assignment a due date still to come."""
    [command] = [line for line in (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
                 if "nbgrader db assignment add" in line]
    (tmp_path / "nbgrader_config.py").write_bytes((ROOT / "nbgrader_config.py").read_bytes())
    (tmp_path / "source").symlink_to(ROOT / "source")
    (tmp_path / ".venv").symlink_to(Path(sys.executable).parent.parent)  # the README's .venv/bin/nbgrader
    run = subprocess.run(["bash", "-c", command], cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-2000:]
    assignment = re.search(r"assignment add (\S+)", command).group(1)
    with sqlite3.connect(tmp_path / "gradebook.db") as database:
        [(duedate,)] = database.execute("SELECT duedate FROM assignment WHERE name = ?", (assignment,)).fetchall()
    assert datetime.fromisoformat(duedate) > datetime.now(timezone.utc).replace(tzinfo=None)  # nbgrader's: UTC
