"""The floor of any grader that gives each submission a fresh kernel: the notebooks executed by nbclient in fresh
kernels, in parallel processes, and nothing else (no sanitising, no grading, no recording).

`python -m autograder.bench.floor SUBMITTED --workers N [--assignment ID]`, timed by `make bench-grade` beside the kit's runs. Its
processes are set up as the kit's are (environment.prepare_process), so the comparison is of the work, not of
start-up tricks; nbclient and nbformat are imported only after that.
"""
import argparse
import concurrent.futures
import multiprocessing
import os
import sys
from pathlib import Path

from ..environment import prepare_process
from ..paths import NOTEBOOKS

ASSIGNMENT = "step_by_step"  # the default


def execute(notebook_path):
    """Run one submitted notebook in a fresh kernel, stopped at once when done as the kit's configuration stops it;
    None, or what stopped it (a broken submission still counts)."""
    import nbclient
    import nbformat
    try:
        notebook = nbformat.read(notebook_path, as_version=4)
        nbclient.NotebookClient(notebook, timeout=60, allow_errors=True, shutdown_kernel="immediate",
                                extra_arguments=["--HistoryManager.hist_file=:memory:"],
                                resources={"metadata": {"path": str(Path(notebook_path).parent)}}).execute()
    except Exception as error:
        return f"{notebook_path}: {type(error).__name__}"
    return None


def graded_notebooks(submitted, assignment=ASSIGNMENT):
    """The notebook the kit grades, of each submission in `submitted`; not the companion notebook beside it,
    which nobody grades, and which doubled the floor's work when it was counted."""
    return sorted(Path(submitted).glob(f"*/{assignment}/{NOTEBOOKS[assignment]}"))


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m autograder.bench.floor", description=__doc__.splitlines()[0])
    parser.add_argument("submitted", help="folder laid out as <student_id>/<assignment>/<notebook>.ipynb")
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 1) + 1)
    parser.add_argument("--assignment", default=ASSIGNMENT, choices=sorted(NOTEBOOKS))
    args = parser.parse_args(argv)
    prepare_process()
    os.environ["NBGRADER_EXECUTION"] = "autograde"  # as while grading: the notebooks' long runs are cut short
    notebooks = graded_notebooks(args.submitted, args.assignment)
    context = multiprocessing.get_context("spawn")
    with concurrent.futures.ProcessPoolExecutor(args.workers, mp_context=context, initializer=prepare_process) as pool:
        for failure in pool.map(execute, notebooks):
            if failure:
                print(failure, file=sys.stderr)


if __name__ == "__main__":
    main()
