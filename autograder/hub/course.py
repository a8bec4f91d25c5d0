"""The instructors' course on the hub: a copy of this repository that only the instructors' group can open.

The copy is what git tracks here, with the working tree's content (so a change not yet committed is tried as it
is). The shared environment imports the kit from it (an editable install): the formgrader loads the course's
nbgrader_config.py, which names the kit's preprocessors, and `python -m autograder` runs from it. Students never
import the kit and cannot read the folder. Each instructor's own Jupyter configuration points nbgrader at the course
and turns the formgrader on; the roster goes into the gradebook and each assignment is released to the exchange
with a due date a week ahead.
"""
import csv
import json
import os
import shutil
import subprocess
from datetime import datetime, timedelta, timezone
from pathlib import Path

from ..paths import NOTEBOOKS, ROOT
from .environment import INSTRUCTOR_LAB_PLUGINS, INSTRUCTOR_SERVER_EXTENSIONS, SetupProblem, _run
from .layout import INSTRUCTORS

PRIVATE = 0o007  # the umask of the instructors' commands: the course's files are the group's, and nobody else's


def tracked_files(root=ROOT) -> list:
    """The repository's files that git tracks or would (not ignored), relative to `root`."""
    listed = _run(["git", "-C", str(root), "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                  "listing the repository's files").stdout
    return sorted({name for name in listed.split("\0") if name and (root / name).is_file()})


def copy_course(layout):
    """The repository's files into PREFIX/course, replacing what a previous setup copied; the gradebook and the
    grading folders stay."""
    for name in tracked_files():
        target = layout.course / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, target)


def make_private(folder, group_id):
    """The folder's files belong to the group, which may write them; others may not even look in."""
    for path in [folder, *folder.rglob("*")]:
        if path.is_symlink():
            continue
        os.chown(path, -1, group_id)
        path.chmod(0o2770 if path.is_dir() else (0o660 | (path.stat().st_mode & 0o110)))


def install_kit(layout):
    _run([str(layout.python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-deps",
          "--no-build-isolation", "-e", str(layout.course)], "installing the kit from the course into the environment")


def instructor_command(accounts, layout, name, args):
    """Run `args` as instructor `name` from the course folder, with the group's umask."""
    shell = ["sh", "-c", f'umask {PRIVATE:03o}; exec "$@"', "sh", *map(str, args)]
    try:
        return accounts.run_as(name, shell, layout.venv / "bin", cwd=layout.course)
    except subprocess.CalledProcessError as failed:
        raise SetupProblem(f"{' '.join(map(str, args))}, as {name}, exited {failed.returncode}: "
                           f"{(failed.stderr or failed.stdout).strip()[-1500:]}") from None


def write_as(accounts, name, path, text):
    """Write `text` into `path` as the user `name` (in their home: no link of theirs leads root elsewhere)."""
    shell = ["sh", "-c", 'mkdir -p "$(dirname "$1")" && cat > "$1"', "sh", str(path)]
    subprocess.run(accounts.as_user(name, shell), input=text, text=True, check=True,
                   env=accounts.environment(name, "/usr/bin"), cwd=accounts.home(name))


def configure_instructor(accounts, layout, name):
    """`name`'s nbgrader works on the course, and their JupyterLab shows the formgrader (files of their own
    Jupyter configuration, which comes after the environment's)."""
    jupyter = accounts.home(name) / ".jupyter"
    # The formgrader works on a course inside the server's root folder, the instructor's home: a link leads there.
    link = accounts.home(name) / "course"
    accounts.run_as(name, ["ln", "-sfn", str(layout.course), str(link)], "/usr/bin")
    write_as(accounts, name, jupyter / "nbgrader_config.py",
             f"# nbgrader of instructor {name} on the course hub (written by python -m autograder.hub setup).\n"
             "c = get_config()  # noqa: F821\n"
             f"c.CourseDirectory.root = {str(link)!r}\n")
    write_as(accounts, name, jupyter / "labconfig" / "page_config.json",
             json.dumps({"disabledExtensions": dict.fromkeys(INSTRUCTOR_LAB_PLUGINS, False)}, indent=2))
    # Written, not `jupyter server extension enable`, which refuses nbgrader's (their entry point is the package's).
    write_as(accounts, name, jupyter / "jupyter_server_config.json",
             json.dumps({"ServerApp": {"jpserver_extensions": dict.fromkeys(INSTRUCTOR_SERVER_EXTENSIONS, True)}},
                        indent=2))


def release_assignments(accounts, layout, instructor, students, days_to_due=7):
    """The roster into the gradebook, and each assignment released with a due date `days_to_due` days ahead."""
    roster = layout.course / "students.csv"
    with open(roster, "w", newline="", encoding="utf-8") as lines:
        writer = csv.writer(lines)
        writer.writerow(("id", "first_name", "last_name"))
        writer.writerows((person.id, person.first_name, person.last_name) for person in students)
    nbgrader = [layout.venv / "bin" / "nbgrader"]
    instructor_command(accounts, layout, instructor, [layout.python, "-m", "autograder", "sync"])
    instructor_command(accounts, layout, instructor, [*nbgrader, "db", "student", "import", roster.name])
    due = (datetime.now(timezone.utc) + timedelta(days=days_to_due)).strftime("%Y-%m-%d 23:59:00 UTC")
    for assignment in NOTEBOOKS:
        instructor_command(accounts, layout, instructor, [*nbgrader, "db", "assignment", "add", assignment,
                                                          f"--duedate={due}"])
    instructor_command(accounts, layout, instructor, [*nbgrader, "release_assignment", "step_by_step", "--force"])


def make_course(accounts, layout, instructors, students):
    copy_course(layout)
    install_kit(layout)
    make_private(layout.course, accounts.gid(INSTRUCTORS))
    for person in instructors:
        configure_instructor(accounts, layout, person.id)
    release_assignments(accounts, layout, instructors[0].id, students)
    make_private(layout.course, accounts.gid(INSTRUCTORS))  # the gradebook too, which SQLite made 0644
