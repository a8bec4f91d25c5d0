"""Grade a whole class: `python -m autograder grade SUBMITTED --assignment ID`.

Submissions go through nbgrader's autograde pipeline in parallel worker processes (worker.py),
each in its own kernel in a sandbox (refused without bubblewrap unless --no-sandbox is given): a warm kernel,
forked from a template that started Python and the common imports once (kernel/warm.py), or with --cold-kernels
(or where warm kernels cannot work, which it says in one line) a fresh one;
this process writes the per-student results, the feedback pages, grades.csv, totals.csv and the
report, and records the gradebook (into a database server, the workers record their students
themselves). Already graded submissions are skipped unless they changed or --force is given.
"""
import contextlib
import fcntl
import importlib
import sys
from dataclasses import dataclass
from pathlib import Path

import nbformat
from tqdm import tqdm

from ..course import CONFIG_FILE, Course
from ..kernel.sandbox import Limits
from .refusal import CannotGrade, sandbox_refusal
from ..reporting import feedback
from . import results
from .gradebook import ensure_registered, record_graded, record_ungraded, several_writers
from .gradecells import graded_cells
from .outcomes import Status, one_line, rows_for_all, rows_for_verdicts
from .preprocessors import GradeInKernel
from .pool import DEFAULT_WORKERS, TaskTimedOut, WorkerDied, WorkerPool
from .roster import clean_names
from .submission_time import submission_time
from .submissions import find_submissions, refused
from .worker import GradingTask, grade_submission, prepare_worker


@dataclass
class Options:
    submitted: Path
    assignment: str
    out: Path
    workers: int = None  # None: DEFAULT_WORKERS
    force: bool = False
    cell_timeout: int = None  # seconds per cell; None keeps nbgrader_config.py's
    time_limit: float = 600  # seconds per submission
    course: Course = None  # the course to grade in (python -m autograder builds it from --course)
    progress: bool = True
    sandbox: bool = True  # False only when the instructor asks for it (--no-sandbox)
    cold_kernels: bool = False  # True: a fresh kernel per submission (--cold-kernels), not a warm one
    memory: int = Limits.memory  # bytes each sandboxed process may use
    scheduler: str = None  # a Dask scheduler's address (tcp://HOST:8786): grade on its cluster (cluster.py)


def check_sandbox(options: Options) -> None:
    """Refuse to grade without a sandbox unless the instructor said --no-sandbox (on a cluster, each worker checks)."""
    refusal = sandbox_refusal() if options.sandbox and not options.scheduler else None
    if refusal:
        raise CannotGrade(refusal)


@contextlib.contextmanager
def one_run_at_a_time(course: Course, assignment: str):
    """Hold the course's grading lock of `assignment` for the block; CannotGrade if another run holds it.

    Two runs would overwrite each other's autograded/ folders and both record the same students. The lock is
    an flock on a file in autograded/, so a run that is killed leaves none behind.
    """
    folder = course.autograded_dir
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f".grading-{assignment}.lock"
    with open(path, "a") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise CannotGrade(f"{path}: another grade run of {assignment} in this course holds this lock; wait for "
                              f"it to finish, or stop it, then run again") from None
        yield


def grade(options: Options) -> list[results.StudentResult]:
    """Grade every submission; return the StudentResults of the class, sorted by student id."""
    check_sandbox(options)
    with one_run_at_a_time(options.course, options.assignment):
        return _grade(options, options.course)


