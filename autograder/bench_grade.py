"""Benchmark: the kit's parallel grading against plain serial `nbgrader autograde`, side by side.

`make bench-grade` builds a class of 40 submissions from the sample class, grades it once with
plain nbgrader (one process, nbgrader's default pipeline) and once with
`python -m autograder grade`, each in its own copy of the course, and prints both wall-clock
times and their ratio. Both courses are first released (untimed), as an instructor's would be;
both timed runs are whole commands, start-up included.
"""
import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from . import sample_class
from .grade import DEFAULT_WORKERS
from .paths import ROOT

ASSIGNMENT = sample_class.ASSIGNMENT
PLAIN_CONFIG = """c = get_config()
c.CourseDirectory.course_id = "bench"
c.Execute.timeout = 60
"""


def _course(folder, submitted, config_text=None):
    """A course folder holding source/, the submissions and an nbgrader_config.py."""
    if folder.exists():
        shutil.rmtree(folder)
    shutil.copytree(ROOT / "source", folder / "source", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(submitted, folder / "submitted")
    if config_text is None:
        shutil.copy2(ROOT / "nbgrader_config.py", folder)
    else:
        (folder / "nbgrader_config.py").write_text(config_text)
    return folder


def _environment():
    """nbgrader runs its own scripts (alembic): the environment's bin/ must be on PATH."""
    return dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")


def _timed(command, cwd):
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, env=_environment(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m autograder.bench_grade", description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=40)
    parser.add_argument("--workers", type=int, default=DEFAULT_WORKERS, help="the grade command's default")
    parser.add_argument("--out", default=str(ROOT / "build" / "bench"))
    args = parser.parse_args(argv)
    out = Path(args.out).resolve()

    submitted = sample_class.build(out / "class", size=args.students)
    print(f"class: {args.students} submissions of {ASSIGNMENT} (the sample class, repeated)")

    # Both courses start as an instructor's does after releasing: the gradebook knows the assignment.
    plain = _course(out / "plain", submitted, PLAIN_CONFIG)
    kit = _course(out / "kit", submitted)
    for course in (plain, kit):
        subprocess.run([sys.executable, "-m", "nbgrader", "generate_assignment", ASSIGNMENT, "--force"], cwd=course,
                       env=_environment(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)

    plain_seconds = _timed([sys.executable, "-m", "nbgrader", "autograde", ASSIGNMENT], plain)
    print(f"plain nbgrader autograde, serial:      {plain_seconds:7.1f} s")
    kit_seconds = _timed([sys.executable, "-m", "autograder", "grade", str(kit / "submitted"), "--assignment",
                          ASSIGNMENT, "--out", str(kit / "grades"), "--course", str(kit), "--workers",
                          str(args.workers), "--force"], ROOT)
    print(f"python -m autograder grade, {args.workers} workers: {kit_seconds:7.1f} s")
    print(f"speed-up: {plain_seconds / kit_seconds:.2f}x on {os.cpu_count()} cores (target: at least 1.8x on 2 cores)")


if __name__ == "__main__":
    main()
