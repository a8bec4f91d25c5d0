"""Benchmark: the kit's parallel grading against plain serial `nbgrader autograde`, and the sandbox's cost.

`make bench-grade` builds a class of 40 submissions from the sample class and grades it with plain
nbgrader (one process, nbgrader's default pipeline, told to grade the graded notebook only, as the kit and the
floor do) and with `python -m autograder grade`, both with
its bubblewrap sandbox (the default) and with --no-sandbox. Every timed run is a whole command,
start-up included, in its own fresh copy of the course, released beforehand (untimed) as an
instructor's would be. It prints wall times, throughputs, the speed-up over plain nbgrader and the
sandbox's cost, and the floor: the same notebooks executed by nbclient alone in fresh kernels, as many
processes as the kit has workers, which any grader that gives each submission a fresh kernel must pay.

The kit's runs alternate, sandboxed then not, twice over (ABAB): a slow spell of this shared machine
then hits both modes rather than one. Each mode reports its best run, because other load only ever
adds time; the sandbox's cost compares best with best. Plain nbgrader, the slowest run by far, runs
once, so the speed-up compares it with the sandboxed runs' median rather than with their best: picking
the luckier of two runs would favour the kit.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from ..environment import scripts_on_path
from ..generators import sample_class
from ..grading.pool import DEFAULT_WORKERS
from ..paths import NOTEBOOKS, ROOT

ASSIGNMENT = sample_class.ASSIGNMENT
# The same work for every contender: the graded notebook only. Plain nbgrader would also execute the ungraded
# companion each submission holds (gradient_checking.ipynb), which the kit and the floor leave alone.
PLAIN_CONFIG = f"""c = get_config()
c.CourseDirectory.course_id = "bench"
c.CourseDirectory.notebook_id = {Path(NOTEBOOKS[ASSIGNMENT]).stem!r}
c.Execute.timeout = 60
"""
MODES = {"sandboxed": [], "--no-sandbox": ["--no-sandbox"]}


def _environment():
    """nbgrader runs its own scripts (alembic): the environment's bin/ must be on PATH."""
    return scripts_on_path()


def _released_course(folder, submitted, config_text=None):
    """A fresh course folder holding source/, the submissions, an nbgrader_config.py and release/ (untimed)."""
    if folder.exists():
        shutil.rmtree(folder)
    shutil.copytree(ROOT / "source", folder / "source", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(submitted, folder / "submitted")
    if config_text is None:
        shutil.copy2(ROOT / "nbgrader_config.py", folder)
    else:
        (folder / "nbgrader_config.py").write_text(config_text)
    # As after an instructor's release: the gradebook knows the assignment, and the sandbox mounts release/.
    subprocess.run([sys.executable, "-m", "nbgrader", "generate_assignment", ASSIGNMENT, "--force"], cwd=folder,
                   env=_environment(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return folder


def _timed(command, cwd):
    """Wall seconds of `command`, and the finished process (its exit code and stderr)."""
    start = time.perf_counter()
    process = subprocess.run(command, cwd=cwd, env=_environment(), stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE, text=True)
    return time.perf_counter() - start, process


def _kit_run(course, workers, mode, extra=()):
    """Seconds the grade command took; stops the benchmark if it failed, as its time would mean nothing."""
    seconds, process = _timed([sys.executable, "-m", "autograder", "grade", str(course / "submitted"),
                               "--assignment", ASSIGNMENT, "--out", str(course / "grades"), "--course", str(course),
                               "--workers", str(workers), "--force", *MODES[mode], *extra], ROOT)
    if process.returncode not in (0, 1):  # 1: some students need attention, as the sample class's do on purpose
        tail = "\n".join(process.stderr.strip().splitlines()[-5:])
        sys.exit(f"error: the {mode} grade run failed with exit code {process.returncode} in {course}:\n{tail}")
    return seconds


def _line(label, seconds, students):
    return f"{label:<52} {seconds:7.1f} s  {students / seconds:5.2f} submissions/s"


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m autograder.bench.grading", description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=40)
    parser.add_argument("--workers", type=int, default=DEFAULT_WORKERS, help="the grade command's default")
    parser.add_argument("--runs", type=int, default=2, help="kit runs per mode, alternating (default: 2)")
    parser.add_argument("--out", default=str(ROOT / "build" / "bench"))
    args = parser.parse_args(argv)
    out = Path(args.out).resolve()

    submitted = sample_class.build(out / "class", size=args.students)
    print(f"class: {args.students} submissions of {ASSIGNMENT} (the sample class, repeated)")

    plain = _released_course(out / "plain", submitted, PLAIN_CONFIG)
    plain_seconds, _ = _timed([sys.executable, "-m", "nbgrader", "autograde", ASSIGNMENT], plain)
    print(_line("plain nbgrader autograde, serial:", plain_seconds, args.students))

    times = {mode: [] for mode in MODES}
    for run in range(args.runs):
        for mode in MODES:
            course = _released_course(out / f"kit-{mode.strip('-')}-{run + 1}", submitted)
            times[mode].append(_kit_run(course, args.workers, mode))
    for mode, seconds in times.items():
        runs = ", ".join(f"{value:.1f}" for value in seconds)
        print(_line(f"python -m autograder grade, {args.workers} workers, {mode}:", min(seconds), args.students)
              + f"  (best of runs: {runs} s)")

    floor = [_timed([sys.executable, "-m", "autograder.bench.floor", str(submitted), "--workers", str(args.workers)],
                    ROOT)[0] for _ in range(args.runs)]
    print(_line(f"the floor: nbclient alone, {args.workers} processes, fresh kernels:", min(floor), args.students)
          + f"  (best of runs: {', '.join(f'{value:.1f}' for value in floor)} s)")

    cost = (min(times["sandboxed"]) / min(times["--no-sandbox"]) - 1) * 100
    print(f"sandbox cost: {cost:+.1f}% (best against best; target: at most 15%)")
    speed_up = plain_seconds / statistics.median(times["sandboxed"])
    print(f"speed-up: {speed_up:.2f}x, sandboxed median against plain, on {os.cpu_count()} cores "
          f"(target: at least 1.8x on 2 cores)")
    share = min(floor) / min(times["sandboxed"]) * 100
    print(f"the kit, sandboxed, at {share:.0f}% of the floor's throughput (best against best; target: at least 90%)")


if __name__ == "__main__":
    main()