def _grade(options, course):
    if GradeInKernel not in course.config.Autograde.get("autograde_preprocessors", []):
        raise CannotGrade(f"{course.root / CONFIG_FILE}: its Autograde.autograde_preprocessors lack the kit's "
                          f"GradeInKernel; start from the kit's {CONFIG_FILE}")
    out = Path(options.out).resolve()
    if not course.release_dir(options.assignment).is_dir():
        raise CannotGrade(f"{course.release_dir(options.assignment)}: no such folder; release the assignment first "
                          f"(python -m autograder release {options.assignment}): its files are what the students' "
                          f"code may read")
    out.mkdir(parents=True, exist_ok=True)
    graded = graded_cells(course.source_notebook(options.assignment))
    submissions = find_submissions(options.submitted, options.assignment, course.release_notebook(options.assignment))
    for submission in submissions:  # here, where the exchange is: a cluster's worker may not see it
        submission.submitted_at = submission_time(course, submission.student_id, options.assignment,
                                                  submission.folder)
        submission.notices += [submission.submitted_at.notice] if submission.submitted_at.notice else []
    done = {result.student_id: result for result in results.load_all(out)}
    todo = [submission for submission in submissions if options.force or submission.student_id not in done
            or done[submission.student_id].fingerprint != submission.fingerprint]

    # The bar redraws itself with carriage returns: only on a terminal, so that logs keep one line per student.
    progress = tqdm(total=len(todo), desc=f"grading {options.assignment}", unit="student",
                    disable=not options.progress or not todo or not sys.stderr.isatty(), file=sys.stderr)

    def finish(result):
        try:
            feedback.publish(out, course, result)
        except feedback.NotDelivered as reason:  # e.g. resubmitted while it was graded: the next run grades it
            result.notices.append(f"feedback not delivered: {reason}")
            progress.write(f"  {result.student_id}: feedback not delivered: {one_line(reason)}")
        except Exception as error:  # one student's page must not stop the class
            result.notices.append(f"feedback page not written ({type(error).__name__}: {error})")
        results.save(out, result)
        progress.update()
        progress.write(f"  {result.student_id:<24} {result.score:>5g} / {result.max_score:g}"
                       f"{'   needs attention' if result.attention else ''}")

    runnable = {submission.student_id: submission for submission in todo if not submission.problem}
    with contextlib.ExitStack() as stack:
        if runnable:  # start the workers first: their start-up overlaps the rest of this block
            config = {"Execute": {"timeout": options.cell_timeout}} if options.cell_timeout else {}
            workers = min(options.workers or DEFAULT_WORKERS, len(runnable))
            if options.scheduler:
                from .cluster import DaskPool  # only here: without --scheduler, Dask is never imported
                pool = stack.enter_context(DaskPool(options.scheduler, course, options.assignment, config,
                                                    options.sandbox))
            else:
                warm_asked = options.sandbox and not options.cold_kernels  # each worker starts its template
                pool = stack.enter_context(WorkerPool(grade_submission, workers, prepare_worker,
                                                      (str(course.root), config, warm_asked)))
        ensure_registered(course, options.assignment, graded)
        for line in clean_names(course.db_url) + refused(options.submitted):  # before any page prints a name
            progress.write(f"  {line}")
        for submission in todo:
            if submission.problem:
                record_ungraded(course.db_url, options.assignment, submission.student_id)
                status, message = submission.problem
                finish(results.StudentResult(submission.student_id, options.assignment, submission.fingerprint,
                                             rows_for_all(graded, status, message), problem=message,
                                             sandboxed=options.sandbox, folder=str(submission.folder)))
        if runnable:
            warm = _warm_kernels(options, progress)
            tasks = [_task(options, course, submission, warm) for submission in runnable.values()]
            warned = False
            if len(tasks) <= workers:
                _report_module()
                _typical_answers(options.assignment, graded)
            for finished, (task, outcome) in enumerate(pool.run(tasks, options.time_limit), start=1):
                if getattr(outcome, "record_problem", "") and not warned:
                    warned = True
                    progress.write(f"  the workers could not record into the gradebook ({outcome.record_problem}); "
                                   f"this process records their students instead")
                finish(_result_or_error(options, course, graded, runnable[task.student_id], outcome))
                if finished == len(tasks) - workers:  # the last ones are running: a core is idle
                    _report_module()
                    _typical_answers(options.assignment, graded)
    progress.close()

    current = {submission.student_id for submission in submissions}
    class_results = [result for result in results.load_all(out) if result.student_id in current]
    results.write_tables(out, class_results)
    _flag_similar_work(options, course, out)
    _report_module().write(out, options.assignment, class_results)
    return class_results


def _flag_similar_work(options, course, out):
    """similarity.csv for the report, before it is drawn; a problem there is a line, never the end of grading."""
    from ..similarity import detect
    try:
        _, pairs, problems = detect.run(course, options.assignment, out, options.submitted)
    except Exception as error:  # the grades are written: the check is an extra, and says why it is missing
        print(f"similarity: not checked ({one_line(f'{type(error).__name__}: {error}', 300)})", file=sys.stderr)
        return
    for problem in problems:
        print(f"similarity: {problem}", file=sys.stderr)


