"""Grade a whole class: `python -m autograder grade SUBMITTED --assignment ID`.

Submissions are autograded by nbgrader in parallel worker processes, each in a scratch course
(scratch.py); this process alone writes the gradebook, the per-student results, the feedback
pages, grades.csv, totals.csv and the report. Already graded submissions are skipped unless they
changed or --force is given.
"""
import os
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import nbformat
from tqdm import tqdm

from . import feedback, report, results
from .gradebook import copy_tree, course_db_url, record_graded, record_ungraded, register_assignment
from .gradecells import graded_cells
from .outcomes import KERNEL_DIED, rows_for_all, rows_for_notebook
from .paths import NOTEBOOKS, ROOT
from .pool import TaskTimedOut, run_tasks
from .release import copy_shared_modules
from .scratch import TEMPLATE_DB, autograde_in_scratch
from .submissions import find_submissions


@dataclass
class Options:
    submitted: Path
    assignment: str
    out: Path
    workers: int = os.cpu_count() or 1
    force: bool = False
    cell_timeout: int = None  # seconds per cell; None keeps nbgrader_config.py's
    time_limit: float = 600  # seconds per submission
    course: Path = ROOT
    progress: bool = True


def grade(options):
    """Grade every submission; return the StudentResults of the class, sorted by student id."""
    graded = graded_cells(options.assignment)
    submissions = find_submissions(options.submitted, options.assignment)
    out = Path(options.out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    done = {result.student_id: result for result in results.load_all(out)}
    todo = [submission for submission in submissions if options.force or submission.student_id not in done
            or done[submission.student_id].fingerprint != submission.fingerprint]
    db_url = course_db_url(options.course)
    source_dir = Path(options.course).resolve() / "source" / options.assignment
    copy_shared_modules(source_dir)
    register_assignment(options.assignment, db_url, options.course)

    progress = tqdm(total=len(todo), desc=f"grading {options.assignment}", unit="student",
                    disable=not options.progress or not todo, file=sys.stderr)

    def finish(result):
        results.save(out, result)
        feedback.write(out, result)
        progress.update()
        progress.write(f"  {result.student_id:<24} {result.score:>5g} / {result.max_score:g}"
                       f"{'   needs attention' if result.attention else ''}")

    for submission in todo:
        if submission.problem:
            record_ungraded(db_url, options.assignment, submission.student_id)
            status, message = submission.problem
            finish(results.StudentResult(submission.student_id, options.assignment, submission.fingerprint,
                                         rows_for_all(graded, status, message), problem=message))

    runnable = {submission.student_id: submission for submission in todo if not submission.problem}
    if runnable:
        with tempfile.TemporaryDirectory(dir=out, prefix=".scratch-") as scratch_root:
            register_assignment(options.assignment, f"sqlite:///{Path(scratch_root) / TEMPLATE_DB}", options.course)
            tasks = [_task(options, scratch_root, source_dir, submission) for submission in runnable.values()]
            for task, outcome in run_tasks(autograde_in_scratch, tasks, options.workers, options.time_limit):
                submission = runnable[task["student_id"]]
                finish(_result(options, db_url, graded, submission, outcome))
    progress.close()

    current = {submission.student_id for submission in submissions}
    class_results = [result for result in results.load_all(out) if result.student_id in current]
    results.write_tables(out, class_results)
    report.write(out, options.assignment, class_results)
    return class_results


def _task(options, scratch_root, source_dir, submission):
    config = {"Execute": {"timeout": options.cell_timeout}} if options.cell_timeout else {}
    return {"scratch_root": scratch_root, "source_dir": str(source_dir), "assignment": options.assignment,
            "student_id": submission.student_id, "submission_folder": str(submission.folder), "config": config}


def _result(options, db_url, graded, submission, outcome):
    def result(rows, problem=""):
        return results.StudentResult(submission.student_id, options.assignment, submission.fingerprint, rows,
                                     problem=problem, notices=submission.notices)

    if isinstance(outcome, TaskTimedOut):
        message = f"grading stopped: the notebook was {outcome} (an infinite loop outside a graded cell?)"
        record_ungraded(db_url, options.assignment, submission.student_id)
        return result(rows_for_all(graded, "timeout", message), message)
    if isinstance(outcome, Exception) or not outcome["success"]:
        message = _failure_message(submission, outcome)
        record_ungraded(db_url, options.assignment, submission.student_id)
        return result(rows_for_all(graded, "error", message), message)
    autograded = Path(outcome["autograded"])
    notebook_path = autograded / NOTEBOOKS[options.assignment]
    record_graded(db_url, options.assignment, submission.student_id, notebook_path)
    rows = rows_for_notebook(nbformat.read(notebook_path, as_version=4), graded)
    copy_tree(autograded, Path(options.course) / "autograded" / submission.student_id / options.assignment)
    shutil.rmtree(autograded.parent.parent.parent, ignore_errors=True)  # the scratch course
    died = any(row.message == KERNEL_DIED for row in rows)
    return result(rows, f"{submission.notebook}: the Python kernel died while it ran; the cells after that scored zero"
                  if died else "")


def _failure_message(submission, outcome):
    text = str(outcome) if isinstance(outcome, Exception) else outcome["error"] + outcome["log"]
    if "DeadKernelError" in text or "Kernel died" in text or "kernel died" in text:
        return f"{submission.notebook}: the Python kernel died while running it (os._exit, a crash or out of memory)"
    lines = [line.strip() for line in text.splitlines() if line.strip() and "Traceback" not in line]
    return f"{submission.notebook}: nbgrader could not run it ({lines[-1] if lines else 'no details'})"