def _report_module():
    """The class report's module. It imports Matplotlib, 0.3 s of this process's time, which would delay the first
    submission; so grading imports it once the last submissions are running and cores are idle."""
    return importlib.import_module("autograder.reporting.report")


def _typical_answers(assignment, graded):
    """Compute the similarity check's typical answers now (0.2 s of this process's time), while cores are idle; the
    check after grading then finds them (similarity/detect.py keeps them)."""
    from ..similarity import detect
    detect.typical_answers(assignment, tuple(cell.function for cell in graded))


def _warm_kernels(options, progress):
    """Whether the workers fork warm kernels; when they were asked to but cannot here, one line says why. A cluster's
    workers find out for themselves, and use fresh kernels where warm ones do not work."""
    if not options.sandbox or options.cold_kernels:
        return False
    if options.scheduler:
        return True
    from ..kernel.warm import problem
    reason = problem()
    if reason:
        progress.write(f"  warm kernels do not work here ({one_line(reason)}): every submission gets a fresh kernel, "
                       f"as with --cold-kernels")
    return reason is None


def _task(options, course, submission, warm=False):
    return GradingTask(student_id=submission.student_id, assignment=options.assignment,
                       submitted_at=submission.submitted_at,
                       notebook=course.notebook(options.assignment), submission_folder=str(submission.folder),
                       release_dir=str(course.release_dir(options.assignment)),
                       workdir=str(course.autograded_dir / submission.student_id / options.assignment),
                       db_url=course.db_url, sandbox=options.sandbox, memory=options.memory,
                       time_limit=options.time_limit, warm_kernels=warm,
                       record_into=course.db_url if several_writers(course.db_url) else None)


def _result(options, course, graded, submission, outcome):
    def result(rows, problem="", notices=()):
        return results.StudentResult(submission.student_id, options.assignment, submission.fingerprint, rows,
                                     problem=problem, notices=submission.notices + list(notices),
                                     sandboxed=options.sandbox, folder=str(submission.folder))

    if isinstance(outcome, TaskTimedOut):
        message = f"grading stopped: the notebook was {outcome} (an infinite loop outside a graded cell?)"
        record_ungraded(course.db_url, options.assignment, submission.student_id)
        return result(rows_for_all(graded, Status.TIMEOUT, message), message)
    if isinstance(outcome, Exception):
        message = _failure_message(submission, outcome)
        record_ungraded(course.db_url, options.assignment, submission.student_id)
        return result(rows_for_all(graded, Status.ERROR, message), message)
    rows = rows_for_verdicts(outcome.verdicts, graded)
    notices = [outcome.removed.notice(submission.notebook.name)] if outcome.removed else []
    if not outcome.recorded:  # recorded by the worker, into a database server
        # The worker wrote this notebook a moment ago with nbformat; reading it needs no validation.
        notebook = nbformat.v4.reads((Path(outcome.autograded) / course.notebook(options.assignment))
                                     .read_text("utf-8"))
        record_graded(course, options.assignment, submission.student_id, notebook, submission.folder,
                      when=submission.submitted_at)
    lost = next((verdict.kernel_lost for verdict in outcome.verdicts.values() if verdict.kernel_lost), None)
    if lost:
        return result(rows, f"{submission.notebook}: the Python kernel {lost}; the functions not graded by then "
                            f"scored zero", notices)
    return result(rows, notices=notices)


def _result_or_error(options, course, graded, submission, outcome):
    """_result; whatever goes wrong while recording one student is that student's error, not the class's."""
    try:
        return _result(options, course, graded, submission, outcome)
    except Exception as error:
        message = one_line(f"{submission.notebook}: its grades could not be recorded ({type(error).__name__}: "
                           f"{error})")
        with contextlib.suppress(Exception):  # a gradebook that cannot even forget the student says so below
            record_ungraded(course.db_url, options.assignment, submission.student_id)
        return results.StudentResult(submission.student_id, options.assignment, submission.fingerprint,
                                     rows_for_all(graded, Status.ERROR, message), problem=message,
                                     notices=submission.notices, sandboxed=options.sandbox,
                                     folder=str(submission.folder))


def _failure_message(submission, error):
    if isinstance(error, WorkerDied):
        return f"{submission.notebook}: the grading process died while running it ({error})"
    return f"{submission.notebook}: nbgrader could not run it ({error})"
